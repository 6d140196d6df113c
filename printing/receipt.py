"""Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, the receipt and appointment slip.

Printed when the clerk receives a dossier, in two copies (liên): one goes
home with the applicant, one stays with the control slip. The fields are those
of Mẫu số 01, Annex I of Circular 03/2025/TT-VPCP, in its order.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from counter_app.dossier_view import DocumentLine, DossierView
from printing.document import Section, build_pdf
from printing.form_data import ReceiptForm
from printing.paper import Paper, Sheet, sheet
from printing.parts import (
    Signature,
    applicant_lines,
    code_marks,
    field,
    filer_name,
    letterhead,
    numbered,
    received_from,
    signatures,
    table_style,
    title_block,
)
from printing.wording import clock_and_date, fee_line, markup, return_place, two_digits

TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
DOCUMENT_HEADINGS = ("TT", "Tên giấy tờ", "Hình thức", "Số lượng")
DOCUMENT_SHARES = (0.06, 0.57, 0.25, 0.12)


def render_receipt(data: ReceiptForm, paper: Paper = "A5") -> bytes:
    """The receipt as PDF bytes: one section of pages per copy in ``data.copies``."""
    page = sheet(paper)
    sections = [Section(_copy(page, data, label), label) for label in data.copies]
    return build_pdf(page, sections, title=TITLE.capitalize(), code=data.view.code)


def _copy(page: Sheet, data: ReceiptForm, copy_label: str) -> list[Flowable]:
    view = data.view
    styles = page.styles
    story: list[Flowable] = [letterhead(page, data)]
    story += title_block(page, TITLE, f"({copy_label})", after_supplement_line(view))
    story.append(code_marks(page, view.code))
    story.append(received_from(page, view))
    story += applicant_lines(page, view)
    story.append(field(page, "Nội dung yêu cầu giải quyết", view.procedure_name, bold=True))
    if view.boundary_free:
        story.append(field(page, "Cơ quan giải quyết hồ sơ", view.competent_unit.name))
    story.append(numbered(page, "1.", "Thành phần hồ sơ nộp gồm:"))
    story.append(document_table(page, [d for d in view.documents if d.received]))
    story.append(numbered(page, "2.", f"Số lượng hồ sơ: {two_digits(view.sets_count)} (bộ)"))
    story.append(
        numbered(
            page,
            "3.",
            "Thời gian giải quyết hồ sơ theo quy định là: " + markup(view.processing_label),
        )
    )
    story.append(numbered(page, "4.", "Thời gian nhận hồ sơ: " + clock_and_date(view.received_at)))
    if view.supplement_received_at is not None:
        story.append(
            field(
                page,
                "Thời gian nhận đủ hồ sơ bổ sung (thời hạn giải quyết tính lại từ đây)",
                clock_and_date(view.supplement_received_at),
            )
        )
    story.append(
        numbered(
            page,
            "5.",
            f"Thời gian trả kết quả giải quyết hồ sơ: <b>{clock_and_date(view.due_at)}</b>",
        )
    )
    story.append(numbered(page, "6.", "Đăng ký nhận kết quả tại: " + markup(return_place(view))))
    closing: list[Flowable] = []
    if fee := fee_line(view):
        closing.append(field(page, "Phí, lệ phí", fee))
    closing.append(
        Paragraph(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {markup(view.book_volume)}, "
            f"Số thứ tự: {view.book_entry}",
            styles.body,
        )
    )
    closing.append(signatures(page, _signers(view)))
    story.append(KeepTogether(closing))
    return story


def after_supplement_line(view: DossierView) -> str:
    """The mark of a receipt issued again once a supplement restarted the clock (Decree
    297/2025 art. 6(4)(a)): the citizen's new appointment replaces the first one."""
    if view.supplement_received_at is None:
        return ""
    return f"(Cấp lại sau khi nhận hồ sơ bổ sung ngày {view.supplement_received_at:%d/%m/%Y})"


def _signers(view: DossierView) -> list[Signature | None]:
    return [
        Signature("NGƯỜI NỘP HỒ SƠ", filer_name(view)),
        Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", view.received_by_name),
    ]


def document_table(page: Sheet, documents: list[DocumentLine]) -> Table:
    """The documents handed in, one row each; rows wrap, and the table breaks across pages
    with its heading repeated."""
    styles = page.styles
    rows: list[list[Flowable]] = [[Paragraph(h, styles.cell_head) for h in DOCUMENT_HEADINGS]]
    for number, line in enumerate(documents, start=1):
        rows.append(
            [
                Paragraph(str(number), styles.cell_center),
                Paragraph(markup(line.name), styles.cell),
                Paragraph(markup(line.form_label), styles.cell_center),
                Paragraph(two_digits(line.count), styles.cell_center),
            ]
        )
    width = page.frame_width
    pad = styles.cell.fontSize * 0.3
    return Table(
        rows,
        colWidths=[width * share for share in DOCUMENT_SHARES],
        repeatRows=1,
        spaceBefore=pad,
        spaceAfter=pad,
        style=table_style(
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6 + 1),
            ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.5),
        ),
    )
