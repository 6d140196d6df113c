"""The dossier list (danh sách hồ sơ): filters over a table that never loads every row.

The table model reads through ``counter_app.dossier_query.DossierPages``: it
knows the count, and reads the ~200 rows around what the view paints, so a
store of a million dossiers scrolls like one of a hundred. The widget only
turns its controls into a ``DossierFilter``; what a filter means, and what
"overdue" is, lives in the query.

A dossier code typed in the search box, or scanned anywhere in the widget by
a USB scanner (``ui.barcode_wedge``), opens that dossier.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter_app.applicants import parse_chip_qr
from counter_app.changes import Changes
from counter_app.clock import Clock
from counter_app.codes import parse_code
from counter_app.dossier_query import (
    PAGE_SIZE,
    DossierFilter,
    DossierPages,
    DossierRow,
    find_dossier_code,
    procedure_choices,
)
from counter_app.lifecycle import STATUS_LABELS, Status
from counter_app.ocr import OcrIndex
from counter_app.store import Store
from ui.barcode_wedge import BarcodeWedge
from ui.change_notice import ChangeNotice

Index = QModelIndex | QPersistentModelIndex

CODE, PROCEDURE, APPLICANT, RECEIVED, DUE, STATUS = range(6)
COLUMN_WIDTHS = {CODE: 230, APPLICANT: 190, RECEIVED: 132, DUE: 132, STATUS: 150}
ROW_HEIGHT = 46  # two lines: a procedure's name wraps instead of ending in "…"
OVERDUE_TINT = QColor("#fef3f2")
OVERDUE_TEXT = QColor("#b42318")
# (text, background) of the status pill: open work in blues and amber, closed in greys.
STATUS_COLOURS = {
    Status.RECEIVED: ("#175cd3", "#eff8ff"),
    Status.IN_PROCESSING: ("#3538cd", "#eef4ff"),
    Status.SUPPLEMENT_REQUESTED: ("#b54708", "#fffaeb"),
    Status.RESULT_READY: ("#067647", "#ecfdf3"),
    Status.RETURNED: ("#475467", "#f2f4f7"),
    Status.REJECTED: ("#b42318", "#fef3f2"),
    Status.WITHDRAWN: ("#475467", "#f2f4f7"),
}
SEARCH_DELAY_MS = 350
# Beside ui/style.py's sheet: a count that reads at a glance, no dotted focus frame on cells.
LOCAL_STYLE = """
QLabel#listCount { font-size: 14px; font-weight: 600; color: #344054; }
QTableView#dossierTable { outline: none; }
"""
_TIME = "%d/%m/%Y %H:%M"


class DossierTableModel(QAbstractTableModel):
    """The rows of one ``DossierFilter``, read a page at a time as the view asks for them.

    ``rows_fetched`` counts every row read from the store since the model was
    made. Signals: QAbstractTableModel's own; modelReset follows each filter.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        cached_pages: int = 8,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._page_size = page_size
        self._cached_pages = cached_pages
        self._fetched_before = 0
        self._pages = self._open(DossierFilter())

    def _open(self, flt: DossierFilter) -> DossierPages:
        return DossierPages(
            self._store.read,
            flt,
            self._clock.now(),
            page_size=self._page_size,
            cached_pages=self._cached_pages,
        )

    @property
    def filter(self) -> DossierFilter:
        return self._pages.filter

    @property
    def total(self) -> int:
        return self._pages.total

    @property
    def problem(self) -> str | None:
        """Why the list is empty when the search was too vague to run, in the clerk's words."""
        return self._pages.problem

    @property
    def rows_fetched(self) -> int:
        return self._fetched_before + self._pages.rows_fetched

    def set_filter(self, flt: DossierFilter) -> None:
        """Count the new filter's dossiers and forget the pages read for the old one."""
        self.beginResetModel()
        self._fetched_before += self._pages.rows_fetched
        self._pages = self._open(flt)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self._pages.filter)

    def row_at(self, row: int) -> DossierRow | None:
        return self._pages.row(row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._pages.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Mã hồ sơ"),
            self.tr("Thủ tục"),
            self.tr("Người nộp"),
            self.tr("Ngày nhận"),
            self.tr("Hẹn trả"),
            self.tr("Trạng thái"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._pages.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DUE and row.extended_due_at is not None:
                return self.tr("{due} (hẹn lại {new})").format(
                    due=row.due_at.strftime(_TIME), new=row.extended_due_at.strftime(_TIME)
                )
            return _cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == PROCEDURE:
            return f"{row.procedure_code} — {row.procedure_name}"
        if role == Qt.ItemDataRole.ToolTipRole and column == DUE:
            return self._due_tip(row)
        if role == Qt.ItemDataRole.UserRole:
            return row.code
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return QBrush(OVERDUE_TINT)
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue and column == DUE:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.FontRole and column == CODE:
            font = QFont()
            font.setFamilies(["DejaVu Sans Mono", "Consolas", "monospace"])
            return font
        return None

    def _due_tip(self, row: DossierRow) -> str | None:
        """Both dates where they differ: the first receipt's and the apology's."""
        lines = []
        if row.first_due_at is not None and row.first_due_at != row.due_at:
            lines.append(
                self.tr("Hẹn trả lần đầu {first}; tính lại sau khi nhận hồ sơ bổ sung").format(
                    first=row.first_due_at.strftime(_TIME)
                )
            )
        if row.extended_due_at is not None:
            lines.append(
                self.tr("Đã xin lỗi, hẹn lại ngày {new}").format(
                    new=row.extended_due_at.strftime(_TIME)
                )
            )
        return "\n".join(lines) or None


def _cell(row: DossierRow, column: int) -> str:
    if column == CODE:
        return row.code
    if column == PROCEDURE:
        return row.procedure_name
    if column == APPLICANT:
        return row.applicant_name
    if column == RECEIVED:
        return row.received_at.strftime(_TIME)
    if column == DUE:
        return row.due_at.strftime(_TIME)
    return row.status_label


class StatusPillDelegate(QStyledItemDelegate):
    """Draws the status as a coloured pill, readable at a glance down a long list.

    Signals: QStyledItemDelegate's own.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, DossierTableModel):
            super().paint(painter, option, index)
            return
        row = model.row_at(index.row())
        if row is None:
            return
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect: QRect = option.rect
        painter.save()
        if selected:
            painter.fillRect(rect, option.palette.highlight())
        elif isinstance(background, QBrush):
            painter.fillRect(rect, background)
        fg, bg = STATUS_COLOURS.get(Status(row.status), ("#475467", "#f2f4f7"))
        font = QFont(option.font)
        if font.pixelSize() > 0:  # a stylesheet's "font-size: 14px" sets pixels, not points
            font.setPixelSize(max(1, round(font.pixelSize() * 0.92)))
        else:
            font.setPointSizeF(font.pointSizeF() * 0.92)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(row.status_label) + 20
        height = metrics.height() + 6
        pill = QRect(rect.left() + 6, rect.center().y() - height // 2 + 1, width, height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor(fg))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, row.status_label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(COLUMN_WIDTHS[STATUS], ROW_HEIGHT)


class DossierListWidget(QWidget):
    """Filter bar, dossier table and a search box that also takes the scanner.

    Signals: dossierOpened(str code) when the clerk asks for a dossier: a whole
    code typed and Enter, a code scanned anywhere in the widget, or a row
    activated (double click, Enter).
    """

    dossierOpened = Signal(str)

    def __init__(
        self,
        store: Store,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        scan_gap_ms: int = 30,
        notice: ChangeNotice | None = None,
    ) -> None:
        super().__init__(parent)
        if notice is not None:
            notice.changed.connect(self.on_changes)
        self._store = store
        self._clock = clock
        self._locale = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
        self.model = DossierTableModel(store, clock, self)

        title = QLabel(self.tr("Hồ sơ đã tiếp nhận"))
        title.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch()
        heading.addWidget(self.message)
        heading.addSpacing(12)
        heading.addWidget(self.count_label)

        self.search = QLineEdit()
        self.search.setObjectName("dossierSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Mã hồ sơ, số CCCD hoặc tên người nộp — quét mã vạch để mở ngay")
        )
        self.status = QComboBox()
        self.status.addItem(self.tr("Mọi trạng thái"), None)
        for status in Status:
            if status != Status.DRAFT:
                self.status.addItem(STATUS_LABELS[status], status.value)
        self.period = QComboBox()
        for label, key in (
            (self.tr("Mọi thời gian"), "all"),
            (self.tr("Hôm nay"), "today"),
            (self.tr("7 ngày qua"), "week"),
            (self.tr("30 ngày qua"), "month"),
            (self.tr("Năm nay"), "year"),
            (self.tr("Khoảng ngày…"), "range"),
        ):
            self.period.addItem(label, key)
        today = _qdate(clock.now().date())
        self.received_from = _date_edit(today.addDays(-30))
        self.received_to = _date_edit(today)
        self.procedure = QComboBox()
        self.procedure.setEditable(True)
        self.procedure.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.procedure.addItem(self.tr("Mọi thủ tục"), None)
        with store.read() as session:
            for choice in procedure_choices(session):
                self.procedure.addItem(f"{choice.name} ({choice.code})", choice.code)
        procedure_field = self.procedure.lineEdit()
        completer = self.procedure.completer()
        assert procedure_field is not None and completer is not None  # the combo is editable
        procedure_field.setPlaceholderText(self.tr("Mọi thủ tục"))
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.procedure.setMinimumContentsLength(24)
        self.procedure.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.overdue = QCheckBox(self.tr("Quá hạn"))
        self.on_scans = QCheckBox(self.tr("Tìm theo chữ trên bản quét"))
        self.on_scans.setObjectName("searchScans")
        self.on_scans.setToolTip(
            self.tr("Tìm các hồ sơ có bản số hóa chứa những chữ đã gõ (chữ nhận dạng bằng OCR)")
        )
        self.clear_button = QPushButton(self.tr("Xóa lọc"))

        bar = QFrame()
        bar.setObjectName("card")
        grid = QGridLayout(bar)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.addWidget(self.search, 0, 0, 1, 5)
        grid.addWidget(self.overdue, 0, 5)
        grid.addWidget(self.on_scans, 0, 6)
        grid.addWidget(self.clear_button, 0, 7)
        grid.addWidget(self.status, 1, 0)
        grid.addWidget(self.procedure, 1, 1)
        grid.addWidget(self.period, 1, 2)
        grid.addWidget(self.received_from, 1, 3)
        grid.addWidget(self.received_to, 1, 4)
        grid.setColumnStretch(1, 1)

        self.table = QTableView()
        self.table.setObjectName("dossierTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)  # only the procedure is ever long enough to wrap
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setItemDelegateForColumn(STATUS, StatusPillDelegate(self.table))
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, width in COLUMN_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)

        self.setStyleSheet(LOCAL_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(heading)
        layout.addWidget(bar)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textEdited.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_entered)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.received_from.dateChanged.connect(self.apply_filter)
        self.received_to.dateChanged.connect(self.apply_filter)
        self.procedure.currentIndexChanged.connect(self.apply_filter)
        procedure_field.editingFinished.connect(self._procedure_typed)
        self.overdue.toggled.connect(self.apply_filter)
        self.on_scans.toggled.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(self._row_activated)

        self.wedge = BarcodeWedge(self, max_gap_ms=scan_gap_ms)
        self.wedge.attach(self)
        self.wedge.codeScanned.connect(self.open_text)
        self._period_changed()

    # Filters -------------------------------------------------------------

    def current_filter(self) -> DossierFilter:
        """The filter the controls show; the meaning of each part lives in dossier_query."""
        status = self.status.currentData()
        start, end = self._period()
        text, scans = self.search.text(), None
        if self.on_scans.isChecked() and text.strip() and self._store.data_dir is not None:
            text, scans = "", frozenset(OcrIndex(self._store).search(text))
        return DossierFilter(
            statuses=frozenset({Status(status)}) if status else frozenset(),
            received_from=start,
            received_to=end,
            procedure_code=self.procedure.currentData() or None,
            overdue_only=self.overdue.isChecked(),
            text=text,
            scan_hashes=scans,
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)
        self.count_label.setText(
            self.tr("{count} hồ sơ").format(count=self._locale.toString(self.model.total))
        )
        self.message.setText(self.model.problem or "")

    def clear_filters(self) -> None:
        controls = (self.search, self.status, self.period, self.procedure, self.overdue)
        for widget in (*controls, self.on_scans):
            widget.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.period.setCurrentIndex(0)
        self.procedure.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.on_scans.setChecked(False)
        for widget in (*controls, self.on_scans):
            widget.blockSignals(False)
        self.message.clear()
        self._period_changed()

    def _period(self) -> tuple[dt.date | None, dt.date | None]:
        today = self._clock.now().date()
        key = self.period.currentData()
        if key == "today":
            return today, today
        if key == "week":
            return today - dt.timedelta(days=6), today
        if key == "month":
            return today - dt.timedelta(days=29), today
        if key == "year":
            return today.replace(month=1, day=1), today
        if key == "range":
            return self.received_from.date().toPython(), self.received_to.date().toPython()  # type: ignore[return-value]
        return None, None

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "range"
        self.received_from.setVisible(custom)
        self.received_to.setVisible(custom)
        self.apply_filter()

    def _procedure_typed(self) -> None:
        """Leaving the procedure field picks what its text names: the item, or the one item
        containing it; otherwise the field shows the procedure still chosen."""
        text = self.procedure.currentText().strip().casefold()
        index = self.procedure.currentIndex()
        if not text:
            index = 0
        else:
            found = [
                i
                for i in range(self.procedure.count())
                if text in self.procedure.itemText(i).casefold()
            ]
            exact = [i for i in found if self.procedure.itemText(i).casefold() == text]
            if exact or len(found) == 1:
                index = (exact or found)[0]
        self.procedure.setCurrentIndex(index)
        self.procedure.setEditText(self.procedure.itemText(index))

    def refresh(self) -> None:
        """Count and read again (after a reception, or as time makes dossiers overdue)."""
        self.model.refresh()
        self.apply_filter()

    def on_changes(self, changes: Changes, source: QObject | None) -> None:
        """Dossiers received or changed anywhere (a screen, a dialog, a sync pull)."""
        if changes.dossiers or changes.documents or changes.catalog:
            self.refresh()

    # Opening -------------------------------------------------------------

    def open_text(self, text: str) -> None:
        """Open the dossier a typed or scanned code names; anything else becomes the search."""
        self.message.clear()
        if parse_code(text) is not None:
            with self._store.read() as session:
                code = find_dossier_code(session, text)
            if code is None:
                self.message.setText(
                    self.tr("Không tìm thấy hồ sơ mã {code}.").format(code=text.strip().upper())
                )
                return
            self.search.setText(code)
            self.apply_filter()
            if self.model.total:
                self.table.selectRow(0)
            self.dossierOpened.emit(code)
            return
        person = parse_chip_qr(text)
        self.search.setText(person.cccd if person and person.cccd else text.strip())
        self.apply_filter()

    def _search_entered(self) -> None:
        if self.on_scans.isChecked():  # words on a scan, not a code or a citizen to open
            self.apply_filter()
            return
        self.open_text(self.search.text())

    def _row_activated(self, index: QModelIndex) -> None:
        code = index.data(Qt.ItemDataRole.UserRole)
        if code:
            self.dossierOpened.emit(str(code))


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(initial: QDate) -> QDateEdit:
    edit = QDateEdit(initial)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit
