"""Working days and appointment dates (ngày hẹn trả kết quả).

Four sources decide whether a day is worked, strongest first: the days the
province publishes (extra days off, make-up working Saturdays), then the
government's swaps shipped with the application (``counter_app.calendar_swaps``),
then the ``holidays`` package's Vietnamese calendar (lunar Tết, substitute days
and the make-up Saturdays it knows), then the weekend. Office hours are
data with an effective date, because provinces change them (summer hours).

Counting rules:
- reception outside office hours, on a day off, or after a procedure's cut-off
  hour (15:00:00 itself is not after 15:00) counts from the opening of the next working day;
- N whole working days: the same time of day, N working days later;
- a fraction of a day, or a time in hours, is counted in office hours, so half
  a day (3 h 45 of a 07:30-11:30 / 13:30-17:00 day) received at 10:00 is due at 15:45;
- 0 days (same-day procedures) is due at the close of the starting day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from counter_app.calendar_swaps import DAY_OFF as DAY_OFF
from counter_app.calendar_swaps import MAKE_UP_DAY as MAKE_UP_DAY
from counter_app.calendar_swaps import DeclaredDay as DeclaredDay
from counter_app.calendar_swaps import shipped_swaps

if TYPE_CHECKING:
    import holidays

DEFAULT_SESSIONS = "07:30-11:30,13:30-17:00"
WORKING_DAY = "working_day"
WORKING_HOUR = "working_hour"
PROVINCE, SHIPPED, LAW = "province", "shipped", "law"
LAW_BASIS = "Bộ luật Lao động 2019, Điều 112"
# A make-up Saturday the holidays package knows and the shipped swaps do not.
LAW_MAKE_UP_BASIS = "Lịch làm bù của Chính phủ (theo thư viện holidays)"


@dataclass(frozen=True)
class DayStatus:
    """A day that is not what its weekday says (or that has a name), and who decides it.

    ``origin`` is the layer that decided: the province, the shipped swaps, or the law.
    """

    day: dt.date
    working: bool
    name: str
    origin: str
    basis: str
    confirmed: bool


def parse_time(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def parse_sessions(value: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """``"07:30-11:30,13:30-17:00"`` as ordered (start, end) pairs; raises ValueError if bad."""
    sessions = []
    for part in value.split(","):
        start, end = (parse_time(p.strip()) for p in part.split("-"))
        if end <= start:
            raise ValueError(f"office session {part!r} ends before it starts")
        sessions.append((start, end))
    for (_, end), (start, _) in itertools.pairwise(sessions):
        if start < end:
            raise ValueError(f"office sessions {value!r} overlap")
    if not sessions:
        raise ValueError("no office session given")
    return tuple(sessions)


@dataclass
class WorkingCalendar:
    """Which days are worked and when the office is open, with the rules above."""

    overrides: Mapping[dt.date, str] = field(default_factory=dict)
    office_hours: Mapping[dt.date, str] = field(default_factory=dict)
    # The government's swaps; None takes the ones shipped with the application.
    swaps: Mapping[dt.date, DeclaredDay] | None = None
    # The name, basis and confirmation of the province's ``overrides``, where known.
    declared: Mapping[dt.date, DeclaredDay] = field(default_factory=dict)
    _swaps: Mapping[dt.date, DeclaredDay] = field(init=False, repr=False)
    _holidays: holidays.HolidayBase = field(init=False, repr=False)
    # The law's days named in Vietnamese, for the screens; built on first use (it costs
    # as much again as the calendar, which reception builds and never names).
    _names_vi: holidays.HolidayBase | None = field(init=False, repr=False)
    _hours_from: list[dt.date] = field(init=False, repr=False)
    _hours: list[tuple[tuple[dt.time, dt.time], ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Imported here: a command that only prints a dossier reads a time limit's label from
        # this module and never builds a calendar.
        import holidays

        self._swaps = shipped_swaps() if self.swaps is None else self.swaps
        self._holidays = holidays.country_holidays("VN")
        self._names_vi = None
        ordered = sorted(self.office_hours.items()) or [(dt.date.min, DEFAULT_SESSIONS)]
        if ordered[0][0] != dt.date.min:
            ordered.insert(0, (dt.date.min, DEFAULT_SESSIONS))
        self._hours_from = [day for day, _ in ordered]
        self._hours = [parse_sessions(sessions) for _, sessions in ordered]

    # Days ---------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override == MAKE_UP_DAY
        swap = self._swaps.get(day)
        if swap is not None:
            return swap.working
        return bool(self._holidays.is_working_day(day))

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def status(self, day: dt.date) -> DayStatus | None:
        """Why ``day`` is not what its weekday says, or is a named holiday; None otherwise."""
        working = self.is_working_day(day)
        if day in self.overrides:
            note = self.declared.get(day)
            return DayStatus(
                day,
                working,
                note.name if note else "",
                PROVINCE,
                note.basis if note else "",
                note.confirmed if note else True,
            )
        if (swap := self._swaps.get(day)) is not None:
            return DayStatus(day, working, swap.name, SHIPPED, swap.basis, swap.confirmed)
        if self._names_vi is None:
            import holidays

            self._names_vi = holidays.country_holidays("VN", language="vi")
        name = self._names_vi.get(day)
        weekend = day.weekday() >= 5
        if name is None and working != weekend:
            return None
        basis = LAW_MAKE_UP_BASIS if working and weekend else LAW_BASIS
        return DayStatus(day, working, name or "", LAW, basis, True)

    def year(self, year: int) -> list[DayStatus]:
        """The year's days off on weekdays, named holidays and make-up working days, in order.

        What the supervisor checks and prints: every layer's decision, with its basis.
        """
        day, days = dt.date(year, 1, 1), []
        while day.year == year:
            if (found := self.status(day)) is not None:
                days.append(found)
            day += dt.timedelta(days=1)
        return days

    # Hours --------------------------------------------------------------

    def sessions(self, day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
        return self._hours[bisect_right(self._hours_from, day) - 1]

    def opening(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.sessions(day)[0][0])

    def closing(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.sessions(day)[-1][1])

    def day_length(self, day: dt.date) -> dt.timedelta:
        return sum(
            (
                dt.datetime.combine(day, end) - dt.datetime.combine(day, start)
                for start, end in self.sessions(day)
            ),
            dt.timedelta(),
        )

    def counting_start(
        self, received_at: dt.datetime, cutoff: dt.time | None = None
    ) -> dt.datetime:
        """The moment the processing time starts to run for a dossier received then."""
        day = received_at.date()
        # "Sau 15 giờ" is after 15:00:00: a dossier received at 15:00:00 sharp is on time.
        late = received_at >= self.closing(day) or (
            cutoff is not None and received_at.time() > cutoff
        )
        if not self.is_working_day(day) or late:
            return self.opening(self.next_working_day(day))
        return max(received_at, self.opening(day))

    def add_office_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """``start`` moved on by ``amount`` of office time, skipping breaks and days off."""
        moment = start
        if not self.is_working_day(moment.date()):
            moment = self.opening(self.next_working_day(moment.date()))
        while True:
            for open_t, close_t in self.sessions(moment.date()):
                session_start = dt.datetime.combine(moment.date(), open_t)
                session_end = dt.datetime.combine(moment.date(), close_t)
                if moment >= session_end:
                    continue
                moment = max(moment, session_start)
                available = session_end - moment
                if amount <= available:
                    return moment + amount
                amount -= available
                moment = session_end
            moment = self.opening(self.next_working_day(moment.date()))

    def appointment(
        self,
        received_at: dt.datetime,
        amount: Decimal | float | int,
        unit: str = WORKING_DAY,
        cutoff: dt.time | None = None,
    ) -> dt.datetime:
        """When the result is due for a dossier received at ``received_at``."""
        start = self.counting_start(received_at, cutoff)
        amount = Decimal(str(amount))
        if amount < 0:
            raise ValueError("processing time cannot be negative")
        if unit == WORKING_HOUR:
            return self.add_office_time(start, dt.timedelta(hours=float(amount)))
        if unit != WORKING_DAY:
            raise ValueError(f"unknown processing time unit {unit!r}")
        if amount == 0:
            return self.closing(start.date())
        whole = int(amount)
        fraction = amount - whole
        due = start
        if whole:
            due_day = self.add_working_days(start.date(), whole)
            due = self._same_time_on(due_day, start.time())
        if fraction:
            due = self.add_office_time(due, self.day_length(due.date()) * float(fraction))
        return due

    def _same_time_on(self, day: dt.date, at: dt.time) -> dt.datetime:
        """``at`` on ``day``, moved to the next opening when the office is shut then."""
        moment = dt.datetime.combine(day, at)
        for open_t, close_t in self.sessions(day):
            if moment <= dt.datetime.combine(day, close_t):
                return max(moment, dt.datetime.combine(day, open_t))
        return self.closing(day)
