"""The government's day swaps: shipped as data, published by the province, confirmed or not.

2026 swaps (LEGAL-2025.md, "Working days 2026", [S]): Friday 2 January off and Saturday
10 January worked (letter 12729/VPCP-KGVX of 25/12/2025); Monday 31 August off and Saturday
22 August worked. "Vietnam Cultural Day" (24/11) and Tết 2027 are [U]: data the province
confirms.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

from counter_app.calendar_source import CalendarSource
from counter_app.calendar_swaps import parse_days, shipped_swaps
from counter_app.errors import ValidationError
from counter_app.models import CalendarDay
from sync.server import admin
from sync.server import cli as server_cli
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

SHIPPED = resources.files("resources").joinpath("calendar/vn_swaps.json")
CULTURAL_DAY = dt.date(2026, 11, 24)


def test_the_shipped_file_names_a_basis_for_every_day_and_marks_the_unverified_ones() -> None:
    swaps = shipped_swaps()
    for day in (dt.date(2026, 1, 2), dt.date(2026, 1, 10), dt.date(2026, 8, 22)):
        assert swaps[day].basis and swaps[day].confirmed
    assert swaps[dt.date(2026, 1, 10)].working and not swaps[dt.date(2026, 8, 31)].working
    assert not swaps[CULTURAL_DAY].confirmed
    assert not swaps[dt.date(2027, 2, 8)].confirmed


OFF = {"day": "2026-01-02", "kind": "day_off"}


@pytest.mark.parametrize(
    ("data", "field", "said"),
    [
        pytest.param({"days": {}}, "f.json.days", "danh sách", id="days-not-a-list"),
        pytest.param(
            {"days": [{**OFF, "day": "2026-13-01"}]}, "f.json.days[0].day", "YYYY-MM-DD", id="date"
        ),
        pytest.param(
            {"days": [{**OFF, "kind": "half"}]}, "f.json.days[0].kind", "day_off", id="kind"
        ),
        pytest.param({"days": [OFF, OFF]}, "f.json.days[1].day", "hai lần", id="twice"),
        pytest.param({"schema": "x", "days": []}, "f.json", "schema", id="other-schema"),
    ],
)
def test_a_bad_calendar_file_is_refused_naming_the_entry(
    data: dict[str, object], field: str, said: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_days(data, "f.json")
    assert said in refused.value.errors[field]


def test_the_province_publishes_the_shipped_file_and_confirms_a_day(
    province: ThreadedServer, make_counter: CounterFactory, tmp_path: Path
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    url = province.database_url
    published = json.loads(SHIPPED.read_text(encoding="utf-8"))
    # The province decides to work on 24/11 this year (province > shipped swaps > holidays).
    for day in published["days"]:
        if day["day"] == str(CULTURAL_DAY):
            day.update(kind="working_day", basis="Quyết định của UBND tỉnh", confirmed=True)
    path = tmp_path / "lich-2026.json"
    path.write_text(json.dumps(published, ensure_ascii=False), encoding="utf-8")
    assert server_cli.main(["holidays", "publish", str(path), "--database-url", url]) == 0

    assert counter.sync().holidays_updated
    with counter.store.read() as session:
        row = session.get(CalendarDay, dt.date(2027, 2, 8))
        assert row is not None and not row.confirmed and row.basis
        calendar = CalendarSource().get(session)
    assert calendar.is_working_day(CULTURAL_DAY)
    days = {status.day: status for status in calendar.year(2026)}
    assert (days[CULTURAL_DAY].origin, days[CULTURAL_DAY].working) == ("province", True)
    assert days[CULTURAL_DAY].basis == "Quyết định của UBND tỉnh"
    assert days[dt.date(2026, 1, 2)].origin == "province"
    assert not calendar.is_working_day(dt.date(2026, 1, 2))
    tet_2027 = {status.day: status for status in calendar.year(2027)}
    assert not tet_2027[dt.date(2027, 2, 8)].confirmed, "published unconfirmed, shown as such"


def test_an_old_holidays_file_still_loads_as_confirmed(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    saturday = dt.date(2026, 11, 21)
    admin.publish_holidays(
        province.database,
        {
            "version": "2026",
            "days": [{"day": str(saturday), "kind": "working_day", "name": "Làm bù"}],
        },
    )
    assert counter.sync().holidays_updated
    with counter.store.read() as session:
        row = session.get(CalendarDay, saturday)
        assert row is not None and row.confirmed and row.basis == ""
        assert CalendarSource().get(session).is_working_day(saturday)
