"""Demo data: a realistic few working days at one counter, made through the real services.

Every dossier is received by ``ReceptionService`` with the clock set back to
the moment it "happened", so the codes, appointment dates, events, outbox and
audit rows are exactly what a real day leaves behind.

Demo data goes only into a data directory made for it: ``fill`` initialises an
empty directory itself and leaves a marker file there; a directory that a real
``counter-app init`` made (no marker), or one enrolled with the province, is
refused. Otherwise a demo run on a live counter would add accounts with the
published password and queue dozens of invented dossiers, under the real unit
code, for the next sync to push to the province.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app import auth, private
from counter_app.applicants import ApplicantInput
from counter_app.auth import Role, StaffIdentity
from counter_app.calendar_source import CalendarSource
from counter_app.clock import Clock, FixedClock
from counter_app.dossiers import DossierService
from counter_app.errors import CounterError
from counter_app.installation import CounterContext, ensure_unit, initialise, load_context
from counter_app.models import Device, Dossier, Procedure, StaffUser
from counter_app.paths import ENROLMENT_FILE
from counter_app.reception import DocumentCheck, ReceptionRequest, ReceptionService
from counter_app.store import Store
from counter_app.validation import CCCD_PROVINCE_CODES

# Left in a data directory that ``fill`` initialised: only such a directory takes demo data.
MARKER_FILE = "demo-data-dir.txt"
MARKER_TEXT = "Thư mục dữ liệu mẫu (counter-app demo); không dùng cho quầy thật.\n"
DEMO_UNIT_CODE = "000.00.11.H57"
DEMO_UNIT_NAME = "UBND phường Hạc Thành"
NEIGHBOUR_UNIT_CODE = "000.00.12.H57"
NEIGHBOUR_UNIT_NAME = "UBND phường Quảng Phú"
DEMO_PASSWORD = "demo1234"
DEMO_STAFF = (
    ("admin", "Quản trị hệ thống", Role.ADMIN),
    ("lan.nt", "Nguyễn Thị Lan", Role.CLERK),
    ("minh.tv", "Trần Văn Minh", Role.CLERK),
    ("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT),
    ("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR),
)

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
_MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành"]
_MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim"]
_GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Phúc", "Tuấn"]
_GIVEN_F = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Linh", "Mai", "Nga", "Phương", "Trang"]
_STREETS = ["Lê Lợi", "Trần Phú", "Bà Triệu", "Hàm Nghi", "Nguyễn Trãi", "Phan Bội Châu"]


class DemoRefused(CounterError):
    """The data directory belongs to a real counter: demo data never goes there."""


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    dossiers: int
    drafts: int


def _person(rng: random.Random, today: dt.date) -> ApplicantInput:
    sex = rng.choice(["male", "female"])
    born = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    century_digit = (0 if born.year < 2000 else 2) + (1 if sex == "female" else 0)
    province = rng.choice(sorted(CCCD_PROVINCE_CODES))
    cccd = f"{province}{century_digit}{born.year % 100:02d}{rng.randint(0, 999_999):06d}"
    middle = rng.choice(_MIDDLE_F if sex == "female" else _MIDDLE_M)
    given = rng.choice(_GIVEN_F if sex == "female" else _GIVEN_M)
    return ApplicantInput(
        full_name=f"{rng.choice(_FAMILY)} {middle} {given}",
        address=f"Số {rng.randint(1, 200)} đường {rng.choice(_STREETS)}, phường Hạc Thành",
        cccd=cccd,
        date_of_birth=born,
        sex=sex,
        phone=f"09{rng.randint(0, 99_999_999):08d}",
    )


def initialise_demo_unit(store: Store, at: dt.datetime) -> None:
    """The store set up as ``counter-app init`` leaves it, under the demo's unit and admin."""
    initialise(
        store,
        unit_code=DEMO_UNIT_CODE,
        unit_name=DEMO_UNIT_NAME,
        slot=1,
        admin_username="admin",
        admin_password=DEMO_PASSWORD,
        admin_full_name="Quản trị hệ thống",
        at=at,
    )


def fill(store: Store, clock: Clock, *, working_days: int = 5, seed: int = 2025) -> DemoSummary:
    """Give ``store`` a demo unit, staff and a few days of dossiers, unless it has dossiers.

    Raises ``DemoRefused`` for a data directory not made for the demo.
    """
    now = clock.now()
    with store.read() as session:
        initialised = session.scalar(select(func.count()).select_from(Device)) or 0
        has_dossiers = session.scalar(select(func.count()).select_from(Dossier)) or 0
    _check_made_for_demo(store, bool(initialised))
    if initialised and has_dossiers:
        return DemoSummary(False, 0, 0)
    if not initialised:
        if store.data_dir is not None:
            with open(private.open_new(store.data_dir / MARKER_FILE), "w", encoding="utf-8") as f:
                f.write(MARKER_TEXT)
        initialise_demo_unit(store, now)
    with store.write() as session:
        context = load_context(session)
        ensure_unit(session, NEIGHBOUR_UNIT_CODE, NEIGHBOUR_UNIT_NAME)
        staff = {
            username: _ensure_user(session, username, full_name, role, context, now)
            for username, full_name, role in DEMO_STAFF
        }
        procedures = list(
            session.execute(select(Procedure).where(Procedure.active.is_(True))).scalars()
        )
        catalogue = [(p.code, [r.id for r in p.requirements if r.active]) for p in procedures]
    return _make_days(store, clock, staff, catalogue, context, working_days, seed)


