"""Receiving a dossier at the counter (tiếp nhận hồ sơ), and postal agents' drafts.

``receive`` is the one way a dossier comes into being with a code. It writes
the dossier, its document checklist, the "received" event, the outbox entry
and the audit entry in ONE write transaction: a failure anywhere leaves no row
behind and gives the day's number back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from counter_app import applicants, audit, limits, outbox
from counter_app.applicants import ApplicantInput, RepresentativeInput
from counter_app.auth import Role, StaffIdentity
from counter_app.calendar_source import CalendarSource
from counter_app.clock import Clock
from counter_app.codes import take_next_code
from counter_app.errors import NotAllowed, NotFound, ValidationError
from counter_app.guidance import Guidance, check_guidance
from counter_app.installation import CounterContext, load_context
from counter_app.lifecycle import Status, append_event, event_payload
from counter_app.limits import length_error
from counter_app.models import (
    CounterGuidance,
    Dossier,
    DossierDocument,
    Procedure,
    Unit,
    new_id,
)
from counter_app.text import nfc, nfc_or_none
from counter_app.validation import (
    check_cccd,
    check_date_of_birth,
    check_email,
    check_phone,
    check_required,
    clean_cccd,
)

if TYPE_CHECKING:
    from counter_app.store import Store

CHANNELS = ("direct", "postal", "online")
RETURN_METHODS = ("counter", "post")
RECEIVING_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
DRAFTING_ROLES = frozenset({Role.POSTAL_AGENT, Role.CLERK, Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class DocumentCheck:
    """One line of the checklist: the requirement, whether it was handed in, how many."""

    requirement_id: int
    received: bool = True
    count: int | None = None


@dataclass(frozen=True)
class ReceptionRequest:
    procedure_code: str
    applicant: ApplicantInput
    documents: Sequence[DocumentCheck] = ()
    competent_unit_code: str | None = None
    return_method: str = "counter"
    return_address: str | None = None
    sets_count: int = 1
    channel: str = "direct"
    note: str = ""
    draft_id: str | None = None
    representative: RepresentativeInput | None = None


@dataclass(frozen=True)
class Receipt:
    """What the clerk gets back: enough to print the receipt and tell the citizen."""

    dossier_id: str
    code: str
    received_at: dt.datetime
    due_at: dt.datetime


class ReceptionService:
    """Receives dossiers and keeps drafts for this counter; used by the GUI, CLI and tests."""

    def __init__(self, store: Store, clock: Clock, calendar: CalendarSource | None = None) -> None:
        self.store = store
        self.clock = clock
        self.calendar = calendar or CalendarSource()

    # Reading -------------------------------------------------------------

    def appointment(self, procedure_code: str, at: dt.datetime | None = None) -> dt.datetime:
        """The appointment date a dossier of this procedure received ``at`` (default now) gets."""
        with self.store.read() as session:
            procedure = session.get(Procedure, procedure_code)
            if procedure is None:
                raise NotFound(f"Không có thủ tục mã {procedure_code}.")
            return self._due(session, procedure, at or self.clock.now())

    def warm_up(self) -> None:
        """Build the working calendar now, so the first reception of the day is not slow.

        Loading the Vietnamese holiday calendar costs more than a reception.
        """
        with self.store.read() as session:
            self.calendar.get(session).is_working_day(self.clock.now().date())

    def find_applicant(self, cccd: str) -> ApplicantInput | None:
        """An earlier applicant's data by citizen-ID number, to fill the applicant panel."""
        with self.store.read() as session:
            return applicants.find_by_cccd(session, cccd)

    def units(self) -> list[tuple[str, str]]:
        """(code, name) of the units a dossier may be received for, this counter's first."""
        with self.store.read() as session:
            own = load_context(session).unit_code
            rows = session.execute(select(Unit.code, Unit.name).order_by(Unit.name)).all()
        return sorted(((r.code, r.name) for r in rows), key=lambda unit: unit[0] != own)

    def _due(self, session: Session, procedure: Procedure, at: dt.datetime) -> dt.datetime:
        return self.calendar.appointment(session, procedure, at)

    # Writing -------------------------------------------------------------

    def receive(self, request: ReceptionRequest, actor: StaffIdentity) -> Receipt:
        """Give the dossier its code and appointment, and store everything in one transaction."""
        if actor.role not in RECEIVING_ROLES:
            raise NotAllowed("Chỉ cán bộ một cửa mới được tiếp nhận hồ sơ.")
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            procedure = self._validated(session, request, context, now, complete=True)
            dossier = self._dossier_for(session, request, context, actor, now)
            code = take_next_code(session, context.unit_code, now.date(), context.slot)
            due = self._due(session, procedure, now)
            dossier.code = str(code)
            dossier.received_at = now
            dossier.due_at = dossier.first_due_at = due
            dossier.received_by = actor.username
            dossier.device_id = context.device_id
            self._fill(session, dossier, request, procedure, now)
            event = append_event(
                session,
                dossier,
                "received",
                at=now,
                actor=actor.username,
                unit_code=context.unit_code,
                device_id=context.device_id,
            )
            session.flush()
            outbox.enqueue(
                session,
                entity="dossier",
                entity_id=dossier.id,
                operation="receive",
                payload=dossier_payload(dossier, [event_payload(event)]),
                at=now,
            )
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action="dossier.receive",
                entity="dossier",
                entity_id=dossier.id,
                device_id=context.device_id,
                detail={"code": dossier.code, "procedure": procedure.code},
            )
            return Receipt(dossier.id, dossier.code, now, due)

    def turn_away(
        self,
        kind: str,
        request: ReceptionRequest,
        reason: str,
        actor: StaffIdentity,
        items: Sequence[str] = (),
    ) -> Guidance:
        """Record form 02 ("supplement") or 03 ("refusal") given at the counter, unreceived.

        The 2025 forms (Đồng Tháp 138/2025/QĐ-UBND; MOH 3621/QĐ-BYT) hand these out
        *without* receiving the dossier: no code is taken, nothing counts as received;
        the record says who, when, which procedure and applicant, and why. The
        checklist need not be complete (that is why form 02 is given).
        """
        if actor.role not in RECEIVING_ROLES:
            raise NotAllowed("Chỉ cán bộ một cửa mới được hướng dẫn hoặc từ chối tiếp nhận hồ sơ.")
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            errors = check_guidance(kind, items, reason)
            try:
                procedure = self._validated(session, request, context, now, complete=False)
            except ValidationError as exc:
                raise ValidationError({**exc.errors, **errors}) from None
            if errors:
                raise ValidationError(errors)
            name, cccd, relation = representative_columns(request.representative)
            row = CounterGuidance(
                id=new_id(),
                kind=kind,
                at=now,
                actor=actor.username,
                unit_code=context.unit_code,
                competent_unit_code=request.competent_unit_code or context.unit_code,
                device_id=context.device_id,
                procedure_code=procedure.code,
                applicant_id=applicants.upsert(session, request.applicant, now).id,
                items=[nfc(item.strip()) for item in items if item.strip()],
                reason=nfc(reason.strip()),
                representative_name=name,
                representative_cccd=cccd,
                representative_relation=relation,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action=f"guidance.{kind}",
                entity="counter_guidance",
                entity_id=row.id,
                device_id=context.device_id,
                detail={"procedure": procedure.code},
            )
            return Guidance(row.id, kind, now)

    def save_draft(self, request: ReceptionRequest, actor: StaffIdentity) -> str:
        """Keep a postal agent's prepared dossier for a clerk to receive; returns its id."""
        if actor.role not in DRAFTING_ROLES:
            raise NotAllowed("Vai trò này không được lập hồ sơ nháp.")
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            procedure = self._validated(session, request, context, now, complete=False)
            dossier = self._dossier_for(session, request, context, actor, now)
            self._fill(session, dossier, request, procedure, now)
            if dossier.status is None:
                dossier.drafted_by = actor.username
                append_event(
                    session,
                    dossier,
                    "drafted",
                    at=now,
                    actor=actor.username,
                    unit_code=context.unit_code,
                    device_id=context.device_id,
                )
            session.flush()
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action="dossier.draft",
                entity="dossier",
                entity_id=dossier.id,
                device_id=context.device_id,
            )
            return dossier.id

    def drafts(self) -> list[tuple[str, str, str, dt.datetime]]:
        """Open drafts, newest first: (id, procedure name, applicant name, created at)."""
        with self.store.read() as session:
            rows = session.execute(
                select(Dossier)
                .where(Dossier.status == Status.DRAFT.value)
                .options(selectinload(Dossier.procedure), selectinload(Dossier.applicant))
                .order_by(Dossier.created_at.desc())
            ).scalars()
            return [(d.id, d.procedure.name, d.applicant.full_name, d.created_at) for d in rows]

    def draft_request(self, draft_id: str) -> ReceptionRequest:
        """A draft as a request the reception screen can fill itself from."""
        with self.store.read() as session:
            dossier = session.get(Dossier, draft_id)
            if dossier is None or dossier.status != Status.DRAFT.value:
                raise NotFound("Không tìm thấy hồ sơ nháp này (có thể đã được tiếp nhận).")
            person = dossier.applicant
            return ReceptionRequest(
                procedure_code=dossier.procedure_code,
                applicant=ApplicantInput(
                    full_name=person.full_name,
                    address=person.address,
                    cccd=person.cccd,
                    date_of_birth=person.date_of_birth,
                    sex=person.sex,
                    phone=person.phone,
                    email=person.email,
                ),
                documents=tuple(
                    DocumentCheck(d.requirement_id, d.received, d.count)
                    for d in dossier.documents
                    if d.requirement_id is not None
                ),
                competent_unit_code=dossier.competent_unit_code,
                return_method=dossier.return_method,
                return_address=dossier.return_address,
                sets_count=dossier.sets_count,
                channel=dossier.channel,
                note=dossier.note,
                draft_id=dossier.id,
                representative=(
                    RepresentativeInput(
                        dossier.representative_name,
                        dossier.representative_cccd,
                        dossier.representative_relation or "",
                    )
                    if dossier.representative_name
                    else None
                ),
            )

    def problems(self, request: ReceptionRequest, *, complete: bool) -> dict[str, str]:
        """Every field problem receiving (``complete``) or drafting would find; nothing stored.

        The screen asks when a field it parses itself is wrong, so the clerk sees
        all the form's errors in one round, not that one first and the rest later.
        """
        now = self.clock.now()
        with self.store.read() as session:
            try:
                self._validated(session, request, load_context(session), now, complete=complete)
            except ValidationError as exc:
                return exc.errors
        return {}

    # Helpers -------------------------------------------------------------

    def _validated(
        self,
        session: Session,
        request: ReceptionRequest,
        context: CounterContext,
        now: dt.datetime,
        *,
        complete: bool,
    ) -> Procedure:
        errors = validate_request(request, now.date())
        procedure = session.get(Procedure, request.procedure_code)
        if procedure is None or not procedure.active:
            errors["procedure"] = "Chưa chọn thủ tục, hoặc thủ tục không còn trong danh mục."
        else:
            errors.update(_check_documents(procedure, request.documents, complete=complete))
        competent = request.competent_unit_code or context.unit_code
        if session.get(Unit, competent) is None:
            errors["competent_unit"] = f"Không có đơn vị mã {competent} trong danh sách đơn vị."
        if errors:
            raise ValidationError(errors)
        assert procedure is not None
        return procedure

    def _dossier_for(
        self,
        session: Session,
        request: ReceptionRequest,
        context: CounterContext,
        actor: StaffIdentity,
        now: dt.datetime,
    ) -> Dossier:
        if request.draft_id is None:
            # Added to the session by its first event, once it has a status.
            return Dossier(id=new_id(), receiving_unit_code=context.unit_code, created_at=now)
        dossier = session.get(Dossier, request.draft_id)
        if dossier is None or dossier.status != Status.DRAFT.value:
            raise NotFound("Hồ sơ nháp không còn (có thể đã được người khác tiếp nhận).")
        return dossier

    def _fill(
        self,
        session: Session,
        dossier: Dossier,
        request: ReceptionRequest,
        procedure: Procedure,
        now: dt.datetime,
    ) -> None:
        dossier.procedure_code = procedure.code
        dossier.applicant_id = applicants.upsert(session, request.applicant, now).id
        dossier.competent_unit_code = request.competent_unit_code or dossier.receiving_unit_code
        dossier.channel = request.channel
        dossier.return_method = request.return_method
        dossier.return_address = nfc_or_none(request.return_address)
        dossier.sets_count = request.sets_count
        dossier.note = nfc(request.note)
        (
            dossier.representative_name,
            dossier.representative_cccd,
            dossier.representative_relation,
        ) = representative_columns(request.representative)
        checks = {c.requirement_id: c for c in request.documents}
        existing = {d.requirement_id: d for d in dossier.documents}
        for requirement in procedure.requirements:
            if not requirement.active:
                continue
            check = checks.get(requirement.id)
            document = existing.pop(requirement.id, None)
            if document is None:
                document = DossierDocument(dossier_id=dossier.id, requirement_id=requirement.id)
                dossier.documents.append(document)
            document.position = requirement.position
            document.name = requirement.name
            document.form = requirement.form
            document.count = check.count if check and check.count else requirement.count
            document.received = bool(check and check.received)
        for stale in existing.values():
            dossier.documents.remove(stale)
            session.delete(stale)


