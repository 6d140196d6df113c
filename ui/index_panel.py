"""Chỉ số số hóa: the digitization index of the Reports screen's dates, shown, printed, exported.

The figures are ``counter_app.digitization_index``'s, computed off the GUI
thread; this panel only picks day or month, shows the table (per period and
PC, then per PC, then the total) and a bar chart of the shares per period
painted with QPainter, and hands the index to ``printing`` for the PDF and to
``counter_app.index_export`` for the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.digitization_index import (
    CHART_SHARES,
    DAY,
    INDEX_COLUMNS,
    MONTH,
    DigitizationIndex,
    IndexRow,
    cell_text,
    load_unit_index,
)
from counter_app.index_export import index_xlsx
from counter_app.os_errors import os_reason
from printing.report_print import index_pdf
from ui.print_preview import PdfPreviewDialog
from ui.services import CounterServices

SERIES_COLOURS = (QColor("#1f4e79"), QColor("#2e9e6b"), QColor("#5b9bd5"), QColor("#a5a5a5"))
GRID = QColor("#e4e7ec")
AXIS_TEXT = QColor("#475467")


class IndexChart(QWidget):
    """Grouped bars of the shares per period, 0 to 100%. Draws what it is given. Signals: none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: tuple[IndexRow, ...] = ()
        self.series_names = (
            self.tr("Số hóa khi tiếp nhận"),
            self.tr("Kết quả số hóa"),
            self.tr("Đúng hạn"),
            self.tr("Phi địa giới"),
        )
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(520, 200)

    def set_points(self, points: Sequence[IndexRow]) -> None:
        self.points = tuple(points)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        font.setPixelSize(11)
        painter.setFont(font)
        left, right, top, bottom = 44.0, 10.0, 28.0, 22.0
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        x = plot.left()
        for name, colour in zip(self.series_names, SERIES_COLOURS, strict=True):
            painter.fillRect(QRectF(x, 8, 10, 10), colour)
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRectF(x + 14, 4, 160, 18), Qt.AlignmentFlag.AlignVCenter, name)
            x += 30 + painter.fontMetrics().horizontalAdvance(name)
        if not self.points or plot.width() < 20 or plot.height() < 20:
            painter.setPen(AXIS_TEXT)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("Chưa có số liệu"))
            painter.end()
            return
        for tick in range(5):
            y = plot.bottom() - plot.height() * tick / 4
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(AXIS_TEXT)
            box = QRectF(0, y - 8, left - 6, 16)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(box, align, f"{tick * 25}%")
        slot = plot.width() / len(self.points)
        bar = max(1.0, slot * 0.8 / len(CHART_SHARES))
        every = max(1, int(painter.fontMetrics().horizontalAdvance("00/00/0000") * 1.2 // slot) + 1)
        for place, point in enumerate(self.points):
            start = plot.left() + slot * place + slot * 0.1
            for series, (attr, _heading) in enumerate(CHART_SHARES):
                height = plot.height() * (getattr(point.figures, attr) or 0.0)
                painter.fillRect(
                    QRectF(start + bar * series, plot.bottom() - height, bar - 0.5, height),
                    SERIES_COLOURS[series],
                )
            if place % every == 0:
                painter.setPen(AXIS_TEXT)
                box = QRectF(plot.left() + slot * place - 20, plot.bottom() + 3, slot + 40, 16)
                painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, point.period_label)
        painter.setPen(QPen(AXIS_TEXT, 1))
        painter.drawLine(
            int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom())
        )
        painter.end()


class IndexPanel(QWidget):
    """The index of the dates ``period()`` gives. Signals: indexReady(object) with each index
    shown; pdfReady(str title, bytes pdf) for the printed index (previewed unless built with
    ``preview=False``); exported(str path); failed(str) with a message for the status bar."""

    indexReady = Signal(object)
    pdfReady = Signal(str, bytes)
    exported = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        services: CounterServices,
        period: Callable[[], tuple[dt.date, dt.date]],
        parent: QWidget | None = None,
        *,
        preview: bool = True,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.period = period
        self.preview = preview
        self.index: DigitizationIndex | None = None
        self.headings = {
            "received": self.tr("Tiếp nhận"),
            "digitized_at_reception": self.tr("Số hóa khi nhận"),
            "digitized_share": self.tr("Tỷ lệ số hóa"),
            "resolved": self.tr("Đã giải quyết"),
            "results_digitized": self.tr("Kết quả số hóa"),
            "results_digitized_share": self.tr("Tỷ lệ kết quả số hóa"),
            "on_time": self.tr("Đúng hạn"),
            "on_time_share": self.tr("Tỷ lệ đúng hạn"),
            "online": self.tr("Trực tuyến"),
            "direct": self.tr("Trực tiếp"),
            "postal": self.tr("Bưu chính"),
            "boundary_free": self.tr("Phi địa giới"),
            "boundary_free_share": self.tr("Tỷ lệ phi địa giới"),
        }
        self.grouping = QComboBox()
        self.grouping.setObjectName("indexGrouping")
        self.grouping.addItem(self.tr("Theo ngày"), DAY)
        self.grouping.addItem(self.tr("Theo tháng"), MONTH)
        self.show_button = QPushButton(self.tr("Xem chỉ số"))
        self.show_button.setObjectName("showIndex")
        self.print_button = QPushButton(self.tr("In chỉ số…"))
        self.print_button.setObjectName("printIndex")
        self.export_button = QPushButton(self.tr("Xuất Excel…"))
        self.export_button.setObjectName("exportIndex")
        self.as_of = QLabel()
        self.as_of.setObjectName("hint")
        self.as_of.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(self.grouping)
        controls.addWidget(self.show_button)
        controls.addStretch()
        controls.addWidget(self.print_button)
        controls.addWidget(self.export_button)
        self.chart = IndexChart()
        self.chart.setObjectName("indexChart")
        self.table = QTableWidget(0, len(INDEX_COLUMNS) + 2)
        self.table.setObjectName("indexTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderItem(0, QTableWidgetItem(self.tr("Thời gian")))
        self.table.setHorizontalHeaderItem(1, QTableWidgetItem(self.tr("Máy tiếp nhận")))
        for place, column in enumerate(INDEX_COLUMNS, start=2):
            item = QTableWidgetItem(self.headings[column.attr])
            item.setToolTip(column.heading)
            self.table.setHorizontalHeaderItem(place, item)
            self.table.setColumnWidth(place, 86)
        self.table.setColumnWidth(0, 96)
        self.table.setColumnWidth(1, 150)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumHeight(44)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.chart, 2)
        layout.addWidget(self.as_of)
        layout.addWidget(self.table, 3)
        self.show_button.clicked.connect(self.load)
        self.print_button.clicked.connect(self.print_index)
        self.export_button.clicked.connect(self.choose_export)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.show_button.setEnabled(not busy)
        ready = self.index is not None and not busy
        self.print_button.setEnabled(ready)
        self.export_button.setEnabled(ready)

    def load(self) -> None:
        """Compute the index of the screen's dates off the GUI thread, then show it."""
        first, last = self.period()
        grouping = str(self.grouping.currentData())
        store, now = self.services.store, self.services.clock.now()
        self._set_busy(True)
        self.as_of.setText(self.tr("Đang tính chỉ số…"))
        self.services.runner.compute(
            self, lambda: load_unit_index(store, first, last, now, grouping)
        ).on_success(self._shown).on_failure(self._failed).run()

    def _shown(self, index: DigitizationIndex) -> None:
        self.index = index
        self._set_busy(False)
        self.chart.set_points(index.periods)
        self.as_of.setText(
            self.tr("{period} · số liệu tính đến {at}").format(
                period=index.period_label, at=f"{index.as_of:%H:%M %d/%m/%Y}"
            )
        )
        lines = [(r.period_label, r.counter_label, r.figures, False) for r in index.rows]
        lines += [(self.tr("Cả kỳ"), r.counter_label, r.figures, False) for r in index.counters]
        lines.append((self.tr("Cả kỳ"), self.tr("Tổng cộng"), index.total, True))
        self.table.setRowCount(len(lines))
        for row, (period, counter, figures, bold) in enumerate(lines):
            items = [QTableWidgetItem(period), QTableWidgetItem(counter)]
            for column in INDEX_COLUMNS:
                item = QTableWidgetItem(cell_text(figures, column))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            for place, item in enumerate(items):
                if bold:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, place, item)
        self.indexReady.emit(index)

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.as_of.setText("")
        self.failed.emit(self.tr("Không tính được chỉ số: {error}").format(error=error))

    def print_index(self) -> None:
        """Render the index on screen as the printed report, then preview it."""
        index = self.index
        if index is None:
            return
        settings, now = self.services.settings, self.services.clock.now()
        who = self.services.user.full_name if self.services.user else ""
        title = self.tr("Chỉ số số hóa — {period}").format(period=index.period_label)

        def ready(pdf: bytes) -> None:
            self.pdfReady.emit(title, pdf)
            if self.preview:
                dialog = PdfPreviewDialog(pdf, title, "chi-so-so-hoa.pdf", self)
                dialog.setObjectName("printPreview")
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                dialog.open()

        self.services.runner.compute(self, lambda: index_pdf(index, settings, now, who)).on_success(
            ready
        ).on_failure(
            lambda error: self.failed.emit(
                self.tr("Không in được chỉ số: {error}").format(error=error)
            )
        ).run()

    def choose_export(self) -> None:
        """Ask where to save the workbook, without blocking the window."""
        if self.index is None:
            return
        first, last = self.index.first, self.index.last
        dialog = QFileDialog(self, self.tr("Xuất chỉ số số hóa"))
        dialog.setObjectName("exportIndexDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setNameFilters([self.tr("Bảng tính Excel (*.xlsx)")])
        dialog.setDefaultSuffix("xlsx")
        dialog.selectFile(f"chi-so-so-hoa-{first:%Y%m%d}-{last:%Y%m%d}.xlsx")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Write the index on screen to ``path`` as a workbook with its chart."""
        if self.index is None:
            return
        index = self.index
        self.services.runner.compute(self, lambda: path.write_bytes(index_xlsx(index))).on_success(
            lambda _size: self.exported.emit(str(path))
        ).on_failure(lambda error: self._not_written(path, error)).run()

    def _not_written(self, path: Path, error: Exception) -> None:
        if not isinstance(error, OSError):
            self.failed.emit(self.services.runner.describe(error))
            return
        self.failed.emit(
            self.tr("Không ghi được tệp {path}: {error}").format(path=path, error=os_reason(error))
        )
