"""What stands between a counter and the province: gateways, captive portals, size limits.

The real ``counter-app`` command against the real server, through a proxy on
loopback that answers in the server's place the way nginx and hotel Wi-Fi do.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from counter_app import cli as counter_cli
from counter_app.cli_auth import ENV_PASSWORD
from counter_app.models import OutboxEntry
from counter_app.outbox import PENDING
from counter_app.sync_outbox import REJECTED
from sync import protocol
from sync.client.blobs import UPLOAD_GIVE_UP_S
from sync.client.commands import EXIT_ACTION_NEEDED, EXIT_PROBLEMS, EXIT_UNREACHABLE
from sync.server import admin
from tests.support.counter_store import ADMIN_PASSWORD, UNIT_CODE
from tests.support.counters import CounterFactory
from tests.support.fault_proxy import Fault, FaultProxy
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import receive_with_attachments

pytest_plugins = ["tests.support.sync_fixtures"]

HEALTH = protocol.path("health")
BLOBS = protocol.path("blobs/query").removesuffix("query")
NGINX_413 = (
    b"<html><head><title>413 Request Entity Too Large</title></head><body><center>"
    b"<h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>"
)
PORTAL = (
    b"<!DOCTYPE html><html><head><title>Dang nhap Wi-Fi</title></head>"
    b"<body><form action='/login'>...</form></body></html>"
)
ALWAYS = 10_000


@pytest.fixture
def proxy(province: ThreadedServer) -> Iterator[FaultProxy]:
    gateway = FaultProxy(province.port)
    yield gateway
    gateway.close()


def sync(data_dir: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = counter_cli.main(["sync", "--data-dir", data_dir])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    ("status", "headers", "words"),
    [
        (502, {"Content-Type": "text/html"}, "lỗi 502"),
        (503, {"Retry-After": "1"}, "lỗi 503"),
        (504, {"Content-Type": "text/html"}, "lỗi 504"),
        (429, {"Retry-After": "120"}, "lỗi 429"),
    ],
)
def test_a_gateway_error_is_reported_as_unreachable(
    province: ThreadedServer,
    proxy: FaultProxy,
    make_counter: CounterFactory,
    capsys: pytest.CaptureFixture[str],
    status: int,
    headers: dict[str, str],
    words: str,
) -> None:
    counter = make_counter("a")
    counter.enrol(province, url=proxy.url)
    counter.receive(1)
    page = b"<html><body>gateway</body></html>" if "text/html" in headers.values() else b""
    proxy.add(Fault("GET", HEALTH, "respond", status=status, headers=headers, body=page))

    code, err = sync(str(counter.data_dir), capsys)

    assert code == EXIT_UNREACHABLE, err
    assert err.startswith("Lỗi: ")
    assert words in err
    assert "vẫn được giữ trên máy này" in err
    assert "Traceback" not in err
    assert admin.list_dossiers(province.database) == []


def test_a_captive_portal_page_is_not_taken_for_the_server(
    province: ThreadedServer,
    proxy: FaultProxy,
    make_counter: CounterFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    counter = make_counter("a")
    counter.enrol(province, url=proxy.url)
    counter.receive(1)
    for method in ("GET", "POST", "HEAD"):
        portal = {"Content-Type": "text/html; charset=utf-8"}
        proxy.add(
            Fault(method, "/", "respond", status=200, headers=portal, body=PORTAL, times=ALWAYS)
        )

    code, err = sync(str(counter.data_dir), capsys)

    assert code == EXIT_UNREACHABLE, err
    assert "trang web" in err and "đăng nhập mạng" in err
    assert "Traceback" not in err
    with counter.store.read() as session:
        assert session.scalars(select(OutboxEntry.state)).all() == [PENDING]


def test_a_scan_refused_as_too_large_holds_back_only_its_own_dossier(
    province: ThreadedServer,
    proxy: FaultProxy,
    make_counter: CounterFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    counter = make_counter("a")
    scans = [os.urandom(50_000) for _ in range(3)]
    codes = [receive_with_attachments(counter, [scan]) for scan in scans]
    counter.enrol(province, url=proxy.url)

    too_big = hashlib.sha256(scans[1]).hexdigest()
    html = {"Content-Type": "text/html"}
    proxy.add(Fault("POST", BLOBS + too_big, "respond", status=413, headers=html, body=NGINX_413))

    code, err = sync(str(counter.data_dir), capsys)

    assert code == EXIT_PROBLEMS, err
    assert "Traceback" not in err
    assert {r["code"] for r in admin.list_dossiers(province.database)} == {codes[0], codes[2]}
    assert codes[1] in err, "the held dossier is named"
    assert "lỗi 413" in err
    with counter.store.read() as session:
        states = dict(session.execute(select(OutboxEntry.entity_id, OutboxEntry.state)).all())
    assert sorted(states.values()).count(REJECTED) == 1

    # The province raised its limit: resending the refused dossier brings it up.
    status = counter_cli.main(["sync", "--retry-rejected", "--data-dir", str(counter.data_dir)])
    assert status == 0, capsys.readouterr().err
    assert {r["code"] for r in admin.list_dossiers(province.database)} == set(codes)


def test_uploads_failing_with_5xx_give_up_on_the_batch_promptly(
    province: ThreadedServer,
    proxy: FaultProxy,
    make_counter: CounterFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    counter = make_counter("a")
    for _ in range(5):
        receive_with_attachments(counter, [os.urandom(20_000)])
    counter.enrol(province, url=proxy.url)
    # The query (the first POST under blobs/) goes through; every upload meets a 503.
    proxy.add(Fault("POST", BLOBS, "respond", status=503, skip=1, times=ALWAYS))
    proxy.add(Fault("HEAD", BLOBS, "respond", status=503, times=ALWAYS))
    proxy.add(Fault("PATCH", BLOBS, "respond", status=503, times=ALWAYS))

    started = time.monotonic()
    code, err = sync(str(counter.data_dir), capsys)
    elapsed = time.monotonic() - started

    # One blob's budget for the whole batch, not one per blob (5 × 30 s before).
    assert elapsed < UPLOAD_GIVE_UP_S + 4, f"{elapsed:.1f} s"
    assert code == EXIT_UNREACHABLE, err
    assert "lỗi 503" in err
    assert "Đã dừng gửi tệp đính kèm" in err
    assert "Traceback" not in err
    assert len(proxy.requests("POST", BLOBS)) < 5 * 8, "no blob retried on its own budget"
    with counter.store.read() as session:
        assert set(session.scalars(select(OutboxEntry.state))) == {PENDING}


def test_an_enrolment_whose_answer_was_lost_is_retried_with_the_same_code(
    province: ThreadedServer,
    proxy: FaultProxy,
    make_counter: CounterFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_PASSWORD, ADMIN_PASSWORD)  # enrol is an administrator's deed
    counter = make_counter("a")
    counter.receive(1)
    code = admin.enrol(province.database, unit_code=UNIT_CODE, unit_name="UBND", slot=1)
    # The server redeems the code, and the answer never reaches the counter.
    lost = proxy.add(Fault("POST", protocol.path("enrol"), "after_response"))
    enrol = ["enrol", "--data-dir", str(counter.data_dir), "--server", proxy.url, "--code", code,
             "--user", "admin"]  # fmt: skip

    assert counter_cli.main(enrol) == 0, capsys.readouterr().err
    assert lost.fired == 1
    assert len(proxy.requests("POST", protocol.path("enrol"))) == 2
    assert "Đã đăng ký máy số 1" in capsys.readouterr().out
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 0
    assert "gửi 1 thay đổi" in capsys.readouterr().out

    # Another PC (another device) cannot use the same code.
    intruder = make_counter("intruder")
    other = ["enrol", "--data-dir", str(intruder.data_dir), "--server", province.url,
             "--user", "admin"]  # fmt: skip
    assert counter_cli.main([*other, "--code", code]) == EXIT_ACTION_NEEDED
    assert "đã dùng" in capsys.readouterr().err
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 0, "not revoked"
