"""The access log: one JSON line per request, with its id, its device and its unit.

Over HTTP against the real server: in a thread (the lines read from the
``sync.server.access`` logger), and as ``province-server serve`` (the lines read
from its stderr, where the journal would take them).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sync.server.access_log import LOGGER
from sync.server.models import ServerDevice
from sync.server.routes import snapshots
from tests.support.counter_store import UNIT_CODE
from tests.support.counters import CounterFactory
from tests.support.server import ServerProcess, ThreadedServer, device_headers

pytest_plugins = ["tests.support.sync_fixtures"]

Entry = dict[str, Any]
FIELDS = {
    "ts", "request_id", "method", "path", "status", "duration_ms", "client",
    "device_id", "unit_code", "device_slot",
}  # fmt: skip


def access_lines(caplog: pytest.LogCaptureFixture) -> list[Entry]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]


def wait_for(
    read: Callable[[], list[Entry]], found: Callable[[Entry], bool], timeout: float = 10
) -> Entry:
    """The first line ``found`` accepts: a line is written just after its answer has gone."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in read():
            if found(entry):
                return entry
        time.sleep(0.02)
    raise AssertionError(f"no such access line in {read()}")


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> Callable[[], list[Entry]]:
    caplog.set_level(logging.INFO, logger=LOGGER)
    return lambda: access_lines(caplog)


def test_each_request_is_one_line_with_the_device_and_unit_that_made_it(
    province: ThreadedServer, make_counter: CounterFactory, access: Callable[[], list[Entry]]
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    counter.receive(2)
    report = counter.sync()
    assert report.pushed == 2
    with province.database.read() as session:
        device_id = session.scalars(select(ServerDevice.id)).one()

    push = wait_for(access, lambda e: e["path"] == "/api/v1/push")
    assert set(push) == FIELDS
    assert push["method"] == "POST" and push["status"] == 200
    assert (push["device_id"], push["unit_code"], push["device_slot"]) == (device_id, UNIT_CODE, 1)
    assert push["client"] == "127.0.0.1"
    assert isinstance(push["duration_ms"], float) and push["duration_ms"] >= 0
    assert len(push["request_id"]) == 32

    enrol = wait_for(access, lambda e: e["path"] == "/api/v1/enrol")
    assert enrol["status"] == 200
    assert enrol["device_id"] is None and enrol["unit_code"] is None, "no token, no device"
    pulls = [e for e in access() if e["path"] == "/api/v1/changes"]
    assert pulls and all(e["unit_code"] == UNIT_CODE for e in pulls)
    assert len({e["request_id"] for e in access()}) == len(access()), "one id per request"


def test_the_request_id_is_taken_from_the_proxy_or_made_up_and_always_echoed(
    province: ThreadedServer, access: Callable[[], list[Entry]]
) -> None:
    given = requests.get(
        f"{province.url}/healthz", headers={"X-Request-ID": "7f3a9c-nginx.01"}, timeout=10
    )
    assert given.headers["X-Request-ID"] == "7f3a9c-nginx.01"
    line = wait_for(access, lambda e: e["request_id"] == "7f3a9c-nginx.01")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)

    for insane in ("x" * 129, "a b", "<script>"):
        answer = requests.get(
            f"{province.url}/healthz", headers={"X-Request-ID": insane}, timeout=10
        )
        made_up = answer.headers["X-Request-ID"]
        assert made_up != insane and len(made_up) == 32
        wait_for(access, lambda e, made_up=made_up: e["request_id"] == made_up)


def test_refusals_are_logged_with_their_status(
    province: ThreadedServer, access: Callable[[], list[Entry]]
) -> None:
    refused = requests.get(
        f"{province.url}/api/v1/changes", headers={"Authorization": "Bearer nope"}, timeout=10
    )
    assert refused.status_code == 401
    line = wait_for(access, lambda e: e["request_id"] == refused.headers["X-Request-ID"])
    assert (line["status"], line["device_id"]) == (401, None)

    too_big = requests.post(
        f"{province.url}/api/v1/enrol", data=b"{" + b" " * 40_000 + b"}", timeout=10
    )
    assert too_big.status_code == 413
    assert too_big.headers["X-Request-ID"]
    line = wait_for(access, lambda e: e["request_id"] == too_big.headers["X-Request-ID"])
    assert (line["path"], line["status"]) == ("/api/v1/enrol", 413)


def test_a_request_the_server_fails_on_is_answered_500_with_its_id(
    province: ThreadedServer,
    access: Callable[[], list[Entry]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = device_headers(province, UNIT_CODE, 1)

    def broken(_request: object) -> None:
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(snapshots, "database_of", broken)
    answer = requests.get(f"{province.url}/api/v1/units", headers=headers, timeout=10)
    assert answer.status_code == 500
    request_id = answer.headers["X-Request-ID"]
    assert answer.json()["code"] == "internal_error"
    assert request_id in answer.json()["message"], "the clerk can read the id out"
    line = wait_for(access, lambda e: e["request_id"] == request_id)
    assert (line["status"], line["unit_code"]) == (500, UNIT_CODE)


def test_province_server_serve_writes_the_lines_to_stderr(
    province_db_url: str, tmp_path: Path
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    server = ServerProcess(province_db_url, tmp_path / "blobs", logs=logs)
    server.start()
    try:
        answer = requests.get(f"{server.url}/readyz", headers={"X-Request-ID": "r-1"}, timeout=10)
        assert answer.status_code == 200

        def read() -> list[Entry]:
            text = (logs / "server-1.stderr").read_text(encoding="utf-8")
            return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

        line = wait_for(read, lambda e: e["request_id"] == "r-1")
    finally:
        server.stop()
    assert (line["method"], line["path"], line["status"]) == ("GET", "/readyz", 200)
    assert set(line) == FIELDS


def test_made_up_ids_differ_in_a_forked_process() -> None:
    import os
    import warnings

    from sync.server.access_log import request_id_of

    scope = {"headers": []}
    here = {request_id_of(scope) for _ in range(3)}
    reader, writer = os.pipe()
    with warnings.catch_warnings():  # Python 3.12 warns of fork in a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:  # pragma: no cover - the child only writes its id and leaves
        os.write(writer, request_id_of(scope).encode())
        os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    theirs = os.read(reader, 64).decode()
    os.close(reader)
    assert len(here) == 3 and len(theirs) == 32
    assert theirs[:20] not in {made[:20] for made in here}, "its own random part"


def test_the_overhead_bench_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import server_overhead

    assert server_overhead.main(["--requests", "20"]) == 0
    out = capsys.readouterr().out
    for label in ("floor", "access log, logger off", "access log on", "rate limit"):
        assert re.search(rf"{label}.* µs .* over the floor", out), out
