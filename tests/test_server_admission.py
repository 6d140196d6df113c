"""Admission: a process serves a few database requests at once; the others wait, or hear 503.

The server runs with one slot and a short wait, and a push is held inside it by
a lock on the database taken from the test (as a slow disk or a long pull
would hold it); what the others get, and that the counter's real client waits
out the 503s and finishes its sync, is checked over HTTP on loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from starlette.types import Message, Receive, Scope, Send

from sync import protocol
from sync.client.backoff import RETRY_AFTER_SPREAD_S, RetryPolicy
from sync.client.engine import SyncReport
from sync.server.access_log import LOGGER
from sync.server.admission import MAX_RETRY_AFTER_S, Admission, Slots, counted
from sync.server.cli import build_parser, serve_limits
from sync.server.settings import ServerLimits
from tests.support.counter_store import UNIT_CODE
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer, device_headers

pytest_plugins = ["tests.support.sync_fixtures"]

WAIT_S = 0.2
LIMITS = ServerLimits(admission_slots=1, admission_wait_s=WAIT_S)
P = protocol.API_PREFIX


@pytest.fixture
def one_slot(province_db_url: str, tmp_path: Path) -> Iterator[ThreadedServer]:
    server = ThreadedServer(province_db_url, tmp_path / "province-blobs", LIMITS)
    yield server
    server.stop()


@contextlib.contextmanager
def writes_held(url: str) -> Iterator[None]:
    """No transaction of the server can write until the block ends."""
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            db.execute("ROLLBACK")
            db.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(text("LOCK TABLE dossier IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()


def token(server: ThreadedServer, slot: int) -> dict[str, str]:
    return device_headers(server, UNIT_CODE, slot)


def busy_answer(server: ThreadedServer, headers: dict[str, str]) -> requests.Response:
    """The first answer to a pull that is turned away (the slot is taken in another thread)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = requests.get(server.url + protocol.path("changes"), headers=headers, timeout=10)
        if answer.status_code == 503:
            return answer
        time.sleep(0.02)
    raise AssertionError("no request was turned away while the slot was held")


def test_a_request_over_the_slots_waits_then_hears_503_and_the_counter_waits_it_out(
    one_slot: ThreadedServer,
    make_counter: CounterFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    holder, other = make_counter("a", slot=1), make_counter("b", slot=2)
    holder.enrol(one_slot)
    other.enrol(one_slot)
    holder.receive(1)
    other.receive(2)
    puller = token(one_slot, 3)
    reports: dict[str, SyncReport] = {}

    def sync(name: str, counter: object) -> None:
        reports[name] = counter.sync()  # type: ignore[attr-defined]

    with writes_held(one_slot.database_url):
        held = threading.Thread(target=sync, args=("holder", holder))
        held.start()
        started = time.monotonic()
        refused = busy_answer(one_slot, puller)
        waited = time.monotonic() - started
        assert refused.json() == {"code": "busy", "message": "Máy chủ tỉnh đang bận; sẽ thử lại."}
        assert 1 <= int(refused.headers["Retry-After"]) <= MAX_RETRY_AFTER_S
        assert waited >= WAIT_S * 0.9, "it waited its turn before it was turned away"
        # Health and readiness take no slot.
        assert requests.get(f"{one_slot.url}/healthz", timeout=10).status_code == 200
        # The other counter syncs meanwhile: its health probe (or push) meets the held slot.
        second = threading.Thread(target=sync, args=("other", other))
        second.start()
        time.sleep(0.6)
    held.join(30)
    second.join(30)
    assert (reports["holder"].pushed, reports["holder"].rejected) == (1, 0)
    assert (reports["other"].pushed, reports["other"].rejected, reports["other"].waiting) == (
        2,
        0,
        0,
    )
    time.sleep(0.2)  # the last line is written just after its answer has gone
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]
    turned_away = [line for line in lines if line["status"] == 503]
    assert all(line["device_id"] is None for line in turned_away), "before the token is asked"
    other_paths = {line["path"] for line in turned_away} - {f"{P}/changes"}
    assert f"{P}/health" in other_paths, "the other counter's probe waited out the busy server"
    assert other_paths <= {f"{P}/health", f"{P}/push"}
    answer = requests.get(f"{one_slot.url}{protocol.path('changes')}", headers=puller, timeout=10)
    assert answer.status_code == 200


def test_a_push_sent_slowly_holds_no_slot(one_slot: ThreadedServer) -> None:
    slow, other = token(one_slot, 1), token(one_slot, 2)
    with socket.create_connection(("127.0.0.1", one_slot.port), timeout=10) as link:
        head = (
            f"POST {P}/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: {slow['Authorization']}\r\nContent-Length: 100000\r\n\r\n"
        )
        link.sendall(head.encode() + b'{"mutations": [')
        time.sleep(0.1)
        for _ in range(3):
            answer = requests.get(
                f"{one_slot.url}{protocol.path('changes')}", headers=other, timeout=10
            )
            assert answer.status_code == 200, "the half-sent push holds no place"


