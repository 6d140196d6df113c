"""Fees and charges (phí, lệ phí): what a dossier owes, taking it or waiving it, the day's totals.

A dossier is settled once: by cash, by bank transfer (with the transfer's
reference, so the accountant can match the bank statement), or by an
exemption that states its legal reason. The catalog gives the usual amount
(``fee_vnd`` is the lệ phí, ``charge_vnd`` the phí), but several procedures
charge by a provincial rate the catalog cannot hold, so the clerk may state
the amount taken; a procedure without a catalog amount needs one. A procedure
whose catalog entry carries a fee schedule (certified copies, per page:
``counter_app.fee_schedule``) is charged from the pages counted, never a flat
amount.

Money taken gets a receipt (``counter_app.fee_receipts``): a number of this
counter's series, taken in the payment's own transaction, or the provider's
number and look-up code of an electronic receipt.

Money is taken either when the dossier is received or when its result is
handed over, by the unit that received it, since that is the counter whose
till and receipt book hold the money. ``record_payment`` writes in the
caller's transaction so the return of a result and its fee are one deed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app import audit, fee_receipts, outbox
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import Clock
from counter_app.dossiers import get_by_code
from counter_app.errors import NotAllowed, NotFound, ValidationError
from counter_app.fee_receipts import ReceiptBook, number_label
from counter_app.fee_schedule import MAX_PAGES, FeeSchedule, schedule_of
from counter_app.installation import CounterContext, load_context
from counter_app.lifecycle import OPEN_STATUSES, STATUS_LABELS, Status
from counter_app.limits import MAX_AMOUNT_VND, NOTE, length_error
from counter_app.models import Dossier, FeePayment, FeeReceipt, Procedure, StaffUser, new_id
from counter_app.text import nfc

if TYPE_CHECKING:
    from counter_app.store import Store

CASH, TRANSFER, EXEMPT = "cash", "transfer", "exempt"
METHODS = (CASH, TRANSFER, EXEMPT)
METHOD_LABELS = {CASH: "Tiền mặt", TRANSFER: "Chuyển khoản", EXEMPT: "Miễn thu"}
RECEPTION, RETURN = "reception", "return"
STAGES = (RECEPTION, RETURN)
STAGE_LABELS = {RECEPTION: "Khi tiếp nhận hồ sơ", RETURN: "Khi trả kết quả"}
COLLECTING_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
_REFERENCE = re.compile(r"[0-9A-Za-z./\-_ ]{4,64}")


@dataclass(frozen=True)
class FeeInput:
    """What the clerk enters: how it is paid, and the amount when it is not the catalog's."""

    method: str
    amount_vnd: int | None = None
    reference: str = ""
    exemption_reason: str = ""
    pages: int | None = None  # for a per-page fee: the pages of the copy
    e_receipt_number: str = ""  # electronic receipts: the provider's number …
    e_receipt_lookup: str = ""  # … and look-up code, typed or scanned


@dataclass(frozen=True)
class PaymentView:
    """One fee payment as the receipt and the screens show it, detached from the session."""

    id: str
    dossier_id: str
    code: str
    amount_vnd: int
    method: str
    reference: str | None
    exemption_reason: str | None
    stage: str
    collected_at: dt.datetime
    collected_by: str
    collected_by_name: str
    pages: int | None = None
    receipt_form: str | None = None
    receipt_series: str | None = None
    receipt_number: int | None = None
    e_receipt_number: str | None = None
    e_receipt_lookup: str | None = None
    cancelled: bool = False  # a spoiled receipt of this payment, printed again as cancelled
    cancel_reason: str = ""

    @property
    def receipt_number_label(self) -> str:
        return number_label(self.receipt_number)

    @property
    def electronic(self) -> bool:
        return self.e_receipt_number is not None

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def exempt(self) -> bool:
        return self.method == EXEMPT


@dataclass(frozen=True)
class FeeStatus:
    """What a dossier owes by the catalog, and what was taken or waived so far."""

    code: str
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    payments: tuple[PaymentView, ...]
    schedule: FeeSchedule | None = None

    @property
    def due_vnd(self) -> int:
        return self.fee_vnd + self.charge_vnd

    @property
    def settled(self) -> bool:
        return bool(self.payments)


@dataclass(frozen=True)
class FeeTotal:
    """Money taken (or waived) on one day by one method."""

    day: dt.date
    method: str
    payments: int
    amount_vnd: int

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)


def amount_due(procedure: Procedure) -> int:
    """The catalog's usual amount: the lệ phí plus the phí."""
    return int(procedure.fee_vnd or 0) + int(procedure.charge_vnd or 0)


def _pages_due(fee: FeeInput, schedule: FeeSchedule, errors: dict[str, str]) -> int | None:
    """The amount the schedule gives for the pages typed, or None with the pages' error."""
    if fee.pages is None:
        errors["fee_pages"] = "Phí tính theo số trang: hãy nhập số trang của bản sao."
    elif not 1 <= fee.pages <= MAX_PAGES:
        errors["fee_pages"] = f"Số trang phải từ 1 đến {MAX_PAGES}."
    else:
        due = schedule.amount_for(fee.pages)
        if fee.amount_vnd is not None and fee.amount_vnd != due:
            errors["fee_amount"] = (
                f"Phí tính theo số trang: {fee.pages} trang là {due:,} đồng".replace(",", ".")
                + "; hãy để trống số tiền hoặc sửa số trang."
            )
        return due
    return None


def check_fee(
    fee: FeeInput,
    due_vnd: int,
    *,
    schedule: FeeSchedule | None = None,
    book: ReceiptBook | None = None,
) -> dict[str, str]:
    """Field-by-field problems with a fee as entered; empty when it can be recorded.

    Keys: ``fee_method``, ``fee_amount``, ``fee_pages``, ``fee_reference``,
    ``exemption_reason``, ``e_receipt_number``, ``e_receipt_lookup``.
    """
    errors: dict[str, str] = {}
    if fee.method not in METHODS:
        return {"fee_method": "Hình thức thu phải là tiền mặt, chuyển khoản hoặc miễn thu."}
    if schedule is not None:
        due = _pages_due(fee, schedule, errors)
        if due is None or errors:
            return errors
        fee = replace(fee, amount_vnd=due)
    amount = fee.amount_vnd if fee.amount_vnd is not None else due_vnd
    if book is not None and book.electronic and fee.method != EXEMPT:
        errors.update(fee_receipts.check_electronic(fee.e_receipt_number, fee.e_receipt_lookup))
    if fee.amount_vnd is not None and fee.amount_vnd < 0:
        errors["fee_amount"] = "Số tiền không được âm."
    elif amount > MAX_AMOUNT_VND:
        errors["fee_amount"] = "Số tiền quá lớn so với phí, lệ phí ở cấp xã; hãy kiểm tra lại."
    elif fee.method == EXEMPT and amount == 0:
        errors["fee_amount"] = "Thủ tục này không thu phí, lệ phí nên không cần ghi miễn thu."
    elif fee.method != EXEMPT and amount == 0:
        errors["fee_amount"] = (
            "Danh mục không ghi mức phí, lệ phí của thủ tục này; hãy nhập số tiền thu."
            if fee.amount_vnd is None
            else "Số tiền thu phải lớn hơn 0."
        )
    if fee.method == TRANSFER:
        reference = fee.reference.strip()
        if not reference:
            errors["fee_reference"] = "Chưa nhập mã giao dịch chuyển khoản."
        elif not _REFERENCE.fullmatch(reference):
            errors["fee_reference"] = (
                "Mã giao dịch gồm 4-64 chữ cái không dấu, chữ số hoặc dấu . / - _; "
                "hãy nhập như trên chứng từ ngân hàng."
            )
    if fee.method == EXEMPT and not fee.exemption_reason.strip():
        errors["exemption_reason"] = "Miễn thu phí, lệ phí phải ghi rõ lý do (đối tượng được miễn)."
    elif message := length_error("Lý do miễn thu", nfc(fee.exemption_reason), NOTE):
        errors["exemption_reason"] = message
    return errors