def validate_request(request: ReceptionRequest, today: dt.date) -> dict[str, str]:
    """Field-by-field problems with what was typed; empty when all is well."""
    errors: dict[str, str] = {}
    person = request.applicant
    if message := check_required(person.full_name, "họ và tên người nộp"):
        errors["full_name"] = message
    if message := check_required(person.address, "địa chỉ"):
        errors["address"] = message
    if person.date_of_birth and (message := check_date_of_birth(person.date_of_birth, today)):
        errors["date_of_birth"] = message
    if person.cccd and (
        message := check_cccd(person.cccd, today, person.date_of_birth, person.sex)
    ):
        errors["cccd"] = message
    if person.sex not in (None, "male", "female"):
        errors["sex"] = "Giới tính phải là nam hoặc nữ."
    if person.phone and (message := check_phone(person.phone)):
        errors["phone"] = message
    if person.email and (message := check_email(person.email)):
        errors["email"] = message
    if request.channel not in CHANNELS:
        errors["channel"] = "Kênh tiếp nhận phải là trực tiếp, bưu chính hoặc trực tuyến."
    if request.return_method not in RETURN_METHODS:
        errors["return_method"] = "Hình thức trả kết quả phải là tại quầy hoặc qua bưu chính."
    elif request.return_method == "post" and not (request.return_address or "").strip():
        errors["return_address"] = "Trả qua bưu chính cần địa chỉ nhận kết quả."
    if request.sets_count < 1:
        errors["sets_count"] = "Số bộ hồ sơ phải từ 1 trở lên."
    elif request.sets_count > limits.COUNT:
        errors["sets_count"] = f"Số bộ hồ sơ không quá {limits.COUNT}."
    # As long as the province stores them (counter_app.limits), so a push is never refused.
    for field, label, value, limit in (
        ("full_name", "Họ và tên", person.full_name, limits.PERSON_NAME),
        ("address", "Địa chỉ", person.address, limits.ADDRESS),
        ("email", "Email", person.email, limits.EMAIL),
        ("return_address", "Địa chỉ nhận kết quả", request.return_address, limits.ADDRESS),
        ("note", "Ghi chú", request.note, limits.NOTE),
    ):
        if field not in errors and (message := length_error(label, nfc_or_none(value), limit)):
            errors[field] = message
    if request.representative is not None:
        errors.update(check_representative(request.representative, today))
    return errors


