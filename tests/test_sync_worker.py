"""Backoff and the background worker: retry what may get better, give up on what will not."""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Iterator

import pytest

from sync.client.backoff import RetryPolicy
from sync.client.errors import AuthRequired, RequestRejected, Transient, Unreachable
from sync.client.http import ServerConnection, retry_after
from sync.client.worker import EventKind, SyncEvent, SyncWorker, WorkerSettings
from tests.support.counters import Counter, CounterFactory
from tests.support.fault_proxy import Fault, FaultProxy
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]


def test_full_jitter_stays_under_the_exponential_cap_and_obeys_retry_after() -> None:
    policy = RetryPolicy(base_s=0.5, cap_s=10.0, rng=random.Random(7))
    for attempt in range(8):
        ceiling = min(10.0, 0.5 * 2**attempt)
        waits = [policy.delay(attempt) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8, "spread over the whole range, not bunched"
    assert all(policy.delay(0, retry_after=3.0) >= 3.0 for _ in range(50))
    assert retry_after("2") == 2.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0, "a date in the past: now"
    assert retry_after("soon") is None


def test_a_step_gives_up_at_its_deadline_and_a_stop_cuts_the_wait() -> None:
    policy = RetryPolicy(base_s=0.01, cap_s=0.02, deadline_s=0.2)
    calls = 0

    def flaky() -> None:
        nonlocal calls
        calls += 1
        raise Transient("still down")

    with pytest.raises(Unreachable, match="still down"):
        policy.run(flaky)
    assert calls > 3
    stopping = RetryPolicy(base_s=30.0, cap_s=30.0, deadline_s=600.0)
    threading.Timer(0.2, stopping.stop.set).start()
    started = time.monotonic()
    with pytest.raises(Unreachable):
        stopping.run(flaky)
    assert time.monotonic() - started < 5


@pytest.fixture
def proxy(province: ThreadedServer) -> Iterator[FaultProxy]:
    faulty = FaultProxy(province.port)
    yield faulty
    faulty.close()


def test_statuses_are_sorted_into_retry_reject_and_reenrol(
    province: ThreadedServer, make_counter: CounterFactory, proxy: FaultProxy
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    policy = RetryPolicy(base_s=0.01, cap_s=0.05, deadline_s=10.0)
    with counter.connection(proxy.url) as connection:
        for status in (408, 429, 500, 502, 503, 504):
            proxy.add(Fault("GET", "/api/v1/health", "respond", status=status))
        proxy.add(
            Fault("GET", "/api/v1/health", "respond", status=429, headers={"Retry-After": "1"})
        )
        started = time.monotonic()
        policy.run(lambda: connection.call("GET", "health"))
        assert time.monotonic() - started >= 1.0, "Retry-After obeyed"
        assert len(proxy.requests("GET", "/api/v1/health")) == 8

        proxy.add(Fault("GET", "/api/v1/health", "respond", status=400))
        with pytest.raises(RequestRejected):
            policy.run(lambda: connection.call("GET", "health"))
        assert len(proxy.requests("GET", "/api/v1/health")) == 9, "a 4xx is not retried"
    with ServerConnection(proxy.url, "not-a-token") as stranger, pytest.raises(AuthRequired):
        policy.run(lambda: stranger.call("GET", "changes"))


def _events(worker: SyncWorker) -> queue.Queue[SyncEvent]:
    heard: queue.Queue[SyncEvent] = queue.Queue()
    worker.subscribe(heard.put)
    return heard


def _next(heard: queue.Queue[SyncEvent], *kinds: EventKind) -> SyncEvent:
    while True:
        event = heard.get(timeout=30)
        if event.kind in kinds:
            return event


def test_worker_reports_online_offline_waiting_problems_and_reenrolment(
    province: ThreadedServer,
    make_counter: CounterFactory,
    proxy: FaultProxy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="sync.client.worker")
    counter: Counter = make_counter("a")
    counter.enrol(province, url=proxy.url)
    counter.receive(2)
    settings = WorkerSettings(
        interval_s=3600.0,
        failure_policy=RetryPolicy(base_s=3600.0, cap_s=3600.0),
        step_policy=RetryPolicy(base_s=0.01, cap_s=0.05, deadline_s=0.5),
    )
    worker = SyncWorker(counter.store, counter.data_dir, settings)
    heard = _events(worker)
    worker.start()
    try:
        done = _next(heard, EventKind.FINISHED, EventKind.FAILED)
        assert done.kind is EventKind.FINISHED, done.message
        assert done.status.online is True and done.status.waiting == 0
        assert done.status.last_success is not None and done.report is not None

        offline = proxy.add(Fault("GET", "/api/v1/health", "refuse", times=1000))
        counter.receive(1)
        assert worker.refresh().waiting == 1
        worker.sync_now()
        failed = _next(heard, EventKind.FINISHED, EventKind.FAILED)
        assert failed.kind is EventKind.FAILED
        assert failed.status.online is False and failed.status.waiting == 1
        assert failed.message is not None and "Không kết nối được" in failed.message

        offline.times = 0  # the line is back
        worker.sync_now()
        back = _next(heard, EventKind.FINISHED, EventKind.FAILED)
        assert back.kind is EventKind.FINISHED
        assert back.status.online is True and back.status.waiting == 0

        make_counter("replacement").enrol(province)  # same slot, new PC: old token revoked
        worker.sync_now()
        refused = _next(heard, EventKind.FINISHED, EventKind.FAILED, EventKind.AUTH_REQUIRED)
        assert refused.kind is EventKind.AUTH_REQUIRED
        assert refused.status.reenrol_needed
        assert refused.message is not None and "thu hồi" in refused.message
    finally:
        worker.stop()
    assert worker.status().syncing is False
    logged = [r.getMessage() for r in caplog.records if r.name == "sync.client.worker"]
    assert any(m.startswith("Đồng bộ xong: gửi 2 ") for m in logged), logged
    assert any("không tới được máy chủ tỉnh (lần 1)" in m for m in logged), logged
    assert any("không nhận máy này" in m and "thu hồi" in m for m in logged), logged
