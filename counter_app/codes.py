"""Dossier codes (mã hồ sơ), Circular 01/2018/TT-VPCP art. 19.

``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``: the receiving unit's electronic
identifier code, the reception date, and a four-digit number of the day.
Unit identifiers come in two shapes, both accepted wherever one is typed,
synced or parsed: the Circular 01/2018 one, lowest level first
(``000.00.11.H57``), and the Decision 20/2020/QĐ-TTg one, level-1 group first
(``H55.242``, ``H57.123.45``).

Dossiers of procedures run on a nationally centralised system carry the
Circular 04/2025/TT-VPCP code (art. 13(3) added to Circular 03/2025):
``MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``, the resolving agency, the date, AA the
central system's agency and the day's number of at least four digits. The
counter recognises them (scans, search, pulls) but never issues one.
Counters of one unit must never collide, even all offline at once, without
talking to each other: the number space of a day is split by the device's
slot, slot s numbering s001 to s999. Slot 0 is left to the provincial server
(online dossiers). Numbers are taken inside the reception transaction, so a
dossier that fails to save gives its number back and the day stays gap-free.

A number once printed on a receipt must never be given out again, even after
the store is restored from an older backup (``counter_app.backup``), whose
``code_sequence`` rows are behind what this counter has issued since. Three
things keep it so, each covering a case the others cannot:

1. The restore keeps each day's counter at max(backup, current store) when the
   store being replaced can still be read (the usual case: a bad migration, a
   clerk's mistake, a store moved to a new PC).
2. ``take_next_code`` never returns a number a dossier of this store already
   carries: the next number is one past the larger of the day's counter and the
   highest code of the slot on record. After a restore, the first sync pulls
   back (from the backup's older pull cursor) every dossier this counter pushed
   since the backup, and with them their codes, so a counter whose old store is
   lost for good still continues after the last code the province has.
3. What neither the old store nor the province holds (received after the
   backup, never pushed, on a disk that died) cannot be known by any PC; the
   restore says so, and the paper receipt book is the only record left.

Skipping ahead never breaks "gap-free": the numbers skipped were issued, to
dossiers that exist, on this counter or at the province.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter_app.errors import CounterError, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_UNIT_2018 = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}"
_UNIT_2020 = r"[A-Z]\d{2}\.\d{3}(?:\.\d{2}){0,2}"
UNIT_CODE = re.compile(rf"^(?:{_UNIT_2018}|{_UNIT_2020})$")
DOSSIER_CODE = re.compile(rf"^({_UNIT_2018}|{_UNIT_2020})-(\d{{6}})-(\d{{4}})$")
# The start of a code as a clerk types it: its unit, in either shape, then a dot.
CODE_PREFIX = re.compile(r"(?:\d{3}|[A-Z]\d{2})\.")
CENTRAL_DOSSIER_CODE = re.compile(rf"^({_UNIT_2020})-(\d{{6}})-(\d{{2}})(\d{{4,}})$")
MIN_SLOT, MAX_SLOT = 1, 9
PER_SLOT = 999


class DailyNumbersExhausted(CounterError):
    """This counter has given out all 999 numbers of its slot today."""


@dataclass(frozen=True)
class DossierCode:
    """A dossier code; ``central_system`` is the AA of a Circular 04/2025 code, else None.

    ``digits`` is how wide the day's number was written: a central system may write
    more than four (with leading zeros), and the code must read back as it was sent.
    """

    unit_code: str
    day: dt.date
    number: int
    central_system: str | None = None
    digits: int = 4

    def __str__(self) -> str:
        number = f"{self.number:0{self.digits}d}"
        return f"{self.unit_code}-{self.day:%y%m%d}-{self.central_system or ''}{number}"

    @property
    def slot(self) -> int:
        """The counter slot that issued the number; 0 (the server's) for a central code."""
        return 0 if self.central_system is not None else self.number // 1000


def check_unit_code(code: str) -> str | None:
    if UNIT_CODE.fullmatch(code):
        return None
    return (
        "Mã định danh đơn vị phải có dạng 000.00.11.H57 (Thông tư 01/2018/TT-VPCP) "
        "hoặc H57.123.45 (Quyết định 20/2020/QĐ-TTg)."
    )


def check_slot(slot: int) -> str | None:
    if MIN_SLOT <= slot <= MAX_SLOT:
        return None
    return f"Số thứ tự máy trong đơn vị phải từ {MIN_SLOT} đến {MAX_SLOT}."


def parse_code(text: str) -> DossierCode | None:
    """The parts of a dossier code, or None when ``text`` is not one (e.g. a stray scan).

    Both the counter's own codes and Circular 04/2025 codes of central systems are read.
    """
    cleaned = text.strip().upper()
    system: str | None = None
    if match := DOSSIER_CODE.fullmatch(cleaned):
        unit, day, number = match.groups()
    elif match := CENTRAL_DOSSIER_CODE.fullmatch(cleaned):
        unit, day, system, number = match.groups()
    else:
        return None
    # "%y%m%d" read as strptime reads it (69-99 are the 1900s), without importing _strptime
    # and its locale and calendar modules for every printed form.
    year = int(day[:2])
    try:
        date = dt.date(year + (1900 if year >= 69 else 2000), int(day[2:4]), int(day[4:]))
    except ValueError:
        return None
    return DossierCode(unit, date, int(number), system, max(4, len(number)))


def take_next_code(session: Session, unit_code: str, day: dt.date, slot: int) -> DossierCode:
    """Reserve the next code of this device's slot for ``day``, within the caller's transaction.

    The caller's transaction must hold SQLite's write lock (the store's write
    sessions begin IMMEDIATE), so two threads cannot read the same last number.
    """
    from sqlalchemy import select

    from counter_app.models import CodeSequence

    if error := check_slot(slot):
        raise ValidationError({"device_slot": error})
    row = session.execute(
        select(CodeSequence).where(
            CodeSequence.unit_code == unit_code,
            CodeSequence.day == day,
            CodeSequence.slot == slot,
        )
    ).scalar_one_or_none()
    if row is None:
        row = CodeSequence(unit_code=unit_code, day=day, slot=slot, last_number=0)
        session.add(row)
    row.last_number = max(row.last_number, highest_on_record(session, unit_code, day, slot))
    if row.last_number >= PER_SLOT:
        raise DailyNumbersExhausted(
            "Máy này đã cấp đủ 999 mã hồ sơ trong ngày; hãy tiếp nhận trên máy khác của đơn vị."
        )
    row.last_number += 1
    session.flush()
    return DossierCode(unit_code, day, slot * 1000 + row.last_number)


def highest_on_record(session: Session, unit_code: str, day: dt.date, slot: int) -> int:
    """The highest number of ``slot`` on ``day`` that a dossier of this store carries (0 if none).

    The code column is unique, hence indexed: this is one index range lookup.
    """
    from sqlalchemy import func, select

    from counter_app.models import Dossier

    prefix = f"{unit_code}-{day:%y%m%d}-{slot}"
    highest = session.scalar(
        select(func.max(Dossier.code)).where(
            Dossier.code >= f"{prefix}001",
            Dossier.code <= f"{prefix}999",
            # not a central system's code (Circular 04/2025: -AAXXXX) in the same range
            func.length(Dossier.code) == len(prefix) + 3,
        )
    )
    return int(highest[-3:]) if highest else 0
