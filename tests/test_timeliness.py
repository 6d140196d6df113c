"""Early, on time, late: by day before the appointment, by the minute after it."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.timeliness import Timeliness, classify

DUE = dt.datetime(2026, 11, 18, 14, 0)


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (dt.datetime(2026, 11, 17, 16, 59), Timeliness.EARLY),
        (dt.datetime(2026, 11, 18, 7, 30), Timeliness.ON_TIME),
        (DUE, Timeliness.ON_TIME),
        (DUE + dt.timedelta(minutes=1), Timeliness.LATE),
        (dt.datetime(2026, 11, 19, 8, 0), Timeliness.LATE),
    ],
)
def test_classify(done: dt.datetime, expected: Timeliness) -> None:
    assert classify(done, DUE) is expected
