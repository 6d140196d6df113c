"""The working calendar as the store defines it, rebuilt only when its rows change.

Building the Vietnamese holiday calendar costs more than a reception, so the
calendar is kept and rebuilt only when the province's day overrides or the
office hours differ from the ones it was built from. The province's days sit
above the government's swaps shipped with the application, which sit above the
``holidays`` package (see ``counter_app.workdays``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.catalog import procedure_info
from counter_app.errors import ValidationError
from counter_app.installation import load_context
from counter_app.models import CalendarDay, OfficeHours, Procedure
from counter_app.text import nfc
from counter_app.workdays import (
    DAY_OFF,
    LAW,
    MAKE_UP_DAY,
    PROVINCE,
    SHIPPED,
    DayStatus,
    DeclaredDay,
    WorkingCalendar,
)


class CalendarSource:
    def __init__(self) -> None:
        self._rows: tuple[object, ...] | None = None
        self._calendar: WorkingCalendar | None = None

    def get(self, session: Session) -> WorkingCalendar:
        days = tuple(
            DeclaredDay(r.day, r.kind, r.name, r.basis, r.confirmed)
            for r in session.execute(select(CalendarDay)).scalars()
        )
        hours = tuple(
            (r.effective_from, r.sessions) for r in session.execute(select(OfficeHours)).scalars()
        )
        rows = (days, hours)
        if self._calendar is None or rows != self._rows:
            self._calendar = WorkingCalendar(
                overrides={d.day: d.kind for d in days},
                office_hours=dict(hours),
                declared={d.day: d for d in days},
            )
            self._rows = rows
        return self._calendar

    def appointment(self, session: Session, procedure: Procedure, at: dt.datetime) -> dt.datetime:
        """The appointment of a dossier of ``procedure`` whose time limit starts to run ``at``.

        One computation for the first receipt and for the receipt after a supplement,
        which restarts the full time limit (Decree 297/2025 art. 6(4)(a)).
        """
        info = procedure_info(procedure)
        return self.get(session).appointment(
            at, info.processing_amount, info.processing_unit, info.cutoff
        )


def declare_day(
    session: Session,
    day: dt.date,
    kind: str,
    name: str,
    source: str = "province",
    *,
    basis: str = "",
    confirmed: bool = True,
) -> None:
    """Record a day the province declared off (``day_off``) or worked (``working_day``).

    The province announces the year's exact schedule late; its word beats the
    law's calendar for that day. Declaring the same day again replaces it.
    """
    if kind not in (DAY_OFF, MAKE_UP_DAY):
        raise ValidationError({"kind": f"phải là {DAY_OFF} hoặc {MAKE_UP_DAY}"})
    row = session.get(CalendarDay, day) or CalendarDay(day=day)
    row.kind, row.name, row.source = kind, nfc(name), source
    row.basis, row.confirmed = nfc(basis), confirmed
    session.add(row)


ORIGIN_LABELS = {
    PROVINCE: "Tỉnh công bố",
    SHIPPED: "Chính phủ (kèm phần mềm)",
    LAW: "Bộ luật Lao động",
}


@dataclass(frozen=True)
class YearCalendar:
    """A year's days off and make-up working days as the counter counts them, for the
    supervisor to check against the province's announcement and to print."""

    unit_name: str
    year: int
    days: tuple[DayStatus, ...]

    @property
    def unconfirmed(self) -> tuple[DayStatus, ...]:
        return tuple(day for day in self.days if not day.confirmed)


def load_year(session: Session, year: int, source: CalendarSource | None = None) -> YearCalendar:
    """The year's calendar from the same layers reception counts with."""
    unit_name = load_context(session).unit_name
    calendar = (source or CalendarSource()).get(session)
    return YearCalendar(unit_name, year, tuple(calendar.year(year)))
