"""The separator sheet a postal agent puts before each document of a stack to be scanned.

It is read by the scanner software's output, not by a person at the counter:
a solid band across the top says "separator" even when a smudge makes its
barcodes unreadable (so such a sheet is set aside, never taken for a page of a
document), and the Code 128 and QR code both carry the separator's text
(``counter_app.separator_codes``). Bars are drawn wider than on a receipt so a
scan at 150–200 dpi still resolves every module. The names printed are for the
person feeding the scanner: which dossier, which document comes next.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from counter_app.separator_codes import SeparatorCode
from counter_app.separator_view import SeparatorView
from printing.codes import code128_modules, qr_blocks, qr_modules, runs
from printing.fonts import BOLD, REGULAR, register_fonts
from printing.paper import Paper, sheet
from printing.wording import markup

BAND_HEIGHT = 14 * mm  # counter_app.scan_batch looks for it in the top tenth of the page
MODULE = 1.3  # points per Code 128 module: 2 pixels even at 150 dpi
QUIET = 10  # modules of white each side of the bars


def _bars(canvas: Any, modules: str, x: float, y: float, module: float, height: float) -> None:
    path = canvas.beginPath()
    for first, length in runs(modules):
        path.rect(x + (QUIET + first) * module, y, length * module, height)
    canvas.drawPath(path, stroke=0, fill=1)


def _qr(canvas: Any, text: str, x: float, top: float, size: float) -> None:
    matrix = qr_modules(text)
    box = size / (len(matrix) + 8)
    path = canvas.beginPath()
    for column, row, width, height in qr_blocks(matrix):
        left = x + (4 + column) * box
        path.rect(left, top - (4 + row + height) * box, width * box, height * box)
    canvas.drawPath(path, stroke=0, fill=1)


def separator_pdf(view: SeparatorView, paper: Paper = "A4") -> bytes:
    """One separator sheet for ``view``'s document, as PDF bytes."""
    return separators_pdf([view], paper)


def separators_pdf(views: Sequence[SeparatorView], paper: Paper = "A4") -> bytes:
    """A sheet per view, in order: one print job for the whole stack about to be scanned."""
    if not views:
        raise ValueError("không có giấy tờ nào để in phiếu tách")
    register_fonts()
    page = sheet(paper)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page.width, page.height), pageCompression=1)
    first = views[0]
    canvas.setTitle(
        f"Phiếu tách giấy tờ {first.document} – {first.label}"
        if len(views) == 1
        else f"Phiếu tách {len(views)} giấy tờ – {first.label}"
    )
    for view in views:
        _draw(canvas, view, paper)
    canvas.save()
    return out.getvalue()


def _draw(canvas: Any, view: SeparatorView, paper: Paper) -> None:
    page = sheet(paper)
    width, height = page.width, page.height
    margin = 15 * mm
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(margin, height - margin - BAND_HEIGHT, width - 2 * margin, BAND_HEIGHT, 0, 1)

    y = height - margin - BAND_HEIGHT - 14 * mm
    canvas.setFont(BOLD, 22 if paper == "A4" else 17)
    canvas.drawCentredString(width / 2, y, "PHIẾU TÁCH GIẤY TỜ")
    y -= 8 * mm
    styles = page.styles
    text_width = width - 2 * margin
    for line in (
        f"Hồ sơ: <b>{markup(view.label)}</b>",
        f"Người nộp: {markup(view.applicant)}",
        f"Thủ tục: {markup(view.procedure)}",
        f"Giấy tờ số <b>{view.document}</b>: <b>{markup(view.document_name)}</b>",
    ):
        paragraph = Paragraph(line, styles.body)
        _, used = paragraph.wrap(text_width, y)
        y -= used + 2 * mm
        paragraph.drawOn(canvas, margin, y)

    code = SeparatorCode(view.target, view.document).text()
    modules = code128_modules(code)
    module = min(MODULE, text_width / (len(modules) + 2 * QUIET))
    bars_width = (len(modules) + 2 * QUIET) * module
    bar_height = 22 * mm
    y -= bar_height + 10 * mm
    _bars(canvas, modules, (width - bars_width) / 2, y, module, bar_height)
    canvas.setFont(REGULAR, 10)
    canvas.drawCentredString(width / 2, y - 5 * mm, code)

    qr_size = 45 * mm if paper == "A4" else 36 * mm
    top = y - 10 * mm
    _qr(canvas, code, (width - qr_size) / 2, top, qr_size)

    canvas.setFont(REGULAR, 10)
    note = (
        "Đặt phiếu này ngay trước các trang của giấy tờ trên rồi scan cả xấp; "
        "phiếu tách không được đính kèm vào hồ sơ."
    )
    paragraph = Paragraph(markup(note), styles.body)
    paragraph.wrap(text_width, top)
    paragraph.drawOn(canvas, margin, margin)
    canvas.showPage()
