"""Biên lai thu phí, lệ phí: the receipt for a dossier's fee, or the record of its exemption.

Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP: liên 1
is kept by the centre, liên 2 goes to the payer, each on its own page; a
receipt printed by computer carries its form symbol (mẫu số), series (ký hiệu)
and 7-digit number, and the centre's tax code. The number is the one the
payment took in its own transaction (``counter_app.fee_receipts``); a counter
whose series is not set yet leaves them blank, to be written in from a
pre-printed book. A spoiled receipt printed again says it is cancelled. The
amount is written in figures and in words, as every Vietnamese receipt does,
so a figure cannot be altered. An electronic receipt is the provider's to
issue: nothing is printed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from counter_app.dossier_view import DossierView
from counter_app.fees import EXEMPT, TRANSFER, PaymentView
from printing.document import Section, build_pdf
from printing.fit import check_fits
from printing.paper import Paper, Sheet, sheet
from printing.parts import Signature, code_marks, field, letterhead, signatures, title_block
from printing.wording import BLANK, addressee, clock_and_date, markup, money

TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
COPIES = ("Liên 1: Lưu", "Liên 2: Giao người nộp tiền")
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


@dataclass(frozen=True)
class FeeReceiptForm:
    """The receipt's data: the dossier, the payment, where and when it is printed."""

    view: DossierView
    payment: PaymentView
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    copies: tuple[str, ...] = COPIES
    payer_name: str = ""  # who paid, when not the applicant (a representative at the return)
    tax_code: str = ""  # the collecting centre's mã số thuế, from the counter's settings

    @property
    def payer(self) -> str:
        return self.payer_name or self.view.applicant.full_name


def _three(number: int, full: bool) -> list[str]:
    """Words of 0-999; ``full`` reads the zeros a group after a higher one needs."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 4 and tens >= 2:
            words.append("tư")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return words


def amount_in_words(vnd: int) -> str:
    """ "15000" → "Mười lăm nghìn đồng"; "1005000" → "Một triệu không trăm linh năm nghìn đồng"."""
    if not 0 <= vnd < 1000**4:
        raise ValueError(f"an amount between 0 and 999 tỷ đồng, not {vnd}")
    groups: list[int] = []
    rest = vnd
    while rest:
        rest, group = divmod(rest, 1000)
        groups.append(group)
    words: list[str] = []
    for index in reversed(range(len(groups))):
        if groups[index]:
            words += _three(groups[index], full=bool(words))
            if _GROUPS[index]:
                words.append(_GROUPS[index])
    text = " ".join(words) if words else "không"
    return text[0].upper() + text[1:] + " đồng"


def _what(view: DossierView) -> str:
    """Phí or lệ phí, as the catalog names the money this procedure takes."""
    kinds = [
        name for name, amount in (("Lệ phí", view.fee_vnd), ("Phí", view.charge_vnd)) if amount
    ]
    label = ", ".join(kinds).lower().capitalize() if kinds else "Phí, lệ phí"
    return f"{label} giải quyết thủ tục: {view.procedure_name}"


def _copy(page: Sheet, data: FeeReceiptForm, copy_label: str) -> list[Flowable]:
    view, paid = data.view, data.payment
    styles = page.styles
    story: list[Flowable] = [letterhead(page, data)]
    story += title_block(page, TITLE, f"({copy_label})")
    if paid.receipt_number is not None:
        numbering = (
            f"Mẫu số: <b>{markup(paid.receipt_form or '')}</b>&nbsp;&nbsp;&nbsp;"
            f"Ký hiệu: <b>{markup(paid.receipt_series or '')}</b>&nbsp;&nbsp;&nbsp;"
            f"Số: <b>{paid.receipt_number_label}</b>"
        )
    else:
        numbering = (
            f"Mẫu số: {BLANK}&nbsp;&nbsp;&nbsp;Ký hiệu: {BLANK}&nbsp;&nbsp;&nbsp;Số: {BLANK}"
        )
    story.append(Paragraph(numbering, styles.subtitle))
    if paid.cancelled:
        story.append(
            Paragraph(
                '<font color="#b00020"><b>BIÊN LAI ĐÃ HỦY</b>'
                + (f" ({markup(paid.cancel_reason)})" if paid.cancel_reason else "")
                + " — không có giá trị thanh toán</font>",
                styles.subtitle,
            )
        )
    story.append(code_marks(page, view.code))
    story += [
        field(page, "Đơn vị thu", view.receiving_unit.name),
        field(page, "Mã số thuế", data.tax_code or BLANK),
        Paragraph(f"Mã khoản thu: {markup(paid.id[:8].upper())}", styles.body),
    ]
    payer = addressee(view)
    if data.payer_name and data.payer_name != view.applicant.full_name:
        payer = f"{data.payer_name} (nộp thay {addressee(view)})"
    story += [
        field(page, "Người nộp", payer, bold=True),
        field(page, "Địa chỉ", view.applicant.address),
        field(page, "Mã hồ sơ", view.code),
        field(page, "Nội dung thu", _what(view)),
    ]
    if paid.pages is not None:
        tariff = f" ({view.fee_schedule.describe()})" if view.fee_schedule else ""
        story.append(field(page, "Số trang", f"{paid.pages}{tariff}"))
    if paid.method == EXEMPT:
        story += [
            field(page, "Số tiền thu", "0 đồng (miễn thu)", bold=True),
            field(page, "Số tiền được miễn", money(paid.amount_vnd)),
            field(page, "Lý do miễn", paid.exemption_reason or ""),
        ]
    else:
        story += [
            field(page, "Số tiền", money(paid.amount_vnd), bold=True),
            Paragraph(f"Bằng chữ: <i>{markup(amount_in_words(paid.amount_vnd))}</i>.", styles.body),
        ]
        how = paid.method_label
        if paid.method == TRANSFER and paid.reference:
            how += f", mã giao dịch {paid.reference}"
        story.append(field(page, "Hình thức thanh toán", how))
    story.append(
        field(
            page,
            "Thời gian thu",
            f"{clock_and_date(paid.collected_at)} ({paid.stage_label.lower()})",
        )
    )
    paying = Signature("NGƯỜI NỘP TIỀN", data.payer)
    collector = Signature("NGƯỜI THU TIỀN", paid.collected_by_name)
    story.append(KeepTogether([signatures(page, [paying, collector])]))
    return story


def render_fee_receipt(data: FeeReceiptForm, paper: Paper = "A5") -> bytes:
    """The receipt as PDF bytes, one page set per liên."""
    check_fits(data, "biên lai thu phí, lệ phí")
    page = sheet(paper)
    sections = [Section(_copy(page, data, label), label) for label in data.copies]
    return build_pdf(page, sections, title="Biên lai thu phí, lệ phí", code=data.view.code)
