"""Two counter PCs' dossiers in one store, made through the real services, for the index tests.

The store of a unit holds the dossiers of every PC of the unit (the others' come
by a pull); here the second PC's receptions are made on the same file by making
its device row "this PC" for a while, so every row is written by the services
the window calls and no sync is needed to bring them together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from counter_app.attachments import AttachmentService
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService
from counter_app.installation import ensure_unit
from counter_app.models import Device
from counter_app.reception import ReceptionRequest, ReceptionService
from counter_app.result_scans import ResultScanService
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.store import Store
from tests.support.counter_store import UNIT_CODE, applicant
from tests.support.reception import full_checklist, request
from tests.support.scans import made_pdf

NEIGHBOUR = "000.00.12.H57"
CLERK = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)
AGENT = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)
SPECIALIST = StaffIdentity("cv.hotich", "Chuyên viên hộ tịch", Role.CLERK, UNIT_CODE)
PROCEDURE = "1.001193"
MONDAY = dt.date(2026, 11, 16)
TUESDAY = dt.date(2026, 11, 17)
NOW = dt.datetime(2026, 12, 10, 12, 0)


@dataclass(frozen=True)
class TwoCounters:
    first_device: str
    second_device: str


def _use_device(store: Store, device_id: str) -> None:
    with store.write() as session:
        for device in session.scalars(select(Device)):
            device.is_this_device = device.id == device_id


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def make_two_counters(store: Store) -> TwoCounters:
    """Six dossiers; the figures each gives are written beside it."""
    with store.write() as session:
        ensure_unit(session, NEIGHBOUR, "UBND phường Quảng Phú")
        first = session.scalars(select(Device).where(Device.is_this_device.is_(True))).one()
        second = Device(unit_code=UNIT_CODE, slot=2, name="Quầy 2", is_this_device=False)
        session.add(second)
        session.flush()
        ids = TwoCounters(first.id, second.id)
    clock = FixedClock(_at(MONDAY, 8))
    reception = ReceptionService(store, clock)
    scans = AttachmentService(store, clock)
    events = DossierService(store, clock)
    results = ResultScanService(store, clock)
    returns = ReturnService(store, clock)
    seed = iter(range(1, 1000))

    def scanned_then_received(
        at: dt.datetime, cccd: str, *, skip_one: bool = False, **overrides: object
    ) -> tuple[str, dt.datetime]:
        """A draft with every document scanned (one left out if asked), received an hour on."""
        clock.at = at
        draft_id = reception.save_draft(
            ReceptionRequest(PROCEDURE, applicant(cccd=cccd), documents=()), AGENT
        )
        target = scans.open(draft_id)
        slots = target.documents[1:] if skip_one else target.documents
        for slot in slots:
            scans.attach(draft_id, slot.document_id, made_pdf(next(seed)), AGENT)
        clock.at = at + dt.timedelta(hours=1)
        receipt = reception.receive(
            request(
                store,
                draft_id=draft_id,
                procedure_code=PROCEDURE,
                applicant=applicant(cccd=cccd),
                documents=full_checklist(store, PROCEDURE),
                **overrides,
            ),
            CLERK,
        )
        return receipt.code, receipt.due_at

    def received_then_scanned(
        at: dt.datetime, cccd: str, **overrides: object
    ) -> tuple[str, dt.datetime]:
        clock.at = at
        receipt = reception.receive(
            request(
                store,
                procedure_code=PROCEDURE,
                applicant=applicant(cccd=cccd),
                documents=full_checklist(store, PROCEDURE),
                **overrides,
            ),
            CLERK,
        )
        clock.at = at + dt.timedelta(minutes=30)
        target = scans.open(receipt.code)
        for slot in target.documents:
            scans.attach(target.id, slot.document_id, made_pdf(next(seed)), CLERK)
        return receipt.code, receipt.due_at

    def resolve(code: str, at: dt.datetime) -> None:
        clock.at = at - dt.timedelta(minutes=30)
        events.record(code, "processing_started", SPECIALIST)
        clock.at = at
        events.record(code, "result_ready", SPECIALIST)

    # The first PC, Monday: four received.
    one, due_one = scanned_then_received(_at(MONDAY, 8), "001190000001", channel="postal")
    two, due_two = received_then_scanned(_at(MONDAY, 10), "001190000002")
    scanned_then_received(
        _at(MONDAY, 13), "001190000003", channel="online", competent_unit_code=NEIGHBOUR
    )
    scanned_then_received(_at(MONDAY, 14), "001190000004", skip_one=True)
    # The second PC, Tuesday: two received, one of them boundary-free, both digitized.
    _use_device(store, ids.second_device)
    five, due_five = scanned_then_received(_at(TUESDAY, 8), "001190000005")
    scanned_then_received(_at(TUESDAY, 9), "001190000006", competent_unit_code=NEIGHBOUR)
    _use_device(store, ids.first_device)
    # Results: the first on time, the second a day late, the fifth on time.
    resolve(one, due_one - dt.timedelta(hours=2))
    resolve(two, due_two + dt.timedelta(days=1))
    resolve(five, due_five - dt.timedelta(hours=1))
    # Result scans: the first's before it is handed over (counts), the fifth's only after
    # (does not), the second's never.
    clock.at = due_one - dt.timedelta(hours=1)
    results.attach(one, made_pdf(next(seed)), CLERK)
    for code, cccd, at in ((one, "001190000001", due_one), (five, "001190000005", due_five)):
        clock.at = at
        returns.hand_over(
            ReturnRequest(code, recipient_name="Trần Thị Mai", recipient_cccd=cccd), CLERK
        )
    clock.at = due_five + dt.timedelta(hours=1)
    results.attach(five, made_pdf(next(seed)), CLERK)
    return ids
