"""Số liệu thống kê, the view: dates, cards, chart and table of a tally, and their signals.

What is shown comes from ``ui.reports_screen``'s driver (``ReportsDriver``):
this module holds the widgets, lays them out and fills them from the ``Tally``
it is given; it reads no store and computes nothing.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.tallies import COLUMNS, Counts, Dimension, Tally, value
from ui.cards import make_card
from ui.fee_fields import group_thousands
from ui.tally_chart import TallyChart

OVERDUE = QColor("#b42318")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ReportsView(QWidget):
    """The reports screen's widgets. Signals: tallyReady(object) with each Tally shown;
    pdfReady(str title, bytes pdf) for the report or the book (previewed unless the screen
    is built with ``preview=False``); exported(str path) after an XLSX or CSV file is
    written; failed(str) with a message for the status bar.

    ``tally`` is the one shown, if any.
    """

    tallyReady = Signal(object)
    pdfReady = Signal(str, bytes)
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tally: Tally | None = None
        self.headings = {
            "received_total": self.tr("Tổng nhận"),
            "new_counter": self.tr("Trực tiếp"),
            "new_postal": self.tr("Bưu chính"),
            "new_online": self.tr("Trực tuyến"),
            "carried_over": self.tr("Kỳ trước"),
            "resolved": self.tr("Đã giải quyết"),
            "resolved_early": self.tr("Trước hạn"),
            "resolved_on_time": self.tr("Đúng hạn"),
            "resolved_late": self.tr("Quá hạn"),
            "in_progress": self.tr("Đang giải quyết"),
            "in_progress_not_due": self.tr("Chưa đến hạn"),
            "in_progress_overdue": self.tr("Đang quá hạn"),
            "waiting_supplement": self.tr("Chờ bổ sung"),
            "withdrawn": self.tr("Rút, dừng"),
            "refused": self.tr("Từ chối"),
            "returned": self.tr("Đã trả"),
            "supplement_requested": self.tr("Yêu cầu bổ sung"),
            "overdue_now": self.tr("Quá hạn đến nay"),
            "guided": self.tr("Hướng dẫn"),
            "refused_at_counter": self.tr("Từ chối tiếp nhận"),
            "fees_vnd": self.tr("Phí đã thu (đ)"),
        }
        self.dimension_names = {
            Dimension.CHANNEL: self.tr("Kênh tiếp nhận"),
            Dimension.PROCEDURE: self.tr("Thủ tục hành chính"),
            Dimension.CLERK: self.tr("Cán bộ"),
        }

        title = QLabel(self.tr("Số liệu thống kê"))
        title.setObjectName("pageTitle")
        self.one_day = QRadioButton(self.tr("Một ngày"))
        self.one_day.setObjectName("oneDay")
        self.date_range = QRadioButton(self.tr("Khoảng ngày"))
        self.date_range.setObjectName("dateRange")
        modes = QButtonGroup(self)
        modes.addButton(self.one_day)
        modes.addButton(self.date_range)
        self.one_day.setChecked(True)
        self.first = self._date_edit("firstDate", _qdate(today))
        self.last = self._date_edit("lastDate", _qdate(today))
        self.show_button = QPushButton(self.tr("Xem số liệu"))
        self.show_button.setObjectName("primary")
        self.print_button = QPushButton(self.tr("In báo cáo…"))
        self.print_button.setObjectName("printReport")
        self.export_button = QPushButton(self.tr("Xuất Excel/CSV…"))
        self.export_button.setObjectName("exportReport")
        self.book_button = QPushButton(self.tr("In sổ theo dõi hồ sơ…"))
        self.book_button.setObjectName("printBook")
        # The 2025 book is kept per field (lĩnh vực, MOH 3621/QĐ-BYT): which one to print.
        self.book_field = QComboBox()
        self.book_field.setObjectName("bookField")
        self.show_book_fields([])
        self.calendar_button = QPushButton(self.tr("Lịch làm việc…"))
        self.calendar_button.setObjectName("openCalendar")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch()
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)
        top.addWidget(self.book_field)
        top.addWidget(self.book_button)
        top.addWidget(self.calendar_button)
        controls = QHBoxLayout()
        controls.addWidget(self.one_day)
        controls.addWidget(self.date_range)
        controls.addSpacing(12)
        controls.addWidget(QLabel(self.tr("Từ ngày")))
        controls.addWidget(self.first)
        self.last_label = QLabel(self.tr("đến ngày"))
        controls.addWidget(self.last_label)
        controls.addWidget(self.last)
        controls.addWidget(self.show_button)
        controls.addStretch()

        self.cards = QGridLayout()
        self.card_values: dict[str, QLabel] = {}
        self.card_notes: dict[str, QLabel] = {}
        for place, (key, label) in enumerate(
            (
                ("received", self.tr("Hồ sơ nhận giải quyết")),
                ("resolved", self.tr("Đã giải quyết")),
                ("in_progress", self.tr("Đang giải quyết")),
                ("returned", self.tr("Đã trả kết quả")),
                ("fees", self.tr("Phí, lệ phí đã thu")),
            )
        ):
            self.cards.addWidget(self._card(key, label), 0, place)

        self.chart = TallyChart()
        self.chart.setObjectName("tallyChart")
        self.view = QComboBox()
        self.view.setObjectName("tallyView")
        for dimension in (Dimension.CHANNEL, Dimension.PROCEDURE, Dimension.CLERK):
            self.view.addItem(self.dimension_names[dimension], dimension.value)
        self.table = QTableWidget(0, len(COLUMNS) + 1)
        self.table.setObjectName("tallyTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for index, column in enumerate(COLUMNS, start=1):
            item = QTableWidgetItem(self.headings[column.attr])
            item.setToolTip(column.group or column.heading)
            self.table.setHorizontalHeaderItem(index, item)
            self.table.setColumnWidth(index, 96 if column.money else 78)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(60)  # three lines of a wrapped heading ("Đang giải quyết")
        self.table.setColumnWidth(0, 280)
        self._name_rows_column()
        self.as_of = QLabel()
        self.as_of.setObjectName("hint")
        view_row = QHBoxLayout()
        view_row.addWidget(QLabel(self.tr("Xem theo")))
        view_row.addWidget(self.view)
        view_row.addStretch()
        view_row.addWidget(self.as_of)

        tally_page = QWidget()
        tally_layout = QVBoxLayout(tally_page)
        tally_layout.setContentsMargins(0, 8, 0, 0)
        tally_layout.setSpacing(10)
        tally_layout.addLayout(self.cards)
        tally_layout.addWidget(self.chart, 2)
        tally_layout.addLayout(view_row)
        tally_layout.addWidget(self.table, 3)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.tabs.addTab(tally_page, self.tr("Số liệu thống kê"))
        # The tally's own buttons stand aside while the index, with its own, is shown.
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addWidget(self.tabs, 1)

        self.one_day.toggled.connect(self._mode_changed)
        self.first.dateChanged.connect(self._first_changed)
        self.view.currentIndexChanged.connect(lambda _index: self._fill_table())
        self._mode_changed(True)
        self.set_busy(False)

    def show_book_fields(self, names: list[str]) -> None:
        """The fields (lĩnh vực) the book can be printed for, keeping the one chosen."""
        chosen = self.book_field.currentData()
        self.book_field.clear()
        self.book_field.addItem(self.tr("Sổ: tất cả lĩnh vực"), "")
        for name in names:
            self.book_field.addItem(self.tr("Sổ: {field}").format(field=name), name)
        self.book_field.setCurrentIndex(max(0, self.book_field.findData(chosen)))

    def add_index_tab(self, panel: QWidget) -> None:
        """The digitization index of the same dates (Decision 766/QĐ-TTg's index)."""
        self.tabs.addTab(panel, self.tr("Chỉ số số hóa"))

    # Building ------------------------------------------------------------------

    def _tab_changed(self, place: int) -> None:
        for button in (self.show_button, self.print_button, self.export_button):
            button.setVisible(place == 0)

    def _date_edit(self, name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def _card(self, key: str, label: str) -> QFrame:
        card, column = make_card(label)
        figure = QLabel("—")
        figure.setObjectName(f"card_{key}")
        # The window's sheet sets every QWidget's size, so the figure's own size is a sheet too.
        figure.setStyleSheet("font-size: 24px; font-weight: 600; color: #0f2a47;")
        note = QLabel()
        note.setObjectName("hint")
        note.setWordWrap(True)
        column.addWidget(figure)
        column.addWidget(note)
        column.addStretch()
        self.card_values[key] = figure
        self.card_notes[key] = note
        return card

    # Dates -----------------------------------------------------------------------

    def _mode_changed(self, one_day: bool) -> None:
        self.last.setVisible(not one_day)
        self.last_label.setVisible(not one_day)
        if one_day:
            self.last.setDate(self.first.date())

    def _first_changed(self, day: QDate) -> None:
        if self.one_day.isChecked() or self.last.date() < day:
            self.last.setDate(day)

    def period(self) -> tuple[dt.date, dt.date]:
        first: dt.date = self.first.date().toPython()  # type: ignore[assignment]
        last: dt.date = self.last.date().toPython()  # type: ignore[assignment]
        if self.one_day.isChecked():
            return first, first
        return (first, last) if first <= last else (last, first)

    # Showing -------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.show_button.setEnabled(not busy)
        self.book_button.setEnabled(not busy)
        has_tally = self.tally is not None and not busy
        self.print_button.setEnabled(has_tally)
        self.export_button.setEnabled(has_tally)

    def show_computing(self) -> None:
        self.set_busy(True)
        self.as_of.setText(self.tr("Đang tính số liệu…"))

    def show_not_computed(self) -> None:
        self.set_busy(False)
        self.as_of.setText("")

    def show_tally(self, tally: Tally) -> None:
        """Cards, chart and table of ``tally``."""
        self.tally = tally
        self.set_busy(False)
        total = tally.total
        rate = total.on_time_rate
        self._set_card(
            "received",
            total.received_total,
            self.tr("mới {new}, kỳ trước {carried}").format(
                new=group_thousands(total.received_new),
                carried=group_thousands(total.carried_over),
            ),
        )
        self._set_card(
            "resolved",
            total.resolved,
            self.tr("đúng hạn {rate}").format(
                rate="—" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")
            ),
        )
        self._set_card(
            "in_progress",
            total.in_progress,
            self.tr("quá hạn {overdue}, chờ bổ sung {waiting}").format(
                overdue=group_thousands(total.in_progress_overdue),
                waiting=group_thousands(total.waiting_supplement),
            ),
        )
        self._set_card(
            "returned",
            total.returned,
            self.tr("yêu cầu bổ sung {n}").format(n=group_thousands(total.supplement_requested)),
        )
        self._set_card(
            "fees",
            total.fees_vnd,
            self.tr("tiền mặt {cash}, chuyển khoản {transfer}").format(
                cash=group_thousands(total.fees_cash_vnd),
                transfer=group_thousands(total.fees_transfer_vnd),
            ),
        )
        self.chart.set_points(tally.timeline)
        self.as_of.setText(
            self.tr("{period} · số liệu tính đến {at}").format(
                period=tally.period_label, at=f"{tally.as_of:%H:%M %d/%m/%Y}"
            )
        )
        self._fill_table()

    def _set_card(self, key: str, figure: int, note: str) -> None:
        self.card_values[key].setText(group_thousands(figure))
        self.card_notes[key].setText(note)

    def _name_rows_column(self) -> Dimension:
        """Head the first column with what its rows are (before any tally, Qt would show "1")."""
        dimension = Dimension(self.view.currentData())
        self.table.setHorizontalHeaderItem(0, QTableWidgetItem(self.dimension_names[dimension]))
        return dimension

    def _fill_table(self) -> None:
        tally = self.tally
        if tally is None:
            return
        dimension = self._name_rows_column()
        rows = [(row.label, row.counts, False) for row in tally.rows(dimension)]
        rows.append((self.tr("Tổng cộng"), tally.total, True))
        self.table.setRowCount(len(rows))
        for index, (label, counts, bold) in enumerate(rows):
            self._fill_row(index, label, counts, bold)

    def _fill_row(self, index: int, label: str, counts: Counts, bold: bool) -> None:
        name = QTableWidgetItem(label)
        name.setToolTip(label)
        cells = [name]
        for column in COLUMNS:
            figure = value(counts, column.attr)
            item = QTableWidgetItem(group_thousands(figure))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if figure and column.attr in ("resolved_late", "in_progress_overdue", "overdue_now"):
                item.setForeground(QBrush(OVERDUE))
            cells.append(item)
        for position, item in enumerate(cells):
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(index, position, item)