def require_received_here(dossier: Dossier, context: CounterContext, what: str) -> None:
    """Only the unit that received a dossier hands out its result and takes its fee.

    The competent unit of a boundary-free dossier may be another one: that
    does not matter here. The provincial server accepts a dossier's events only
    from the receiving unit's counters, so another unit's deed would be refused.
    """
    if dossier.receiving_unit_code != context.unit_code:
        raise NotAllowed(
            f"Hồ sơ {dossier.code} do đơn vị {dossier.receiving_unit_code} tiếp nhận; "
            f"việc {what} do Bộ phận một cửa của đơn vị đó thực hiện."
        )


def _check_stage(dossier: Dossier, stage: str) -> None:
    status = Status(dossier.status)
    if stage == RECEPTION and status in OPEN_STATUSES:
        return
    if stage == RETURN and status == Status.RESULT_READY:
        return
    if stage not in STAGES:
        raise ValidationError({"fee_stage": "Bước thu phí phải là khi tiếp nhận hoặc khi trả."})
    raise NotAllowed(
        f"Hồ sơ đang ở trạng thái '{STATUS_LABELS[status]}', "
        f"không thu phí, lệ phí ở bước '{STAGE_LABELS[stage].lower()}'."
    )


def record_payment(
    session: Session,
    dossier: Dossier,
    fee: FeeInput,
    *,
    stage: str,
    actor: StaffIdentity,
    context: CounterContext,
    at: dt.datetime,
    receipts: ReceiptBook | None = None,
) -> FeePayment:
    """Check and write one payment with its receipt, outbox and audit rows, in the caller's
    transaction: a failure anywhere rolls the receipt's number back with the payment."""
    if actor.role not in COLLECTING_ROLES:
        raise NotAllowed("Chỉ cán bộ một cửa mới được thu phí, lệ phí.")
    require_received_here(dossier, context, "thu phí, lệ phí")
    _check_stage(dossier, stage)
    earlier = session.scalar(select(FeePayment).where(FeePayment.dossier_id == dossier.id).limit(1))
    if earlier is not None:
        raise NotAllowed(
            f"Hồ sơ {dossier.code} đã {METHOD_LABELS[earlier.method].lower()} "
            f"lúc {earlier.collected_at:%H:%M %d/%m/%Y}; không thu lần nữa."
        )
    schedule = schedule_of(dossier.procedure.fee_schedule)
    due = amount_due(dossier.procedure)
    if errors := check_fee(fee, due, schedule=schedule, book=receipts):
        raise ValidationError(errors)
    if schedule is not None and fee.pages is not None:
        due = schedule.amount_for(fee.pages)
    electronic = receipts is not None and receipts.electronic and fee.method != EXEMPT
    payment = FeePayment(
        id=new_id(),
        dossier_id=dossier.id,
        amount_vnd=fee.amount_vnd if fee.amount_vnd is not None else due,
        method=fee.method,
        reference=fee.reference.strip() if fee.method == TRANSFER else None,
        exemption_reason=nfc(fee.exemption_reason) if fee.method == EXEMPT else None,
        stage=stage,
        collected_at=at,
        collected_by=actor.username,
        pages=fee.pages if schedule is not None else None,
        e_receipt_number=fee.e_receipt_number.strip() if electronic else None,
        e_receipt_lookup=fee.e_receipt_lookup.strip() if electronic else None,
    )
    session.add(payment)
    session.flush()
    # An exemption takes no money, so no receipt number: its record is printed unnumbered.
    if receipts is not None and receipts.numbered and fee.method != EXEMPT:
        fee_receipts.issue(session, payment, receipts, dossier.code or "", at)
    # The payment is its own outbox entity: were the provincial server to refuse it, only
    # the payment waits for attention, never the dossier's events queued behind it.
    outbox.enqueue(
        session,
        entity="fee_payment",
        entity_id=payment.id,
        operation="collect",
        payload=payment_payload(payment, dossier, context),
        at=at,
    )
    audit.record(
        session,
        at=at,
        actor=actor.username,
        action="fee.exempt" if fee.method == EXEMPT else "fee.collect",
        entity="fee_payment",
        entity_id=payment.id,
        device_id=context.device_id,
        detail={
            "code": dossier.code,
            "amount_vnd": payment.amount_vnd,
            "method": fee.method,
            "receipt": _receipt_words(payment),
        },
    )
    return payment


