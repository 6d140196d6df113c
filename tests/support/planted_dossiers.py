"""Many dossiers planted straight into a store, for the list and query tests."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert, select

from counter_app.installation import load_context
from counter_app.lifecycle import OPEN_STATUSES, Status
from counter_app.models import Applicant, Dossier, Procedure
from counter_app.store import Store
from tests.support.counter_store import UNIT_CODE

BIG = 100_000


# The bulk store's "now": dossiers due after it are still being worked on.
BIG_NOW = dt.datetime(2026, 11, 16, 10, 0)


_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")


_MIDDLE = ("Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu")


_GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Phúc", "Trang")


@dataclass(frozen=True)
class Planted:
    """One dossier as the bulk loader wrote it; ``order`` is its insertion rank (the rowid)."""

    order: int
    code: str
    procedure_code: str
    applicant_name: str
    cccd: str
    received_at: dt.datetime
    due_at: dt.datetime
    status: str


def _status(rng: random.Random, due_at: dt.datetime, now: dt.datetime) -> Status:
    if due_at > now:
        return rng.choice(
            [Status.RECEIVED, Status.IN_PROCESSING, Status.IN_PROCESSING, Status.RESULT_READY]
        )
    if due_at > now - dt.timedelta(days=30) and rng.random() < 0.08:
        return rng.choice([Status.RECEIVED, Status.IN_PROCESSING, Status.SUPPLEMENT_REQUESTED])
    if rng.random() < 0.002:
        return rng.choice(sorted(OPEN_STATUSES))
    return rng.choices(
        [Status.RETURNED, Status.RESULT_READY, Status.REJECTED, Status.WITHDRAWN],
        weights=[90, 3, 4, 3],
    )[0]


def plant(store: Store, count: int, *, now: dt.datetime = BIG_NOW, seed: int = 7) -> list[Planted]:
    """Bulk-insert ``count`` received dossiers with SQLAlchemy Core, plus three drafts.

    Times fall on whole minutes, so many dossiers share a reception second and
    the list's tie-breaker is exercised; the rowid order is not the time order.
    """
    rng = random.Random(seed)

    def new_id() -> str:
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    with store.read() as session:
        procedures = sorted(session.scalars(select(Procedure.code)))
        device_id = load_context(session).device_id
    people = []
    for i in range(max(1, count // 4)):
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        people.append((new_id(), f"038{i % 4}{i:08d}", name))
    per_day = 250
    days = []
    day = now.date()
    while len(days) * per_day < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    opening = {d: dt.datetime.combine(d, dt.time(7, 30)) for d in days}
    spans = [dt.timedelta(days=d, hours=1) for d in (0, 1, 3, 5, 7, 15)]
    made = []
    for n in range(count):
        received_on = days[n // per_day]
        received_at = opening[received_on] + dt.timedelta(minutes=rng.randrange(9 * 60))
        due_at = received_at + rng.choice(spans)
        person = rng.choice(people)
        code = f"{UNIT_CODE}-{received_on:%y%m%d}-{1001 + n % per_day:04d}"
        status = _status(rng, due_at, now).value
        made.append((new_id(), code, rng.choice(procedures), person, received_at, due_at, status))
    # Inserted in id order, which is random against time: the B-tree of the primary key
    # grows at its end (quick), and the rowid (the order) is no proxy for received_at.
    made.sort()
    ids = [m[0] for m in made]
    planted = [
        Planted(i + 1, code, procedure, person[2], person[1], received_at, due_at, status)
        for i, (_, code, procedure, person, received_at, due_at, status) in enumerate(made)
    ]
    by_cccd = {cccd: person_id for person_id, cccd, _ in people}
    common = {
        "receiving_unit_code": UNIT_CODE,
        "competent_unit_code": UNIT_CODE,
        "channel": "direct",
        "return_method": "counter",
        "return_address": None,
        "sets_count": 1,
        "received_by": "lan.nt",
        "drafted_by": None,
        "device_id": device_id,
        "note": "",
    }
    rows = [
        {
            **common,
            "id": dossier_id,
            "code": p.code,
            "procedure_code": p.procedure_code,
            "applicant_id": by_cccd[p.cccd],
            "status": p.status,
            "received_at": p.received_at,
            "due_at": p.due_at,
            "created_at": p.received_at,
        }
        for dossier_id, p in zip(ids, planted, strict=True)
    ]
    drafts = [
        {
            **common,
            "id": new_id(),
            "code": None,
            "procedure_code": procedures[0],
            "applicant_id": people[0][0],
            "status": Status.DRAFT.value,
            "received_at": None,
            "due_at": None,
            "drafted_by": "hoa.lt",
            "created_at": now,
        }
        for _ in range(3)
    ]
    with store.engine.begin() as connection:
        connection.execute(
            insert(Applicant),
            [
                {
                    "id": i,
                    "cccd": c,
                    "full_name": n,
                    "address": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for i, c, n in people
            ],
        )
        connection.execute(insert(Dossier), rows)
        connection.execute(insert(Dossier), drafts)
    return planted


def newest_first(rows: list[Planted]) -> list[Planted]:
    return sorted(rows, key=lambda p: (p.received_at, p.order), reverse=True)
