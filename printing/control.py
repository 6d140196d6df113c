"""Form 06: Phiếu kiểm soát quá trình giải quyết hồ sơ, the control slip.

It travels with the paper dossier: every body that gives or takes the dossier
writes the time and signs a row, and the row that releases the result says
whether that was early, on time or late. The rows the dossier's events already
tell are printed; blank rows follow for the hand-overs still to come.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from printing.document import Section, build_pdf
from printing.form_data import ControlSlipForm, HandoverRow
from printing.paper import Paper, Sheet, sheet
from printing.parts import code_marks, field, letterhead, table_style, title_block
from printing.wording import BLANK, addressee, clock_and_date, markup

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
RESULT_HEADING = "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ Đúng hạn/ Quá hạn)"
SHARES = (0.26, 0.16, 0.13, 0.13, 0.18, 0.14)


def render_control_slip(data: ControlSlipForm, paper: Paper = "A5") -> bytes:
    """Form 06 as PDF bytes."""
    page = sheet(paper)
    view = data.view
    story: list[Flowable] = [letterhead(page, data)]
    story += title_block(page, TITLE)
    story.append(code_marks(page, view.code))
    story += [
        field(page, "Người nộp hồ sơ", addressee(view), bold=True),
        field(page, "Nội dung yêu cầu giải quyết", view.procedure_name),
        field(page, "Thời gian nhận hồ sơ", clock_and_date(view.received_at)),
        field(page, "Thời gian hẹn trả kết quả", clock_and_date(view.due_at)),
        field(page, "Cơ quan (bộ phận) giải quyết hồ sơ", view.competent_unit.name),
        field(page, "Cơ quan phối hợp giải quyết hồ sơ", BLANK * 3),
    ]
    story.append(handover_table(page, data.rows, max(0, data.blank_rows)))
    return build_pdf(page, [Section(story)], title=TITLE.capitalize(), code=view.code)


def handover_table(page: Sheet, rows: tuple[HandoverRow, ...], blank_rows: int) -> Table:
    """The hand-over table: two heading rows (repeated on every page), then one row per
    hand-over, tall enough for two signatures."""
    styles = page.styles
    head, center, cell = styles.cell_head, styles.cell_center, styles.cell
    body: list[list[object]] = [
        [
            Paragraph("TÊN CƠ QUAN", head),
            Paragraph("THỜI GIAN GIAO, NHẬN HỒ SƠ", head),
            "",
            "",
            Paragraph(markup(RESULT_HEADING), head),
            Paragraph("GHI CHÚ", head),
        ],
        [
            "",
            Paragraph("Thời gian", head),
            Paragraph("Người giao", head),
            Paragraph("Người nhận", head),
            "",
            "",
        ],
    ]
    room = page.signature_space * 0.75
    for row in rows:
        when = clock_and_date(row.at) if row.at else ""
        body.append(
            [
                _bodies(page, row.giver_body, row.receiver_body),
                Paragraph(when, center),
                [Spacer(1, room), Paragraph(markup(row.giver), center)],
                [Spacer(1, room), Paragraph(markup(row.receiver), center)],
                Paragraph(markup(row.result), center),
                Paragraph(markup(row.note), cell),
            ]
        )
    for _ in range(blank_rows):
        body.append(
            [
                _bodies(page, "", ""),
                Paragraph("…giờ…phút, ngày …/…/……", center),
                Spacer(1, room),
                "",
                "",
                "",
            ]
        )
    pad = cell.fontSize * 0.3
    return Table(
        body,
        colWidths=[page.frame_width * share for share in SHARES],
        repeatRows=2,
        spaceBefore=pad * 2,
        style=table_style(
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (3, 0)),
            ("SPAN", (4, 0), (4, 1)),
            ("SPAN", (5, 0), (5, 1)),
            ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
            ("VALIGN", (0, 2), (-1, -1), "TOP"),
            ("VALIGN", (4, 2), (4, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ),
    )


def _bodies(page: Sheet, giver: str, receiver: str) -> Paragraph:
    """ "1. Giao: …" over "2. Nhận: …", the body column of one hand-over."""
    return Paragraph(f"1. Giao: {markup(giver)}<br/>2. Nhận: {markup(receiver)}", page.styles.cell)
