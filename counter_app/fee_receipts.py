"""Fee receipts (biên lai thu phí, lệ phí): numbered by the computer, or electronic.

Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP: a receipt
printed by computer carries its form symbol (ký hiệu mẫu), series (ký hiệu)
and a number from 0000001, at most 7 digits, without gaps within the series; a
spoiled receipt keeps its number and is marked cancelled. Where the province
uses electronic receipts, the provider issues them and the counter records the
provider's number and look-up code against the payment instead of printing.

How numbers stay without gaps. The number is taken in the same write
transaction as the payment it stands for (the store begins writes with
``BEGIN IMMEDIATE``, so two windows of this counter queue rather than read the
same last number): the next number is one past the highest of the series in
``fee_receipt``, and a payment that fails half-way rolls its number back with
it. A number once given is never deleted: spoiling a receipt marks it
cancelled and gives the payment the next number; a payment refunded after the
province refused it leaves its receipt cancelled.

Why a series per counter. Counters of one unit take fees offline, each in its
own SQLite store; a number taken from a shared sequence would need the
provincial server at the moment of payment, and two counters numbering one
series alone would collide. So each counter prints its own series, set in its
settings (``receipt_series``, registered with the tax office like any other
series), and numbers it alone. A counter whose series is not set yet prints
the blanks of a pre-printed receipt book, to be written in by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from counter_app.errors import NotAllowed, NotFound, ValidationError
from counter_app.limits import NOTE, length_error
from counter_app.models import Dossier, FeePayment, FeeReceipt, new_id
from counter_app.settings import ELECTRONIC_RECEIPTS, PAPER_RECEIPTS, Settings
from counter_app.text import nfc

MAX_NUMBER = 9_999_999  # seven digits
_E_NUMBER = re.compile(r"[0-9A-Za-z./\-]{1,32}")
_E_LOOKUP = re.compile(r"[0-9A-Za-z._\-]{4,64}")


@dataclass(frozen=True)
class ReceiptBook:
    """How this counter's receipts are made: its settings, read once per payment."""

    mode: str = PAPER_RECEIPTS
    form_symbol: str = ""
    series: str = ""
    tax_code: str = ""

    @property
    def electronic(self) -> bool:
        return self.mode == ELECTRONIC_RECEIPTS

    @property
    def numbered(self) -> bool:
        """Printed receipts numbered by this counter (form symbol and series are set)."""
        return self.mode == PAPER_RECEIPTS and bool(self.form_symbol and self.series)


def receipt_book(settings: Settings) -> ReceiptBook:
    return ReceiptBook(
        settings.receipt_mode,
        settings.receipt_form_symbol,
        settings.receipt_series,
        settings.tax_code,
    )


def number_label(number: int | None) -> str:
    """0000001: seven digits, as the decree prints them."""
    return f"{number:07d}" if number is not None else ""


def check_electronic(number: str, lookup: str) -> dict[str, str]:
    """Problems with an electronic receipt's provider number and look-up code, by field."""
    errors: dict[str, str] = {}
    if not number.strip():
        errors["e_receipt_number"] = "Chưa nhập số biên lai điện tử do nhà cung cấp cấp."
    elif not _E_NUMBER.fullmatch(number.strip()):
        errors["e_receipt_number"] = (
            "Số biên lai điện tử gồm tối đa 32 chữ cái không dấu, chữ số hoặc . / -; "
            "hãy nhập như trên biên lai."
        )
    if not lookup.strip():
        errors["e_receipt_lookup"] = "Chưa nhập (hoặc quét) mã tra cứu biên lai điện tử."
    elif not _E_LOOKUP.fullmatch(lookup.strip()):
        errors["e_receipt_lookup"] = (
            "Mã tra cứu gồm 4-64 chữ cái không dấu, chữ số hoặc . _ -; hãy nhập hoặc quét lại."
        )
    return errors


def next_number(session: Session, form_symbol: str, series: str) -> int:
    """One past the series' highest number, read inside the caller's write transaction."""
    last = session.scalar(
        select(func.max(FeeReceipt.number)).where(
            FeeReceipt.form_symbol == form_symbol, FeeReceipt.series == series
        )
    )
    number = int(last or 0) + 1
    if number > MAX_NUMBER:
        raise NotAllowed(
            f"Ký hiệu biên lai {series} đã dùng hết số 9999999; "
            "hãy đăng ký ký hiệu mới và nhập vào Cài đặt."
        )
    return number


def issue(
    session: Session,
    payment: FeePayment,
    book: ReceiptBook,
    dossier_code: str,
    at: dt.datetime,
) -> FeeReceipt:
    """Give ``payment`` the series' next number, in the caller's transaction."""
    receipt = FeeReceipt(
        id=new_id(),
        form_symbol=book.form_symbol,
        series=book.series,
        number=next_number(session, book.form_symbol, book.series),
        payment_id=payment.id,
        dossier_code=dossier_code,
        amount_vnd=payment.amount_vnd,
        method=payment.method,
        issued_at=at,
        issued_by=payment.collected_by,
    )
    session.add(receipt)
    payment.receipt_form = receipt.form_symbol
    payment.receipt_series = receipt.series
    payment.receipt_number = receipt.number
    session.flush()
    return receipt


def standing_receipt(session: Session, payment: FeePayment) -> FeeReceipt | None:
    if payment.receipt_number is None:
        return None
    return session.scalar(
        select(FeeReceipt).where(
            FeeReceipt.form_symbol == payment.receipt_form,
            FeeReceipt.series == payment.receipt_series,
            FeeReceipt.number == payment.receipt_number,
        )
    )