def _receipt_words(payment: FeePayment) -> str:
    if payment.receipt_number is not None:
        return (
            f"{payment.receipt_form} {payment.receipt_series} "
            f"{number_label(payment.receipt_number)}"
        )
    if payment.e_receipt_number is not None:
        return f"điện tử {payment.e_receipt_number} ({payment.e_receipt_lookup})"
    return ""


def payment_payload(
    payment: FeePayment, dossier: Dossier, context: CounterContext
) -> dict[str, Any]:
    return {
        "id": payment.id,
        "dossier_id": dossier.id,
        "code": dossier.code,
        "amount_vnd": payment.amount_vnd,
        "method": payment.method,
        "reference": payment.reference,
        "exemption_reason": payment.exemption_reason,
        "stage": payment.stage,
        "collected_at": payment.collected_at.isoformat(),
        "collected_by": payment.collected_by,
        "unit_code": context.unit_code,
        "device_id": context.device_id,
        # Added with receipts numbered by the computer; an older counter sends none of them.
        "pages": payment.pages,
        "receipt_form": payment.receipt_form,
        "receipt_series": payment.receipt_series,
        "receipt_number": payment.receipt_number,
        "e_receipt_number": payment.e_receipt_number,
        "e_receipt_lookup": payment.e_receipt_lookup,
    }


def _views(session: Session, rows: list[tuple[FeePayment, str | None]]) -> list[PaymentView]:
    users = {p.collected_by for p, _ in rows}
    names = dict(
        session.execute(
            select(StaffUser.username, StaffUser.full_name).where(StaffUser.username.in_(users))
        ).all()
    )
    return [
        PaymentView(
            id=p.id,
            dossier_id=p.dossier_id,
            code=code or "",
            amount_vnd=p.amount_vnd,
            method=p.method,
            reference=p.reference,
            exemption_reason=p.exemption_reason,
            stage=p.stage,
            collected_at=p.collected_at,
            collected_by=p.collected_by,
            collected_by_name=names.get(p.collected_by, p.collected_by),
            pages=p.pages,
            receipt_form=p.receipt_form,
            receipt_series=p.receipt_series,
            receipt_number=p.receipt_number,
            e_receipt_number=p.e_receipt_number,
            e_receipt_lookup=p.e_receipt_lookup,
        )
        for p, code in rows
    ]


def load_payment(session: Session, payment_id: str) -> PaymentView:
    row = session.execute(
        select(FeePayment, Dossier.code)
        .join(Dossier, Dossier.id == FeePayment.dossier_id)
        .where(FeePayment.id == payment_id)
    ).first()
    if row is None:
        raise NotFound("Không tìm thấy khoản thu phí, lệ phí này.")
    return _views(session, [(row[0], row[1])])[0]


def first_payment_id(session: Session, dossier_id: str) -> str | None:
    """A dossier's first payment: the one a hand-over slip names when its return named none."""
    return session.scalar(select(FeePayment.id).where(FeePayment.dossier_id == dossier_id).limit(1))


def fee_status(session: Session, dossier: Dossier) -> FeeStatus:
    rows = session.execute(
        select(FeePayment, Dossier.code)
        .join(Dossier, Dossier.id == FeePayment.dossier_id)
        .where(FeePayment.dossier_id == dossier.id)
        .order_by(FeePayment.collected_at)
    ).all()
    procedure = dossier.procedure
    return FeeStatus(
        code=dossier.code or "",
        fee_vnd=int(procedure.fee_vnd or 0),
        charge_vnd=int(procedure.charge_vnd or 0),
        fee_note=procedure.fee_note,
        payments=tuple(_views(session, [(r[0], r[1]) for r in rows])),
        schedule=schedule_of(procedure.fee_schedule),
    )


