"""The government's yearly day swaps, shipped with the application as dated data.

The ``holidays`` package knows the Labour Code's days and Tết but not every
swap the government announces for a year (2026: Friday 2 January off, made up
on Saturday 10 January). The swaps travel as data beside the catalog
(``resources/calendar/vn_swaps.json``), in the shape the province publishes
its own days in (``ward-counter.holidays/1``), so a province can publish the
shipped file as it is or corrected. A day announced only in principle carries
``"confirmed": false``: it is counted as its entry says, and shown as unconfirmed
until the province confirms or changes it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from counter_app.errors import ValidationError
from counter_app.text import nfc

HOLIDAYS_SCHEMA = "ward-counter.holidays/1"
SHIPPED_SWAPS = ("resources", "calendar/vn_swaps.json")
DAY_OFF = "day_off"
MAKE_UP_DAY = "working_day"


@dataclass(frozen=True)
class DeclaredDay:
    """A day set apart from the law's calendar, and what says so."""

    day: dt.date
    kind: str
    name: str = ""
    basis: str = ""
    confirmed: bool = True

    @property
    def working(self) -> bool:
        return self.kind == MAKE_UP_DAY


def parse_days(data: Any, where: str) -> tuple[DeclaredDay, ...]:
    """The days of a holidays document; a ValidationError naming ``where`` and the entry."""
    if not isinstance(data, Mapping) or data.get("schema", HOLIDAYS_SCHEMA) != HOLIDAYS_SCHEMA:
        raise ValidationError({where: f"phải là một đối tượng JSON có schema {HOLIDAYS_SCHEMA!r}"})
    raw_days = data.get("days")
    if not isinstance(raw_days, list):
        raise ValidationError({f"{where}.days": "phải là một danh sách ngày"})
    days: dict[dt.date, DeclaredDay] = {}
    errors: dict[str, str] = {}
    for index, raw in enumerate(raw_days):
        at = f"{where}.days[{index}]"
        if not isinstance(raw, Mapping):
            errors[at] = "phải là một đối tượng JSON"
            continue
        try:
            day = dt.date.fromisoformat(str(raw.get("day")))
        except ValueError:
            errors[f"{at}.day"] = "phải là ngày dạng YYYY-MM-DD"
            continue
        kind = raw.get("kind")
        if kind not in (DAY_OFF, MAKE_UP_DAY):
            errors[f"{at}.kind"] = f"phải là {DAY_OFF} hoặc {MAKE_UP_DAY}"
            continue
        if day in days:
            errors[f"{at}.day"] = f"ngày {day:%d/%m/%Y} được khai báo hai lần"
            continue
        days[day] = DeclaredDay(
            day,
            kind,
            nfc(str(raw.get("name") or "")),
            nfc(str(raw.get("basis") or "")),
            raw.get("confirmed", True) is not False,
        )
    if errors:
        raise ValidationError(errors)
    return tuple(sorted(days.values(), key=lambda d: d.day))


@cache
def shipped_swaps() -> Mapping[dt.date, DeclaredDay]:
    """The swaps shipped with this version of the application, by day (read once)."""
    package, name = SHIPPED_SWAPS
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return {day.day: day for day in parse_days(json.loads(text), name)}
