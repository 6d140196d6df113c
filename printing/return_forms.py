"""A dossier's hand-over slip and fee receipt from the store, as the window and CLI print them.

Both are filled from what was recorded (the last "returned" event, the
payment row), never from what a form on screen still shows, so a slip printed
again later says the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from counter_app.dossier_view import DossierView, load_dossier_view
from counter_app.errors import NotAllowed, NotFound
from counter_app.fees import PaymentView, first_payment_id, load_payment
from counter_app.settings import Settings
from printing.fee_receipt import FeeReceiptForm, render_fee_receipt
from printing.handover import HandoverForm, render_handover
from printing.paper import Paper
from printing.wording import place_from_unit

if TYPE_CHECKING:
    from counter_app.store import Store


def _paper(settings: Settings) -> Paper:
    return "A4" if settings.paper == "A4" else "A5"


def handover_for_code(store: Store, code: str, settings: Settings, at: dt.datetime) -> bytes:
    """The hand-over slip of dossier ``code``; NotFound when its result was not returned."""
    with store.read() as session:
        view = load_dossier_view(session, code)
        returned = next((e for e in reversed(view.events) if e.kind == "returned"), None)
        if returned is None:
            raise NotFound(f"Hồ sơ {view.code} chưa trả kết quả, nên chưa có phiếu bàn giao.")
        payment_id = returned.data.get("fee_payment_id") or first_payment_id(session, view.id)
        payment = load_payment(session, str(payment_id)) if payment_id else None
    data = HandoverForm(
        view=view,
        returned=returned,
        place_name=settings.place_name or place_from_unit(view.receiving_unit.name),
        printed_at=at,
        parent_agency=settings.parent_agency,
        payment=payment,
    )
    return render_handover(data, _paper(settings))


def fee_receipt_for_payment(
    store: Store, payment_id: str, settings: Settings, at: dt.datetime
) -> bytes:
    """The two-liên fee receipt of one payment; NotAllowed when its receipt is electronic."""
    with store.read() as session:
        payment = load_payment(session, payment_id)
        view = load_dossier_view(session, payment.code)
    return _receipt(view, payment, settings, at)


def _receipt(view: DossierView, payment: PaymentView, settings: Settings, at: dt.datetime) -> bytes:
    if payment.electronic:
        raise NotAllowed(
            f"Khoản thu của hồ sơ {view.code} có biên lai điện tử số {payment.e_receipt_number} "
            f"(mã tra cứu {payment.e_receipt_lookup}) do nhà cung cấp phát hành; "
            "máy không in biên lai giấy."
        )
    payment_id = payment.id
    payer = ""
    for event in view.events:
        if event.kind == "returned" and event.data.get("fee_payment_id") == payment_id:
            payer = str(event.data.get("recipient") or "")
    data = FeeReceiptForm(
        view=view,
        payment=payment,
        place_name=settings.place_name or place_from_unit(view.receiving_unit.name),
        printed_at=at,
        parent_agency=settings.parent_agency,
        payer_name=payer,
        tax_code=settings.tax_code,
    )
    return render_fee_receipt(data, _paper(settings))
