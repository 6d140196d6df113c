"""Foundation benchmark: the counter's everyday operations on a store three busy years old.

A clerk feels every millisecond of a reception, a keystroke in the catalog
search and a barcode scan, and the store only ever grows. A store of a million
dossiers is built here fast, with SQLAlchemy Core ``executemany`` straight into
the tables (a million receptions through the service would take hours), and
then the REAL services are timed on it, beside a bare ``sqlite3`` query as the
floor, so a figure that misses its target shows whether the cost is SQLite's
or ours.

Run: ``.venv/bin/python -m bench.foundation [--dossiers N] [--data-dir DIR] [--keep]``.
The exit status is 0 whatever the figures (it is a measurement) and non-zero
only when something fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, Engine, Table, event, insert, select, text

from counter_app import auth, catalog
from counter_app.applicants import ApplicantInput, find_by_cccd
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.codes import MAX_SLOT, PER_SLOT, DossierCode, parse_code
from counter_app.dossiers import get_by_code
from counter_app.installation import initialise
from counter_app.lifecycle import derive_status
from counter_app.models import Base, Procedure
from counter_app.paths import database_path, database_url
from counter_app.reception import DocumentCheck, ReceptionRequest, ReceptionService
from counter_app.store import Store, make_engine
from counter_app.text import fold
from counter_app.validation import CCCD_PROVINCE_CODES, check_cccd
from counter_app.workdays import DEFAULT_SESSIONS, WORKING_DAY, WorkingCalendar, parse_sessions

UNIT_CODE = "000.00.11.H57"
UNIT_NAME = "UBND phường Hạc Thành"
NEIGHBOUR_UNITS = (
    ("000.00.12.H57", "UBND phường Quảng Phú"),
    ("000.00.13.H57", "UBND xã Đông Tiến"),
)
ADMIN_PASSWORD = "mat-khau-quan-tri"
STAFF_PASSWORD = "mat-khau-can-bo"
# The first working day after the synthetic years: the day the services are timed on.
BENCH_DAY = dt.date(2026, 11, 16)
YEARS = 3
# Room past the bench day for appointment dates and results still to come.
FUTURE_DAYS = 200
DEFAULT_DOSSIERS = 1_000_000
APPLICANTS_PER_DOSSIER = 1 / 3
LOCAL_PROVINCE = "038"  # Thanh Hóa, where the demo ward lies: most applicants were born here.

BATCH_DOSSIERS = 20_000
TRANSACTION_DOSSIERS = 500_000  # a multiple of BATCH_DOSSIERS

RECEPTIONS = 300
SEARCH_ROUNDS = 20
LOOKUPS = 1000
SEARCH_QUERIES = (
    "dang ky khai sinh",
    "chung thuc ban sao",
    "1.0011",
    "xac nhan tinh trang hon nhan",
    "tam tru",
)

# Labels of the printed figures; tests/test_bench_smoke.py looks for them.
LABEL_BUILD = "build store"
LABEL_RECEIVE = "receive one dossier"
LABEL_RECEIVE_COLD = "first reception after start"
LABEL_SEARCH = "catalog search per keystroke"
LABEL_BY_CODE = "dossier by code (get_by_code)"
LABEL_BY_CODE_FLOOR = "floor: sqlite3 dossier by code"
LABEL_BY_CCCD = "applicant by CCCD (find_by_cccd)"
LABEL_BY_CCCD_FLOOR = "floor: sqlite3 applicant by CCCD"
LABEL_SIZE = "store size on disk"

# How often each procedure is asked for at a ward counter; the rest weigh 1.
POPULARITY = {
    "2.000815": 30,  # chứng thực bản sao từ bản chính
    "2.000884": 10,  # chứng thực chữ ký
    "1.001193": 8,  # đăng ký khai sinh
    "1.004194": 6,  # đăng ký tạm trú
    "1.004873": 5,  # xác nhận tình trạng hôn nhân
    "1.000656": 3,  # đăng ký khai tử
    "1.000894": 3,  # đăng ký kết hôn
    "2.000635": 3,  # trích lục hộ tịch
    "1.004222": 3,  # đăng ký thường trú
    "2.001035": 3,  # chứng thực hợp đồng
}

# Counter clerks by device slot, and the people who act on a dossier after reception.
CLERKS = (
    ("lan.nt", "Nguyễn Thị Lan"),
    ("minh.tv", "Trần Văn Minh"),
    ("thu.ph", "Phạm Hoài Thu"),
    ("duc.nv", "Nguyễn Văn Đức"),
    ("ha.dt", "Đỗ Thu Hà"),
    ("son.lh", "Lê Hồng Sơn"),
    ("yen.bt", "Bùi Thị Yến"),
    ("khoa.vd", "Vũ Đăng Khoa"),
    ("ngoc.hb", "Hồ Bảo Ngọc"),
)
POSTAL_AGENT = ("hoa.lt", "Lê Thị Hoa")
SPECIALISTS = (
    ("cv.hotich", "Chuyên viên hộ tịch"),
    ("cv.chungthuc", "Chuyên viên chứng thực"),
    ("cv.cutru", "Cán bộ công an phụ trách cư trú"),
    ("cv.xaydung", "Chuyên viên xây dựng"),
    ("cv.kinhte", "Chuyên viên kinh tế"),
)

FAMILY: tuple[str, ...] = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng")
FAMILY += ("Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Trịnh", "Đinh", "Lương", "Mai", "Cao")
MIDDLE = {
    "male": ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Công", "Xuân", "Đình", "Ngọc"),
    "female": ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Phương", "Mai", "Bảo"),
}
GIVEN = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Phúc", "Tuấn",
             "Quân", "Sơn", "Thắng", "Trung", "Việt", "Hiếu", "Nam", "Lâm", "Đạt", "Khoa"),
    "female": ("Anh", "Chi", "Dung", "Hà", "Hạnh", "Linh", "Mai", "Nga", "Phương", "Trang",
               "Hương", "Lan", "Ngân", "Thảo", "Vy", "Yến", "Hằng", "Loan", "Nhung", "Quyên"),
}  # fmt: skip
STREETS: tuple[str, ...] = (
    "Lê Lợi",
    "Trần Phú",
    "Bà Triệu",
    "Hàm Nghi",
    "Nguyễn Trãi",
    "Phan Bội Châu",
)
STREETS += ("Lý Thường Kiệt", "Quang Trung", "Hai Bà Trưng", "Lê Hoàn", "Tống Duy Tân")
HAMLETS = ("thôn Đông", "thôn Đoài", "thôn Thượng", "thôn Hạ", "xóm Mới", "xóm Chùa")


# Synthetic data ------------------------------------------------------------


@dataclass(frozen=True)
class RequirementSpec:
    id: int
    position: int
    name: str
    form: str
    count: int
    mandatory: bool


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    amount: Decimal
    unit: str
    cutoff: dt.time | None
    requirements: tuple[RequirementSpec, ...]


@dataclass(frozen=True)
class Person:
    cccd: str
    full_name: str
    date_of_birth: dt.date
    sex: str
    address: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class PlannedDossier:
    """A dossier's reception decided before any row is made, so applicants know their last visit."""

    t: int  # position in office time (see OfficeTime)
    slot: int
    number: int
    applicant: int
    procedure: int


