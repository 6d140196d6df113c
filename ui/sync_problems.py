"""The sync problems list (lỗi đồng bộ): changes the provincial server refused, and why,
and changes pulled from it that this counter set aside because it could not store them.

The clerk reads each reason, opens the dossier to put the cause right (scan a
document again, …), then queues every refused change again. A fee the province
refused because another counter took it first is not sent again: the clerk
refunds the citizen and records it here ("Đã hoàn tiền"), which closes it.
It shows ``sync_outbox.state().problems`` and writes only through the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app import sync_outbox
from counter_app.changes import Changes
from counter_app.fee_refunds import Refunded, RefundService
from counter_app.store import Store
from counter_app.sync_outbox import SyncProblem
from printing.wording import money
from ui.services import CounterServices

_TIME = "%H:%M %d/%m/%Y"
_GAP = 20  # pixels between a short column's text and the next column


def _header_width(table: QTableWidget, column: int) -> int:
    return table.horizontalHeader().sectionSizeHint(column)


def _requeue(store: Store) -> int:
    with store.write() as session:
        return sync_outbox.retry_rejected(session)


class SyncProblemsDialog(QDialog):
    """The refused changes in a table, with "Mở hồ sơ", "Đã hoàn tiền", "Gửi lại tất cả", "Đóng".

    Signals: dossierOpened(str code) when the clerk asks for a row's dossier;
    retried(int count) after the refused changes were queued again;
    refunded(object Refunded) after a refused fee was recorded as handed back.
    """

    dossierOpened = Signal(str)
    retried = Signal(int)
    refunded = Signal(object)

    def __init__(
        self,
        services: CounterServices,
        sync_now: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.sync_now = sync_now
        self.problems: tuple[SyncProblem, ...] = ()
        self._retrying = False
        self.setWindowTitle(self.tr("Lỗi đồng bộ"))
        self.resize(940, 480)

        title = QLabel(self.tr("Thay đổi bị máy chủ tỉnh từ chối"))
        title.setObjectName("dialogTitle")
        self.explanation = QLabel(
            self.tr(
                "Máy chủ tỉnh đã từ chối các thay đổi dưới đây: chúng chưa được ghi nhận trên "
                "hệ thống của tỉnh, và các thay đổi sau đó của cùng hồ sơ phải chờ."
            )
            + "\n"
            + self.tr(
                "Cách xử lý: đọc lý do, bấm «Mở hồ sơ» và khắc phục nguyên nhân, rồi bấm «Gửi "
                "lại tất cả». Phí đã được thu ở máy khác: hoàn lại tiền cho công dân, hủy biên "
                "lai rồi bấm «Đã hoàn tiền». Không tự khắc phục được thì báo quản trị tỉnh."
            )
            + "\n"
            + self.tr(
                "Thay đổi nhận từ tỉnh mà máy này không ghi được thì được để riêng: máy vẫn "
                "nhận tiếp các thay đổi khác, tự báo về tỉnh và thử ghi lại ở mỗi lần đồng bộ."
            )
        )
        self.explanation.setObjectName("syncProblemsHelp")
        self.explanation.setWordWrap(True)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("syncProblemsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Mã hồ sơ"), self.tr("Việc"), self.tr("Lý do"), self.tr("Lúc ghi")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Each row grows to show its whole reason, wrapped, whatever the dialog's width.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel(
            self.tr(
                "Không có lỗi đồng bộ: máy chủ tỉnh đã nhận mọi thay đổi gửi lên "
                "(hoặc chúng đang chờ gửi)."
            )
        )
        self.empty_label.setObjectName("emptyProblems")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty_label)

        self.message = QLabel()
        self.message.setObjectName("syncProblemsMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Mở hồ sơ"))
        self.open_button.setObjectName("openProblemDossier")
        self.open_button.setDefault(True)  # Enter opens the selected row's dossier
        self.open_button.clicked.connect(self.open_selected)
        self.retry_button = QPushButton(self.tr("Gửi lại tất cả"))
        self.retry_button.setObjectName("retryRejected")
        self.retry_button.setToolTip(
            self.tr("Đưa mọi thay đổi bị từ chối vào hàng chờ và đồng bộ ngay.")
        )
        self.retry_button.clicked.connect(self.retry_all)
        self.refund_button = QPushButton(self.tr("Đã hoàn tiền…"))
        self.refund_button.setObjectName("refundRefusedFee")
        self.refund_button.setAutoDefault(False)
        self.refund_button.setToolTip(
            self.tr(
                "Khoản thu bị từ chối vì đã được thu ở máy khác: ghi nhận đã hoàn lại tiền "
                "cho công dân và hủy biên lai."
            )
        )
        self.refund_button.clicked.connect(self.ask_refund)
        self.confirm: QMessageBox | None = None
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setObjectName("closeProblems")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.refund_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()
        self.table.setFocus()

    # Showing -------------------------------------------------------------

    def refresh(self) -> None:
        """Read the refused changes from the store again."""
        with self.services.store.read() as session:
            problems = sync_outbox.state(session).problems
        self.show_problems(problems)

    def show_problems(self, problems: Sequence[SyncProblem]) -> None:
        """Show these problems, keeping the selected dossier selected when it is still there."""
        selected = self.selected_problem()
        self.problems = tuple(problems)
        self.table.setRowCount(len(self.problems))
        for row, problem in enumerate(self.problems):
            cells = (
                problem.dossier_code or "—",
                problem.operation_label,
                problem.reason,
                f"{problem.queued_at:{_TIME}}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                alignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                item.setTextAlignment(alignment)
                self.table.setItem(row, column, item)
        # The short columns fit their text with room to breathe; the reason takes the rest.
        for column in (0, 1, 3):
            width = max(self.table.sizeHintForColumn(column), _header_width(self.table, column))
            self.table.setColumnWidth(column, width + _GAP)
        self.pages.setCurrentWidget(self.table if self.problems else self.empty_label)
        if self.problems:
            keep = next((r for r, p in enumerate(self.problems) if selected and p == selected), 0)
            self.table.selectRow(keep)
        self._update_buttons()

    def selected_problem(self) -> SyncProblem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.problems):
            return None
        return self.problems[rows[0].row()]

    def _update_buttons(self) -> None:
        problem = self.selected_problem()
        self.open_button.setEnabled(problem is not None and problem.dossier_code is not None)
        self.refund_button.setEnabled(
            problem is not None and problem.operation == "collect" and not self._retrying
        )
        self.retry_button.setEnabled(bool(self.problems) and not self._retrying)

    # Acting --------------------------------------------------------------

    def open_selected(self) -> None:
        problem = self.selected_problem()
        if problem is not None and problem.dossier_code:
            self.dossierOpened.emit(problem.dossier_code)

    def retry_all(self) -> None:
        """Queue every refused change again, off the GUI thread, then sync now."""
        if not self.problems or self._retrying:
            return
        self._retrying = True
        self._update_buttons()
        self.message.hide()
        store = self.services.store
        self.services.runner.write(self, lambda: _requeue(store)).notifies(
            Changes(outbox=True)
        ).on_success(self._requeued).on_failure(self._failed).run()

    def _requeued(self, count: int) -> None:
        self._retrying = False
        self.refresh()
        self._say(self.tr("Đã đưa {n} thay đổi vào hàng chờ gửi lại máy chủ tỉnh.").format(n=count))
        # The notice that refreshes the window comes after this; the sync reads the outbox
        # itself as it starts, so no status of before the retry shows again.
        self.retried.emit(count)
        if self.sync_now is not None:
            self.sync_now()

    def ask_refund(self) -> None:
        """Ask the clerk to confirm the money is back with the citizen (a window-modal box)."""
        problem = self.selected_problem()
        if problem is None or problem.operation != "collect":
            return
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Ghi hoàn trả phí, lệ phí"),
            self.tr(
                "Đã hoàn lại cho công dân khoản phí, lệ phí thu ở máy này cho hồ sơ {code} "
                "và đã hủy biên lai?\n\nKhoản thu sẽ được bỏ khỏi sổ thu của máy này và "
                "không gửi lên tỉnh nữa; nhật ký vẫn ghi đủ khoản thu và việc hoàn trả."
            ).format(code=problem.dossier_code or "—"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.confirm.setObjectName("confirmRefund")
        yes = self.confirm.addButton(self.tr("Đã hoàn tiền"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("confirmRefundYes")
        self.confirm.addButton(self.tr("Chưa"), QMessageBox.ButtonRole.RejectRole)
        self.confirm.setDefaultButton(yes)
        self.confirm.buttonClicked.connect(
            lambda button: self._refund(problem) if button is yes else None
        )
        self.confirm.open()

    def _refund(self, problem: SyncProblem) -> None:
        service = RefundService(self.services.store, self.services.clock)
        actor = self.services.identity
        self._retrying = True
        self._update_buttons()
        self.services.runner.write(
            self, lambda: service.refund_refused(problem.entity_id, actor)
        ).notifies(Changes(fees=True, outbox=True)).on_success(self._refund_recorded).on_failure(
            self._failed
        ).run()

    def _refund_recorded(self, refund: Refunded) -> None:
        self._retrying = False
        self.refresh()
        self._say(
            self.tr("Đã ghi hoàn trả {amount} ({method}) của hồ sơ {code}.").format(
                amount=money(refund.amount_vnd),
                method=refund.method.lower(),
                code=refund.dossier_code,
            )
        )
        self.refunded.emit(refund)

    def _failed(self, error: Exception) -> None:
        self._retrying = False
        self._update_buttons()
        self._say(self.tr("Không gửi lại được: {error}").format(error=error), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setObjectName("fieldError" if error else "hint")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()
