"""Receiving a dossier: one transaction writes everything, or nothing at all."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from counter_app.auth import Role, StaffIdentity
from counter_app.calendar_source import declare_day
from counter_app.clock import FixedClock
from counter_app.errors import NotAllowed, NotFound, ValidationError
from counter_app.installation import ensure_unit
from counter_app.lifecycle import Status
from counter_app.models import (
    Applicant,
    AuditEntry,
    CodeSequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    OutboxEntry,
)
from counter_app.reception import ReceptionRequest, ReceptionService
from counter_app.store import Store
from tests.support.counter_store import UNIT_CODE, applicant
from tests.support.reception import full_checklist, request


def counts(store: Store) -> dict[str, int]:
    tables = (Dossier, DossierDocument, DossierEvent, OutboxEntry, AuditEntry, Applicant)
    with store.read() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in tables
        }


def test_receive_writes_dossier_checklist_event_outbox_and_audit(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    receipt = service.receive(request(store), clerk)

    assert receipt.code == f"{UNIT_CODE}-261116-1001"
    assert receipt.received_at == clock.now()
    assert receipt.due_at > receipt.received_at
    with store.read() as session:
        dossier = session.get(Dossier, receipt.dossier_id)
        assert dossier is not None
        assert dossier.status == Status.RECEIVED
        assert dossier.receiving_unit_code == dossier.competent_unit_code == UNIT_CODE
        assert dossier.received_by == "lan.nt"
        assert all(d.received for d in dossier.documents)
        assert len(dossier.documents) == len(full_checklist(store))
        assert [e.kind for e in dossier.events] == ["received"]
        outbox = session.scalars(select(OutboxEntry)).all()
        assert len(outbox) == 1
        assert outbox[0].payload["code"] == receipt.code
        assert outbox[0].payload["applicant"]["cccd"] == "001190012345"
        assert outbox[0].payload["events"][0]["kind"] == "received"
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "dossier.receive" in actions


@pytest.mark.parametrize("table", ["outbox_entry", "audit_entry", "dossier_event"])
def test_failure_part_way_leaves_no_row_and_no_number_used(
    store: Store, clock: FixedClock, clerk: StaffIdentity, table: str
) -> None:
    service = ReceptionService(store, clock)
    before = counts(store)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    with pytest.raises(Exception, match="injected failure"):
        service.receive(request(store), clerk)
    assert counts(store) == before
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(CodeSequence)) == 0

    with store.engine.begin() as connection:
        connection.execute(text(f"DROP TRIGGER fail_{table}"))
    receipt = service.receive(request(store), clerk)
    assert receipt.code.endswith("-1001"), "the failed attempt must give its number back"


def test_missing_mandatory_document_is_refused_by_name(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    checklist = full_checklist(store)
    with pytest.raises(ValidationError) as caught:
        ReceptionService(store, clock).receive(request(store, documents=checklist[1:]), clerk)
    assert "Còn thiếu giấy tờ bắt buộc" in caught.value.errors["documents"]
    assert counts(store)["dossier"] == 0


def test_every_bad_field_is_named_at_once(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    bad = request(
        store,
        applicant=applicant(full_name=" ", cccd="001190012", phone="12345", email="a@"),
        return_method="post",
        return_address="",
        sets_count=0,
    )
    with pytest.raises(ValidationError) as caught:
        ReceptionService(store, clock).receive(bad, clerk)
    assert set(caught.value.errors) == {
        "full_name",
        "cccd",
        "phone",
        "email",
        "return_address",
        "sets_count",
    }
    assert "12 chữ số" in caught.value.errors["cccd"]


def test_applicant_is_found_again_and_brought_up_to_date(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    first = service.receive(request(store), clerk)
    clock.advance(minutes=10)
    second = service.receive(
        request(store, applicant=applicant(phone="+84 987 654 321", full_name="trần  thị mai")),
        clerk,
    )
    with store.read() as session:
        a = session.get(Dossier, first.dossier_id)
        b = session.get(Dossier, second.dossier_id)
        assert a is not None and b is not None
        assert a.applicant_id == b.applicant_id
        assert b.applicant.phone == "0987654321"
        assert session.scalar(select(func.count()).select_from(Applicant)) == 1
    assert second.code.endswith("-1002")


def test_boundary_free_reception_for_another_unit(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    with pytest.raises(ValidationError) as caught:
        service.receive(request(store, competent_unit_code="000.00.12.H57"), clerk)
    assert "competent_unit" in caught.value.errors
    with store.write() as session:
        ensure_unit(session, "000.00.12.H57", "UBND phường Quảng Phú")
    receipt = service.receive(request(store, competent_unit_code="000.00.12.H57"), clerk)
    with store.read() as session:
        dossier = session.get(Dossier, receipt.dossier_id)
        assert dossier is not None
        assert dossier.receiving_unit_code == UNIT_CODE
        assert dossier.competent_unit_code == "000.00.12.H57"
    assert receipt.code.startswith(UNIT_CODE), "the code names the receiving unit"


def test_postal_agent_drafts_and_clerk_receives(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    agent = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)
    service = ReceptionService(store, clock)
    checklist = full_checklist(store)
    draft_id = service.save_draft(request(store, documents=checklist[:1], channel="postal"), agent)
    with pytest.raises(NotAllowed):
        service.receive(request(store, draft_id=draft_id), agent)
    assert [d[0] for d in service.drafts()] == [draft_id]
    assert counts(store)["outbox_entry"] == 0, "a draft is not sent to the province"

    loaded = service.draft_request(draft_id)
    assert loaded.channel == "postal"
    assert loaded.applicant.cccd == "001190012345"
    clock.advance(hours=1)
    completed = ReceptionRequest(**{**loaded.__dict__, "documents": checklist})
    receipt = service.receive(completed, clerk)
    assert receipt.dossier_id == draft_id
    assert service.drafts() == []
    with store.read() as session:
        dossier = session.get(Dossier, draft_id)
        assert dossier is not None
        assert [e.kind for e in dossier.events] == ["drafted", "received"]
        assert dossier.drafted_by == "hoa.lt" and dossier.received_by == "lan.nt"
    with pytest.raises(NotFound):
        service.draft_request(draft_id)


def test_after_hours_reception_counts_from_next_working_day(
    store: Store, clerk: StaffIdentity
) -> None:
    friday_evening = FixedClock(dt.datetime(2026, 11, 20, 17, 30))
    service = ReceptionService(store, friday_evening)
    # Same-day birth registration, received after hours: due at Monday's close.
    same_day = service.receive(request(store), clerk)
    assert same_day.due_at == dt.datetime(2026, 11, 23, 17, 0)
    assert same_day.code.split("-")[1] == "261120", "the code keeps the reception date"
    # Temporary residence, 3 working days from Monday 07:30; Tuesday 24th is a public holiday.
    residence = service.receive(
        request(store, procedure_code="1.004194", documents=full_checklist(store, "1.004194")),
        clerk,
    )
    assert residence.due_at == dt.datetime(2026, 11, 27, 7, 30)


def test_days_the_province_declares_move_the_appointment(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    residence = "1.004194"  # temporary residence: 3 working days
    assert service.appointment(residence) == dt.datetime(2026, 11, 19, 9, 0)
    with store.write() as session:
        declare_day(session, dt.date(2026, 11, 18), "day_off", "Nghỉ bù do tỉnh công bố")
    assert service.appointment(residence) == dt.datetime(2026, 11, 20, 9, 0)
    with store.write() as session:
        declare_day(session, dt.date(2026, 11, 21), "working_day", "Thứ Bảy làm bù")
    received_friday = dt.datetime(2026, 11, 20, 9, 0)
    # Friday + Saturday (make-up) + Monday; Tuesday 24th is a public holiday.
    assert service.appointment(residence, received_friday) == dt.datetime(2026, 11, 25, 9, 0)
    with store.write() as session, pytest.raises(ValidationError):
        declare_day(session, dt.date(2026, 11, 21), "half_day", "?")


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        pytest.param(
            dt.datetime(2026, 11, 16, 15, 0, 0), dt.datetime(2026, 11, 16, 17), id="15:00:00"
        ),
        pytest.param(
            dt.datetime(2026, 11, 16, 15, 0, 1), dt.datetime(2026, 11, 17, 17), id="15:00:01"
        ),
    ],
)
@pytest.mark.parametrize("procedure_code", ["2.000913", "2.000927"])
def test_the_catalog_cut_off_reaches_the_appointment(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    procedure_code: str,
    received_at: dt.datetime,
    expected: dt.datetime,
) -> None:
    # Certifying amendments (2.000913) and correcting errors (2.000927) in contracts are
    # same-day with the 15:00 cut-off: Decision 3152/QĐ-BTP (2025) after Decree 280/2025,
    # published by Hà Tĩnh 2873/QĐ-UBND of 19/11/2025. "Sau 15 giờ" starts after 15:00:00.
    service = ReceptionService(store, clock)
    assert service.appointment(procedure_code, received_at) == expected
    clock.at = received_at
    documents = full_checklist(store, procedure_code)
    receipt = service.receive(
        request(store, procedure_code=procedure_code, documents=documents), clerk
    )
    assert receipt.due_at == expected