@dataclass(frozen=True)
class BuildReport:
    dossiers: int
    applicants: int
    documents: int
    events: int
    slots: int
    first_day: dt.date
    last_day: dt.date
    seconds_init: float
    seconds_rows: float
    seconds_check: float


class OfficeTime:
    """Positions in office time across working days, so event times never fall at night.

    A moment is one integer: working-day index times the office seconds of a
    day, plus seconds since opening with lunch cut out. Events are spaced in
    these units and converted to wall-clock times only when written.
    """

    def __init__(self, days: Sequence[dt.date]) -> None:
        self.sessions = [
            (dt.timedelta(hours=start.hour, minutes=start.minute), _seconds(end) - _seconds(start))
            for start, end in parse_sessions(DEFAULT_SESSIONS)
        ]
        self.day_seconds = sum(length for _, length in self.sessions)
        self.days = list(days)
        self.index = {day: i for i, day in enumerate(self.days)}
        self.midnight = [dt.datetime.combine(day, dt.time()) for day in self.days]

    def at(self, t: int) -> dt.datetime:
        day, second = divmod(t, self.day_seconds)
        for start, length in self.sessions:
            if second < length:
                return self.midnight[day] + start + dt.timedelta(seconds=second)
            second -= length
        raise AssertionError("second beyond the office day")

    def position(self, moment: dt.datetime) -> int:
        """The office position of a wall-clock time on a working day (clamped into the day)."""
        day = self.index[moment.date()]
        since_midnight = moment - self.midnight[day]
        offset = 0
        for start, length in self.sessions:
            into = int((since_midnight - start).total_seconds())
            if into < length:
                return day * self.day_seconds + offset + max(0, into)
            offset += length
        return day * self.day_seconds + self.day_seconds - 1


