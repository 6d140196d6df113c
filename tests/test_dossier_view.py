"""The read model behind the detail screen and the printed forms."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import demo
from counter_app.auth import StaffIdentity
from counter_app.catalog import procedure_info
from counter_app.clock import FixedClock
from counter_app.codes import parse_code
from counter_app.dossier_view import (
    ApplicantView,
    DocumentLine,
    DossierView,
    EventLine,
    RepresentativeView,
    UnitView,
    load_dossier_view,
    procedure_fields,
    read_dossier_view,
)
from counter_app.dossiers import DossierService
from counter_app.errors import NotFound
from counter_app.models import CodeSequence, Dossier, StaffUser, Unit
from counter_app.reception import ReceptionService
from counter_app.store import Store
from counter_app.store_read import reading
from tests.support.counter_store import UNIT_CODE, UNIT_NAME
from tests.support.reception import request


def test_view_carries_what_the_forms_print(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    first = service.receive(request(store), clerk)
    clock.advance(days=1)
    second = service.receive(request(store), clerk)
    DossierService(store, clock).record(second.code, "processing_started", clerk, note="Chuyển")
    with store.read() as session:
        view = load_dossier_view(session, second.code.lower())
        earlier = load_dossier_view(session, first.code)
    assert view.code == second.code
    assert view.receiving_unit.name == UNIT_NAME and view.competent_unit.code == UNIT_CODE
    assert not view.boundary_free
    assert view.procedure_name == "Đăng ký khai sinh"
    assert view.applicant.full_name == "Trần Thị Mai"
    assert view.received_at == dt.datetime(2026, 11, 17, 9, 0)
    assert all(line.received for line in view.documents)
    assert [e.label for e in view.events] == ["Tiếp nhận hồ sơ", "Chuyển xử lý"]
    assert view.status_label == "Đang giải quyết"
    assert (earlier.book_volume, earlier.book_entry) == ("2026/Q1", 1)
    assert (view.book_volume, view.book_entry) == ("2026/Q1", 2)


def test_unknown_code_is_not_found(store: Store) -> None:
    with (
        store.read() as session,
        pytest.raises(NotFound, match=re.escape("000.00.11.H57-261116-1999")),
    ):
        load_dossier_view(session, "000.00.11.H57-261116-1999")


def test_the_plain_sql_reads_every_column_as_the_models_do(tmp_path: Path) -> None:
    """The view is read by plain SQL (the CLI's path through sqlite3 alone and the window's
    session alike); every field must be what the ORM reads from the same rows."""
    data_dir = tmp_path / "counter"
    store = Store.open(data_dir)
    demo.fill(store, FixedClock(dt.datetime(2026, 11, 20, 16, 0)))
    with store.write() as session:  # a representative and a fee per page, which demo lacks
        dossier = session.scalars(select(Dossier).where(Dossier.code.is_not(None))).first()
        assert dossier is not None
        dossier.representative_name, dossier.representative_relation = "Lê Văn Tư", None
        dossier.procedure.fee_schedule = {
            "kind": "per_page",
            "tiers": [
                {"from_page": 1, "vnd_per_page": 2000},
                {"from_page": 3, "vnd_per_page": 1000},
            ],
            "cap_vnd": 200000,
        }
        dossier.procedure.processing_amount = Decimal("0.5")
        dossier.procedure.cutoff = "15:30"
    with store.read() as session:
        dossiers = session.scalars(
            select(Dossier).where(Dossier.code.is_not(None)).order_by(Dossier.code)
        ).all()
        assert len(dossiers) > 10
        for dossier in dossiers:
            assert dossier.code is not None
            with reading(data_dir) as db:
                plain = read_dossier_view(db, dossier.code)
            assert load_dossier_view(session, dossier.code) == plain
            assert plain == expected_view(session, dossier)
    store.close()


def expected_view(session: Session, dossier: Dossier) -> DossierView:
    """The view built from the ORM's objects: what the SQL must agree with."""
    assert dossier.code and dossier.received_at and dossier.due_at and dossier.received_by
    procedure = procedure_info(dossier.procedure)
    names = {u.username: u.full_name for u in session.scalars(select(StaffUser))}
    unit_names = {u.code: u.name for u in session.scalars(select(Unit))}
    person = dossier.applicant
    parsed = parse_code(dossier.code)
    assert parsed is not None
    earlier = sum(
        s.last_number
        for s in session.scalars(select(CodeSequence))
        if (s.unit_code, s.slot) == (parsed.unit_code, parsed.slot)
        and dt.date(parsed.day.year, 1, 1) <= s.day < parsed.day
    )
    return DossierView(
        id=dossier.id,
        code=dossier.code,
        status=dossier.status,
        **procedure_fields(procedure),
        receiving_unit=UnitView(
            dossier.receiving_unit_code, unit_names[dossier.receiving_unit_code]
        ),
        competent_unit=UnitView(
            dossier.competent_unit_code,
            unit_names.get(dossier.competent_unit_code, dossier.competent_unit_code),
        ),
        channel=dossier.channel,
        return_method=dossier.return_method,
        return_address=dossier.return_address,
        sets_count=dossier.sets_count,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        received_by=dossier.received_by,
        received_by_name=names[dossier.received_by],
        applicant=ApplicantView(
            person.full_name,
            person.cccd,
            person.date_of_birth,
            person.sex,
            person.address,
            person.phone,
            person.email,
        ),
        documents=tuple(
            DocumentLine(d.position, d.name, d.form, d.count, d.received, d.attachment_sha256)
            for d in dossier.documents
        ),
        events=tuple(
            EventLine(
                e.seq,
                e.kind,
                e.status_after,
                e.at,
                e.actor,
                names.get(e.actor, e.actor),
                e.unit_code,
                e.note,
                dict(e.data),
            )
            for e in sorted(dossier.events, key=lambda e: e.seq)
        ),
        book_volume=f"{dossier.received_at.year}/Q{parsed.slot}",
        book_entry=earlier + parsed.number - parsed.slot * 1000,
        note=dossier.note,
        first_due_at=dossier.first_due_at or dossier.due_at,
        extended_due_at=dossier.extended_due_at,
        representative=(
            RepresentativeView(
                dossier.representative_name,
                dossier.representative_cccd,
                dossier.representative_relation or "",
            )
            if dossier.representative_name
            else None
        ),
    )
