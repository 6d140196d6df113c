"""Preview of a rendered form or report, printed or saved as the very PDF that was rendered.

The forms are rendered to PDF by ``printing/``; this shows those very pages,
so what is saved, previewed and printed is one document. Each PDF page says
its own size and orientation (A5 portrait slips, A4 landscape reports), and
both the preview and the printer follow it page by page instead of forcing
one paper on all. The preview draws a page only when it is shown, at the
screen's resolution: rasterizing at the printer's 1200 dpi took most of a
second and ~0.8 GB per receipt. Printing renders each page at the printer's
resolution up to 600 dpi (enough for the narrowest bar of a barcode; an A4 page
at 1200 dpi is a 0.5 GB image), one page at a time behind a progress dialog
that can stop the job, so a long book neither freezes the window nor fills the
memory; "save PDF" writes the original bytes, not a re-render.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

PAGE_GAP = 16  # pixels between pages, and around them
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
PRINT_DPI = 600  # the most a page is rasterized at for the printer


class Printed(enum.Enum):
    DONE = "done"
    REFUSED = "refused"  # the printer (or the PDF file it writes) would not start the job
    STOPPED = "stopped"  # the clerk stopped it between pages


def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument over ``pdf`` (kept alive by its buffer, parented to ``parent``)."""
    document = QPdfDocument(parent)  # type: ignore[arg-type]  # Qt takes no parent as nullptr
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def page_layout(document: QPdfDocument, page: int) -> QPageLayout:
    """The paper of ``page`` as its MediaBox says, named (A4, A5) and turned as drawn.

    QPageSize is given the portrait size and the orientation separately: a
    landscape size handed over as is gets matched to the portrait paper of the
    same name and the page comes out squashed sideways.
    """
    size = document.pagePointSize(page)
    width, height = size.width(), size.height()
    portrait = QSizeF(min(width, height), max(width, height))
    return QPageLayout(
        QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
    )


def _fitted(page: QSizeF, target: QRectF) -> QRectF:
    """``page`` scaled into ``target`` keeping its shape, centred: never stretched."""
    scale = min(target.width() / page.width(), target.height() / page.height())
    width, height = page.width() * scale, page.height() * scale
    return QRectF(
        target.x() + (target.width() - width) / 2,
        target.y() + (target.height() - height) / 2,
        width,
        height,
    )


def print_image_size(target: QSizeF, printer: QPrinter) -> QSize:
    """The pixels a page is rendered at for ``target`` (printer pixels), at most PRINT_DPI."""
    scale = min(1.0, PRINT_DPI / max(1, printer.resolution()))
    return QSize(max(1, round(target.width() * scale)), max(1, round(target.height() * scale)))


def paint_pdf(
    document: QPdfDocument,
    printer: QPrinter,
    next_page: Callable[[int], bool] | None = None,
) -> Printed:
    """Draw every page of ``document`` onto ``printer``, each on its own paper.

    ``next_page(n)`` is asked before page ``n`` (0-based) is drawn; False stops
    the job there. A printer that refuses a new paper in mid-job (some native
    drivers) gets the page fitted into the sheet it has, its shape kept.
    """
    if document.pageCount() == 0:
        return Printed.DONE
    printer.setFullPage(True)
    printer.setPageLayout(page_layout(document, 0))
    painter = QPainter()
    if not painter.begin(printer):
        return Printed.REFUSED
    try:
        for page in range(document.pageCount()):
            if next_page is not None and not next_page(page):
                printer.abort()
                return Printed.STOPPED
            if page:
                printer.setPageLayout(page_layout(document, page))
                printer.newPage()
            sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            target = _fitted(document.pagePointSize(page), sheet)
            image = document.render(page, print_image_size(target.size(), printer))
            painter.drawImage(target, image)
    finally:
        painter.end()
    return Printed.DONE


