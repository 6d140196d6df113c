"""What the unit's reports share: A4 landscape, a letterhead without a dossier, numbered pages.

The counter slips speak of one dossier (``printing.parts.letterhead`` reads the
receiving unit from it); the tally and the dossier book speak for the unit,
run to many pages and are filed, so every page says "Trang 3/12". Their tables
hold a score of columns, hence landscape A4 with Decree 30/2020's margins and
a small type for the cells; the header and title keep the forms' sizes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageTemplate, Paragraph, Table
from reportlab.platypus.doctemplate import LayoutError

from printing.document import sheet_document
from printing.fit import too_large
from printing.fonts import BOLD, ITALIC, REGULAR, string_width
from printing.paper import Sheet, sheet
from printing.parts import MOTTO, NATION, PLAIN, Rule, balanced_lines, table_style
from printing.wording import date_line, markup

CELL_SIZE = 7.5


@dataclasses.dataclass(frozen=True)
class CellStyles:
    """The small type of a report's tables: text, centred, numbers, headings."""

    text: ParagraphStyle
    center: ParagraphStyle
    number: ParagraphStyle
    head: ParagraphStyle
    total: ParagraphStyle  # the bold "Tổng cộng" line's numbers


@functools.cache
def cell_styles(size: float = CELL_SIZE) -> CellStyles:
    lead = size * 1.18

    def style(name: str, **values: Any) -> ParagraphStyle:
        values.setdefault("fontName", REGULAR)
        return ParagraphStyle(name, fontSize=size, leading=lead, **values)

    return CellStyles(
        text=style("report_text", alignment=TA_LEFT),
        center=style("report_center", alignment=TA_CENTER),
        number=style("report_number", alignment=TA_RIGHT),
        head=style("report_head", fontName=BOLD, alignment=TA_CENTER),
        total=style("report_total", fontName=BOLD, alignment=TA_RIGHT),
    )


@functools.cache
def landscape() -> Sheet:
    """A4 turned on its side: the forms' A4 type, narrower side margins for wide tables."""
    upright = sheet("A4")
    return dataclasses.replace(
        upright,
        width=upright.height,
        height=upright.width,
        left=20 * mm,
        right=15 * mm,
        top=15 * mm,
        bottom=15 * mm,
    )


def grid(*commands: tuple[object, ...], pad: float = 2.2) -> Any:
    """The ruled style of a report table, Tinos in every cell."""
    return table_style(
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 0.8),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        *commands,
    )


def unit_letterhead(
    page: Sheet,
    *,
    unit_name: str,
    parent_agency: str,
    place: str,
    day: dt.date,
    issuer: str,
    share: float = 0.4,
) -> Table:
    """Parent agency and unit (the issuing body in bold) left, national header and date right."""
    styles = page.styles
    width = page.frame_width
    left, right = width * share, width * (1 - share)
    size = styles.header.fontSize
    lines: list[tuple[str, bool]] = []
    if parent_agency.strip():
        lines.append((parent_agency.strip().upper(), False))
    lines.append((unit_name.upper(), not issuer.strip()))
    if issuer.strip():
        lines.append((issuer.upper(), True))
    agency: list[Flowable] = []
    for text, bold in lines:
        face, style = (BOLD, styles.header_bold) if bold else (REGULAR, styles.header)
        agency += [Paragraph(markup(p), style) for p in balanced_lines(text, face, size, left - 4)]
    agency.append(Rule(left, left * 0.3, page.rule_width, height=size * 0.55, drop=size * 0.35))
    motto_width = string_width(MOTTO, BOLD, styles.motto.fontSize)
    nation: list[Flowable] = [
        Paragraph(NATION, styles.header_bold),
        Paragraph(MOTTO, styles.motto),
        Rule(right, motto_width, page.rule_width, height=size * 0.55, drop=size * 0.35),
        Paragraph(markup(date_line(place, day)), styles.date_line),
    ]
    return Table([[agency, nation]], colWidths=[left, right], style=PLAIN)


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds every page back until the end, so each can say how many pages there are."""

    footer_text = ""
    footer_size = 9.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(ITALIC, self.footer_size)
        text = f"{self.footer_text} · Trang {number}/{total}" if self.footer_text else ""
        self.drawCentredString(width / 2, 7 * mm, text or f"Trang {number}/{total}")
        self.restoreState()


def build_report(page: Sheet, story: Sequence[Flowable], *, title: str, footer: str) -> bytes:
    """The PDF of ``story`` on ``page``'s paper, each page numbered "footer · Trang n/N"."""

    class Numbered(_NumberedCanvas):
        footer_text = footer
        footer_size = page.styles.footer.fontSize

    buffer = io.BytesIO()
    doc, frame = sheet_document(page, buffer, title=title, subject=footer)
    doc.addPageTemplates([PageTemplate(id="report", frames=[frame])])
    try:
        doc.build(list(story), canvasmaker=Numbered)
    except LayoutError:  # a row taller than a page (a long reason, a long basis)
        raise too_large(title.lower(), page.paper) from None
    return buffer.getvalue()


def section_title(title: str, size: float) -> Paragraph:
    """A bold heading between a report's tables (the tally's, the digitization index's).

    Kept with what follows it: a heading alone at the foot of a page, its table
    on the next, is what a printed report must not show.
    """
    style = ParagraphStyle(
        "section", fontName=BOLD, fontSize=size, leading=size * 1.25, spaceBefore=8,
        spaceAfter=4, keepWithNext=1,
    )  # fmt: skip
    return Paragraph(markup(title), style)
