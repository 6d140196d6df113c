"""The working calendar as the store defines it, rebuilt only when its rows change.

Building the Vietnamese holiday calendar costs more than a reception, so the
calendar is kept and rebuilt only when the province's day overrides or the
office hours differ from the ones it was built from.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.models import CalendarDay, OfficeHours
from counter_app.workdays import WorkingCalendar


class CalendarSource:
    def __init__(self) -> None:
        self._rows: tuple[object, ...] | None = None
        self._calendar: WorkingCalendar | None = None

    def get(self, session: Session) -> WorkingCalendar:
        days = tuple((r.day, r.kind) for r in session.execute(select(CalendarDay)).scalars())
        hours = tuple(
            (r.effective_from, r.sessions) for r in session.execute(select(OfficeHours)).scalars()
        )
        rows = (days, hours)
        if self._calendar is None or rows != self._rows:
            self._calendar = WorkingCalendar(overrides=dict(days), office_hours=dict(hours))
            self._rows = rows
        return self._calendar
