"""Returning results (trả kết quả): at the counter to the applicant or a representative, or by post.

The "returned" event carries who took the result and how, so the hand-over
slip can be printed again from what was recorded. It also carries whether
the dossier was early, on time or late, judged on the moment its result was
released (the "result_ready" event) against the appointment: an applicant
who comes for a result days after it was ready does not make the unit late.

The fee still owed may be taken in the same transaction as the return, so a
result never leaves the counter with its fee half recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from counter_app import audit
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import Clock
from counter_app.codes import CODE_PREFIX
from counter_app.dossiers import get_by_code, record_event
from counter_app.errors import NotAllowed, ValidationError
from counter_app.fee_receipts import ReceiptBook
from counter_app.fee_schedule import FeeSchedule, schedule_of
from counter_app.fees import (
    RETURN,
    FeeInput,
    amount_due,
    check_fee,
    record_payment,
    require_received_here,
)
from counter_app.installation import CounterContext, load_context
from counter_app.lifecycle import STATUS_LABELS, Status
from counter_app.limits import NOTE, PERSON_NAME, length_error
from counter_app.models import Applicant, Dossier, DossierEvent, FeePayment, Procedure
from counter_app.text import nfc
from counter_app.timeliness import TIMELINESS_LABELS, Timeliness, classify
from counter_app.validation import check_cccd, clean_cccd

if TYPE_CHECKING:
    from counter_app.store import Store

COUNTER, POST = "counter", "post"
RETURN_METHODS = (COUNTER, POST)
RETURN_METHOD_LABELS = {COUNTER: "Tại Bộ phận Một cửa", POST: "Qua dịch vụ bưu chính công ích"}
RETURNING_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
# A postal agent at the centre registers results handed to the post, nothing else.
POSTAL_ROLES = frozenset({Role.POSTAL_AGENT})
READY_LIMIT = 200
# Fewer digits than this are the tail of a dossier code; more may start a CCCD (12 digits).
CCCD_SEARCH_DIGITS = 7
# VNPost and the couriers print item numbers such as EB123456789VN.
_TRACKING = re.compile(r"[A-Z0-9]{6,20}")


@dataclass(frozen=True)
class ReturnRequest:
    """What the clerk enters to hand over a result; ``fee`` when the fee is taken now."""

    code: str
    method: str = COUNTER
    recipient_name: str = ""
    recipient_cccd: str = ""
    representative: bool = False
    tracking_number: str = ""
    note: str = ""
    fee: FeeInput | None = None


@dataclass(frozen=True)
class ReturnRecorded:
    dossier_id: str
    code: str
    returned_at: dt.datetime
    timeliness: Timeliness
    fee_payment_id: str | None


@dataclass(frozen=True)
class ReadyDossier:
    """A dossier whose result waits at the counter, as the returns list shows it."""

    code: str
    procedure_name: str
    applicant_name: str
    applicant_cccd: str | None
    received_at: dt.datetime
    due_at: dt.datetime
    result_at: dt.datetime | None
    return_method: str
    return_address: str | None
    fee_due_vnd: int
    fee_settled: bool
    boundary_free: bool
    fee_schedule: FeeSchedule | None = None  # charged per page: the amount follows the pages
    # Since when the result has a scan (counter_app.result_scans); None: not digitized yet.
    result_digitized_at: dt.datetime | None = None

    @property
    def timeliness(self) -> Timeliness | None:
        return classify(self.result_at, self.due_at) if self.result_at else None

    @property
    def timeliness_label(self) -> str:
        return TIMELINESS_LABELS[self.timeliness] if self.timeliness else ""


def check_return(
    request: ReturnRequest, applicant_cccd: str | None, today: dt.date
) -> dict[str, str]:
    """Field-by-field problems with a return as entered; empty when it can be recorded.

    At the counter the result goes to the applicant, who shows the CCCD that was
    recorded at reception, or to a representative with another CCCD (and an
    authorisation the clerk keeps). By post it goes with the item's number.
    """
    errors: dict[str, str] = {}
    if request.method not in RETURN_METHODS:
        return {"method": "Hình thức trả phải là tại Bộ phận Một cửa hoặc qua bưu chính."}
    if message := length_error("Họ tên người nhận", nfc(request.recipient_name), PERSON_NAME):
        errors["recipient_name"] = message
    # The event's note also says how and to whom the result went (_event_note).
    if message := length_error("Ghi chú", nfc(request.note), NOTE - PERSON_NAME - 100):
        errors["note"] = message
    cccd = clean_cccd(request.recipient_cccd)
    if request.method == COUNTER:
        if not request.recipient_name.strip():
            errors["recipient_name"] = "Chưa nhập họ tên người nhận kết quả."
        if not cccd:
            errors["recipient_cccd"] = "Chưa nhập số CCCD của người nhận kết quả."
    else:
        tracking = request.tracking_number.strip().upper()
        if not tracking:
            errors["tracking_number"] = "Chưa nhập mã bưu gửi (số hiệu bưu phẩm)."
        elif not _TRACKING.fullmatch(tracking):
            errors["tracking_number"] = (
                "Mã bưu gửi gồm 6-20 chữ cái không dấu và chữ số, vd. EB123456789VN."
            )
    if cccd and "recipient_cccd" not in errors:
        if message := check_cccd(cccd, today):
            errors["recipient_cccd"] = message
        elif applicant_cccd and not request.representative and cccd != applicant_cccd:
            errors["recipient_cccd"] = (
                "Số CCCD khác với số của người nộp hồ sơ; nếu người này nhận thay, "
                "hãy chọn 'Người được ủy quyền'."
            )
        elif applicant_cccd and request.representative and cccd == applicant_cccd:
            errors["representative"] = (
                "Số CCCD là của chính người nộp hồ sơ; bỏ chọn 'Người được ủy quyền'."
            )
    return errors


def result_time(session: Session, dossier_id: str) -> dt.datetime | None:
    """When the dossier's result was released (its last "result_ready" event)."""
    return session.scalar(
        select(DossierEvent.at)
        .where(DossierEvent.dossier_id == dossier_id, DossierEvent.kind == "result_ready")
        .order_by(DossierEvent.seq.desc())
        .limit(1)
    )


