"""Six weeks at a ward counter, made through the real services, and the tally they should give.

``generate`` plans each dossier's life first (reception, processing, a
supplement, a refusal, a late or early result, the return, the fee) and then
plays every step in time order with a FixedClock, through the same services
the window calls. ``expected`` recounts a tally from the raw rows (events,
dossiers, payments) by replaying each dossier in Python, the slow obvious
way, so the SQL aggregates of ``counter_app.tallies`` are checked against an
independent reading of the definitions.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService
from counter_app.fees import FeeInput, FeeService
from counter_app.installation import ensure_unit
from counter_app.lifecycle import RUNNING_STATUSES
from counter_app.models import Dossier, DossierEvent, FeePayment
from counter_app.reception import ReceptionService
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.store import Store
from counter_app.tallies import Dimension
from counter_app.tally_queries import CLOSING
from counter_app.timeliness import Timeliness, classify
from tests.support.counter_store import UNIT_CODE, applicant
from tests.support.reception import full_checklist, request

NEIGHBOUR = "000.00.12.H57"
LAN = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)
MINH = StaffIdentity("minh.tv", "Trần Văn Minh", Role.CLERK, UNIT_CODE)
HUNG = StaffIdentity("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR, UNIT_CODE)
SPECIALIST = StaffIdentity("cv.hotich", "Chuyên viên hộ tịch", Role.CLERK, UNIT_CODE)
# Procedures with a lệ phí, a per-page phí, none, and another lệ phí.
PROCEDURES = ("1.004194", "2.000815", "1.001193", "1.004873")
FIRST_DAY = dt.date(2026, 9, 21)
LAST_DAY = dt.date(2026, 10, 31)
NOW = dt.datetime(2026, 11, 6, 12, 0)


@dataclass
class Month:
    now: dt.datetime
    codes: list[str] = field(default_factory=list)


def _people(rng: random.Random, count: int) -> list[dict[str, object]]:
    people = []
    for n in range(count):
        sex = rng.choice(["male", "female"])
        born = dt.date(rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28))
        digit = 1 if sex == "female" else 0
        people.append(
            {
                "full_name": f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Đặng'])} Thị Người {n}",
                "cccd": f"038{digit}{born.year % 100:02d}{100000 + n:06d}",
                "sex": sex,
                "date_of_birth": born,
            }
        )
    return people


def generate(store: Store, seed: int = 7, per_day: int = 7) -> Month:
    """Dossiers received on every weekday from FIRST_DAY to LAST_DAY, lived until NOW."""
    rng = random.Random(seed)
    with store.write() as session:
        ensure_unit(session, NEIGHBOUR, "UBND phường Quảng Phú")
    clock = FixedClock(dt.datetime.combine(FIRST_DAY, dt.time(7, 0)))
    reception = ReceptionService(store, clock)
    events = DossierService(store, clock)
    fees = FeeService(store, clock)
    returns = ReturnService(store, clock)
    people = _people(rng, 40)
    month = Month(NOW)
    # (when, order, action); the order keeps same-moment steps of one dossier in sequence.
    plan: list[tuple[dt.datetime, int, Callable[[], None]]] = []
    counter = iter(range(10**9))

    def at(moment: dt.datetime, action: Callable[[], None]) -> None:
        heapq.heappush(plan, (moment, next(counter), action))

    def receive(moment: dt.datetime) -> None:
        procedure = rng.choice(PROCEDURES)
        person = rng.choice(people)
        channel = rng.choices(["direct", "postal", "online"], [7, 2, 1])[0]
        boundary_free = rng.random() < 0.1
        clerk = rng.choice([LAN, MINH])
        fate = rng.random()

        def act() -> None:
            receipt = reception.receive(
                request(
                    store,
                    procedure_code=procedure,
                    documents=full_checklist(store, procedure),
                    applicant=applicant(**person),
                    channel=channel,
                    competent_unit_code=NEIGHBOUR if boundary_free else None,
                ),
                clerk,
            )
            month.codes.append(receipt.code)
            _life(receipt.code, str(person["cccd"]), str(person["full_name"]), procedure,
                  receipt.received_at, receipt.due_at, fate)  # fmt: skip

        at(moment, act)

    def record(code: str, kind: str, who: StaffIdentity, note: str = "") -> Callable[[], None]:
        def run() -> None:
            if kind == "supplement_requested":
                events.request_supplement(code, ["Bản sao"], note, who)
            else:
                events.record(code, kind, who, note)

        return run

    def apologise(code: str, new_date: dt.datetime) -> Callable[[], None]:
        def run() -> None:
            events.extend(code, new_date, "Cần xác minh thêm", HUNG, "Cơ quan phối hợp chậm")

        return run

    def _life(code: str, cccd: str, name: str, procedure: str, received: dt.datetime,
              due: dt.datetime, fate: float) -> None:  # fmt: skip
        hour = dt.timedelta(hours=1)
        day = dt.timedelta(days=1)
        paid_early = procedure != "1.001193" and rng.random() < 0.5
        if paid_early:
            method = rng.choice(["cash", "cash", "transfer", "exempt"])
            # pages: what a certified copy (per page) is charged by; other procedures ignore it
            at_reception = FeeInput(
                method, reference="FT2610", exemption_reason="Hộ nghèo", pages=3
            )
            collector = rng.choice([LAN, MINH])

            def pay() -> None:
                fees.collect(code, at_reception, "reception", collector)

            at(received + dt.timedelta(minutes=5), pay)
        if fate < 0.04:
            at(received + day, record(code, "rejected", SPECIALIST, "Không thuộc thẩm quyền"))
            return
        if fate < 0.07:
            at(received + 2 * hour, record(code, "withdrawn", LAN, "Người nộp rút hồ sơ"))
            return
        if fate < 0.09:
            at(received + 2 * day, record(code, "stopped", SPECIALIST, "Người nộp đề nghị dừng"))
            return
        start = received + hour
        if fate < 0.17:
            at(start, record(code, "supplement_requested", SPECIALIST, "Thiếu bản sao"))
            if fate < 0.13:
                return  # still waiting (or waiting at the end of the month)
            start += 3 * day
            at(start, record(code, "supplement_received", LAN))
            due = due + 3 * day  # the result is planned against the appointment, roughly
        at(start + dt.timedelta(minutes=10), record(code, "processing_started", SPECIALIST))
        if fate > 0.9:
            if fate > 0.95:
                # Past the apology's deadline (Lai Châu 88/2025/QĐ-UBND): the supervisor allows it.
                at(due + hour, apologise(code, due + 10 * day))
            return  # no result yet: open at the end, overdue or not
        luck = rng.random()
        ready = (
            due - day if luck < 0.4 else due - dt.timedelta(minutes=20) if luck < 0.8 else due + day
        )
        ready = max(ready, start + dt.timedelta(minutes=30))
        at(ready, record(code, "result_ready", SPECIALIST))
        if rng.random() < 0.2:
            return  # nobody came for it yet
        back = ready + dt.timedelta(hours=rng.randint(1, 96))
        by_post = rng.random() < 0.15
        at_return = None
        if not paid_early and procedure != "1.001193":
            at_return = FeeInput(rng.choice(["cash", "transfer"]), reference="FT2611", pages=3)
        returned = ReturnRequest(
            code,
            method="post" if by_post else "counter",
            recipient_name=name,
            recipient_cccd="" if by_post else cccd,
            tracking_number="EB123456789VN" if by_post else "",
            fee=at_return,
        )
        who = rng.choice([LAN, MINH, HUNG])

        def hand_over() -> None:
            returns.hand_over(returned, who)

        at(back, hand_over)

    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            for _ in range(per_day):
                minute = rng.randint(7 * 60 + 30, 16 * 60 + 30)
                receive(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))
        day += dt.timedelta(days=1)
    while plan:
        moment, _order, action = heapq.heappop(plan)
        if moment > NOW:
            break  # everything later has not happened yet
        clock.at = moment
        action()
    return month


# The tally, recounted from the raw rows --------------------------------------------

Expected = dict[Dimension, dict[str, Counter[str]]]


def expected(
    store: Store, first: dt.date, last: dt.date, now: dt.datetime
) -> tuple[Expected, Counter[str]]:
    """The figures of each view and the total, replaying every dossier of the unit."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    ref = min(end, now)
    with store.read() as session:
        dossiers = session.execute(
            select(
                Dossier.id, Dossier.procedure_code, Dossier.received_by, Dossier.channel,
                Dossier.received_at, Dossier.due_at, Dossier.status, Dossier.first_due_at,
            ).where(Dossier.receiving_unit_code == UNIT_CODE, Dossier.received_at.is_not(None))
        ).all()  # fmt: skip
        history: dict[str, list[DossierEvent]] = defaultdict(list)
        for event in session.scalars(select(DossierEvent).order_by(DossierEvent.seq)):
            history[event.dossier_id].append(event)
        moments = {
            d: [(e.kind, e.at, e.actor, e.status_after) for e in evs] for d, evs in history.items()
        }
        # Decree 297/2025 art. 6(4)(a): each received supplement's recomputed appointment.
        restarts = {
            d: [(e.at, dt.datetime.fromisoformat(e.data["due_at"])) for e in evs
                if e.kind == "supplement_received" and e.data.get("due_at")]
            for d, evs in history.items()
        }  # fmt: skip
        payments = session.execute(
            select(FeePayment.dossier_id, FeePayment.method, FeePayment.amount_vnd,
                   FeePayment.collected_at, FeePayment.collected_by)
        ).all()  # fmt: skip
    views: Expected = {dimension: defaultdict(Counter) for dimension in Dimension}
    total: Counter[str] = Counter()
    info = {}

    def add(procedure: str, clerk: str, channel: str, name: str, amount: int = 1) -> None:
        for dimension, key in ((Dimension.PROCEDURE, procedure), (Dimension.CLERK, clerk),
                               (Dimension.CHANNEL, channel)):  # fmt: skip
            views[dimension][key][name] += amount
        total[name] += amount

    for dossier_id, procedure, clerk, channel, received, due, status, first_due in dossiers:
        info[dossier_id] = (procedure, clerk, channel)
        steps = moments.get(dossier_id, [])
        closed = next((when for kind, when, _a, _s in steps if kind in CLOSING), None)

        def open_at(moment: dt.datetime) -> bool:
            return received < moment and (closed is None or closed >= moment)  # noqa: B023

        if start <= received < end:
            add(
                procedure,
                clerk,
                channel,
                {"postal": "new_postal", "online": "new_online"}.get(channel, "new_counter"),
            )
        if open_at(start):
            add(procedure, clerk, channel, "carried_over")
        if open_at(ref):
            state = [after for _k, when, _a, after in steps if when < ref][-1]
            # The appointment in force then: a later supplement moved it since.
            moved = [new for when, new in restarts.get(dossier_id, []) if when < ref]
            due_then = moved[-1] if moved else (first_due or due)
            late = due_then < ref
            name = ("waiting_supplement" if state == "supplement_requested"
                    else "in_progress_overdue" if late else "in_progress_not_due")  # fmt: skip
            add(procedure, clerk, channel, name)
        # Not while waiting for a supplement: Decree 297/2025 art. 6(4)(a).
        if status in RUNNING_STATUSES and due < now:
            add(procedure, clerk, channel, "overdue_now")
        for kind, when, actor, _after in steps:
            if not start <= when < end:
                continue
            if kind == "result_ready":
                add(procedure, clerk, channel, {
                    Timeliness.EARLY: "resolved_early", Timeliness.ON_TIME: "resolved_on_time",
                    Timeliness.LATE: "resolved_late"}[classify(when, due)])  # fmt: skip
            elif kind == "returned":
                add(procedure, actor, channel, "returned")
            elif kind == "rejected":
                add(procedure, clerk, channel, "refused")
            elif kind in ("withdrawn", "stopped"):
                add(procedure, clerk, channel, "withdrawn")
            elif kind == "supplement_requested":
                add(procedure, clerk, channel, "supplement_requested")
    for dossier_id, method, amount, when, collector in payments:
        if dossier_id not in info or not start <= when < end:
            continue
        procedure, _clerk, channel = info[dossier_id]
        if method == "exempt":
            add(procedure, collector, channel, "exemptions")
        else:
            add(procedure, collector, channel, f"fees_{method}_vnd", amount)
            add(procedure, collector, channel, "fee_payments")
    return views, total
