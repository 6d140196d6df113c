"""Early, on time, late (trước hạn, đúng hạn, quá hạn) for a released result.

DESIGN.md says early is "before the appointment time" and late "after it";
read to the minute that would leave "on time" only for results released at
the very minute. The provincial reports count by day, so this is the rule:
released on an earlier day than the appointment is early, on the appointment
day up to its time is on time, after the appointment time is late.

The appointment is the dossier's ``due_at``: restarted by a received supplement,
never moved by an apology (``counter_app.appointments``). The tallies count with
the same rule in SQL (``counter_app.tally_queries``); one test pins both at the
minute of the appointment.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


TIMELINESS_LABELS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}


def classify(done_at: dt.datetime, due_at: dt.datetime) -> Timeliness:
    if done_at > due_at:
        return Timeliness.LATE
    return Timeliness.EARLY if done_at.date() < due_at.date() else Timeliness.ON_TIME
