"""The time the counter believes it is.

Services take a clock instead of calling ``datetime.now()`` so that the demo
data, the tests and the benchmarks can receive a dossier "last Tuesday at
16:55" through the very same code path as the clerk does today.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Naive Vietnam local time."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)


class FixedClock:
    """A clock that stays where it is set; ``advance`` moves it on."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)
