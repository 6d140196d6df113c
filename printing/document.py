"""Pages from flowables: the one place a form becomes PDF bytes.

A form is one or more sections (the receipt has one per copy), each starting
on a new page. A long document list flows onto further pages; those pages
carry a footer naming the dossier, the copy and the page, so a sheet that
comes loose from the stack still says where it belongs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import CallerMacro

from printing.fit import too_large
from printing.fonts import ITALIC, REGULAR
from printing.paper import Sheet

FOOTER_BASELINE = 5.2 * mm


@dataclass(frozen=True)
class Section:
    """A run of pages that starts on a fresh page; ``label`` names it in continuation footers."""

    flowables: Sequence[Flowable]
    label: str = ""


class _SectionTracker:
    """Where the current section started; one per build, so renders on threads do not mix."""

    def __init__(self) -> None:
        self.label = ""
        self.first_page = 1

    def marker(self, label: str) -> Flowable:
        def mark(flowable: Flowable) -> None:
            self.label = label
            self.first_page = flowable.canv.getPageNumber()

        return CallerMacro(drawCallable=mark)


def sheet_document(
    sheet: Sheet, buffer: io.BytesIO, *, title: str, subject: str
) -> tuple[BaseDocTemplate, Frame]:
    """A document on ``sheet``'s paper and margins with its one body frame, Vietnamese,
    in the serif face: what every printed form and report is laid out in."""
    doc = BaseDocTemplate(
        buffer,
        pagesize=(sheet.width, sheet.height),
        leftMargin=sheet.left,
        rightMargin=sheet.right,
        topMargin=sheet.top,
        bottomMargin=sheet.bottom,
        title=title,
        subject=subject,
        author="",
        creator="ward-counter",
        lang="vi-VN",
        initialFontName=REGULAR,
        initialFontSize=sheet.styles.body.fontSize,
    )
    frame = Frame(
        sheet.left,
        sheet.bottom,
        sheet.frame_width,
        sheet.frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    return doc, frame


def build_pdf(sheet: Sheet, sections: Sequence[Section], *, title: str, code: str) -> bytes:
    """The PDF of ``sections`` on ``sheet``'s paper, with document title and subject set."""
    tracker = _SectionTracker()
    footer_style = sheet.styles.footer

    def continuation_footer(canvas: Any, doc: Any) -> None:
        page = canvas.getPageNumber()
        if page <= tracker.first_page:
            return
        parts = [
            f"Mã hồ sơ {code}" if code else "",
            tracker.label,
            f"trang {page - tracker.first_page + 1}",
        ]
        text = " · ".join(part for part in parts if part)
        canvas.saveState()
        canvas.setFont(ITALIC, footer_style.fontSize)
        baseline = max(sheet.bottom / 2, FOOTER_BASELINE)  # above what printers cannot reach
        canvas.drawCentredString(sheet.left + sheet.frame_width / 2, baseline, text)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc, frame = sheet_document(sheet, buffer, title=title, subject=code)
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame], onPageEnd=continuation_footer)])
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        if index:
            story.append(PageBreak())
        story.append(tracker.marker(section.label))
        story.extend(section.flowables)
    try:
        doc.build(story)
    except LayoutError:  # a table row or a kept-together block taller than a page
        raise too_large(title.lower(), sheet.paper) from None
    return buffer.getvalue()
