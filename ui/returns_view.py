"""Trả kết quả, the view: the list of results waiting, the hand-over form, and their signals.

What is shown comes from ``ui.returns_screen``'s driver (``ReturnsDriver``):
this module holds the widgets, lays them out and fills them from the rows it
is given; it reads no store and calls no service.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.returns import COUNTER, POST, ReadyDossier, ReturnRequest
from counter_app.timeliness import Timeliness
from ui.barcode_wedge import BarcodeWedge
from ui.cards import make_card
from ui.fee_fields import FeeFields, format_money, group_thousands
from ui.field_errors import hide_field_errors, show_field_errors, with_error_line

TIMELINESS_COLOURS = {
    Timeliness.EARLY: "#067647",
    Timeliness.ON_TIME: "#175cd3",
    Timeliness.LATE: "#b42318",
}


class ReturnsView(QWidget):
    """The returns screen's widgets. Signals: returned(object) with the ReturnRecorded;
    pdfReady(str title, bytes pdf) for the hand-over slip, then the fee receipt (previewed
    unless the screen is built with ``preview=False``); failed(str) with a message for the
    status bar; message(str) with news for the status bar; submitRequested() on Ctrl+Enter
    anywhere in the screen; digitizeResultRequested() on "Số hóa kết quả" (Ctrl+D), for the
    chosen dossier's result scan.

    ``rows`` are the results listed and ``current`` the one in the form.
    """

    returned = Signal(object)
    pdfReady = Signal(str, bytes)
    failed = Signal(str)
    message = Signal(str)
    submitRequested = Signal()
    digitizeResultRequested = Signal()

    def __init__(self, parent: QWidget | None = None, *, electronic: bool = False) -> None:
        super().__init__(parent)
        self.rows: list[ReadyDossier] = []
        self.current: ReadyDossier | None = None
        self.errors: dict[str, QLabel] = {}

        title = QLabel(self.tr("Trả kết quả"))
        title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setObjectName("returnSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Mã hồ sơ, số CCCD hoặc tên người nộp (F3)"))
        self.search.setMinimumWidth(360)
        self.refresh_button = QPushButton(self.tr("Làm mới"))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch()
        top.addWidget(self.search)
        top.addWidget(self.refresh_button)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("readyTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Mã hồ sơ"),
                self.tr("Người nộp"),
                self.tr("Hẹn trả"),
                self.tr("Kết quả"),
                self.tr("Phí"),
                self.tr("Số hóa KQ"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        # The name takes what the others leave; the list is the day's waiting results, short.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.count_label)

        right = self._build_form(electronic)
        right.setFixedWidth(400)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(right)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(body, 1)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.wedge = BarcodeWedge(self)
        self.wedge.attach(self)
        for keys, action in (
            ("Ctrl+Return", self.submitRequested.emit),
            ("Ctrl+Enter", self.submitRequested.emit),
            ("F3", self.search.setFocus),
            ("Ctrl+D", self.digitizeResultRequested.emit),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def _build_form(self, electronic: bool) -> QFrame:
        self.summary = QLabel(self.tr("Chọn một hồ sơ trong danh sách, hoặc quét mã hồ sơ."))
        self.summary.setObjectName("returnSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.at_counter = QRadioButton(self.tr("Tại quầy"))
        self.at_counter.setObjectName("methodCounter")
        self.by_post = QRadioButton(self.tr("Qua bưu chính"))
        self.by_post.setObjectName("methodPost")
        self.methods = QButtonGroup(self)
        self.methods.addButton(self.at_counter)
        self.methods.addButton(self.by_post)
        self.at_counter.setChecked(True)
        method_row = QWidget()
        row = QHBoxLayout(method_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.at_counter)
        row.addWidget(self.by_post)
        row.addStretch()

        self.recipient = QLineEdit()
        self.recipient.setObjectName("recipientName")
        self.cccd = QLineEdit()
        self.cccd.setObjectName("recipientCccd")
        self.cccd.setMaxLength(12)
        self.cccd.setPlaceholderText(self.tr("12 chữ số"))
        self.representative = QCheckBox(self.tr("Người được ủy quyền nhận thay"))
        self.representative.setObjectName("representative")
        self.tracking = QLineEdit()
        self.tracking.setObjectName("trackingNumber")
        self.tracking.setPlaceholderText(self.tr("vd. EB123456789VN"))
        self.note = QLineEdit()
        self.note.setObjectName("returnNote")
        self.note.setPlaceholderText(self.tr("vd. số giấy ủy quyền"))

        form = QFormLayout()
        form.addRow(self.tr("Hình thức trả"), with_error_line(method_row, "method", self.errors))
        form.addRow(
            self.tr("Người nhận"), with_error_line(self.recipient, "recipient_name", self.errors)
        )
        form.addRow(self.tr("Số CCCD"), with_error_line(self.cccd, "recipient_cccd", self.errors))
        form.addRow("", with_error_line(self.representative, "representative", self.errors))
        form.addRow(
            self.tr("Mã bưu gửi"), with_error_line(self.tracking, "tracking_number", self.errors)
        )
        form.addRow(self.tr("Ghi chú"), self.note)

        self.fee_box = QGroupBox(self.tr("Thu phí, lệ phí khi trả kết quả"))
        self.fee_box.setObjectName("feeBox")
        self.fee_box.setCheckable(True)
        self.fee_fields = FeeFields()
        self.fee_fields.set_receipt_mode(electronic=electronic)
        fee_layout = QVBoxLayout(self.fee_box)
        fee_layout.addWidget(self.fee_fields)
        self.fee_box.toggled.connect(self.fee_fields.setVisible)
        self.fee_state = QLabel()
        self.fee_state.setObjectName("hint")
        self.fee_state.setWordWrap(True)

        self.banner = QLabel()
        self.banner.setObjectName("fieldError")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.submit_button = QPushButton(self.tr("Trả kết quả và in (Ctrl+Enter)"))
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submitRequested.emit)
        # The result's paper scanned before it leaves the counter (counter_app.result_scans).
        self.result_state = QLabel()
        self.result_state.setObjectName("resultScanState")
        self.result_state.setWordWrap(True)
        self.digitize_result_button = QPushButton(self.tr("Số hóa kết quả… (Ctrl+D)"))
        self.digitize_result_button.setObjectName("digitizeResult")
        self.digitize_result_button.setToolTip(
            self.tr("Chọn ảnh hoặc PDF bản quét kết quả giải quyết để lưu vào hồ sơ")
        )
        self.digitize_result_button.clicked.connect(self.digitizeResultRequested.emit)
        # A receipt just printed that came out wrong: cancel it (it keeps its number), reprint.
        self.spoil_button = QPushButton(self.tr("Hủy biên lai vừa in…"))
        self.spoil_button.setObjectName("spoilLastReceipt")
        self.spoil_button.hide()

        card, column = make_card(self.tr("Hồ sơ trả kết quả"))
        column.addWidget(self.summary)
        column.addLayout(form)
        column.addWidget(self.fee_state)
        column.addWidget(self.fee_box)
        column.addWidget(self.result_state)
        column.addWidget(self.digitize_result_button)
        column.addStretch()
        column.addWidget(self.banner)
        column.addWidget(self.submit_button)
        column.addWidget(self.spoil_button)

        self.by_post.toggled.connect(self._method_changed)
        self.representative.toggled.connect(self._representative_changed)
        self._enable_form(False)
        return card

    # The list ------------------------------------------------------------------

    def show_rows(self, rows: list[ReadyDossier], *, keep_form: bool = False) -> None:
        """List ``rows``, keeping the chosen dossier when it is still among them.

        With ``keep_form`` the form is left as typed while its dossier is still listed.
        """
        keep = self.current.code if self.current else None
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for index, ready in enumerate(rows):
            self._fill_row(index, ready)
        self.table.blockSignals(False)
        self.count_label.setText(
            self.tr("{n} hồ sơ có kết quả chờ trả").format(n=len(rows))
            if rows
            else self.tr("Không có hồ sơ nào có kết quả chờ trả khớp với tìm kiếm.")
        )
        codes = [r.code for r in rows]
        if keep in codes and keep_form:
            self.table.blockSignals(True)
            self.table.selectRow(codes.index(keep))
            self.table.blockSignals(False)
        elif keep in codes:
            self.table.selectRow(codes.index(keep))
        elif len(rows) == 1:
            self.table.selectRow(0)
        else:
            self.table.clearSelection()
            self.show_ready(None)

    def _fill_row(self, index: int, ready: ReadyDossier) -> None:
        if ready.fee_settled:
            fee = self.tr("đã thu")
        elif ready.fee_due_vnd:
            fee = self.tr("{amount} đ").format(amount=group_thousands(ready.fee_due_vnd))
        else:
            fee = "—"
        digitized = ready.result_digitized_at
        values = (
            ready.code,
            ready.applicant_name,
            f"{ready.due_at:%d/%m %H:%M}",
            ready.timeliness_label,
            fee,
            self.tr("✓ {at}").format(at=f"{digitized:%d/%m}") if digitized else "—",
        )
        tip = f"{ready.code}\n{ready.applicant_name}\n{ready.procedure_name}"
        if digitized:
            when = f"{digitized:%H:%M %d/%m/%Y}"
            tip += "\n" + self.tr("Kết quả số hóa lúc {at}").format(at=when)
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            if column == 3 and ready.timeliness is not None:
                item.setForeground(QBrush(QColor(TIMELINESS_COLOURS[ready.timeliness])))
            self.table.setItem(index, column, item)

    def _selection_changed(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        self.show_ready(self.rows[selected[0].row()] if selected else None)

    # The form ------------------------------------------------------------------

    def show_ready(self, ready: ReadyDossier | None) -> None:
        """Put ``ready`` in the form, filled for its applicant, with its fee if one is owed."""
        self.current = ready
        self.clear_errors()
        self._enable_form(ready is not None)
        if ready is None:
            self.summary.setText(self.tr("Chọn một hồ sơ trong danh sách, hoặc quét mã hồ sơ."))
            self.fee_state.clear()
            self.result_state.clear()
            self.fee_box.hide()
            return
        self.show_result_scan(ready.result_digitized_at)
        result = (
            self.tr("có kết quả lúc {at} ({label})").format(
                at=f"{ready.result_at:%H:%M %d/%m/%Y}", label=ready.timeliness_label
            )
            if ready.result_at
            else ""
        )
        self.summary.setText(
            f"<b>{ready.code}</b><br/>{_escape(ready.applicant_name)} · "
            f"{_escape(ready.procedure_name)}<br/>"
            + self.tr("Hẹn trả {due}; {result}").format(
                due=f"{ready.due_at:%H:%M %d/%m/%Y}", result=result
            )
        )
        self.representative.setChecked(False)
        self._representative_changed(False)
        (self.by_post if ready.return_method == POST else self.at_counter).setChecked(True)
        self._method_changed()
        self.tracking.clear()
        self.note.clear()
        if ready.fee_settled:
            self.fee_state.setText(self.tr("Phí, lệ phí đã thu khi tiếp nhận."))
            self.fee_box.hide()
            return
        self.fee_state.setText(
            self.tr("Phí, lệ phí theo danh mục: {amount}").format(
                amount=format_money(ready.fee_due_vnd)
            )
            if ready.fee_due_vnd
            else self.tr("Thủ tục không có mức phí trong danh mục.")
        )
        if ready.fee_schedule is not None:
            self.fee_state.setText(
                self.tr("Phí tính theo số trang: {tariff}").format(
                    tariff=ready.fee_schedule.describe()
                )
            )
        self.fee_fields.set_due(ready.fee_due_vnd, schedule=ready.fee_schedule)
        self.fee_box.setChecked(ready.fee_due_vnd > 0)
        self.fee_box.show()

    def show_result_scan(self, digitized_at: dt.datetime | None) -> None:
        """Whether the chosen dossier's result is digitized, and since when."""
        self.result_state.setText(
            self.tr("Kết quả đã được số hóa lúc {at}.").format(at=f"{digitized_at:%H:%M %d/%m/%Y}")
            if digitized_at
            else self.tr("Kết quả chưa được số hóa.")
        )

    def _enable_form(self, enabled: bool) -> None:
        for widget in (
            self.at_counter,
            self.by_post,
            self.recipient,
            self.cccd,
            self.representative,
            self.tracking,
            self.note,
            self.fee_box,
            self.submit_button,
            self.digitize_result_button,
        ):
            widget.setEnabled(enabled)
        if enabled:
            self._method_changed()

    def _method_changed(self, *_args: object) -> None:
        by_post = self.by_post.isChecked()
        self.tracking.setEnabled(by_post and self.current is not None)

    def _representative_changed(self, checked: bool) -> None:
        ready = self.current
        if checked or ready is None:
            self.recipient.clear()
            self.cccd.clear()
        else:
            self.recipient.setText(ready.applicant_name)
            self.cccd.setText(ready.applicant_cccd or "")

    def request(self) -> ReturnRequest:
        """What the form says, as typed; ``counter_app.returns`` checks it."""
        assert self.current is not None
        fee = None
        if not self.fee_box.isHidden() and self.fee_box.isChecked():
            fee = self.fee_fields.fee_input()
        return ReturnRequest(
            code=self.current.code,
            method=POST if self.by_post.isChecked() else COUNTER,
            recipient_name=self.recipient.text(),
            recipient_cccd=self.cccd.text(),
            representative=self.representative.isChecked(),
            tracking_number=self.tracking.text(),
            note=self.note.text(),
            fee=fee,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each beside its field (the fee's in the fee fields), the rest in the banner."""
        rest = self.fee_fields.show_errors(errors)
        unplaced = show_field_errors(self.errors, rest)
        if unplaced:
            self.show_banner("\n".join(unplaced.values()))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def clear_errors(self) -> None:
        hide_field_errors(self.errors)
        self.fee_fields.clear_errors()
        self.banner.hide()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
