"""A dossier as people read it: the detail screen and every printed form use this view.

Plain frozen data, detached from the session, so a form can be rendered on
another thread and a screen can keep it after its session closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from counter_app.catalog import DOCUMENT_FORMS, ProcedureInfo, procedure_info
from counter_app.codes import parse_code
from counter_app.dossiers import get_by_code
from counter_app.fee_schedule import FeeSchedule
from counter_app.lifecycle import STATUS_LABELS, Status
from counter_app.models import CodeSequence, Dossier, StaffUser, Unit

EVENT_LABELS = {
    "drafted": "Lập hồ sơ nháp",
    "received": "Tiếp nhận hồ sơ",
    "processing_started": "Chuyển xử lý",
    "supplement_requested": "Yêu cầu bổ sung",
    "supplement_received": "Nhận hồ sơ bổ sung",
    "result_ready": "Có kết quả",
    "returned": "Trả kết quả",
    "rejected": "Từ chối",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng giải quyết",
    "extended": "Xin lỗi, hẹn lại ngày trả",
}
CHANNEL_LABELS = {"direct": "Trực tiếp", "postal": "Qua bưu chính công ích", "online": "Trực tuyến"}
RETURN_LABELS = {"counter": "Tại Bộ phận Một cửa", "post": "Qua dịch vụ bưu chính công ích"}


@dataclass(frozen=True)
class UnitView:
    code: str
    name: str


@dataclass(frozen=True)
class ApplicantView:
    full_name: str
    cccd: str | None
    date_of_birth: dt.date | None
    sex: str | None
    address: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class RepresentativeView:
    """Who filed on the applicant's behalf (người được ủy quyền), printed beside them."""

    full_name: str
    cccd: str | None
    relation: str


@dataclass(frozen=True)
class DocumentLine:
    position: int
    name: str
    form: str
    count: int
    received: bool
    attachment_sha256: str | None

    @property
    def form_label(self) -> str:
        return DOCUMENT_FORMS.get(self.form, self.form)


@dataclass(frozen=True)
class EventLine:
    seq: int
    kind: str
    status_after: str
    at: dt.datetime
    actor: str
    actor_name: str
    unit_code: str
    note: str
    data: Mapping[str, Any]

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class DossierView:
    """Everything known about one dossier, in the words of the forms."""

    id: str
    code: str
    status: str
    procedure_code: str
    procedure_name: str
    procedure_field: str
    processing_label: str
    processing_amount: Decimal
    processing_unit: str
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    receiving_unit: UnitView
    competent_unit: UnitView
    channel: str
    return_method: str
    return_address: str | None
    sets_count: int
    received_at: dt.datetime
    due_at: dt.datetime
    received_by: str
    received_by_name: str
    applicant: ApplicantView
    documents: tuple[DocumentLine, ...]
    events: tuple[EventLine, ...]
    book_volume: str
    book_entry: int
    note: str
    # See counter_app.appointments: the first receipt's appointment, and the apology's.
    first_due_at: dt.datetime | None = None
    extended_due_at: dt.datetime | None = None
    representative: RepresentativeView | None = None
    fee_schedule: FeeSchedule | None = None  # a fee reckoned per page, for the receipt

    @property
    def supplement_received_at(self) -> dt.datetime | None:
        """When the newest supplement restarted the clock; None if none did."""
        for event in reversed(self.events):
            if event.kind == "supplement_received":
                return event.at
        return None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(Status(self.status), self.status)

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def return_label(self) -> str:
        return RETURN_LABELS.get(self.return_method, self.return_method)

    @property
    def boundary_free(self) -> bool:
        return self.receiving_unit.code != self.competent_unit.code


def _unit(session: Session, code: str) -> UnitView:
    unit = session.get(Unit, code)
    return UnitView(code, unit.name if unit else code)


class ProcedureFields(TypedDict):
    procedure_code: str
    procedure_name: str
    procedure_field: str
    processing_label: str
    processing_amount: Decimal
    processing_unit: str
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    fee_schedule: FeeSchedule | None


def procedure_fields(procedure: ProcedureInfo) -> ProcedureFields:
    """The procedure's part of a view: a received dossier's and a guidance record's alike."""
    return {
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "procedure_field": procedure.field,
        "processing_label": procedure.processing_label,
        "processing_amount": procedure.processing_amount,
        "processing_unit": procedure.processing_unit,
        "fee_vnd": procedure.fee_vnd,
        "charge_vnd": procedure.charge_vnd,
        "fee_note": procedure.fee_note,
        "fee_schedule": procedure.fee_schedule,
    }


def load_dossier_view(session: Session, code: str) -> DossierView:
    """The view of the dossier with this code; NotFound when there is none (or only a draft)."""
    dossier = get_by_code(session, code)
    dossier = session.scalars(
        select(Dossier)
        .where(Dossier.id == dossier.id)
        .options(
            selectinload(Dossier.documents),
            selectinload(Dossier.events),
            selectinload(Dossier.procedure),
            selectinload(Dossier.applicant),
        )
    ).one()
    assert dossier.code and dossier.received_at and dossier.due_at and dossier.received_by
    procedure = procedure_info(dossier.procedure)
    person = dossier.applicant
    actors = {dossier.received_by} | {e.actor for e in dossier.events}
    names = {
        row.username: row.full_name
        for row in session.execute(
            select(StaffUser.username, StaffUser.full_name).where(StaffUser.username.in_(actors))
        )
    }
    slot, entry = _book_line(session, dossier.code)
    return DossierView(
        id=dossier.id,
        code=dossier.code,
        status=dossier.status,
        **procedure_fields(procedure),
        receiving_unit=_unit(session, dossier.receiving_unit_code),
        competent_unit=_unit(session, dossier.competent_unit_code),
        channel=dossier.channel,
        return_method=dossier.return_method,
        return_address=dossier.return_address,
        sets_count=dossier.sets_count,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        received_by=dossier.received_by,
        received_by_name=names.get(dossier.received_by, dossier.received_by),
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
        book_volume=f"{dossier.received_at.year}/Q{slot}",
        book_entry=entry,
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


def _book_line(session: Session, code: str) -> tuple[int, int]:
    """The dossier's slot and its line in the dossier book (sổ theo dõi hồ sơ).

    The book is kept per counter and year, so the line is the number of dossiers
    the counter's slot received earlier that year plus this one's number of the
    day. The daily sequences are gap-free, so their sum counts those dossiers
    without reading a single dossier row, however big the store.
    """
    parsed = parse_code(code)
    if parsed is None or parsed.central_system is not None:
        # A dossier pulled from a central system (Circular 04/2025 code) is in no
        # counter's book; its line is the central system's number of the day.
        return 0, parsed.number if parsed is not None else 0
    earlier = session.scalar(
        select(func.coalesce(func.sum(CodeSequence.last_number), 0)).where(
            CodeSequence.unit_code == parsed.unit_code,
            CodeSequence.slot == parsed.slot,
            CodeSequence.day >= dt.date(parsed.day.year, 1, 1),
            CodeSequence.day < parsed.day,
        )
    )
    return parsed.slot, int(earlier or 0) + parsed.number - parsed.slot * 1000
