"""Working days and appointment dates: holidays, make-up days, office hours, cut-offs.

Every date below was checked against a calendar: 1 January 2026 is a Thursday,
so 16 November 2026 is a Monday; Tết Bính Ngọ (1st day of the 1st lunar month)
is Tuesday 17 February 2026 and the state holiday runs Monday 16 to Friday 20
February; Tết Đinh Mùi is Saturday 6 February 2027 and the ``holidays`` package
gives Thursday 4 to Wednesday 10 February 2027 off (weekend days substituted);
the Hùng Kings' day (10th of the 3rd lunar month) is Sunday 26 April 2026,
observed on Monday 27 April; 30 April / 1 May 2026 are Thursday / Friday;
Saturday 22 August 2026 is the government's make-up day for Monday 31 August;
Tuesday 24 November 2026 is "Vietnam Cultural Day" in the installed package.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import holidays
import pytest

from counter_app.workdays import (
    DAY_OFF,
    DEFAULT_SESSIONS,
    WORKING_DAY,
    WORKING_HOUR,
    WorkingCalendar,
    parse_sessions,
)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute)


@pytest.fixture
def work_calendar() -> WorkingCalendar:
    return WorkingCalendar()


# The holidays package itself ---------------------------------------------------


def test_the_installed_holidays_package_has_the_days_these_tests_rely_on() -> None:
    vn = holidays.country_holidays("VN", years=[2026, 2027])
    tet_2026 = [d for d in vn if d.year == 2026 and d.month == 2]
    tet_2027 = [d for d in vn if d.year == 2027 and d.month == 2]
    assert sorted(tet_2026) == [dt.date(2026, 2, day) for day in range(16, 21)]
    assert sorted(tet_2027) == [dt.date(2027, 2, day) for day in range(4, 11)]
    assert vn.get(dt.date(2027, 2, 6)) == "Lunar New Year"
    assert vn.get(dt.date(2026, 4, 27)) == "Hung Kings' Commemoration Day (observed)"
    assert vn.get(dt.date(2026, 11, 24)) == "Vietnam Cultural Day"
    assert vn.is_working_day(dt.date(2026, 8, 22)) is True
    assert vn.is_working_day(dt.date(2026, 8, 31)) is False


# Which days are worked ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(dt.date(2026, 11, 16), True, id="ordinary-monday"),
        pytest.param(dt.date(2026, 11, 14), False, id="saturday"),
        pytest.param(dt.date(2026, 11, 15), False, id="sunday"),
        pytest.param(dt.date(2026, 2, 13), True, id="friday-before-tet-2026"),
        pytest.param(dt.date(2026, 2, 16), False, id="tet-2026-eve"),
        pytest.param(dt.date(2026, 2, 17), False, id="tet-2026-first-day"),
        pytest.param(dt.date(2026, 2, 20), False, id="tet-2026-last-day"),
        pytest.param(dt.date(2026, 2, 23), True, id="monday-after-tet-2026"),
        pytest.param(dt.date(2027, 2, 3), True, id="wednesday-before-tet-2027"),
        pytest.param(dt.date(2027, 2, 4), False, id="tet-2027-first-day-off"),
        pytest.param(dt.date(2027, 2, 8), False, id="tet-2027-monday"),
        pytest.param(dt.date(2027, 2, 10), False, id="tet-2027-last-day-off"),
        pytest.param(dt.date(2027, 2, 11), True, id="thursday-after-tet-2027"),
        pytest.param(dt.date(2026, 4, 27), False, id="hung-kings-2026-observed-monday"),
        pytest.param(dt.date(2026, 4, 28), True, id="tuesday-after-hung-kings"),
        pytest.param(dt.date(2026, 4, 30), False, id="reunification-day-2026"),
        pytest.param(dt.date(2026, 5, 1), False, id="labour-day-2026"),
        pytest.param(dt.date(2026, 8, 22), True, id="government-make-up-saturday"),
        pytest.param(dt.date(2026, 8, 29), False, id="ordinary-saturday-after-make-up"),
        pytest.param(dt.date(2026, 8, 31), False, id="day-off-made-up-on-22-august"),
        pytest.param(dt.date(2026, 9, 2), False, id="national-day-2026"),
        pytest.param(dt.date(2026, 11, 24), False, id="vietnam-cultural-day-2026"),
    ],
)
def test_is_working_day(work_calendar: WorkingCalendar, day: dt.date, expected: bool) -> None:
    assert work_calendar.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(dt.date(2026, 2, 13), dt.date(2026, 2, 23), id="over-tet-2026"),
        pytest.param(dt.date(2027, 2, 3), dt.date(2027, 2, 11), id="over-tet-2027"),
        pytest.param(dt.date(2026, 4, 24), dt.date(2026, 4, 28), id="over-hung-kings"),
        pytest.param(dt.date(2026, 4, 29), dt.date(2026, 5, 4), id="over-30-april-1-may"),
        pytest.param(dt.date(2026, 8, 21), dt.date(2026, 8, 22), id="onto-make-up-saturday"),
        pytest.param(dt.date(2026, 8, 28), dt.date(2026, 9, 3), id="over-national-day-bridge"),
        pytest.param(dt.date(2026, 11, 23), dt.date(2026, 11, 25), id="over-cultural-day"),
        pytest.param(dt.date(2026, 11, 14), dt.date(2026, 11, 16), id="from-a-saturday"),
    ],
)
def test_next_working_day(work_calendar: WorkingCalendar, day: dt.date, expected: dt.date) -> None:
    assert work_calendar.next_working_day(day) == expected


def test_add_working_days(work_calendar: WorkingCalendar) -> None:
    friday = dt.date(2026, 2, 13)
    assert work_calendar.add_working_days(friday, 0) == friday
    assert work_calendar.add_working_days(friday, 5) == dt.date(2026, 2, 27)
    assert work_calendar.add_working_days(friday, 6) == dt.date(2026, 3, 2)


# Appointments across holidays ---------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "days", "expected"),
    [
        pytest.param(at(2026, 2, 13, 9), 1, at(2026, 2, 23, 9), id="tet-2026-fri-1-day"),
        pytest.param(at(2026, 2, 13, 9), 3, at(2026, 2, 25, 9), id="tet-2026-fri-3-days"),
        pytest.param(at(2026, 2, 13, 9), 5, at(2026, 2, 27, 9), id="tet-2026-fri-5-days"),
        pytest.param(at(2026, 2, 12, 14), 3, at(2026, 2, 24, 14), id="tet-2026-thu-3-days"),
        pytest.param(at(2026, 2, 17, 10), 1, at(2026, 2, 24, 7, 30), id="during-tet-2026-1-day"),
        pytest.param(at(2026, 2, 17, 10), 5, at(2026, 3, 2, 7, 30), id="during-tet-2026-5-days"),
        pytest.param(at(2027, 2, 3, 10), 1, at(2027, 2, 11, 10), id="tet-2027-wed-1-day"),
        pytest.param(at(2027, 2, 3, 10), 3, at(2027, 2, 15, 10), id="tet-2027-wed-3-days"),
        pytest.param(at(2027, 2, 3, 10), 5, at(2027, 2, 17, 10), id="tet-2027-wed-5-days"),
        pytest.param(at(2027, 2, 2, 15), 3, at(2027, 2, 12, 15), id="tet-2027-tue-3-days"),
        pytest.param(at(2027, 2, 8, 9), 1, at(2027, 2, 12, 7, 30), id="during-tet-2027-1-day"),
        pytest.param(at(2026, 4, 24, 9), 1, at(2026, 4, 28, 9), id="hung-kings-fri-1-day"),
        pytest.param(at(2026, 4, 23, 10), 3, at(2026, 4, 29, 10), id="hung-kings-thu-3-days"),
        pytest.param(at(2026, 4, 27, 8), 1, at(2026, 4, 29, 7, 30), id="on-hung-kings-1-day"),
        pytest.param(at(2026, 4, 29, 10), 1, at(2026, 5, 4, 10), id="30-april-wed-1-day"),
        pytest.param(at(2026, 4, 28, 10), 3, at(2026, 5, 5, 10), id="30-april-tue-3-days"),
        pytest.param(at(2026, 4, 24, 9), 5, at(2026, 5, 6, 9), id="both-holidays-5-days"),
    ],
)
def test_appointment_in_whole_working_days_skips_holidays(
    work_calendar: WorkingCalendar, received_at: dt.datetime, days: int, expected: dt.datetime
) -> None:
    assert work_calendar.appointment(received_at, days) == expected


@pytest.mark.parametrize(
    ("received_at", "days", "expected"),
    [
        pytest.param(at(2026, 8, 21, 9), 1, at(2026, 8, 22, 9), id="friday-due-on-make-up-sat"),
        pytest.param(at(2026, 8, 22, 10), 1, at(2026, 8, 24, 10), id="received-on-make-up-sat"),
        pytest.param(at(2026, 8, 22, 10), 0, at(2026, 8, 22, 17), id="same-day-on-make-up-sat"),
        pytest.param(at(2026, 8, 28, 9), 1, at(2026, 9, 3, 9), id="over-31-aug-and-2-sep"),
    ],
)
def test_government_make_up_saturday_is_counted(
    work_calendar: WorkingCalendar, received_at: dt.datetime, days: int, expected: dt.datetime
) -> None:
    assert work_calendar.appointment(received_at, days) == expected


# Days the province publishes -------------------------------------------------------------


def test_province_make_up_saturday_is_worked() -> None:
    saturday = dt.date(2026, 11, 21)
    plain = WorkingCalendar()
    province = WorkingCalendar(overrides={saturday: WORKING_DAY})
    assert plain.is_working_day(saturday) is False
    assert province.is_working_day(saturday) is True
    assert plain.appointment(at(2026, 11, 20, 9), 1) == at(2026, 11, 23, 9)
    assert province.appointment(at(2026, 11, 20, 9), 1) == at(2026, 11, 21, 9)
    assert province.counting_start(at(2026, 11, 21, 8)) == at(2026, 11, 21, 8)


def test_province_extra_day_off_is_skipped() -> None:
    tuesday = dt.date(2026, 11, 17)
    province = WorkingCalendar(overrides={tuesday: DAY_OFF})
    assert province.is_working_day(tuesday) is False
    assert province.appointment(at(2026, 11, 16, 9), 1) == at(2026, 11, 18, 9)
    assert province.appointment(at(2026, 11, 17, 9), 1) == at(2026, 11, 19, 7, 30)


@pytest.mark.parametrize(
    ("day", "override", "expected"),
    [
        pytest.param(dt.date(2026, 8, 22), DAY_OFF, False, id="province-cancels-make-up-saturday"),
        pytest.param(dt.date(2026, 11, 24), WORKING_DAY, True, id="province-works-cultural-day"),
        pytest.param(dt.date(2026, 2, 20), WORKING_DAY, True, id="province-works-a-tet-day"),
        pytest.param(dt.date(2026, 11, 16), DAY_OFF, False, id="province-closes-a-monday"),
    ],
)
def test_override_beats_the_holidays_package(day: dt.date, override: str, expected: bool) -> None:
    assert WorkingCalendar().is_working_day(day) is not expected
    assert WorkingCalendar(overrides={day: override}).is_working_day(day) is expected


def test_override_changes_the_appointment_over_cultural_day() -> None:
    cultural_day = dt.date(2026, 11, 24)
    assert WorkingCalendar().appointment(at(2026, 11, 23, 9), 1) == at(2026, 11, 25, 9)
    worked = WorkingCalendar(overrides={cultural_day: WORKING_DAY})
    assert worked.appointment(at(2026, 11, 23, 9), 1) == at(2026, 11, 24, 9)


# When the clock starts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "expected_start"),
    [
        pytest.param(at(2026, 11, 16, 9), at(2026, 11, 16, 9), id="in-office-hours"),
        pytest.param(at(2026, 11, 16, 7, 30), at(2026, 11, 16, 7, 30), id="at-opening"),
        pytest.param(at(2026, 11, 16, 6, 50), at(2026, 11, 16, 7, 30), id="before-opening"),
        pytest.param(at(2026, 11, 16, 16, 59), at(2026, 11, 16, 16, 59), id="just-before-close"),
        pytest.param(at(2026, 11, 16, 17), at(2026, 11, 17, 7, 30), id="at-closing"),
        pytest.param(at(2026, 11, 16, 17, 30), at(2026, 11, 17, 7, 30), id="after-closing"),
        pytest.param(at(2026, 11, 20, 18), at(2026, 11, 23, 7, 30), id="friday-evening"),
        pytest.param(at(2026, 11, 14, 9), at(2026, 11, 16, 7, 30), id="saturday"),
        pytest.param(at(2026, 11, 15, 15), at(2026, 11, 16, 7, 30), id="sunday"),
        pytest.param(at(2026, 11, 23, 17, 30), at(2026, 11, 25, 7, 30), id="before-cultural-day"),
    ],
)
def test_counting_start(
    work_calendar: WorkingCalendar, received_at: dt.datetime, expected_start: dt.datetime
) -> None:
    assert work_calendar.counting_start(received_at) == expected_start


@pytest.mark.parametrize(
    ("received_at", "amount", "expected"),
    [
        pytest.param(at(2026, 11, 16, 17, 30), 1, at(2026, 11, 18, 7, 30), id="after-17h-1-day"),
        pytest.param(
            at(2026, 11, 16, 17, 30), 0.5, at(2026, 11, 17, 11, 15), id="after-17h-half-day"
        ),
        pytest.param(at(2026, 11, 16, 6, 50), 1, at(2026, 11, 17, 7, 30), id="at-6h50-1-day"),
        pytest.param(at(2026, 11, 16, 12), 1, at(2026, 11, 17, 13, 30), id="at-lunch-1-day"),
        pytest.param(at(2026, 11, 16, 12), 0.5, at(2026, 11, 17, 7, 45), id="at-lunch-half-day"),
        pytest.param(at(2026, 11, 14, 9), 1, at(2026, 11, 17, 7, 30), id="saturday-1-day"),
        pytest.param(at(2026, 11, 15, 15), 3, at(2026, 11, 19, 7, 30), id="sunday-3-days"),
        pytest.param(at(2026, 11, 21, 9), 1, at(2026, 11, 25, 7, 30), id="sat-before-cultural"),
    ],
)
def test_reception_outside_office_hours_counts_from_the_next_opening(
    work_calendar: WorkingCalendar,
    received_at: dt.datetime,
    amount: float,
    expected: dt.datetime,
) -> None:
    assert work_calendar.appointment(received_at, amount) == expected


# Fractions, hours and same-day procedures ------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "amount", "expected"),
    [
        pytest.param(at(2026, 11, 16, 10), 0.5, at(2026, 11, 16, 15, 45), id="half-day-from-10h"),
        pytest.param(
            at(2026, 11, 16, 10), Decimal("0.5"), at(2026, 11, 16, 15, 45), id="half-day-decimal"
        ),
        pytest.param(at(2026, 11, 16, 10), 1.5, at(2026, 11, 17, 15, 45), id="one-and-a-half"),
        pytest.param(at(2026, 11, 16, 15), 0.5, at(2026, 11, 17, 9, 15), id="half-day-from-15h"),
        pytest.param(at(2026, 11, 20, 15), 0.5, at(2026, 11, 23, 9, 15), id="half-day-over-w-e"),
        pytest.param(
            at(2026, 11, 23, 15), 0.5, at(2026, 11, 25, 9, 15), id="half-day-over-cultural"
        ),
        pytest.param(at(2026, 11, 16, 7, 30), 1, at(2026, 11, 17, 7, 30), id="one-day-at-7h30"),
        pytest.param(at(2026, 11, 16, 16), 2, at(2026, 11, 18, 16), id="two-days-at-16h"),
    ],
)
def test_appointment_in_fractional_days(
    work_calendar: WorkingCalendar,
    received_at: dt.datetime,
    amount: float | Decimal,
    expected: dt.datetime,
) -> None:
    assert work_calendar.appointment(received_at, amount) == expected


@pytest.mark.parametrize(
    ("received_at", "hours", "expected"),
    [
        pytest.param(at(2026, 11, 16, 16), 4, at(2026, 11, 17, 10, 30), id="4h-from-16h"),
        pytest.param(at(2026, 11, 16, 10, 30), 1, at(2026, 11, 16, 11, 30), id="1h-to-lunch"),
        pytest.param(at(2026, 11, 16, 10, 30), 2, at(2026, 11, 16, 14, 30), id="2h-over-lunch"),
        pytest.param(at(2026, 11, 16, 7, 30), 8, at(2026, 11, 17, 8), id="8h-from-opening"),
        pytest.param(at(2026, 11, 16, 9), 1.5, at(2026, 11, 16, 10, 30), id="1h30-from-9h"),
        pytest.param(at(2026, 11, 20, 16), 4, at(2026, 11, 23, 10, 30), id="4h-over-weekend"),
        pytest.param(at(2026, 11, 23, 16), 4, at(2026, 11, 25, 10, 30), id="4h-over-cultural"),
        pytest.param(at(2026, 11, 16, 18), 2, at(2026, 11, 17, 9, 30), id="2h-after-hours"),
        pytest.param(at(2026, 11, 16, 9), 0, at(2026, 11, 16, 9), id="0h"),
    ],
)
def test_appointment_in_working_hours(
    work_calendar: WorkingCalendar, received_at: dt.datetime, hours: float, expected: dt.datetime
) -> None:
    assert work_calendar.appointment(received_at, hours, WORKING_HOUR) == expected


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        pytest.param(at(2026, 11, 16, 9), at(2026, 11, 16, 17), id="morning"),
        pytest.param(at(2026, 11, 16, 14, 59), at(2026, 11, 16, 17), id="just-before-cut-off"),
        pytest.param(at(2026, 11, 16, 15), at(2026, 11, 16, 17), id="at-cut-off"),
        pytest.param(
            dt.datetime(2026, 11, 16, 15, 0, 1), at(2026, 11, 17, 17), id="a-second-after-cut-off"
        ),
        pytest.param(at(2026, 11, 16, 16, 30), at(2026, 11, 17, 17), id="after-cut-off"),
        pytest.param(at(2026, 11, 20, 15, 30), at(2026, 11, 23, 17), id="friday-after-cut-off"),
        pytest.param(at(2026, 11, 23, 15, 30), at(2026, 11, 25, 17), id="before-cultural-day"),
        pytest.param(at(2026, 11, 14, 10), at(2026, 11, 16, 17), id="saturday"),
    ],
)
def test_same_day_procedure_with_a_15h_cut_off(
    work_calendar: WorkingCalendar, received_at: dt.datetime, expected: dt.datetime
) -> None:
    # Received "sau 15 giờ" counts from the next working day; 15:00:00 is not after 15:00
    # (Decision 3152/QĐ-BTP of 2025; the boundary reading per LEGAL-2025.md).
    assert work_calendar.appointment(received_at, 0, cutoff=dt.time(15, 0)) == expected


def test_same_day_procedure_without_cut_off_is_due_at_close(
    work_calendar: WorkingCalendar,
) -> None:
    assert work_calendar.appointment(at(2026, 11, 16, 16, 30), 0) == at(2026, 11, 16, 17)
    assert work_calendar.appointment(at(2026, 11, 16, 17, 5), 0) == at(2026, 11, 17, 17)


def test_cut_off_also_moves_multi_day_procedures(work_calendar: WorkingCalendar) -> None:
    cutoff = dt.time(15, 0)
    assert work_calendar.appointment(at(2026, 11, 16, 14), 1, cutoff=cutoff) == at(2026, 11, 17, 14)
    assert work_calendar.appointment(at(2026, 11, 16, 15, 30), 1, cutoff=cutoff) == at(
        2026, 11, 18, 7, 30
    )


# Office hours with an effective date ---------------------------------------------------------

NEW_HOURS_FROM = dt.date(2026, 11, 18)  # a Wednesday
NEW_HOURS = "07:00-11:00,13:00-16:00"  # 7 hours a day instead of 7 h 30


@pytest.fixture
def changing_hours() -> WorkingCalendar:
    return WorkingCalendar(office_hours={NEW_HOURS_FROM: NEW_HOURS})


def test_default_sessions(work_calendar: WorkingCalendar) -> None:
    assert work_calendar.sessions(dt.date(2026, 11, 16)) == parse_sessions(DEFAULT_SESSIONS)
    assert work_calendar.opening(dt.date(2026, 11, 16)) == at(2026, 11, 16, 7, 30)
    assert work_calendar.closing(dt.date(2026, 11, 16)) == at(2026, 11, 16, 17)
    assert work_calendar.day_length(dt.date(2026, 11, 16)) == dt.timedelta(hours=7, minutes=30)


def test_office_hours_apply_only_from_their_effective_date(
    changing_hours: WorkingCalendar,
) -> None:
    tuesday, wednesday = dt.date(2026, 11, 17), NEW_HOURS_FROM
    assert changing_hours.opening(tuesday) == at(2026, 11, 17, 7, 30)
    assert changing_hours.closing(tuesday) == at(2026, 11, 17, 17)
    assert changing_hours.day_length(tuesday) == dt.timedelta(hours=7, minutes=30)
    assert changing_hours.opening(wednesday) == at(2026, 11, 18, 7)
    assert changing_hours.closing(wednesday) == at(2026, 11, 18, 16)
    assert changing_hours.day_length(wednesday) == dt.timedelta(hours=7)
    assert changing_hours.closing(dt.date(2027, 6, 1)) == at(2027, 6, 1, 16)


@pytest.mark.parametrize(
    ("received_at", "amount", "unit", "expected"),
    [
        pytest.param(
            at(2026, 11, 17, 16, 30), 0, WORKING_DAY, at(2026, 11, 17, 17), id="old-close-same-day"
        ),
        pytest.param(
            at(2026, 11, 18, 16, 30), 0, WORKING_DAY, at(2026, 11, 19, 16), id="new-close-is-16h"
        ),
        pytest.param(
            at(2026, 11, 18, 6, 55), 0.5, WORKING_DAY, at(2026, 11, 18, 10, 30), id="new-opening"
        ),
        pytest.param(
            at(2026, 11, 16, 9), 0.5, WORKING_DAY, at(2026, 11, 16, 14, 45), id="old-half-day"
        ),
        pytest.param(
            at(2026, 11, 18, 9), 0.5, WORKING_DAY, at(2026, 11, 18, 14, 30), id="new-half-day"
        ),
        pytest.param(
            at(2026, 11, 17, 16, 30), 1, WORKING_DAY, at(2026, 11, 18, 16), id="1-day-into-new"
        ),
        pytest.param(
            at(2026, 11, 17, 16), 4, WORKING_HOUR, at(2026, 11, 18, 10), id="4h-across-change"
        ),
    ],
)
def test_appointments_follow_the_hours_in_force_each_day(
    changing_hours: WorkingCalendar,
    received_at: dt.datetime,
    amount: float,
    unit: str,
    expected: dt.datetime,
) -> None:
    assert changing_hours.appointment(received_at, amount, unit) == expected


# Bad input -------------------------------------------------------------------------------


def test_parse_sessions_reads_ordered_pairs() -> None:
    assert parse_sessions("07:30-11:30, 13:30-17:00") == (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17, 0)),
    )
    assert parse_sessions("07:30-11:30,11:30-17:00") == (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(11, 30), dt.time(17, 0)),
    )
    assert parse_sessions("08:00-12:00") == ((dt.time(8, 0), dt.time(12, 0)),)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("07:30-12:00,11:30-17:00", "overlap", id="overlapping"),
        pytest.param("13:30-17:00,07:30-11:30", "overlap", id="out-of-order"),
        pytest.param("11:30-07:30", "ends before it starts", id="reversed"),
        pytest.param("08:00-08:00", "ends before it starts", id="empty-session"),
        pytest.param("07:30-11:30,17:00-13:30", "ends before it starts", id="second-reversed"),
    ],
)
def test_parse_sessions_rejects_bad_sessions(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sessions(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("7h30-11h30", id="not-hh-mm"),
        pytest.param("07:30", id="no-end"),
        pytest.param("25:00-26:00", id="hour-out-of-range"),
    ],
)
def test_parse_sessions_rejects_malformed_text(value: str) -> None:
    with pytest.raises(ValueError):
        parse_sessions(value)


def test_calendar_rejects_bad_office_hours_at_construction() -> None:
    with pytest.raises(ValueError, match="overlap"):
        WorkingCalendar(office_hours={NEW_HOURS_FROM: "07:30-12:00,11:00-17:00"})


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        pytest.param(-1, WORKING_DAY, "cannot be negative", id="negative-days"),
        pytest.param(Decimal("-0.5"), WORKING_DAY, "cannot be negative", id="negative-half"),
        pytest.param(-2, WORKING_HOUR, "cannot be negative", id="negative-hours"),
        pytest.param(1, "calendar_day", "unknown processing time unit", id="unknown-unit"),
        pytest.param(1, "ngày", "unknown processing time unit", id="vietnamese-unit"),
    ],
)
def test_appointment_rejects_bad_amounts_and_units(
    work_calendar: WorkingCalendar, amount: int | Decimal, unit: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        work_calendar.appointment(at(2026, 11, 16, 9), amount, unit)


# The government's swaps shipped with the application ----------------------------------------

# Letter 12729/VPCP-KGVX of 25/12/2025: Friday 2 January 2026 off, made up on Saturday 10
# January; the 2026 National Day schedule: Monday 31 August off, made up on Saturday 22 August
# (LEGAL-2025.md, "Working days 2026", [S]). The holidays package lacks the January swap.


def test_the_holidays_package_alone_lacks_the_january_2026_swap() -> None:
    bare = WorkingCalendar(swaps={})
    assert bare.is_working_day(dt.date(2026, 1, 2)) is True
    assert bare.is_working_day(dt.date(2026, 1, 10)) is False


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(dt.date(2026, 1, 2), False, id="fri-2-jan-off"),
        pytest.param(dt.date(2026, 1, 10), True, id="sat-10-jan-worked"),
        pytest.param(dt.date(2026, 8, 22), True, id="sat-22-aug-worked"),
        pytest.param(dt.date(2026, 8, 31), False, id="mon-31-aug-off"),
    ],
)
def test_shipped_swaps_decide_the_2026_days(
    work_calendar: WorkingCalendar, day: dt.date, expected: bool
) -> None:
    assert work_calendar.is_working_day(day) is expected
    # Still decided by the shipped data when the holidays package is wrong or silent about it.
    assert WorkingCalendar(swaps={}).is_working_day(day) is (
        expected if day.month == 8 else not expected
    )


@pytest.mark.parametrize(
    ("received_at", "days", "expected"),
    [
        # Thu 01/01 holiday, Fri 02/01 swapped off, Sat 10/01 worked.
        pytest.param(at(2025, 12, 31, 9), 1, at(2026, 1, 5, 9), id="over-new-year-and-2-jan"),
        pytest.param(at(2026, 1, 9, 9), 1, at(2026, 1, 10, 9), id="due-on-make-up-sat-10-jan"),
        pytest.param(at(2026, 1, 9, 9), 2, at(2026, 1, 12, 9), id="counting-sat-10-jan"),
        # Fri 28/08 + 1 day: Sat 29, Sun 30 weekend, Mon 31/08 swap, 1-2/09 National Day.
        pytest.param(at(2026, 8, 28, 9), 1, at(2026, 9, 3, 9), id="over-31-aug-to-2-sep"),
        # Thu 20/08 + 2 days: Fri 21, Sat 22/08 a make-up working day.
        pytest.param(at(2026, 8, 20, 10), 2, at(2026, 8, 22, 10), id="landing-on-sat-22-aug"),
    ],
)
def test_appointments_over_the_2026_swaps(
    work_calendar: WorkingCalendar, received_at: dt.datetime, days: int, expected: dt.datetime
) -> None:
    assert work_calendar.appointment(received_at, days) == expected


def test_the_province_beats_the_shipped_swaps() -> None:
    # The province may cancel a make-up Saturday or keep a swapped day worked.
    province = WorkingCalendar(
        overrides={dt.date(2026, 1, 10): DAY_OFF, dt.date(2026, 1, 2): WORKING_DAY}
    )
    assert province.is_working_day(dt.date(2026, 1, 10)) is False
    assert province.is_working_day(dt.date(2026, 1, 2)) is True


def test_the_year_lists_days_off_and_make_up_days_with_their_basis(
    work_calendar: WorkingCalendar,
) -> None:
    year = {status.day: status for status in work_calendar.year(2026)}
    january_2 = year[dt.date(2026, 1, 2)]
    assert (january_2.working, january_2.origin, january_2.confirmed) == (False, "shipped", True)
    assert "12729/VPCP-KGVX" in january_2.basis
    assert year[dt.date(2026, 1, 10)].working is True
    assert year[dt.date(2026, 8, 22)].working is True
    assert year[dt.date(2026, 1, 1)].origin == "law"
    assert year[dt.date(2026, 1, 1)].name == "Tết Dương lịch"
    # "Vietnam Cultural Day": decided in principle only (LEGAL-2025.md, [U]).
    cultural = year[dt.date(2026, 11, 24)]
    assert (cultural.working, cultural.confirmed) == (False, False)
    assert dt.date(2026, 11, 16) not in year and dt.date(2026, 11, 14) not in year
    assert all(not s.confirmed for s in work_calendar.year(2027) if s.day.month == 2)


def test_a_make_up_saturday_only_the_holidays_package_knows_is_listed_as_the_laws() -> None:
    # Without the shipped swaps, Sat 22/08/2026 is worked per the holidays package alone.
    bare = {status.day: status for status in WorkingCalendar(swaps={}).year(2026)}
    saturday = bare[dt.date(2026, 8, 22)]
    assert (saturday.working, saturday.origin) == (True, "law")
    assert "làm bù" in saturday.basis
    assert dt.date(2026, 1, 10) not in bare and not bare[dt.date(2026, 1, 1)].working