def daily_totals(session: Session, first: dt.date, last: dt.date) -> list[FeeTotal]:
    """Payments and amounts per day and method from ``first`` to ``last`` inclusive.

    An index on ``collected_at`` finds the period's payments; SQLite groups them.
    """
    day = func.date(FeePayment.collected_at)
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    rows = session.execute(
        select(day, FeePayment.method, func.count(), func.sum(FeePayment.amount_vnd))
        .where(FeePayment.collected_at >= start, FeePayment.collected_at < end)
        .group_by(day, FeePayment.method)
        .order_by(day, FeePayment.method)
    )
    return [
        FeeTotal(dt.date.fromisoformat(str(d)), method, int(n), int(total or 0))
        for d, method, n, total in rows
    ]


def spoiled_view(session: Session, receipt: FeeReceipt) -> PaymentView:
    """The payment as its spoiled receipt showed it, to print that receipt marked cancelled."""
    if receipt.cancelled_at is None:
        raise NotAllowed("Biên lai này chưa bị hủy.")
    current = load_payment(session, receipt.payment_id)
    return replace(
        current,
        receipt_form=receipt.form_symbol,
        receipt_series=receipt.series,
        receipt_number=receipt.number,
        cancelled=True,
        cancel_reason=receipt.cancel_reason or "",
    )


class FeeService:
    """Takes or waives a dossier's fee in one transaction, and reads what was taken.

    ``receipts`` is this counter's receipt book (``fee_receipts.receipt_book`` of
    its settings); without one, payments take no receipt number.
    """

    def __init__(self, store: Store, clock: Clock, receipts: ReceiptBook | None = None) -> None:
        self.store = store
        self.clock = clock
        self.receipts = receipts

    def status(self, code: str) -> FeeStatus:
        with self.store.read() as session:
            return fee_status(session, get_by_code(session, code))

    def collect(self, code: str, fee: FeeInput, stage: str, actor: StaffIdentity) -> PaymentView:
        """Record the payment (or exemption) of dossier ``code`` at ``stage``."""
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            dossier = get_by_code(session, code)
            payment = record_payment(
                session,
                dossier,
                fee,
                stage=stage,
                actor=actor,
                context=context,
                at=now,
                receipts=self.receipts,
            )
            session.flush()
            return load_payment(session, payment.id)

    def spoil(self, payment_id: str, actor: StaffIdentity, reason: str) -> PaymentView:
        """Hủy biên lai: cancel the payment's receipt (it keeps its number) and renumber it."""
        if actor.role not in COLLECTING_ROLES:
            raise NotAllowed("Chỉ cán bộ một cửa mới được hủy biên lai.")
        now = self.clock.now()
        with self.store.write() as session:
            payment = session.get(FeePayment, payment_id)
            if payment is None:
                raise NotFound("Không tìm thấy khoản thu phí, lệ phí này.")
            old, new = fee_receipts.spoil(
                session, payment, self.receipts or ReceiptBook(), actor.username, reason, now
            )
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action="fee.receipt_spoiled",
                entity="fee_payment",
                entity_id=payment.id,
                device_id=load_context(session).device_id,
                detail={
                    "cancelled": f"{old.form_symbol} {old.series} {number_label(old.number)}",
                    "reissued": f"{new.form_symbol} {new.series} {number_label(new.number)}",
                    "reason": old.cancel_reason,
                },
            )
            # The province must hear the new number, or its record names a cancelled receipt.
            outbox.enqueue(
                session,
                entity="fee_payment",
                entity_id=payment.id,
                operation="reissue_receipt",
                payload=fee_receipts.reissue_payload(payment, old, new),
                at=now,
            )
            return load_payment(session, payment.id)

    def spoiled(self, form_symbol: str, series: str, number: int) -> PaymentView:
        with self.store.read() as session:
            return spoiled_view(
                session, fee_receipts.find_receipt(session, form_symbol, series, number)
            )

    def receipts_issued(self, first: dt.date, last: dt.date) -> list[fee_receipts.ReceiptLine]:
        with self.store.read() as session:
            return fee_receipts.receipt_lines(session, first, last)

    def payment(self, payment_id: str) -> PaymentView:
        with self.store.read() as session:
            return load_payment(session, payment_id)

    def totals(self, first: dt.date, last: dt.date) -> list[FeeTotal]:
        with self.store.read() as session:
            return daily_totals(session, first, last)
