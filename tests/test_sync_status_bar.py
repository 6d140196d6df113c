"""The window's status bar follows the real sync worker against the real server."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from sync.client.backoff import RetryPolicy
from sync.client.worker import SyncWorker, WorkerSettings
from tests.support.counters import Counter, CounterFactory
from tests.support.server import ThreadedServer
from ui.main_window import MainWindow
from ui.services import CounterServices

pytest_plugins = ["tests.support.sync_fixtures"]


def test_status_bar_shows_waiting_changes_then_online_after_sync(
    qtbot: QtBot, province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter: Counter = make_counter("a")
    counter.enrol(province)
    counter.receive(2)
    services = CounterServices.open(counter.store, counter.clock, counter.data_dir)
    services.user = counter.clerk
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.waiting_label.text() == "2 thay đổi chờ đồng bộ"
    assert "Chưa đăng ký" in window.connection_label.text()

    settings = WorkerSettings(
        interval_s=3600.0,
        failure_policy=RetryPolicy(base_s=3600.0, cap_s=3600.0),
        step_policy=RetryPolicy(base_s=0.01, cap_s=0.05, deadline_s=5.0),
    )
    window.start_sync(SyncWorker(counter.store, counter.data_dir, settings))
    try:
        qtbot.waitUntil(lambda: window.connection_label.text() == "● Trực tuyến", timeout=20_000)
        assert window.waiting_label.text() == "0 thay đổi chờ đồng bộ"
        assert "lần đồng bộ cuối" in window.connection_label.toolTip()
    finally:
        window.close()
        services.runner.wait()
    assert window.sync is not None and window.sync.status().syncing is False
