"""Requests per device: 429 with Retry-After over the limit, and a counter that waits it out.

The server runs with a low limit (2 a second, bursts of 3) so a short sync meets
it; the counter's real client and retry policy do the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync import protocol
from sync.server.access_log import LOGGER
from sync.server.cli import build_parser, serve_limits
from sync.server.rate_limit import ERR_RATE_LIMITED, DeviceRateLimit, RateLimited
from sync.server.settings import ServerLimits
from tests.support.counter_store import UNIT_CODE
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer, device_headers

pytest_plugins = ["tests.support.sync_fixtures"]

LIMITS = ServerLimits(device_rate=2.0, device_burst=3)


@pytest.fixture
def limited(province_db_url: str, tmp_path: Path) -> Iterator[ThreadedServer]:
    server = ThreadedServer(province_db_url, tmp_path / "province-blobs", LIMITS)
    yield server
    server.stop()


def token(server: ThreadedServer, slot: int) -> dict[str, str]:
    return device_headers(server, UNIT_CODE, slot)


def test_a_device_over_its_rate_gets_429_and_others_do_not(limited: ThreadedServer) -> None:
    first, second = token(limited, 1), token(limited, 2)
    changes = f"{limited.url}{protocol.path('changes')}"
    statuses = [requests.get(changes, headers=first, timeout=10).status_code for _ in range(3)]
    assert statuses == [200, 200, 200], "a burst of 3 is allowed"
    refused = requests.get(changes, headers=first, timeout=10)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json()["code"] == ERR_RATE_LIMITED
    assert "quá nhiều yêu cầu" in refused.json()["message"]
    assert requests.get(changes, headers=second, timeout=10).status_code == 200, "per device"
    for _ in range(5):  # health and readiness are never limited, nor asked for a token
        assert requests.get(f"{limited.url}/readyz", timeout=10).status_code == 200
    time.sleep(float(refused.headers["Retry-After"]))
    assert requests.get(changes, headers=first, timeout=10).status_code == 200


def test_the_counter_waits_out_429_and_finishes_its_sync(
    limited: ThreadedServer, make_counter: CounterFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    counter = make_counter("a")
    counter.enrol(limited)
    counter.receive(4)
    # One mutation a push and one change a page: a dozen requests against 2 a second.
    report = counter.sync(push_batch=1, pull_page=1)
    assert (report.pushed, report.rejected, report.waiting) == (4, 0, 0)
    assert report.pulled >= 4

    time.sleep(0.2)  # the last line is written just after its answer has gone
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]
    mine = [line for line in lines if line["device_id"] is not None]
    refused = [n for n, line in enumerate(mine) if line["status"] == 429]
    assert refused, "the sync met the limit"
    for n in refused:
        if n + 1 == len(mine):
            continue
        # Retry-After was 1: the next request of the device starts no sooner.
        answered = dt.datetime.fromisoformat(mine[n]["ts"])
        following = mine[n + 1]
        started = dt.datetime.fromisoformat(following["ts"]) - dt.timedelta(
            milliseconds=following["duration_ms"]
        )
        assert (started - answered).total_seconds() >= 0.95, (mine[n], following)


def test_the_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    bucket = DeviceRateLimit(rate=4.0, burst=2, clock=lambda: now[0])
    bucket.take("a")
    bucket.take("a")
    with pytest.raises(RateLimited) as refused:
        bucket.take("a")
    assert refused.value.retry_after_s == 1, "0.25 s to the next token, rounded up to 1"
    now[0] = 0.25
    bucket.take("a")
    with pytest.raises(RateLimited):
        bucket.take("a")
    DeviceRateLimit(rate=0.0, burst=1).take("a")  # 0: no limit
    unlimited = DeviceRateLimit(rate=0.0, burst=1)
    for _ in range(100):
        unlimited.take("a")


def test_serve_takes_the_limits_from_options_and_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = serve_limits(build_parser().parse_args(["serve"]))
    assert defaults == ServerLimits()
    monkeypatch.setenv("PROVINCE_RATE_PER_DEVICE", "5")
    monkeypatch.setenv("PROVINCE_MAX_PUSH_MB", "8")
    from_env = serve_limits(build_parser().parse_args(["serve"]))
    assert (from_env.device_rate, from_env.push_bytes) == (5.0, 8 * 1024 * 1024)
    given = serve_limits(
        build_parser().parse_args(["serve", "--rate-per-device", "0.5", "--rate-burst", "20"])
    )
    assert (given.device_rate, given.device_burst, given.push_bytes) == (0.5, 20, 8 * 1024 * 1024)