class PageView(QWidget):
    """One page of the preview, drawn on first paint at the widget's own pixel size."""

    def __init__(self, document: QPdfDocument, page: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPage")
        self.document = document
        self.page = page
        self.image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def point_size(self) -> QSizeF:
        return self.document.pagePointSize(self.page)

    def set_zoom(self, zoom: float) -> None:
        """Zoom 1 is the page's real size on this screen (its points at the screen's dpi)."""
        size = self.point_size() * (self.logicalDpiX() / 72 * zoom)
        self.setFixedSize(size.toSize())

    def pixel_size(self) -> QSize:
        ratio = self.devicePixelRatioF()
        return QSize(round(self.width() * ratio), round(self.height() * ratio))

    def paintEvent(self, _event: QPaintEvent) -> None:
        wanted = self.pixel_size()
        if self.image is None or self.image.size() != wanted:
            self.image = self.document.render(self.page, wanted)
            self.image.setDevicePixelRatio(self.devicePixelRatioF())
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.drawImage(self.rect(), self.image)
        painter.setPen(QColor("#98a2b3"))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PdfPreviewDialog(QDialog):
    """Preview, print and save a rendered PDF; each page keeps its own paper. Signals: none."""

    def __init__(
        self, pdf: bytes, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.document = load_pdf(pdf, self)
        self._printer: QPrinter | None = None
        self.zoom = 1.0
        self.setWindowTitle(title)
        self.resize(900, 900)

        self.toolbar = QToolBar()
        self.print_action = self.toolbar.addAction(self.tr("In…"), self.print_dialog)
        self.print_action.setObjectName("printAction")
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.toolbar.addSeparator()
        self.fit_width_action = self.toolbar.addAction(self.tr("Vừa chiều rộng"), self.fit_width)
        self.fit_page_action = self.toolbar.addAction(self.tr("Vừa trang"), self.fit_page)
        zoom_in = self.toolbar.addAction(self.tr("Phóng to"), lambda: self.zoom_by(1.25))
        zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        zoom_out = self.toolbar.addAction(self.tr("Thu nhỏ"), lambda: self.zoom_by(0.8))
        zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.toolbar.addSeparator()
        save = QPushButton(self.tr("Lưu PDF…"))
        save.setObjectName("savePdf")
        save.clicked.connect(self.save_as)
        self.toolbar.addWidget(save)

        pages = QWidget()
        pages.setObjectName("previewPages")
        pages.setStyleSheet("QWidget#previewPages { background: #d0d5dd; }")
        column = QVBoxLayout(pages)
        column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        column.setSpacing(PAGE_GAP)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages = [PageView(self.document, page) for page in range(self.document.pageCount())]
        for view in self.pages:
            column.addWidget(view, 0, Qt.AlignmentFlag.AlignHCenter)
        self.page_column = pages
        self.page_area = QScrollArea()
        self.page_area.setWidget(pages)
        self.page_area.setWidgetResizable(True)
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.page_area)
        self.page_area.verticalScrollBar().valueChanged.connect(self._forget_hidden_pages)
        self.set_zoom(1.0)
        self._fitted = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the viewport has its size only once shown
            self._fitted = True
            self.fit_width()

    def _forget_hidden_pages(self) -> None:
        """Drop the images of pages scrolled well out of view: a long book stays small."""
        viewport = self.page_area.viewport()
        seen = QRect(QPoint(0, 0), viewport.size()).adjusted(
            0, -viewport.height(), 0, viewport.height()
        )
        for view in self.pages:
            if view.image is not None:
                place = QRect(view.mapTo(viewport, QPoint(0, 0)), view.size())
                if not place.intersects(seen):
                    view.image = None

    def _widest(self) -> QSizeF:
        sizes = [view.point_size() for view in self.pages] or [QSizeF(595, 842)]
        return max(sizes, key=lambda size: size.width())

    def fit_width(self) -> None:
        """The widest page as wide as the window, never above its real size."""
        room = self.page_area.viewport().width() - 2 * PAGE_GAP
        bar = self.page_area.verticalScrollBar().sizeHint().width()
        dots = self._widest().width() * self.logicalDpiX() / 72
        self.set_zoom(min(1.0, (room - bar) / dots))

    def fit_page(self) -> None:
        """A whole page in view at once."""
        viewport = self.page_area.viewport()
        page = self._widest() * (self.logicalDpiX() / 72)
        self.set_zoom(
            min(
                (viewport.width() - 2 * PAGE_GAP) / page.width(),
                (viewport.height() - 2 * PAGE_GAP) / page.height(),
            )
        )

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        for view in self.pages:
            view.set_zoom(self.zoom)
        column = self.page_column.layout()
        if column is not None:  # placed now, not at the next turn of the event loop
            column.activate()
            self.page_area.setWidgetResizable(True)  # the page column takes its new size

    def printer(self) -> QPrinter:
        """The printer of this preview, at full resolution, on the first page's paper."""
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self._printer.setDocName(self.windowTitle())
            if self.document.pageCount():
                self._printer.setPageLayout(page_layout(self.document, 0))
        return self._printer

    def print_dialog(self) -> None:
        """Ask which printer (or a PDF file), without blocking the window, then print."""
        dialog = QPrintDialog(self.printer(), self)
        dialog.setObjectName("printDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Printed once the dialog has closed: the job turns the event loop between pages,
        # which must not delete the dialog under its own accepted() signal.
        dialog.accepted.connect(lambda: QTimer.singleShot(0, self, self._print_now))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # QPrintDialog.open in PySide wants a receiver and a slot

    def _print_now(self) -> None:
        self.print_to(self.printer())

    def print_to(self, printer: QPrinter) -> None:
        """Print every page, a page at a time behind a progress dialog that can stop the job;
        a printer that will not start says so instead of doing nothing."""
        count = self.document.pageCount()
        progress = QProgressDialog(
            self.tr("Đang gửi trang đến máy in…"), self.tr("Dừng in"), 0, count, self
        )
        progress.setObjectName("printProgress")
        progress.setWindowTitle(self.tr("Đang in"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def next_page(page: int) -> bool:
            progress.setLabelText(
                self.tr("Đang gửi trang {page}/{count} đến máy in…").format(
                    page=page + 1, count=count
                )
            )
            progress.setValue(page)
            QApplication.processEvents()  # the window repaints; "Dừng in" can be pressed
            return not progress.wasCanceled()

        try:
            outcome = paint_pdf(self.document, printer, next_page)
        finally:
            progress.reset()
            progress.deleteLater()
        if outcome is Printed.STOPPED:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                self.tr("Đã dừng in"),
                self.tr(
                    "Đã dừng in theo yêu cầu. Các trang đã gửi có thể vẫn được máy in in ra; "
                    "bấm “In…” để in lại cả tài liệu."
                ),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("printStopped")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        elif outcome is Printed.REFUSED:
            where = printer.outputFileName() or printer.printerName()
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Không in được"),
                self.tr(
                    "Máy in “{printer}” không nhận lệnh in. Hãy kiểm tra máy in (đã bật, "
                    "còn giấy) hoặc chọn nơi lưu khác rồi in lại, hoặc dùng “Lưu PDF…”."
                ).format(printer=where),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("printFailed")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Lưu PDF"), self.suggested_name, self.tr("Tệp PDF (*.pdf)")
        )
        if path:
            Path(path).write_bytes(self.pdf)