def cancel(session: Session, receipt: FeeReceipt, by: str, reason: str, at: dt.datetime) -> None:
    receipt.cancelled_at = at
    receipt.cancelled_by = by
    receipt.cancel_reason = nfc(reason)


def spoil(
    session: Session,
    payment: FeePayment,
    book: ReceiptBook,
    by: str,
    reason: str,
    at: dt.datetime,
) -> tuple[FeeReceipt, FeeReceipt]:
    """Cancel the payment's receipt (its number stays, cancelled) and give it the next one.

    The new number comes from this counter's series as it is set now, so a
    receipt first numbered under an old series is reprinted under the new one.
    """
    old = standing_receipt(session, payment)
    if old is None and payment.receipt_number is not None:
        raise NotAllowed(
            f"Biên lai ký hiệu {payment.receipt_series} số {number_label(payment.receipt_number)} "
            "do máy khác của đơn vị in; hãy hủy biên lai ở máy đó."
        )
    if old is None:
        raise NotAllowed(
            "Khoản thu này không có biên lai in từ máy được đánh số; không có gì để hủy."
        )
    if not book.numbered:
        raise ValidationError(
            {"receipt_series": "Chưa cài đặt ký hiệu mẫu và ký hiệu biên lai của máy này."}
        )
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Hãy ghi lý do hủy biên lai (in hỏng, ghi sai…)."})
    too_long = length_error("Lý do hủy biên lai", reason, NOTE)  # the province keeps it too
    if too_long:
        raise ValidationError({"cancel_reason": too_long})
    cancel(session, old, by, reason, at)
    dossier = session.get(Dossier, payment.dossier_id)
    new = issue(session, payment, book, dossier.code or "" if dossier else "", at)
    new.issued_by = by
    return old, new


def reissue_payload(payment: FeePayment, old: FeeReceipt, new: FeeReceipt) -> dict[str, Any]:
    """What the province is told of a spoil (``fee_payment/reissue_receipt``, docs/protocol.md)."""
    return {
        "payment_id": payment.id,
        "dossier_id": payment.dossier_id,
        "cancelled": {
            "form": old.form_symbol,
            "series": old.series,
            "number": old.number,
            "at": old.cancelled_at.isoformat() if old.cancelled_at else None,
            "by": old.cancelled_by,
            "reason": old.cancel_reason or "",
        },
        "receipt": {"form": new.form_symbol, "series": new.series, "number": new.number},
    }


@dataclass(frozen=True)
class ReceiptLine:
    """One line of the fee report: a payment with its receipt, or a cancelled receipt number."""

    form_symbol: str
    series: str
    number: str  # "0000001", an electronic receipt's provider number, or "" when none
    lookup: str  # an electronic receipt's look-up code
    dossier_code: str
    amount_vnd: int
    method: str
    issued_at: dt.datetime
    issued_by: str
    cancelled: bool = False
    cancel_reason: str = ""

    @property
    def electronic(self) -> bool:
        return bool(self.lookup)


def receipt_lines(
    session: Session, first: dt.date, last: dt.date, unit_code: str | None = None
) -> list[ReceiptLine]:
    """The period's payments with their receipts, and the receipt numbers cancelled in it.

    Payments come from the payment rows, so those another counter of the unit took
    show that counter's series; cancelled numbers are this counter's own. A number
    is listed on the day it was written: a receipt this counter reissued later
    stands under the reissue's day, not the payment's, so each day's list holds the
    numbers that day used (the money stays in the payment day's totals). Ordered by
    form symbol, series and number, electronic and unnumbered receipts after.
    """
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    standing = aliased(FeeReceipt)
    written = func.coalesce(standing.issued_at, FeePayment.collected_at)
    query = (
        select(FeePayment, Dossier.code, standing)
        .join(Dossier, Dossier.id == FeePayment.dossier_id)
        .outerjoin(
            standing,
            (standing.payment_id == FeePayment.id) & standing.cancelled_at.is_(None),
        )
        .where(written >= start, written < end, FeePayment.method != "exempt")
    )
    if unit_code is not None:
        query = query.where(Dossier.receiving_unit_code == unit_code)
    lines = [
        ReceiptLine(
            p.receipt_form or "",
            p.receipt_series or "",
            number_label(p.receipt_number) or p.e_receipt_number or "",
            p.e_receipt_lookup or "",
            code or "",
            p.amount_vnd,
            p.method,
            r.issued_at if r is not None else p.collected_at,
            r.issued_by if r is not None else p.collected_by,
        )
        for p, code, r in session.execute(query)
    ]
    cancelled = session.scalars(
        select(FeeReceipt).where(
            FeeReceipt.issued_at >= start,
            FeeReceipt.issued_at < end,
            FeeReceipt.cancelled_at.is_not(None),
        )
    )
    lines += [
        ReceiptLine(
            r.form_symbol,
            r.series,
            number_label(r.number),
            "",
            r.dossier_code,
            r.amount_vnd,
            r.method,
            r.issued_at,
            r.issued_by,
            True,
            r.cancel_reason or "",
        )
        for r in cancelled
    ]
    return sorted(
        lines,
        key=lambda line: (
            0 if line.series else 1 if line.electronic else 2,
            line.form_symbol,
            line.series,
            line.number,
            line.issued_at,
        ),
    )


def find_receipt(session: Session, form_symbol: str, series: str, number: int) -> FeeReceipt:
    receipt = session.scalar(
        select(FeeReceipt).where(
            FeeReceipt.form_symbol == form_symbol,
            FeeReceipt.series == series,
            FeeReceipt.number == number,
        )
    )
    if receipt is None:
        raise NotFound(f"Không có biên lai {series} số {number_label(number)} trên máy này.")
    return receipt