def check_representative(person: RepresentativeInput, today: dt.date) -> dict[str, str]:
    """The representative's problems: a name is needed once any of the group is typed, and
    the number is checked like the applicant's (12 digits, a province code, a year)."""
    errors: dict[str, str] = {}
    typed = person.full_name.strip() or (person.cccd or "").strip() or person.relation.strip()
    if not typed:
        return errors
    if (message := check_required(person.full_name, "họ và tên người được ủy quyền")) or (
        message := length_error(
            "Họ và tên người được ủy quyền", nfc(person.full_name), limits.PERSON_NAME
        )
    ):
        errors["representative_name"] = message
    elif message := length_error("Quan hệ", nfc(person.relation), limits.RELATION):
        errors["representative_name"] = message  # the relation sits on the name's row
    if person.cccd and person.cccd.strip() and (message := check_cccd(person.cccd, today)):
        errors["representative_cccd"] = "Người được ủy quyền: " + message
    return errors


def representative_columns(
    person: RepresentativeInput | None,
) -> tuple[str | None, str | None, str | None]:
    """(name, CCCD, relation) as stored; all None when no representative was typed."""
    if person is None or not person.full_name.strip():
        return None, None, None
    cccd = clean_cccd(person.cccd) if person.cccd and person.cccd.strip() else None
    return nfc(person.full_name.strip()), cccd, nfc_or_none(person.relation.strip() or None)