def _seconds(moment: dt.time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def working_days(calendar: WorkingCalendar, first: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], first
    while day < end:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class Synthesizer:
    """Makes realistic rows from one seeded random stream, so every run builds the same store."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cccds: set[str] = set()
        self.provinces = sorted(CCCD_PROVINCE_CODES)

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def person(self) -> Person:
        rng = self.rng
        sex = "male" if rng.random() < 0.48 else "female"
        born = dt.date(rng.randint(1945, 2007), rng.randint(1, 12), rng.randint(1, 28))
        province = LOCAL_PROVINCE if rng.random() < 0.7 else rng.choice(self.provinces)
        century_digit = (0 if born.year < 2000 else 2) + (1 if sex == "female" else 0)
        while True:
            cccd = f"{province}{century_digit}{born.year % 100:02d}{rng.randrange(1_000_000):06d}"
            if cccd not in self.cccds:
                break
        self.cccds.add(cccd)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        if rng.random() < 0.7:
            address = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, phường Hạc Thành"
        else:
            address = f"{rng.choice(HAMLETS)}, xã Đông Tiến, tỉnh Thanh Hóa"
        phone = None
        if rng.random() < 0.85:
            phone = f"0{rng.choice('35789')}{rng.randrange(100_000_000):08d}"
        email = None
        if rng.random() < 0.1:
            email = f"{fold(name).replace(' ', '.')}{rng.randint(1, 99)}@gmail.com"
        return Person(cccd, name, born, sex, address, phone, email)


def load_procedures(connection: Connection) -> list[ProcedureSpec]:
    procedures = []
    rows = connection.execute(
        text("SELECT code, processing_amount, processing_unit, cutoff FROM procedure WHERE active")
    ).all()
    for code, amount, unit, cutoff in sorted(rows):
        requirements = connection.execute(
            text(
                "SELECT id, position, name, form, count, mandatory FROM requirement "
                "WHERE procedure_code = :code AND active ORDER BY position"
            ),
            {"code": code},
        ).all()
        procedures.append(
            ProcedureSpec(
                code=code,
                amount=Decimal(str(amount)),
                unit=unit,
                cutoff=dt.time.fromisoformat(cutoff) if cutoff else None,
                requirements=tuple(
                    RequirementSpec(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in requirements
                ),
            )
        )
    return procedures


@dataclass(frozen=True)
class Plan:
    dossiers: list[PlannedDossier]
    applicants: int
    last_visit: list[int]
    slots: int
    # (working-day index, slot, last number given out)
    sequences: list[tuple[int, int, int]]


def plan_dossiers(
    rng: random.Random,
    days: Sequence[dt.date],
    day_seconds: int,
    dossiers: int,
    weights: Sequence[int],
) -> Plan:
    """Who comes on which day, at what time, for what, before any row is made.

    Deciding first lets an applicant's row carry the time of their last visit
    without updating it later. Mondays are busier and Fridays quieter; a day's
    numbers are spread over enough counter slots that none needs more than 999.
    """
    factors = {0: 1.25, 4: 0.9, 5: 0.8}
    day_weights = [factors.get(day.weekday(), 1.0) * rng.uniform(0.75, 1.25) for day in days]
    total = sum(day_weights)
    counts = [int(dossiers * w / total) for w in day_weights]
    for i in rng.choices(range(len(days)), k=dossiers - sum(counts)):
        counts[i] += 1
    needed = math.ceil(max(counts) / PER_SLOT)
    if needed > MAX_SLOT:
        raise SystemExit(
            f"{dossiers:,} dossiers over {len(days)} working days need {needed} counter slots on "
            f"the busiest day, but a unit has at most {MAX_SLOT}; ask for fewer dossiers."
        )
    slots = min(MAX_SLOT, max(3, needed + 1))
    applicants_total = max(1, round(dossiers * APPLICANTS_PER_DOSSIER))
    cum_weights = list(itertools.accumulate(weights))
    procedures = range(len(weights))
    plan: list[PlannedDossier] = []
    last_visit: list[int] = []
    sequences: list[tuple[int, int, int]] = []
    for day, count in enumerate(counts):
        seconds = sorted(rng.randrange(day_seconds) for _ in range(count))
        chosen = rng.choices(procedures, cum_weights=cum_weights, k=count)
        per_slot = [0] * (slots + 1)
        for second, procedure in zip(seconds, chosen, strict=True):
            slot = rng.randint(1, slots)
            while per_slot[slot] >= PER_SLOT:
                slot = slot % slots + 1
            per_slot[slot] += 1
            t = day * day_seconds + second
            made = len(last_visit)
            if made == 0 or made < (len(plan) + 1) * applicants_total // dossiers:
                applicant = made
                last_visit.append(t)
            else:
                applicant = rng.randrange(made)
                last_visit[applicant] = t
            plan.append(PlannedDossier(t, slot, slot * 1000 + per_slot[slot], applicant, procedure))
        sequences.extend((day, slot, last) for slot, last in enumerate(per_slot) if last)
    return Plan(plan, len(last_visit), last_visit, slots, sequences)


Row = dict[str, Any]
# (kind, office position, actor, device id, unit code)
Step = tuple[str, int, str, str | None, str]


@dataclass
class Batch:
    applicants: list[Row]
    dossiers: list[Row]
    documents: list[Row]
    events: list[Row]


class RowMaker:
    """Turns the plan into table rows, with a life story for each dossier up to the bench day.

    The shares are those a ward's book shows: most dossiers long returned,
    a few percent late, some waiting for a supplement, a handful rejected or
    withdrawn, and the last weeks' dossiers still open.
    """

    def __init__(
        self,
        synth: Synthesizer,
        office: OfficeTime,
        calendar: WorkingCalendar,
        procedures: Sequence[ProcedureSpec],
        devices: dict[int, str],
        now: int,
    ) -> None:
        self.synth = synth
        self.rng = synth.rng
        self.office = office
        self.calendar = calendar
        self.procedures = procedures
        self.devices = devices
        self.now = now
        self.people: list[Person] = []
        self.applicant_ids: list[str] = []

    def batches(self, plan: Plan, size: int) -> Iterator[Batch]:
        for start in range(0, len(plan.dossiers), size):
            batch = Batch([], [], [], [])
            for planned in plan.dossiers[start : start + size]:
                self._dossier(planned, plan, batch)
            yield batch

    def _dossier(self, planned: PlannedDossier, plan: Plan, batch: Batch) -> None:
        rng, office = self.rng, self.office
        procedure = self.procedures[planned.procedure]
        received_at = office.at(planned.t)
        if planned.applicant == len(self.people):
            person = self.synth.person()
            self.people.append(person)
            batch.applicants.append(
                {
                    "id": self.synth.new_id(),
                    "cccd": person.cccd,
                    "full_name": person.full_name,
                    "date_of_birth": person.date_of_birth,
                    "sex": person.sex,
                    "address": person.address,
                    "phone": person.phone,
                    "email": person.email,
                    "created_at": received_at,
                    "updated_at": office.at(plan.last_visit[planned.applicant]),
                }
            )
            self.applicant_ids.append(batch.applicants[-1]["id"])
        person = self.people[planned.applicant]
        due_at = self.calendar.appointment(
            received_at, procedure.amount, procedure.unit, procedure.cutoff
        )
        channel = "postal" if rng.random() < 0.1 else "direct"
        by_post = rng.random() < 0.1
        competent = UNIT_CODE if rng.random() >= 0.03 else rng.choice(NEIGHBOUR_UNITS)[0]
        steps = [
            s
            for s in self._story(planned, office.position(due_at), procedure, channel, competent)
            if s[1] < self.now
        ]
        # The status each event leads to, by the same rules the services apply.
        statuses = [derive_status([kind for kind, *_ in steps[: n + 1]]) for n in range(len(steps))]
        status = statuses[-1]
        assert status is not None
        dossier_id = self.synth.new_id()
        clerk = CLERKS[planned.slot - 1][0]
        batch.dossiers.append(
            {
                "id": dossier_id,
                "code": str(DossierCode(UNIT_CODE, received_at.date(), planned.number)),
                "procedure_code": procedure.code,
                "applicant_id": self.applicant_ids[planned.applicant],
                "receiving_unit_code": UNIT_CODE,
                "competent_unit_code": competent,
                "channel": channel,
                "return_method": "post" if by_post else "counter",
                "return_address": person.address if by_post else None,
                "sets_count": 2 if rng.random() < 0.05 else 1,
                "status": status.value,
                "received_at": received_at,
                "due_at": due_at,
                "received_by": clerk,
                "drafted_by": POSTAL_AGENT[0] if channel == "postal" else None,
                "device_id": self.devices[planned.slot],
                "note": "",
                "created_at": office.at(steps[0][1]),
            }
        )
        for requirement in procedure.requirements:
            batch.documents.append(
                {
                    "id": self.synth.new_id(),
                    "dossier_id": dossier_id,
                    "requirement_id": requirement.id,
                    "position": requirement.position,
                    "name": requirement.name,
                    "form": requirement.form,
                    "count": requirement.count,
                    "received": requirement.mandatory or rng.random() < 0.6,
                    "attachment_sha256": None,
                }
            )
        for seq, ((kind, t, actor, device_id, unit_code), after) in enumerate(
            zip(steps, statuses, strict=True), start=1
        ):
            assert after is not None
            batch.events.append(
                {
                    "id": self.synth.new_id(),
                    "dossier_id": dossier_id,
                    "seq": seq,
                    "kind": kind,
                    "status_after": after.value,
                    "at": office.at(t),
                    "actor": actor,
                    "unit_code": unit_code,
                    "device_id": device_id,
                    "note": "",
                    "data": {},
                    "server_seq": None,
                }
            )

    def _story(
        self,
        planned: PlannedDossier,
        due: int,
        procedure: ProcedureSpec,
        channel: str,
        competent: str,
    ) -> list[Step]:
        """Every event the dossier will ever have; the caller cuts what lies after the bench day."""
        rng, day = self.rng, self.office.day_seconds
        clerk, device = CLERKS[planned.slot - 1][0], self.devices[planned.slot]
        specialist = rng.choice(SPECIALISTS)[0]
        received = planned.t
        steps: list[Step] = []
        if channel == "postal":
            drafted = max(0, received - rng.randint(60, day))
            steps.append(("drafted", drafted, POSTAL_AGENT[0], device, UNIT_CODE))
        steps.append(("received", received, clerk, device, UNIT_CODE))
        t = received

        def then(kind: str, least: int, most: int, by: str, on: str | None, unit: str) -> None:
            nonlocal t
            t += rng.randint(least, most)
            steps.append((kind, t, by, on, unit))

        same_day = procedure.unit == WORKING_DAY and procedure.amount == 0
        fate = rng.random()
        if not same_day:
            then("processing_started", 300, day, specialist, None, competent)
            if fate < 0.03:
                then("supplement_requested", day // 2, 2 * day, specialist, None, competent)
                if rng.random() < 0.15:
                    if rng.random() < 0.5:
                        then("withdrawn", 5 * day, 20 * day, clerk, device, UNIT_CODE)
                    return steps
                then("supplement_received", day, 10 * day, clerk, device, UNIT_CODE)
                due = t + (due - received)  # the time limit runs again from a complete dossier
                then("processing_started", 300, day, specialist, None, competent)
            elif fate < 0.04:
                then("rejected", 300, 2 * day, specialist, None, competent)
                return steps
            elif fate < 0.045:
                then("withdrawn", day, 5 * day, clerk, device, UNIT_CODE)
                return steps
        earliest = t + 60
        if rng.random() < 0.07:
            ready = max(earliest, due) + rng.randint(600, 5 * day)  # late
        elif due > earliest:
            ready = rng.randint(earliest + (due - earliest) // 3, due)
        else:
            ready = earliest
        steps.append(("result_ready", ready, specialist, None, competent))
        t = ready
        collected = rng.random()
        if collected < 0.03:
            return steps  # nobody came for it
        returning_slot = rng.randint(1, len(self.devices))
        by, on = CLERKS[returning_slot - 1][0], self.devices[returning_slot]
        if collected < 0.5:
            then("returned", 300, 7200, by, on, UNIT_CODE)
        elif collected < 0.9:
            then("returned", day // 2, 5 * day, by, on, UNIT_CODE)
        else:
            then("returned", 5 * day, 20 * day, by, on, UNIT_CODE)
        return steps


def _tables() -> dict[str, Table]:
    return dict(Base.metadata.tables)


def bulk_engine(data_dir: Path) -> Engine:
    """The app's own engine settings, plus a big page cache and no fsync for the load only."""
    engine = make_engine(database_url(data_dir))

    @event.listens_for(engine, "connect")
    def _for_bulk_load(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-2000000")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    return engine


def build_store(data_dir: Path, dossiers: int, seed: int) -> BuildReport:
    """Initialise the data directory like ``counter-app init`` and fill it with past years."""
    started = time.perf_counter()
    store = Store.open(data_dir)
    initialise(
        store,
        unit_code=UNIT_CODE,
        unit_name=UNIT_NAME,
        slot=1,
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
        admin_full_name="Quản trị hệ thống",
        at=dt.datetime.combine(BENCH_DAY, dt.time(7, 0)) - dt.timedelta(days=365 * YEARS + 30),
    )
    store.close()
    seconds_init = time.perf_counter() - started

    started = time.perf_counter()
    rng = random.Random(seed)
    calendar = WorkingCalendar()
    first_day = BENCH_DAY - dt.timedelta(days=365 * YEARS)
    days = working_days(calendar, first_day, BENCH_DAY + dt.timedelta(days=FUTURE_DAYS))
    if BENCH_DAY not in days:
        raise RuntimeError(f"the bench day {BENCH_DAY} must be a working day")
    office = OfficeTime(days)
    past = days[: office.index[BENCH_DAY]]
    tables = _tables()
    engine = bulk_engine(data_dir)
    documents = events = 0
    with engine.connect() as connection:
        procedures = load_procedures(connection)
        connection.rollback()
        weights = [POPULARITY.get(p.code, 1) for p in procedures]
        plan = plan_dossiers(rng, past, office.day_seconds, dossiers, weights)
        synth = Synthesizer(rng)
        transaction = connection.begin()
        this_device = connection.execute(
            text("SELECT id FROM device WHERE is_this_device")
        ).scalar_one()
        devices = {1: this_device}
        hashed = auth.hash_password(STAFF_PASSWORD)
        setup_at = office.at(0) - dt.timedelta(days=1)
        connection.execute(
            insert(tables["unit"]),
            [{"code": c, "name": n, "parent_code": None} for c, n in NEIGHBOUR_UNITS],
        )
        for slot in range(2, plan.slots + 1):
            devices[slot] = synth.new_id()
            connection.execute(
                insert(tables["device"]),
                {
                    "id": devices[slot],
                    "unit_code": UNIT_CODE,
                    "slot": slot,
                    "name": f"Quầy {slot}",
                    "is_this_device": False,
                },
            )
        staff = [(u, n, Role.CLERK.value) for u, n in CLERKS[: plan.slots]]
        staff.append((*POSTAL_AGENT, Role.POSTAL_AGENT.value))
        staff += [(u, n, Role.CLERK.value) for u, n in SPECIALISTS]
        connection.execute(
            insert(tables["staff_user"]),
            [
                {
                    "id": synth.new_id(),
                    "username": username,
                    "full_name": full_name,
                    "role": role,
                    "unit_code": UNIT_CODE,
                    "password_hash": hashed,
                    "active": True,
                    "failed_logins": 0,
                    "locked_until": None,
                    "created_at": setup_at,
                }
                for username, full_name, role in staff
            ],
        )
        opening = office.position(dt.datetime.combine(BENCH_DAY, dt.time(0, 0)))
        maker = RowMaker(synth, office, calendar, procedures, devices, now=opening)
        done = 0
        for batch in maker.batches(plan, BATCH_DOSSIERS):
            for name, rows in (
                ("applicant", batch.applicants),
                ("dossier", batch.dossiers),
                ("dossier_document", batch.documents),
                ("dossier_event", batch.events),
            ):
                if rows:
                    connection.execute(insert(tables[name]), rows)
            documents += len(batch.documents)
            events += len(batch.events)
            done += len(batch.dossiers)
            if done % TRANSACTION_DOSSIERS == 0 or done == dossiers:
                transaction.commit()
                elapsed = time.perf_counter() - started
                print(f"  … {done:>11,} dossiers written, {elapsed:7.1f} s", flush=True)
                transaction = connection.begin()
        connection.execute(
            insert(tables["code_sequence"]),
            [
                {"unit_code": UNIT_CODE, "day": office.days[day], "slot": slot, "last_number": last}
                for day, slot, last in plan.sequences
            ],
        )
        transaction.commit()
        seconds_rows = time.perf_counter() - started

        started = time.perf_counter()
        check_store(connection, dossiers, plan.applicants)
        connection.rollback()
    engine.dispose()  # the last connection to close checkpoints the WAL into the database
    return BuildReport(
        dossiers=dossiers,
        applicants=plan.applicants,
        documents=documents,
        events=events,
        slots=plan.slots,
        first_day=past[0],
        last_day=past[-1],
        seconds_init=seconds_init,
        seconds_rows=seconds_rows,
        seconds_check=time.perf_counter() - started,
    )


def check_store(connection: Connection, dossiers: int, applicants: int) -> None:
    """Refuse to time a store that is not what the services themselves would have left."""

    def count(sql: str, **params: Any) -> int:
        return int(connection.execute(text(sql), params).scalar_one())

    problems = []
    if (found := count("SELECT count(*) FROM dossier")) != dossiers:
        problems.append(f"{found} dossiers, expected {dossiers}")
    if (found := count("SELECT count(*) FROM applicant")) != applicants:
        problems.append(f"{found} applicants, expected {applicants}")
    stale = count(
        "SELECT count(*) FROM dossier AS d WHERE d.status IS NOT ("
        " SELECT e.status_after FROM dossier_event AS e WHERE e.dossier_id = d.id"
        " ORDER BY e.seq DESC LIMIT 1)"
    )
    if stale:
        problems.append(f"{stale} dossiers whose status is not their last event's")
    unreceived = count(
        "SELECT count(*) FROM dossier AS d WHERE NOT EXISTS ("
        " SELECT 1 FROM dossier_event AS e WHERE e.dossier_id = d.id AND e.kind = 'received')"
    )
    if unreceived:
        problems.append(f"{unreceived} dossiers without a 'received' event")
    today = count("SELECT count(*) FROM code_sequence WHERE day >= :day", day=BENCH_DAY.isoformat())
    if today:
        problems.append(f"{today} code sequences on or after the bench day")
    sequences = {
        f"{unit}-{dt.date.fromisoformat(day):%y%m%d}-{slot}": last
        for unit, day, slot, last in connection.execute(
            text("SELECT unit_code, day, slot, last_number FROM code_sequence")
        )
    }
    numbered = {
        prefix: (n, highest)
        for prefix, n, highest in connection.execute(
            text(
                "SELECT substr(code, 1, length(code) - 3), count(*),"
                " max(CAST(substr(code, -3) AS INTEGER)) FROM dossier GROUP BY 1"
            )
        )
    }
    if any(numbered.get(key) != (last, last) for key, last in sequences.items()) or len(
        numbered
    ) != len(sequences):
        problems.append("code sequences disagree with the dossiers' numbers (not gap-free)")
    for (code,) in connection.execute(text("SELECT code FROM dossier WHERE rowid % 997 = 1")):
        if parse_code(code) is None:
            problems.append(f"malformed dossier code {code!r}")
            break
    if problems:
        raise RuntimeError("the synthetic store is inconsistent: " + "; ".join(problems))


# Measuring -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    samples_ms: list[float]
    target_ms: float | None = None

    @property
    def median(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest rank: a value that was actually measured, never an interpolation between two."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def sample_rowids(
    connection: sqlite3.Connection, table: str, count: int, rng: random.Random
) -> list[int]:
    """Random existing rows without ``ORDER BY random()``, which reads the whole table."""
    (highest,) = connection.execute(f"SELECT max(rowid) FROM {table}").fetchone()
    return [rng.randint(1, highest) for _ in range(count)]


def reception_requests(
    store: Store, db: sqlite3.Connection, rng: random.Random, count: int
) -> list[ReceptionRequest]:
    """Half returning applicants (found again by CCCD and updated), half first-timers."""
    with store.read() as session:
        procedures = [
            (p.code, tuple(DocumentCheck(r.id) for r in p.requirements if r.active))
            for p in session.scalars(select(Procedure).where(Procedure.active.is_(True)))
        ]
    weights = [POPULARITY.get(code, 1) for code, _ in procedures]
    returning = []
    for rowid in sample_rowids(db, "applicant", count, rng):
        row = db.execute(
            "SELECT cccd, full_name, address, date_of_birth, sex, phone, email"
            " FROM applicant WHERE rowid = ?",
            (rowid,),
        ).fetchone()
        if row is not None:
            cccd, name, address, born, sex, phone, email = row
            returning.append(
                ApplicantInput(name, address, cccd, dt.date.fromisoformat(born), sex, phone, email)
            )
    synth = Synthesizer(rng)
    requests = []
    for i in range(count):
        if i % 2 and returning:
            person = returning.pop()
        else:
            while True:
                new = synth.person()
                taken = db.execute("SELECT 1 FROM applicant WHERE cccd = ?", (new.cccd,)).fetchone()
                if taken is None:
                    break
            person = ApplicantInput(
                new.full_name,
                new.address,
                new.cccd,
                new.date_of_birth,
                new.sex,
                new.phone,
                new.email,
            )
        if message := check_cccd(person.cccd or "", BENCH_DAY, person.date_of_birth, person.sex):
            raise RuntimeError(f"bench applicant has a bad CCCD: {message}")
        code, checklist = rng.choices(procedures, weights=weights)[0]
        by_post = rng.random() < 0.1
        requests.append(
            ReceptionRequest(
                procedure_code=code,
                applicant=person,
                documents=checklist,
                return_method="post" if by_post else "counter",
                return_address=person.address if by_post else None,
            )
        )
    return requests


def measure_receive(
    store: Store, db: sqlite3.Connection, rng: random.Random
) -> tuple[Figure, Figure]:
    """Receptions one after another through the real service, as a clerk's morning goes."""
    requests = reception_requests(store, db, rng, RECEPTIONS + 1)
    clock = FixedClock(dt.datetime.combine(BENCH_DAY, dt.time(7, 45)))
    service = ReceptionService(store, clock)
    clerk = StaffIdentity(CLERKS[0][0], CLERKS[0][1], Role.CLERK, UNIT_CODE)
    receipts = []

    def receive(request: ReceptionRequest) -> None:
        receipts.append(service.receive(request, clerk))

    cold = timed(partial(receive, requests[0]))
    samples = []
    for request in requests[1:]:
        clock.advance(seconds=30)
        samples.append(timed(partial(receive, request)))
    expected = str(DossierCode(UNIT_CODE, BENCH_DAY, 1001))
    if receipts[0].code != expected:
        raise RuntimeError(f"first code of the bench day is {receipts[0].code}, not {expected}")
    if len({r.code for r in receipts}) != len(receipts):
        raise RuntimeError("the service gave out a dossier code twice")
    return (
        Figure(LABEL_RECEIVE, samples, target_ms=20.0),
        Figure(LABEL_RECEIVE_COLD, [cold]),
    )


def measure_search(store: Store) -> Figure:
    """Every prefix a clerk types on the way to a query, each in its own read session."""
    prefixes = [query[:n] for query in SEARCH_QUERIES for n in range(1, len(query) + 1)]
    with store.read() as session:
        best = catalog.search(session, "dang ky khai sinh")
        if not best or best[0].code != "1.001193":
            raise RuntimeError(f"catalog search ranks {best[:1]} first for 'dang ky khai sinh'")
    samples = []

    def keystroke(prefix: str) -> None:
        with store.read() as session:
            catalog.search(session, prefix)

    for _ in range(SEARCH_ROUNDS):
        for prefix in prefixes:
            samples.append(timed(partial(keystroke, prefix)))
    return Figure(LABEL_SEARCH, samples, target_ms=10.0)


def measure_lookups(store: Store, db: sqlite3.Connection, rng: random.Random) -> list[Figure]:
    """A barcode scan and a CCCD typed in, each through the service and as a bare query.

    Service and floor take turns on the same key so that both meet the same
    cache; the difference is then what the ORM and the session cost.
    """
    codes = [
        db.execute("SELECT code FROM dossier WHERE rowid = ?", (rowid,)).fetchone()[0]
        for rowid in sample_rowids(db, "dossier", LOOKUPS, rng)
    ]
    cccds = [
        db.execute("SELECT cccd FROM applicant WHERE rowid = ?", (rowid,)).fetchone()[0]
        for rowid in sample_rowids(db, "applicant", LOOKUPS, rng)
    ]

    def by_code(code: str) -> None:
        with store.read() as session:
            if get_by_code(session, code).code != code:
                raise RuntimeError(f"get_by_code({code!r}) found another dossier")

    def by_code_floor(code: str) -> None:
        if db.execute("SELECT id FROM dossier WHERE code = ?", (code,)).fetchone() is None:
            raise RuntimeError(f"no dossier {code!r}")

    def by_cccd(cccd: str) -> None:
        with store.read() as session:
            found = find_by_cccd(session, cccd)
            if found is None or found.cccd != cccd:
                raise RuntimeError(f"find_by_cccd({cccd!r}) found nobody")

    def by_cccd_floor(cccd: str) -> None:
        if db.execute("SELECT id FROM applicant WHERE cccd = ?", (cccd,)).fetchone() is None:
            raise RuntimeError(f"no applicant {cccd!r}")

    service_code, floor_code, service_cccd, floor_cccd = [], [], [], []
    for code in codes:
        service_code.append(timed(partial(by_code, code)))
        floor_code.append(timed(partial(by_code_floor, code)))
    for cccd in cccds:
        service_cccd.append(timed(partial(by_cccd, cccd)))
        floor_cccd.append(timed(partial(by_cccd_floor, cccd)))
    return [
        Figure(LABEL_BY_CODE, service_code, target_ms=5.0),
        Figure(LABEL_BY_CODE_FLOOR, floor_code),
        Figure(LABEL_BY_CCCD, service_cccd, target_ms=5.0),
        Figure(LABEL_BY_CCCD_FLOOR, floor_cccd),
    ]


# Reporting -------------------------------------------------------------------


def store_size(data_dir: Path) -> tuple[int, int]:
    """Bytes of the database file and of its write-ahead log, as the backup must copy them."""
    database = database_path(data_dir)
    wal = database.with_name(database.name + "-wal")
    return database.stat().st_size, wal.stat().st_size if wal.exists() else 0


def print_build(report: BuildReport, statuses: list[tuple[str, int]]) -> None:
    total = report.seconds_init + report.seconds_rows + report.seconds_check
    print(
        f"{LABEL_BUILD}: {report.dossiers:,} dossiers, {report.applicants:,} applicants, "
        f"{report.documents:,} documents, {report.events:,} events, "
        f"{report.slots} counter slots, {report.first_day} to {report.last_day}"
    )
    print(
        f"{LABEL_BUILD}: {total:.1f} s (initialise {report.seconds_init:.1f} s, "
        f"rows {report.seconds_rows:.1f} s, consistency checks {report.seconds_check:.1f} s)"
    )
    shares = ", ".join(f"{status} {n / report.dossiers:.1%}" for status, n in statuses)
    print(f"statuses: {shares}")


def print_figures(figures: Sequence[Figure], size: tuple[int, int], dossiers: int) -> None:
    width = max(len(f.label) for f in figures) + 2
    header = f"{'figure':<{width}}{'median ms':>11}{'p95 ms':>10}{'n':>7}   {'target':<14}result"
    print(header)
    print("-" * len(header))
    for figure in figures:
        target = f"p95 < {figure.target_ms:g} ms" if figure.target_ms is not None else "-"
        if figure.target_ms is None:
            verdict = "-"
        else:
            verdict = "PASS" if figure.p95 < figure.target_ms else "MISS"
        print(
            f"{figure.label:<{width}}{figure.median:>11.3f}{figure.p95:>10.3f}"
            f"{len(figure.samples_ms):>7}   {target:<14}{verdict}"
        )
    database, wal = size
    print("-" * len(header))
    print(
        f"{LABEL_SIZE}: {(database + wal) / 1e6:,.1f} MB (database {database / 1e6:,.1f} MB "
        f"+ WAL {wal / 1e6:,.1f} MB), {(database + wal) / dossiers / 1e3:.2f} kB per dossier"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.foundation",
        description="Build a big synthetic store and time the counter's everyday operations on it.",
    )
    parser.add_argument("--dossiers", type=int, default=DEFAULT_DOSSIERS, help="default 1,000,000")
    parser.add_argument(
        "--data-dir", type=Path, help="build here (an empty directory) instead of a temporary one"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary store afterwards")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the synthetic data")
    args = parser.parse_args(argv)
    if args.dossiers < 100:
        parser.error("--dossiers must be at least 100")
    if args.data_dir is not None and database_path(args.data_dir).exists():
        parser.error(f"{args.data_dir} already holds a store; give an empty directory")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    temporary = args.data_dir is None
    data_dir: Path = (
        Path(tempfile.mkdtemp(prefix="bench-foundation-")) if temporary else args.data_dir.resolve()
    )
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(f"store: {data_dir}", flush=True)
    try:
        report = build_store(data_dir, args.dossiers, args.seed)
        store = Store.open(data_dir)
        db = sqlite3.connect(database_path(data_dir))
        try:
            statuses = [
                (str(s), int(n))
                for s, n in db.execute(
                    "SELECT status, count(*) FROM dossier GROUP BY status ORDER BY count(*) DESC"
                )
            ]
            print_build(report, statuses)
            rng = random.Random(args.seed + 1)
            print(f"timing on {BENCH_DAY} through the services …", flush=True)
            figures = [*measure_receive(store, db, rng), measure_search(store)]
            figures += measure_lookups(store, db, rng)
            size = store_size(data_dir)
        finally:
            db.close()
            store.close()
        print()
        print_figures(figures, size, args.dossiers)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"store kept in {data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
