"""Print preview of a rendered form: Qt's preview and print dialog, plus "save as PDF".

The forms are rendered to PDF by ``printing/``; this shows those very pages,
so what is saved, previewed and printed is one document. Pages are drawn at
the printer's resolution, so barcodes stay sharp on paper.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QPushButton, QToolBar, QWidget


def load_pdf(pdf: bytes, parent: QWidget | None = None) -> QPdfDocument:
    """A QPdfDocument over ``pdf`` (kept alive by its buffer, parented to ``parent``)."""
    document = QPdfDocument(parent)  # type: ignore[arg-type]  # Qt takes no parent as nullptr
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def paint_pdf(document: QPdfDocument, printer: QPrinter) -> None:
    """Draw every page of ``document`` onto ``printer``, one sheet per page, at its size."""
    first = document.pagePointSize(0)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point),
            QPageLayout.Orientation.Portrait
            if first.height() >= first.width()
            else QPageLayout.Orientation.Landscape,
            QMarginsF(0, 0, 0, 0),
        )
    )
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            image = document.render(page, target.size())
            painter.drawImage(QRectF(QPointF(0, 0), target.size().toSizeF()), image)
    finally:
        painter.end()


class PdfPreviewDialog(QPrintPreviewDialog):
    """Preview and print a rendered form; its tool bar adds "Lưu PDF". Signals: none."""

    def __init__(self, pdf: bytes, title: str, suggested_name: str, parent: QWidget | None = None):
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # the dialog does not own it
        super().__init__(self._printer, parent)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.document = load_pdf(pdf, self)
        self.setWindowTitle(title)
        self.resize(900, 900)
        self.paintRequested.connect(lambda printer: paint_pdf(self.document, printer))
        save = QPushButton(self.tr("Lưu PDF…"))
        save.setObjectName("savePdf")
        save.clicked.connect(self.save_as)
        bar = self.findChild(QToolBar)
        if bar is not None:
            bar.addWidget(save)

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Lưu PDF"), self.suggested_name, self.tr("Tệp PDF (*.pdf)")
        )
        if path:
            Path(path).write_bytes(self.pdf)