def _check_made_for_demo(store: Store, initialised: bool) -> None:
    data_dir = store.data_dir
    if data_dir is None:
        return  # an in-memory store of a test or a screenshot: nothing real there
    if (data_dir / ENROLMENT_FILE).exists() or (
        initialised and not (data_dir / MARKER_FILE).is_file()
    ):
        raise DemoRefused(
            f"Thư mục {data_dir} là dữ liệu của một quầy thật (đã khởi tạo hoặc đã đăng ký với "
            "máy chủ tỉnh); dữ liệu mẫu không được thêm vào đây. Hãy dùng thư mục trống: "
            "counter-app --data-dir THƯ_MỤC_MỚI demo"
        )


def _ensure_user(
    session: Session,
    username: str,
    full_name: str,
    role: Role,
    context: CounterContext,
    now: dt.datetime,
) -> StaffIdentity:
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
        return StaffIdentity(username, full_name, role, context.unit_code)
    return auth.add_user(
        session,
        username=username,
        full_name=full_name,
        role=role,
        password=DEMO_PASSWORD,
        unit_code=context.unit_code,
        at=now,
        by="counter-app demo",
    )


def _make_days(
    store: Store,
    clock: Clock,
    staff: dict[str, StaffIdentity],
    catalogue: list[tuple[str, list[int]]],
    context: CounterContext,
    working_days: int,
    seed: int,
) -> DemoSummary:
    rng = random.Random(seed)
    today = clock.now().date()
    calendar = CalendarSource()
    with store.read() as session:
        work_calendar = calendar.get(session)
    days: list[dt.date] = []
    day = today
    while len(days) < working_days:
        if work_calendar.is_working_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    days.reverse()
    sim = FixedClock(dt.datetime.combine(days[0], dt.time(7, 30)))
    reception = ReceptionService(store, sim, calendar)
    events = DossierService(store, sim)
    clerks = [staff["lan.nt"], staff["minh.tv"]]
    regulars = [_person(rng, today) for _ in range(12)]
    received: list[tuple[str, dt.datetime, dt.datetime]] = []
    for day in days:
        last_hour = 16 if day != today else max(8, min(16, clock.now().hour))
        moments = sorted(
            dt.datetime.combine(day, dt.time(rng.randint(7, last_hour), rng.randint(0, 59)))
            for _ in range(rng.randint(8, 14))
        )
        for moment in moments:
            if moment < dt.datetime.combine(day, dt.time(7, 35)) or moment > clock.now():
                continue
            sim.at = moment
            code, requirement_ids = rng.choice(catalogue)
            person = rng.choice(regulars) if rng.random() < 0.3 else _person(rng, today)
            boundary_free = rng.random() < 0.1
            by_post = rng.random() < 0.15
            request = ReceptionRequest(
                procedure_code=code,
                applicant=person,
                documents=tuple(DocumentCheck(r) for r in requirement_ids),
                competent_unit_code=NEIGHBOUR_UNIT_CODE if boundary_free else None,
                return_method="post" if by_post else "counter",
                return_address=person.address if by_post else None,
                channel="postal" if rng.random() < 0.2 else "direct",
            )
            receipt = reception.receive(request, rng.choice(clerks))
            received.append((receipt.code, receipt.received_at, receipt.due_at))
    _advance(events, received, staff, clock.now(), rng, sim)
    drafts = 0
    for _ in range(2):
        code, requirement_ids = rng.choice(catalogue)
        sim.at = clock.now()
        reception.save_draft(
            ReceptionRequest(
                procedure_code=code,
                applicant=_person(rng, today),
                documents=tuple(DocumentCheck(r) for r in requirement_ids[:1]),
                channel="postal",
            ),
            staff["hoa.lt"],
        )
        drafts += 1
    return DemoSummary(True, len(received), drafts)


def _advance(
    events: DossierService,
    received: list[tuple[str, dt.datetime, dt.datetime]],
    staff: dict[str, StaffIdentity],
    now: dt.datetime,
    rng: random.Random,
    sim: FixedClock,
) -> None:
    """Move dossiers along as the departments and the counter would have: most on time,
    a few late, some still open and a few of those overdue."""
    clerk = staff["lan.nt"]
    for code, received_at, due in received:
        luck = rng.random()
        started = min(now, received_at + dt.timedelta(hours=1))
        if due < now and luck < 0.75:
            done = min(now, received_at + (due - received_at) * rng.uniform(0.3, 1.2))
            for kind, at in (("processing_started", started), ("result_ready", max(started, done))):
                sim.at = at
                events.record(code, kind, clerk)
            if luck < 0.55:
                sim.at = min(now, max(started, done) + dt.timedelta(hours=rng.randint(1, 6)))
                events.record(code, "returned", clerk, note="Trả tận tay người nộp")
        elif luck < 0.3:
            sim.at = started
            events.record(code, "processing_started", clerk)
        elif luck < 0.35:
            sim.at = started
            events.record(code, "supplement_requested", clerk, note="Bổ sung bản sao giấy tờ")