def _check_documents(
    procedure: Procedure, checks: Sequence[DocumentCheck], *, complete: bool
) -> dict[str, str]:
    known = {r.id: r for r in procedure.requirements if r.active}
    unknown = [c.requirement_id for c in checks if c.requirement_id not in known]
    if unknown:
        return {"documents": "Giấy tờ không thuộc thủ tục đã chọn; hãy chọn lại thủ tục."}
    if any(c.count is not None and c.count < 1 for c in checks):
        return {"documents": "Số lượng mỗi giấy tờ phải từ 1 trở lên."}
    if any(c.count is not None and c.count > limits.COUNT for c in checks):
        return {"documents": f"Số lượng mỗi giấy tờ không quá {limits.COUNT}."}
    if not complete:
        return {}
    handed_in = {c.requirement_id for c in checks if c.received}
    missing = [r.name for r in known.values() if r.mandatory and r.id not in handed_in]
    if missing:
        return {"documents": "Còn thiếu giấy tờ bắt buộc: " + "; ".join(missing) + "."}
    return {}


def dossier_payload(dossier: Dossier, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The dossier as the provincial server receives it: everything, by value."""
    person = dossier.applicant
    return {
        "id": dossier.id,
        "code": dossier.code,
        "procedure_code": dossier.procedure_code,
        "receiving_unit_code": dossier.receiving_unit_code,
        "competent_unit_code": dossier.competent_unit_code,
        "channel": dossier.channel,
        "return_method": dossier.return_method,
        "return_address": dossier.return_address,
        "sets_count": dossier.sets_count,
        "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "received_by": dossier.received_by,
        "device_id": dossier.device_id,
        "note": dossier.note,
        "representative": (
            {
                "full_name": dossier.representative_name,
                "cccd": dossier.representative_cccd,
                "relation": dossier.representative_relation,
            }
            if dossier.representative_name
            else None
        ),
        "applicant": {
            "id": person.id,
            "cccd": person.cccd,
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "sex": person.sex,
            "address": person.address,
            "phone": person.phone,
            "email": person.email,
        },
        "documents": [
            {
                "id": d.id,
                "requirement_id": d.requirement_id,
                "position": d.position,
                "name": d.name,
                "form": d.form,
                "count": d.count,
                "received": d.received,
                "attachment_sha256": d.attachment_sha256,
                "attached_at": d.attached_at.isoformat() if d.attached_at else None,
            }
            for d in dossier.documents
        ],
        "events": events,
    }