def test_counted_requests_are_the_apis_database_work() -> None:
    assert counted("POST", f"{P}/push")
    assert counted("GET", f"{P}/changes")
    assert counted("POST", f"{P}/blobs/query")
    assert counted("GET", f"{P}/catalog")
    sha = "0" * 64
    for method in ("POST", "PATCH", "HEAD", "GET"):
        assert not counted(method, f"{P}/blobs/{sha}"), "scans stream as long as the link takes"
    assert counted("GET", f"{P}/health"), "the counter's health reads the change head"
    assert not counted("GET", "/healthz")
    assert not counted("GET", "/readyz")
    assert not counted("GET", f"{P}/updates/metadata/root.json")


def test_slots_go_first_come_first_served_and_a_waiter_may_give_up() -> None:
    async def scenario() -> list[str]:
        slots = Slots(1)
        order: list[str] = []
        assert await slots.take(0)

        async def wait(name: str, wait_s: float) -> None:
            if await slots.take(wait_s):
                order.append(name)
                await asyncio.sleep(0.01)
                slots.give_back()
            else:
                order.append(f"{name} gave up")

        tasks = [
            asyncio.create_task(wait("first", 5)),
            asyncio.create_task(wait("impatient", 0.01)),
            asyncio.create_task(wait("second", 5)),
        ]
        await asyncio.sleep(0.05)
        slots.give_back()
        await asyncio.gather(*tasks)
        assert (slots.free, len(slots.waiting)) == (1, 0)
        return order

    assert asyncio.run(scenario()) == ["impatient gave up", "first", "second"]


def test_a_waiter_that_leaves_does_not_keep_the_place_it_was_handed() -> None:
    async def scenario() -> int:
        slots = Slots(1)
        assert await slots.take(0)
        waiter = asyncio.create_task(slots.take(5))
        await asyncio.sleep(0.01)
        slots.give_back()  # handed to the waiter…
        waiter.cancel()  # …which is cancelled before it runs
        try:
            kept = await waiter  # asyncio.wait_for may still return the place it got…
        except asyncio.CancelledError:
            kept = False  # …or give it back and raise
        if kept:
            slots.give_back()  # as the middleware does when the request ends
        return slots.free

    assert asyncio.run(scenario()) == 1, "no place is lost"

    async def again() -> bool:
        slots = Slots(1)
        assert await slots.take(0)
        waiter = asyncio.create_task(slots.take(5))
        await asyncio.sleep(0.01)
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiter
        slots.give_back()
        return await slots.take(0)

    assert asyncio.run(again())


def test_those_turned_away_are_told_later_and_later_seconds() -> None:
    now = [100.0]
    gate = Admission(lambda *_: None, slots=2, wait_s=0, clock=lambda: now[0])  # type: ignore[arg-type]
    gate.average_s = 0.5  # two slots: room for one more every quarter second
    told = [gate.retry_after() for _ in range(12)]
    assert told == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], "spread over the time they need"
    now[0] += 10  # the schedule has passed: the next is told the least again
    assert gate.retry_after() == 1
    gate.average_s = 100.0
    assert [gate.retry_after() for _ in range(3)] == [51, 60, 60], "never more than a minute"


def test_the_client_waits_retry_after_and_up_to_a_second_more() -> None:
    policy = RetryPolicy()
    waits = [policy.delay(0, retry_after=2.0) for _ in range(200)]
    assert all(2.0 <= w <= 2.0 + RETRY_AFTER_SPREAD_S for w in waits)
    assert max(waits) - min(waits) > 0.5, "spread, not in step"


def test_serve_takes_the_admission_limits_from_options_and_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = serve_limits(build_parser().parse_args(["serve"]))
    assert (defaults.admission_slots, defaults.admission_wait_s) == (8, 0.2)
    monkeypatch.setenv("PROVINCE_MAX_CONCURRENT", "3")
    assert serve_limits(build_parser().parse_args(["serve"])).admission_slots == 3
    given = serve_limits(
        build_parser().parse_args(["serve", "--max-concurrent", "0", "--queue-wait-ms", "500"])
    )
    assert (given.admission_slots, given.admission_wait_s) == (0, 0.5)


def test_the_place_is_given_back_when_the_answer_starts_not_when_a_slow_link_has_it() -> None:
    async def scenario() -> list[str]:
        order: list[str] = []
        body_may_go = asyncio.Event()

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await receive()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            if scope["path"] == f"{P}/changes":
                await body_may_go.wait()  # a counter on a weak link, reading slowly
            await send({"type": "http.response.body", "body": b"{}"})
            order.append(scope["path"])

        gate = Admission(app, slots=1, wait_s=1.0)

        async def request(path: str) -> None:
            scope = {"type": "http", "method": "GET", "path": path, "headers": []}

            async def receive() -> Message:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: Message) -> None:
                if message.get("status") == 503:
                    order.append(f"{path} turned away")

            await gate(scope, receive, send)

        slow = asyncio.create_task(request(f"{P}/changes"))
        await asyncio.sleep(0.01)
        await asyncio.wait_for(request(f"{P}/push"), 0.5)  # admitted while the page drains
        body_may_go.set()
        await slow
        assert (gate.slots.free, len(gate.slots.waiting)) == (1, 0)
        return order

    assert asyncio.run(scenario()) == [f"{P}/push", f"{P}/changes"]
