"""Cancelling a fee payment the province refused, once the money is back with the citizen.

Two counters of a unit that were both offline may each take a dossier's fee.
The province keeps the first payment to arrive and refuses the second, asking
that clerk to refund the citizen and cancel the receipt. Recording the refund
takes the payment off this counter's books (its till, daily totals and tallies
count money kept), closes the refused change without sending it, and leaves
every detail of the payment and of its refund in the audit log. Its receipt's
number stays in the series, cancelled (``counter_app.fee_receipts``), so the
series keeps no gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, fee_receipts
from counter_app.auth import StaffIdentity
from counter_app.clock import Clock
from counter_app.errors import NotAllowed, NotFound
from counter_app.fees import COLLECTING_ROLES, METHOD_LABELS
from counter_app.installation import load_context
from counter_app.models import Dossier, FeePayment, OutboxEntry
from counter_app.outbox import PENDING
from counter_app.store import Store
from counter_app.sync_outbox import REJECTED, SETTLED
from counter_app.text import nfc


@dataclass(frozen=True)
class Refunded:
    payment_id: str
    dossier_code: str
    amount_vnd: int
    method: str


def refund_refused(
    session: Session, payment_id: str, actor: StaffIdentity, note: str, at: dt.datetime
) -> Refunded:
    """Record that the refused payment was handed back, in the caller's transaction."""
    if actor.role not in COLLECTING_ROLES:
        raise NotAllowed("Chỉ cán bộ một cửa mới được ghi hoàn trả phí, lệ phí.")
    payment = session.get(FeePayment, payment_id)
    entries = list(
        session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity == "fee_payment", OutboxEntry.entity_id == payment_id
            )
        )
    )
    entry = next((e for e in entries if e.operation == "collect"), None)
    if payment is None:
        raise NotFound("Khoản thu này không còn trên máy; hãy mở lại danh sách lỗi đồng bộ.")
    if entry is None or entry.state != REJECTED:  # no entry: another counter's, from the province
        raise NotAllowed(
            "Chỉ ghi hoàn trả khoản thu bị máy chủ tỉnh từ chối; khoản thu này "
            "đang chờ gửi hoặc đã được tỉnh ghi nhận."
        )
    dossier = session.get(Dossier, payment.dossier_id)
    code = dossier.code if dossier is not None and dossier.code else ""
    audit.record(
        session,
        at=at,
        actor=actor.username,
        action="fee.refund",
        entity="fee_payment",
        entity_id=payment.id,
        device_id=load_context(session).device_id,
        detail={
            "code": code,
            "amount_vnd": payment.amount_vnd,
            "method": payment.method,
            "reference": payment.reference,
            "stage": payment.stage,
            "collected_at": payment.collected_at.isoformat(),
            "collected_by": payment.collected_by,
            "receipt": fee_receipts.number_label(payment.receipt_number),
            "refused_because": entry.last_error,
            "note": nfc(note),
        },
    )
    # Its receipt's reissues too: the province never had the payment to renumber.
    for settled in entries:
        if settled.state in (PENDING, REJECTED):
            settled.state = SETTLED
    # The money is back, so is the receipt: its number stays in the series, cancelled.
    receipt = fee_receipts.standing_receipt(session, payment)
    if receipt is not None:
        fee_receipts.cancel(
            session,
            receipt,
            actor.username,
            "Hoàn trả: " + (nfc(note) or "tỉnh từ chối khoản thu"),
            at,
        )
    session.delete(payment)
    return Refunded(payment.id, code, payment.amount_vnd, METHOD_LABELS[payment.method])


class RefundService:
    """Records refunds of refused payments for the GUI, the CLI and the tests alike."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def refund_refused(self, payment_id: str, actor: StaffIdentity, note: str = "") -> Refunded:
        with self.store.write() as session:
            return refund_refused(session, payment_id, actor, note, self.clock.now())
