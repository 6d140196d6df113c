"""A server that cannot be reached is explained in Vietnamese, not by an exception's class."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from counter_app import cli as counter_cli
from sync.client import credentials
from sync.client.backoff import RetryPolicy
from sync.client.errors import NetworkError
from sync.client.http import ServerConnection
from sync.client.worker import SyncWorker, WorkerSettings
from tests.support.counters import CounterFactory
from tests.support.server import free_port
from ui.main_window import MainWindow
from ui.services import CounterServices

pytest_plugins = ["tests.support.sync_fixtures"]

CLASS_NAMES = ("ConnectionError", "NewConnectionError", "MaxRetryError", "urllib3", "Errno")


@pytest.fixture
def closed_port() -> str:
    """A loopback address nothing listens on: the connection is refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def test_a_refused_connection_is_said_in_vietnamese(closed_port: str) -> None:
    with ServerConnection(closed_port) as connection, pytest.raises(NetworkError) as caught:
        connection.call("GET", "health")
    message = str(caught.value)
    assert message.startswith(f"Không kết nối được máy chủ tỉnh {closed_port}: máy chủ từ chối"), (
        message
    )
    assert not [name for name in CLASS_NAMES if name in message], message


def test_the_window_says_why_it_is_offline(
    qtbot: QtBot, make_counter: CounterFactory, closed_port: str
) -> None:
    counter = make_counter("a")
    credentials.save(
        counter.data_dir, credentials.Enrolment(closed_port, "jeton", counter.unit_code, 1, "")
    )
    services = CounterServices.open(counter.store, counter.clock, counter.data_dir)
    services.user = counter.clerk
    window = MainWindow(services)
    qtbot.addWidget(window)
    settings = WorkerSettings(
        interval_s=3600.0,
        failure_policy=RetryPolicy(base_s=3600.0, cap_s=3600.0),
        step_policy=RetryPolicy(base_s=0.01, cap_s=0.05, deadline_s=0.5),
    )
    window.start_sync(SyncWorker(counter.store, counter.data_dir, settings))
    try:
        label = window.connection_label
        # Before the first attempt ends the window knows no reason yet: wait for it.
        qtbot.waitUntil(
            lambda: label.text() == "● Ngoại tuyến" and "chưa đồng bộ lần nào\n" in label.toolTip(),
            timeout=20_000,
        )
        tip = label.toolTip()
    finally:
        window.close()
        services.runner.wait()
    assert "từ chối kết nối" in tip, tip
    assert not [name for name in CLASS_NAMES if name in tip], tip


def test_the_sync_command_says_it_in_vietnamese(
    make_counter: CounterFactory, closed_port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = make_counter("a")
    credentials.save(
        counter.data_dir, credentials.Enrolment(closed_port, "jeton", counter.unit_code, 1, "")
    )
    status = counter_cli.main(["sync", "--data-dir", str(counter.data_dir)])
    err = capsys.readouterr().err
    assert status != 0
    assert "từ chối kết nối" in err, err
    assert not [name for name in CLASS_NAMES if name in err], err
