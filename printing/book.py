"""Form 07, Sổ theo dõi hồ sơ: the dossier book of a date range, A4 landscape.

The book is the unit's paper record of every dossier that crossed the counter,
so its table has the form's numbered columns (with the 2025 "Phương thức nhận
kết quả", MOH 3621/QĐ-BYT) and its three heading rows stand on top of every
page; the supervisor signs under the last line. A book of one field (lĩnh vực)
says so under its title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter_app.dossier_book import BookLine, DossierBook
from printing.parts import SEAL_HINT, Signature, signatures
from printing.report_layout import (
    CELL_SIZE,
    build_report,
    cell_styles,
    grid,
    landscape,
    unit_letterhead,
)
from printing.wording import markup

TITLE = "SỔ THEO DÕI HỒ SƠ"
# (heading, width in points); the five moments share the heading "Thời gian".
COLUMNS = (
    ("TT", 20),
    ("Mã hồ sơ", 64),
    ("Tên thủ tục hành chính", 96),
    ("Số lượng hồ sơ (bộ)", 28),
    ("Tên cá nhân, tổ chức", 64),
    ("Địa chỉ, số điện thoại", 76),
    ("Cơ quan chủ trì giải quyết", 52),
    ("Nhận hồ sơ", 42),
    ("Hẹn trả kết quả", 42),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 42),
    ("Có kết quả giải quyết", 42),
    ("Trả kết quả", 42),
    ("Phương thức nhận kết quả", 46),
    ("Ký nhận", 40),
    ("Ghi chú", 46),
)
MOMENTS = (7, 12)  # columns 8-12 (zero-based 7..11) sit under "Thời gian"


@dataclass(frozen=True)
class BookPrint:
    """The book and what the printed pages add: where, when, who keeps and who signs it."""

    book: DossierBook
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    keeper_name: str = ""
    signer_title: str = "LÃNH ĐẠO ĐƠN VỊ"
    signer_name: str = ""


def _moment(at: dt.datetime | None) -> str:
    return f"{at:%H:%M}\n{at:%d/%m/%Y}" if at else ""


def _appointment(line: BookLine) -> str:
    """The appointment as first written, then where it moved: recomputed after a supplement
    (Decree 297/2025 art. 6(4)(a)) and the apology's new date (form 04)."""
    first = line.first_due_at or line.due_at
    text = _moment(first)
    if line.due_at != first:
        text += f"\nSau bổ sung:\n{_moment(line.due_at)}"
    if line.extended_due_at is not None:
        text += f"\nHẹn lại:\n{_moment(line.extended_due_at)}"
    return text


def _code(code: str) -> str:
    """The unit part on one line and the date and number on the next: a code has no spaces."""
    unit, _, rest = code.partition("-")
    return f"{unit}-\n{rest}" if rest else code


def _heading_rows() -> tuple[list[list[object]], list[tuple[object, ...]]]:
    head = cell_styles().head
    first = MOMENTS[0]
    top: list[object] = []
    middle: list[object] = []
    spans: list[tuple[object, ...]] = []
    for index, (heading, _width) in enumerate(COLUMNS):
        if first <= index < MOMENTS[1]:
            top.append(
                Paragraph("Thời gian (giờ, ngày, tháng, năm)", head) if index == first else ""
            )
            middle.append(Paragraph(markup(heading), head))
        else:
            top.append(Paragraph(markup(heading), head))
            middle.append("")
            spans.append(("SPAN", (index, 0), (index, 1)))
    spans.append(("SPAN", (first, 0), (MOMENTS[1] - 1, 0)))
    numbers: list[object] = [
        Paragraph(f"({n})", cell_styles().center) for n in range(1, len(COLUMNS) + 1)
    ]
    return [top, middle, numbers], spans


def _line(line: BookLine) -> list[object]:
    cells = cell_styles()
    address = markup(line.address) + (f"<br/>ĐT: {markup(line.phone)}" if line.phone else "")
    # Short cells are plain strings, set by the table's style; only text that must wrap
    # is a Paragraph, so a long book lays out quickly.
    return [
        str(line.number),
        _code(line.code),
        Paragraph(markup(line.procedure_name), cells.text),
        f"{line.sets_count:02d}",
        Paragraph(markup(line.applicant_name), cells.text),
        Paragraph(address, cells.text),
        Paragraph(markup(line.competent_unit), cells.text),
        _moment(line.received_at),
        _appointment(line),
        _moment(line.forwarded_at),
        _moment(line.result_at),
        _moment(line.returned_at),
        Paragraph(markup(line.return_label), cells.center),
        Paragraph(f"<i>{markup(line.returned_to)}</i>" if line.returned_to else "", cells.center),
        Paragraph(markup(line.note), cells.text),
    ]


def book_table(book: DossierBook) -> Table:
    rows, spans = _heading_rows()
    for line in book.lines:
        rows.append(_line(line))
    if not book.lines:
        empty = Paragraph(
            "Không có hồ sơ nào được tiếp nhận trong thời gian này.", cell_styles().text
        )
        rows.append([empty] + [""] * (len(COLUMNS) - 1))
        spans.append(("SPAN", (0, 3), (-1, 3)))
    return Table(
        rows,
        colWidths=[width for _heading, width in COLUMNS],
        repeatRows=3,
        style=grid(
            *spans,
            ("BACKGROUND", (0, 0), (-1, 2), colors.HexColor("#eef2f7")),
            ("FONTSIZE", (0, 3), (-1, -1), CELL_SIZE),
            ("LEADING", (0, 3), (-1, -1), CELL_SIZE * 1.18),
            ("ALIGN", (0, 3), (0, -1), "CENTER"),
            ("ALIGN", (3, 3), (3, -1), "CENTER"),
            ("ALIGN", (7, 3), (11, -1), "CENTER"),
            pad=1.8,
        ),
    )


def render_book(data: BookPrint) -> bytes:
    """The book's pages as PDF bytes."""
    page = landscape()
    styles = page.styles
    book = data.book
    story: list[Flowable] = [
        unit_letterhead(
            page,
            unit_name=book.unit_name,
            parent_agency=data.parent_agency,
            place=data.place_name,
            day=data.printed_at.date(),
            issuer="BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
            share=0.38,
        ),
        Paragraph(TITLE, styles.title),
        Paragraph(markup(book.period_label), styles.subtitle),
        *([Paragraph(markup(f"Lĩnh vực: {book.field}"), styles.subtitle)] if book.field else []),
        Paragraph(f"Số hồ sơ trong sổ: {len(book.lines)}", styles.subtitle),
        Spacer(1, 6),
        book_table(book),
    ]
    story.append(
        KeepTogether(
            [
                Spacer(1, 10),
                signatures(
                    page,
                    [
                        Signature("NGƯỜI GHI SỔ", data.keeper_name),
                        None,
                        Signature(data.signer_title, data.signer_name, SEAL_HINT),
                    ],
                ),
            ]
        )
    )
    return build_report(
        page,
        story,
        title=f"Sổ theo dõi hồ sơ — {book.period_label}",
        footer=" — ".join(
            part
            for part in ("Sổ theo dõi hồ sơ", book.unit_name, book.field, book.period_label)
            if part
        ),
    )
