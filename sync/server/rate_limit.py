"""Requests per device, bounded by a token bucket in each server process.

A counter syncs a few dozen requests a minute, and a few hundred at once when it
comes back after an outage with scans to send; a device far above that is broken
or hostile, and every request it makes costs the others their share of the
database. Each device has a bucket of ``burst`` requests, refilled at ``rate`` a
second; a request finding it empty is answered 429 with ``Retry-After`` (the
seconds until a token is back), which the counter's client obeys like any 429.

The buckets live in the process's memory: with N worker processes a device's
requests are spread among them by the kernel, so it gets up to N times the rate
before every process refuses it. ``deploy/README.md`` says to divide the intended
rate by the workers. Nothing else depends on them: a restart only refills them.
A rate of 0 means no limit (the default: benchmarks and tests drive one device as
fast as loopback allows).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.responses import JSONResponse

from sync import protocol
from sync.server.devices import DeviceError

ERR_RATE_LIMITED = "rate_limited"
# Buckets full again are dropped past this many devices, so memory stays bounded.
PRUNE_ABOVE = 10_000


class RateLimited(DeviceError):
    def __init__(self, retry_after: float) -> None:
        super().__init__(
            429,
            ERR_RATE_LIMITED,
            "Máy này gửi quá nhiều yêu cầu tới máy chủ tỉnh; sẽ tự gửi lại sau ít giây.",
        )
        self.retry_after_s = max(1, math.ceil(retry_after))


class DeviceRateLimit:
    """One bucket per device id; ``take`` is called once per authenticated request."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # device -> (tokens, when)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, device_id: str) -> None:
        """Spend one token of the device's bucket, or raise RateLimited."""
        if not self.enabled:
            return
        now = self.clock()
        with self._lock:
            tokens, when = self._buckets.get(device_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - when) * self.rate)
            if tokens < 1.0:
                self._buckets[device_id] = (tokens, now)
                raise RateLimited((1.0 - tokens) / self.rate)
            self._buckets[device_id] = (tokens - 1.0, now)
            if len(self._buckets) > PRUNE_ABOVE:
                self._prune(now)

    def _prune(self, now: float) -> None:
        full = [
            device
            for device, (tokens, when) in self._buckets.items()
            if tokens + (now - when) * self.rate >= self.burst
        ]
        for device in full:
            del self._buckets[device]


def rate_limited_response(exc: RateLimited) -> JSONResponse:
    body = protocol.ErrorBody(code=exc.code, message=exc.message)
    return JSONResponse(
        body.model_dump(), status_code=429, headers={"Retry-After": str(exc.retry_after_s)}
    )
