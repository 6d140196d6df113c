"""Lịch làm việc: the year's days off and make-up working days, as reception counts them.

The supervisor checks them against the province's announcement (a day the
province has not confirmed yet is marked) and prints the list for the counter's
notice board. The days come from ``counter_app.calendar_source.load_year``, the
same layers the appointment is computed with; the PDF from ``printing``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.calendar_source import YearCalendar, load_year
from printing.calendar_pdf import calendar_pdf
from ui.print_preview import PdfPreviewDialog
from ui.services import CounterServices

UNCONFIRMED_BACKGROUND = QColor("#fdf1d6")


class WorkCalendarScreen(QWidget):
    """The year's calendar in a table. Signals: pdfReady(str title, bytes pdf) when the
    printed calendar is ready (the screen opens the print preview itself unless built with
    ``preview=False``); failed(str) with a message for the status bar."""

    pdfReady = Signal(str, bytes)
    failed = Signal(str)

    def __init__(
        self, services: CounterServices, parent: QWidget | None = None, *, preview: bool = True
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.preview = preview
        self.calendar: YearCalendar | None = None
        self.weekdays = (
            self.tr("Thứ Hai"),
            self.tr("Thứ Ba"),
            self.tr("Thứ Tư"),
            self.tr("Thứ Năm"),
            self.tr("Thứ Sáu"),
            self.tr("Thứ Bảy"),
            self.tr("Chủ Nhật"),
        )
        self.origins = {
            "province": self.tr("Tỉnh công bố"),
            "shipped": self.tr("Chính phủ (kèm phần mềm)"),
            "law": self.tr("Bộ luật Lao động"),
        }

        title = QLabel(self.tr("Lịch làm việc"))
        title.setObjectName("pageTitle")
        self.year = QSpinBox()
        self.year.setObjectName("calendarYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(services.clock.now().year)
        self.print_button = QPushButton(self.tr("In lịch…"))
        self.print_button.setObjectName("printCalendar")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("Năm")))
        top.addWidget(self.year)
        top.addStretch()
        top.addWidget(self.print_button)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("calendarTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Ngày"),
                self.tr("Thứ"),
                self.tr("Nghỉ / làm việc"),
                self.tr("Tên ngày"),
                self.tr("Căn cứ"),
                self.tr("Nguồn"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        self.year.valueChanged.connect(lambda _year: self.load())
        self.print_button.clicked.connect(self.print_calendar)
        self.load()

    def load(self) -> None:
        """Read the chosen year's days (a year is a few dozen rows: no background task)."""
        with self.services.store.read() as session:
            calendar = load_year(session, self.year.value(), self.services.reception.calendar)
        self.calendar = calendar
        self.table.setRowCount(len(calendar.days))
        for row, day in enumerate(calendar.days):
            origin = self.origins.get(day.origin, day.origin)
            if not day.confirmed:
                origin = self.tr("{origin} — chưa xác nhận").format(origin=origin)
            cells = (
                f"{day.day:%d/%m/%Y}",
                self.weekdays[day.day.weekday()],
                self.tr("Làm việc") if day.working else self.tr("Nghỉ"),
                day.name or self.tr("Nghỉ cuối tuần"),
                day.basis,
                origin,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not day.confirmed:
                    item.setBackground(QBrush(UNCONFIRMED_BACKGROUND))
                    item.setToolTip(self.tr("Ngày chưa được xác nhận: chờ tỉnh công bố."))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        unconfirmed = len(calendar.unconfirmed)
        self.summary.setText(
            self.tr(
                "{days} ngày nghỉ, ngày làm bù; {unconfirmed} ngày chưa được xác nhận (tô màu)."
            ).format(days=len(calendar.days), unconfirmed=unconfirmed)
        )

    def print_calendar(self) -> None:
        """Render the year's calendar on A4 and preview it."""
        store, settings, now = (
            self.services.store,
            self.services.settings,
            self.services.clock.now(),
        )
        year = self.year.value()
        title = self.tr("Lịch làm việc năm {year}").format(year=year)
        self.print_button.setEnabled(False)

        def done(pdf: bytes) -> None:
            self.print_button.setEnabled(True)
            self.pdfReady.emit(title, pdf)
            if self.preview:
                dialog = PdfPreviewDialog(pdf, title, f"lich-lam-viec-{year}.pdf", self)
                dialog.setObjectName("printPreview")
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                dialog.open()

        def failed(error: Exception) -> None:
            self.print_button.setEnabled(True)
            self.failed.emit(self.tr("Không in được lịch: {error}").format(error=error))

        self.services.runner.compute(
            self, lambda: calendar_pdf(store, year, settings, now)
        ).on_success(done).on_failure(failed).run()


class WorkCalendarDialog(QDialog):
    """The calendar screen in its own window, opened from the reports screen. Signals: none."""

    def __init__(
        self, services: CounterServices, parent: QWidget | None = None, *, preview: bool = True
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lịch làm việc"))
        self.screen_widget = WorkCalendarScreen(services, self, preview=preview)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.screen_widget)
        self.resize(980, 640)
