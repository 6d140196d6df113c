"""Retrying with full-jitter exponential backoff, honouring Retry-After.

Two hundred counters cut off by the same outage all come back when it ends;
"full jitter" (a wait drawn uniformly between zero and the exponential cap)
spreads them out instead of letting them knock in step. A server that says
Retry-After is obeyed: we wait at least that long, and up to a second more, so
that the counters a busy server told the same whole second (its admission
schedule, ``sync/server/admission.py``) do not come back in the same instant.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sync.client.errors import Transient, Unreachable

T = TypeVar("T")
HALT_POLL_S = 0.05
RETRY_AFTER_SPREAD_S = 1.0


@dataclass
class RetryPolicy:
    """How long to keep trying one step of a sync, and how to wait between tries.

    ``deadline_s`` bounds the whole step; ``stop`` (an Event) lets a worker being
    shut down cut a wait short.
    """

    base_s: float = 0.25
    cap_s: float = 8.0
    deadline_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random)
    stop: threading.Event = field(default_factory=threading.Event)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait before try ``attempt + 1`` (attempt counts from 0)."""
        ceiling = min(self.cap_s, self.base_s * (2**attempt))
        wait = self.rng.uniform(0.0, ceiling)
        if retry_after is not None:
            wait = max(wait, retry_after + self.rng.uniform(0.0, RETRY_AFTER_SPREAD_S))
        return wait

    def run(
        self, step: Callable[[], T], on_retry: Callable[[Transient, float], None] | None = None
    ) -> T:
        """Run ``step`` until it succeeds, raises something not transient, or time runs out."""
        tries = Attempts(self, on_retry)
        while True:
            try:
                return step()
            except Transient as exc:
                tries.wait(exc)


class Attempts:
    """The tries of one step so far; ``reset`` when the step made progress (a resumed upload)."""

    def __init__(
        self,
        policy: RetryPolicy,
        on_retry: Callable[[Transient, float], None] | None = None,
        *,
        deadline_s: float | None = None,
        halt: threading.Event | None = None,
    ) -> None:
        """``deadline_s`` narrows the policy's budget; ``halt`` ends the waiting early.

        A batch of uploads sets ``halt`` when one of them gives up, so the others
        do not each spend their own budget on the same dead server.
        """
        self.policy = policy
        self.on_retry = on_retry
        self.deadline_s = policy.deadline_s if deadline_s is None else deadline_s
        self.halt = halt
        self.reset()

    def reset(self) -> None:
        self.attempt = 0
        self.started = time.monotonic()

    def wait(self, exc: Transient) -> None:
        """Sleep before the next try, or raise Unreachable when the budget is spent."""
        wait = self.policy.delay(self.attempt, exc.retry_after)
        spent = time.monotonic() - self.started
        if spent + wait > self.deadline_s or self._stopped():
            raise Unreachable(str(exc)) from exc
        if self.on_retry is not None:
            self.on_retry(exc, wait)
        if self._sleep(wait):
            raise Unreachable(str(exc)) from exc
        self.attempt += 1

    def _stopped(self) -> bool:
        return self.policy.stop.is_set() or (self.halt is not None and self.halt.is_set())

    def _sleep(self, seconds: float) -> bool:
        """Wait; True when told to stop meanwhile."""
        if self.halt is None:
            return self.policy.stop.wait(seconds)
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            if self.policy.stop.wait(min(left, HALT_POLL_S)) or self.halt.is_set():
                return True
        return self._stopped()