def _event_data(
    request: ReturnRequest,
    recipient: str,
    cccd: str | None,
    timeliness: Timeliness,
    result_at: dt.datetime,
    payment_id: str | None,
) -> dict[str, Any]:
    return {
        "recipient": recipient,
        "cccd": cccd,
        "representative": request.representative,
        "method": request.method,
        "tracking_number": request.tracking_number.strip().upper() or None,
        "timeliness": timeliness.value,
        "result_at": result_at.isoformat(),
        "fee_payment_id": payment_id,
    }


def _event_note(request: ReturnRequest, recipient: str) -> str:
    if request.method == POST:
        said = f"Gửi kết quả qua bưu chính, mã bưu gửi {request.tracking_number.strip().upper()}"
    elif request.representative:
        said = f"Trả cho người được ủy quyền: {recipient}"
    else:
        said = "Trả tận tay người nộp hồ sơ"
    extra = nfc(request.note)
    return f"{said}. {extra}" if extra else said


def _text_condition(text: str) -> ColumnElement[bool] | None:
    """The returns list's search: a dossier code (or its tail), a CCCD, or part of a name.

    Applicants are found first, on their own (CCCD by its index, names by one pass
    over the applicants), so the waiting dossiers are tested against a list of ids
    instead of each being joined to its applicant to be tested.
    """
    cleaned = nfc(text)
    if not cleaned:
        return None
    compact = cleaned.replace(" ", "").upper()
    if compact.isdigit():
        if len(compact) < CCCD_SEARCH_DIGITS:  # the number on the slip: "1001", "261116-1001"
            return Dossier.code.endswith(compact)
        holders = select(Applicant.id).where(Applicant.cccd.startswith(compact))
        return or_(Dossier.applicant_id.in_(holders), Dossier.code.endswith(compact))
    # 000.00.11.H57-…, or H57.123.45-… (Decision 20/2020 units, Circular 04/2025 codes)
    if (compact[:1].isdigit() and "." in compact) or CODE_PREFIX.match(compact):
        return Dossier.code.startswith(compact)
    forms = {cleaned.lower(), cleaned.title(), cleaned.upper()}
    named = select(Applicant.id).where(
        or_(*(Applicant.full_name.contains(form, autoescape=True) for form in sorted(forms)))
    )
    return Dossier.applicant_id.in_(named)


