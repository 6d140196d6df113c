"""Printing through the window's print dialog to a file."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog, QScrollArea
from pytestqt.qtbot import QtBot

from ui.print_preview import PdfPreviewDialog


def page_sizes(path: Path) -> list[tuple[int, int]]:
    """Width and height of each page, in points, as the file's MediaBox says."""
    return [
        (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        for page in PdfReader(path).pages
    ]


def print_to_file(qtbot: QtBot, preview: PdfPreviewDialog, path: Path) -> list[tuple[int, int]]:
    """Print from the preview's own button and print dialog, the printer being a PDF file."""
    printer = preview.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)  # the paper is what is checked here; 1200 dpi only costs time
    button = preview.toolbar.widgetForAction(preview.print_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = preview.findChild(QPrintDialog, "printDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.accept()
    qtbot.waitUntil(path.exists)  # the print dialog's printer writes the file
    progress = preview.findChild(QProgressDialog, "printProgress")
    assert progress is None or not progress.isVisible(), "the progress goes with the job"
    return page_sizes(path)


def check_preview_pages(qtbot: QtBot, preview: PdfPreviewDialog, pdf: bytes) -> None:
    """Every page shown whole, in its own shape, drawn at the screen's resolution."""
    qtbot.waitExposed(preview)
    scroll = preview.findChild(QScrollArea)
    assert scroll is not None
    viewport = scroll.viewport()
    printed = PdfReader(io.BytesIO(pdf)).pages
    assert len(preview.pages) == len(printed)
    first = preview.pages[0]
    qtbot.waitUntil(lambda: first.image is not None)
    assert first.image is not None
    width, height = float(printed[0].mediabox.width), float(printed[0].mediabox.height)
    for view in preview.pages:
        assert abs(view.width() / view.height() - width / height) < 0.01, "the page's own shape"
        left = view.mapTo(viewport, view.rect().topLeft()).x()
        assert left >= 0 and left + view.width() <= viewport.width(), "no edge clipped"
    image = first.image
    assert abs(image.width() / image.height() - width / height) < 0.01
    # Rasterized for the screen, not at the printer's 1200 dpi (~20x the widget's size).
    assert image.width() <= 2 * first.width() and image.height() <= 2 * first.height()