def ready_dossiers(
    session: Session, context: CounterContext, text: str = "", limit: int = READY_LIMIT
) -> list[ReadyDossier]:
    """Dossiers of this unit whose result waits to be handed over, the longest waiting first.

    Reads the ``result_ready`` run of ``ix_dossier_status_due``, a few hundred
    rows at a ward, whatever the store's size.
    """
    result_at = (
        select(DossierEvent.at)
        .where(DossierEvent.dossier_id == Dossier.id, DossierEvent.kind == "result_ready")
        .order_by(DossierEvent.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    settled = exists().where(FeePayment.dossier_id == Dossier.id)
    query = (
        select(
            Dossier.code,
            Procedure.name,
            Applicant.full_name,
            Applicant.cccd,
            Dossier.received_at,
            Dossier.due_at,
            result_at,
            Dossier.return_method,
            Dossier.return_address,
            Procedure.fee_vnd + Procedure.charge_vnd,
            settled,
            Dossier.competent_unit_code != Dossier.receiving_unit_code,
            Procedure.fee_schedule,
            Dossier.result_sha256,
            Dossier.result_digitized_at,
        )
        .join(Procedure, Procedure.code == Dossier.procedure_code)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
        .where(
            and_(
                Dossier.status == Status.RESULT_READY.value,
                Dossier.receiving_unit_code == context.unit_code,
            )
        )
        .order_by(Dossier.due_at, Dossier.code)
        .limit(limit)
    )
    if (condition := _text_condition(text)) is not None:
        query = query.where(condition)
    ready: list[ReadyDossier] = []
    for r in session.execute(query):
        code, received_at, due_at = r[0], r[4], r[5]
        if code is None or received_at is None or due_at is None:
            continue  # a result_ready dossier was received, so it has all three
        ready.append(
            ReadyDossier(
                code=code,
                procedure_name=r[1],
                applicant_name=r[2],
                applicant_cccd=r[3],
                received_at=received_at,
                due_at=due_at,
                result_at=r[6],
                return_method=r[7],
                return_address=r[8],
                fee_due_vnd=int(r[9] or 0),
                fee_settled=bool(r[10]),
                boundary_free=bool(r[11]),
                fee_schedule=schedule_of(r[12]),
                result_digitized_at=r[14] if r[13] else None,
            )
        )
    return ready


class ReturnService:
    """Hands results over and lists those waiting; each return is one transaction."""

    def __init__(self, store: Store, clock: Clock, receipts: ReceiptBook | None = None) -> None:
        self.store = store
        self.clock = clock
        self.receipts = receipts  # this counter's receipt book, for a fee taken at the return

    def ready(self, text: str = "", limit: int = READY_LIMIT) -> list[ReadyDossier]:
        with self.store.read() as session:
            return ready_dossiers(session, load_context(session), text, limit)

    def hand_over(self, request: ReturnRequest, actor: StaffIdentity) -> ReturnRecorded:
        """Record the return (and the fee, when given) with outbox and audit rows, or nothing."""
        if actor.role not in RETURNING_ROLES | POSTAL_ROLES:
            raise NotAllowed("Vai trò này không được trả kết quả.")
        if actor.role in POSTAL_ROLES and request.method != POST:
            raise NotAllowed("Nhân viên bưu điện chỉ ghi nhận kết quả chuyển qua bưu chính.")
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            dossier = get_by_code(session, request.code)
            require_received_here(dossier, context, "trả kết quả")
            status = Status(dossier.status)
            if status != Status.RESULT_READY:
                raise NotAllowed(
                    f"Hồ sơ {dossier.code} đang ở trạng thái '{STATUS_LABELS[status]}', "
                    "chưa có kết quả để trả."
                )
            applicant = dossier.applicant
            errors = check_return(request, applicant.cccd, now.date())
            if request.fee is not None:
                errors.update(
                    check_fee(
                        request.fee,
                        amount_due(dossier.procedure),
                        schedule=schedule_of(dossier.procedure.fee_schedule),
                        book=self.receipts,
                    )
                )
            if errors:
                raise ValidationError(errors)
            payment_id = None
            if request.fee is not None:
                payment = record_payment(
                    session,
                    dossier,
                    request.fee,
                    stage=RETURN,
                    actor=actor,
                    context=context,
                    at=now,
                    receipts=self.receipts,
                )
                payment_id = payment.id
            recipient = nfc(request.recipient_name) or applicant.full_name
            cccd = clean_cccd(request.recipient_cccd) or None
            assert dossier.due_at is not None
            result_at = result_time(session, dossier.id) or now
            timeliness = classify(result_at, dossier.due_at)
            record_event(
                session,
                dossier,
                "returned",
                at=now,
                actor=actor.username,
                context=context,
                note=_event_note(request, recipient),
                data=_event_data(request, recipient, cccd, timeliness, result_at, payment_id),
            )
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action="dossier.returned",
                entity="dossier",
                entity_id=dossier.id,
                device_id=context.device_id,
                detail={"code": dossier.code, "method": request.method, "to": recipient},
            )
            assert dossier.code is not None
            return ReturnRecorded(dossier.id, dossier.code, now, timeliness, payment_id)
