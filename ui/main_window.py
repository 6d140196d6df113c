"""The counter's main window: navigation by role, the screens, the status bar, idle lock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter_app import signed_copies
from counter_app.attachments import AttachmentService
from counter_app.auth import ROLE_LABELS, Role
from counter_app.changes import Changes
from counter_app.dossier_view import load_dossier_view
from counter_app.errors import NotFound
from counter_app.outbox import pending_count
from counter_app.reception import Receipt
from counter_app.settings import Settings
from printing.fonts import register_fonts
from printing.forms import FORMS
from printing.prepare import render_for_code
from sync.client.worker import SyncStatus, SyncWorker
from ui.admin_screen import AdminScreen
from ui.backup_schedule import DailyBackup
from ui.digitize_screen import DigitizeScreen
from ui.dossier_actions import DossierActionBar
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_list import DossierListWidget
from ui.idle_watch import IdleWatch
from ui.login_dialog import LoginDialog
from ui.print_preview import PdfPreviewDialog
from ui.reception_screen import ReceptionScreen
from ui.reports_screen import ReportsScreen
from ui.returns_screen import ReturnsScreen
from ui.services import CounterServices
from ui.sign_action import SignAction
from ui.sync_bridge import SyncBridge
from ui.sync_problems import SyncProblemsDialog

ALL_ROLES = frozenset(Role)
ERRORS_KEPT = 50
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    roles: frozenset[Role]
    build: Callable[[CounterServices], QWidget]


class MainWindow(QMainWindow):
    """Shows the screens the logged-in role may use.

    Signals: locked(), unlocked(), signedOut() when a user logs out (the log-in dialog
    follows), formReady(str form, str code, bytes pdf) before the print preview of a form
    opens.
    """

    locked = Signal()
    unlocked = Signal()
    signedOut = Signal()
    formReady = Signal(str, str, bytes)

    def __init__(self, services: CounterServices) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(self.tr("Một cửa — {unit}").format(unit=services.context.unit_name))
        self.resize(1280, 800)
        self.pages: dict[str, QWidget] = {}

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(220)
        self.stack = QStackedWidget()
        brand = QLabel(self.tr("Bộ phận Một cửa"))
        brand.setObjectName("brand")
        unit = QLabel(services.context.unit_name)
        unit.setObjectName("brandUnit")
        unit.setWordWrap(True)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(brand)
        side.addWidget(unit)
        side.addWidget(self.navigation, 1)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addLayout(side)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self.unit_label = QLabel()
        self.user_label = QLabel()
        self.connection_label = QLabel()
        self.waiting_label = QLabel()
        for label in (self.unit_label, self.user_label, self.connection_label):
            self.statusBar().addPermanentWidget(label)
        self.statusBar().addPermanentWidget(self.waiting_label)
        # Refused changes: a link-like button, there only when there are some.
        self.problems_button = QToolButton()
        self.problems_button.setObjectName("syncProblems")
        self.problems_button.setAutoRaise(True)
        self.problems_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.problems_button.clicked.connect(self.open_sync_problems)
        self.problems_button.hide()
        self.statusBar().addPermanentWidget(self.problems_button)
        self.problems_dialog: SyncProblemsDialog | None = None
        # Errors stay until someone reads them: a button that lists them, not a passing message.
        self.errors: list[tuple[str, str]] = []
        self.errors_button = QToolButton()
        self.errors_button.setObjectName("errorIndicator")
        self.errors_button.setAutoRaise(True)
        self.errors_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.errors_button.clicked.connect(self.open_errors)
        self.errors_button.hide()
        self.statusBar().addPermanentWidget(self.errors_button)

        self._build_pages()
        self.navigation.currentRowChanged.connect(self._show_screen)
        self.navigation.setCurrentRow(0)
        for index in range(9):  # as many as any role has screens: a change of user rebuilds them
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self._go_to(i))
        self.log_out_action = QAction(self.tr("Đăng xuất / đổi người dùng"), self)
        self.log_out_action.setObjectName("logOut")
        self.log_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.log_out_action.triggered.connect(self.log_out)
        self.lock_action = QAction(self.tr("Khóa máy"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        session_menu = self.menuBar().addMenu(self.tr("&Phiên làm việc"))
        session_menu.addAction(self.log_out_action)
        session_menu.addAction(self.lock_action)
        self.log_out_question: QMessageBox | None = None

        self.idle = IdleWatch(services.settings.idle_lock_minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        self.idle.start()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(10_000)
        self._refresh_timer.timeout.connect(self.refresh_status)
        self._refresh_timer.start()
        self.sync: SyncBridge | None = None
        self.refresh_status()
        self._warm_up()
        self.daily_backup = DailyBackup(services, self)
        self.daily_backup.message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.daily_backup.failed.connect(self.show_error)
        services.notice.changed.connect(self.on_changes)

    def _warm_up(self) -> None:
        """Load the holiday calendar and the print fonts off the GUI thread, once."""
        reception = self.services.reception

        def warm() -> None:
            reception.warm_up()
            register_fonts()

        self.services.runner.compute(self, warm).on_failure(
            lambda error: self.show_error(self.services.runner.describe(error))
        ).run()

    def page_definitions(self) -> list[Page]:
        receiving = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
        return [
            Page("reception", self.tr("Tiếp nhận"), receiving, ReceptionScreen),
            Page("drafts", self.tr("Chuẩn bị hồ sơ"), frozenset({Role.POSTAL_AGENT}),
                 ReceptionScreen),
            Page("dossiers", self.tr("Hồ sơ"), ALL_ROLES,
                 lambda services: DossierListWidget(
                     services.store, services.clock, notice=services.notice)),
            Page("digitize", self.tr("Số hóa"),
                 frozenset({Role.POSTAL_AGENT, Role.CLERK, Role.ADMIN}), DigitizeScreen),
            Page("returns", self.tr("Trả kết quả"), ALL_ROLES, ReturnsScreen),
            Page("reports", self.tr("Báo cáo"), frozenset({Role.SUPERVISOR, Role.ADMIN}),
                 ReportsScreen),
            Page("admin", self.tr("Quản trị"), frozenset({Role.ADMIN}), AdminScreen),
        ]  # fmt: skip

    def _build_pages(self) -> None:
        role = self.services.identity.role
        for page in self.page_definitions():
            if role not in page.roles:
                continue
            widget = page.build(self.services)
            self.pages[page.key] = widget
            self.stack.addWidget(widget)
            self.navigation.addItem(page.title)
            self._connect_screen(widget)

    def _connect_screen(self, screen: QWidget) -> None:
        """Connect what a screen asks of the window, by the signals it has.

        What a screen changed is not routed here: every screen hears it from the
        change notice (``services.notice``) and refreshes itself.
        """
        show = self.statusBar().showMessage
        wanted: dict[str, Callable[..., object]] = {
            "failed": self.show_error,
            "message": lambda text: show(text, 8000),
            "exported": lambda path: show(
                self.tr("Đã xuất số liệu ra {path}").format(path=path), 10_000
            ),
            "dossierOpened": self.open_dossier,
            "received": self._received,
            "draftSaved": self._draft_saved,
            "restoreScheduled": lambda _pending: self.close(),
        }
        for name, slot in wanted.items():
            signal = getattr(screen, name, None)
            if isinstance(signal, SignalInstance):
                signal.connect(slot)

    def on_changes(self, changes: Changes, source: QObject | None) -> None:
        """The status bar's count of changes waiting, and the settings the window applies."""
        self.refresh_status()
        if changes.settings:
            self._settings_saved(self.services.settings)

    # Screens and focus -----------------------------------------------------------

    def _go_to(self, row: int) -> None:
        if 0 <= row < self.navigation.count():
            self.navigation.setCurrentRow(row)

    def _show_screen(self, row: int) -> None:
        """Show the screen and put the keyboard in its first field, so F2, F3, Alt+A work."""
        self.stack.setCurrentIndex(row)
        self.focus_screen()

    def focus_screen(self) -> None:
        screen = self.stack.currentWidget()
        if screen is None:
            return
        first = getattr(screen, "first_field", None)
        target = first() if callable(first) else None
        if not isinstance(target, QWidget):
            target = _first_focusable(screen)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activate_screen(self) -> None:
        self.activateWindow()  # not every window manager hands activation back by itself
        self.focus_screen()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_screen)  # once the window is active, after log-in

    # Log out / switch user -----------------------------------------------------

    def _work_under_way(self) -> bool:
        """Whether an attach or a backup started by this user is still running.

        Not any work on the runner: a look-up finishing as the clerk signs out is harmless,
        and the sign-out waits for it anyway.
        """
        for screen in self.pages.values():
            if isinstance(screen, DigitizeScreen) and screen.working:
                return True
            if isinstance(screen, AdminScreen) and screen.backup_runner.busy:
                return True
        return False

    def log_out(self) -> None:
        """Back to the log-in dialog without quitting; nothing typed or staged is lost.

        A half-typed reception is saved as a draft (or dropped) as the clerk
        answers; pages staged in Số hóa are kept for their dossier.
        """
        screens = self.centralWidget()
        if screens is None or not screens.isVisible() or self.log_out_question is not None:
            return
        if self._work_under_way():
            # Signing out waits for nothing: pages being attached would also be kept for
            # later, and a backup's runner would be deleted under it with its screen.
            self.statusBar().showMessage(
                self.tr("Đang đính kèm hoặc sao lưu; hãy chờ xong rồi đăng xuất."), 8000
            )
            return
        unsaved = [
            s
            for s in self.pages.values()
            if isinstance(s, ReceptionScreen) and s.has_unsaved_input()
        ]
        if not unsaved:
            self._keep_staged_and_sign_out()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Đăng xuất"),
            self.tr("Hồ sơ đang nhập chưa được lưu. Lưu thành hồ sơ nháp trước khi đăng xuất?"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("logOutQuestion")
        save = box.addButton(self.tr("Lưu nháp và đăng xuất"), QMessageBox.ButtonRole.AcceptRole)
        save.setObjectName("logOutSave")
        drop = box.addButton(
            self.tr("Bỏ nội dung và đăng xuất"), QMessageBox.ButtonRole.DestructiveRole
        )
        drop.setObjectName("logOutDiscard")
        stay = box.addButton(self.tr("Ở lại"), QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("logOutStay")
        box.setDefaultButton(save)

        def answered(button: object) -> None:
            if button is save:
                self._save_drafts_then_sign_out(unsaved)
            elif button is drop:
                self._keep_staged_and_sign_out()

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "log_out_question", None))
        self.log_out_question = box
        box.open()

    def _save_drafts_then_sign_out(self, screens: list[ReceptionScreen]) -> None:
        if not screens:
            self._keep_staged_and_sign_out()
            return

        def then(saved: bool) -> None:
            if saved:
                self._save_drafts_then_sign_out(screens[1:])
            else:
                self._go_to(list(self.pages.values()).index(screens[0]))
                self.show_error(
                    self.tr("Chưa đăng xuất: hồ sơ nháp chưa lưu được, hãy sửa các ô báo đỏ.")
                )

        screens[0].save_as_draft(then)

    def _keep_staged_and_sign_out(self) -> None:
        for screen in self.pages.values():
            if isinstance(screen, DigitizeScreen) and not screen.keep_for_later():
                return
        self.services.runner.wait()
        self._sign_out()

    def _sign_out(self) -> None:
        screens = self.centralWidget()
        if screens is None:
            return
        self.idle.stop()
        screens.hide()
        self.statusBar().clearMessage()
        self.signedOut.emit()
        dialog = LoginDialog(self.services, parent=self)
        dialog.setObjectName("loginDialog")
        dialog.accepted.connect(lambda: self._signed_in(dialog))
        dialog.rejected.connect(self.close)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def _signed_in(self, dialog: LoginDialog) -> None:
        if dialog.identity is None:
            return
        self.services.user = dialog.identity
        self.navigation.blockSignals(True)
        self.navigation.clear()
        for widget in self.pages.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.pages.clear()
        self._build_pages()
        self.navigation.blockSignals(False)
        self.navigation.setCurrentRow(0)
        self._show_screen(0)
        self._unlock()
        self.refresh_status()

    def _settings_saved(self, settings: Settings) -> None:
        self.idle.timeout_ms = settings.idle_lock_minutes * 60_000
        self.daily_backup.run_if_due()  # a folder just chosen gets today's backup now

    def open_dossier(self, code: str) -> None:
        """The dossier's detail with its actions; printing and changes go through the window."""
        with self.services.store.read() as session:
            try:
                view = load_dossier_view(session, code)
            except NotFound as exc:
                self.show_error(str(exc))
                return
            hashes = [line.attachment_sha256 or "" for line in view.documents]
            if view.result_scan is not None:
                hashes.append(view.result_scan.sha256)
            signatures = signed_copies.statuses(session, hashes)
        actions = DossierActionBar(self.services, view)
        signing = SignAction(self.services, view)
        bar = QWidget()
        rows = QVBoxLayout(bar)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(actions)
        rows.addWidget(signing)
        dialog = DossierDetailDialog(view, self.services.clock.now(), self, bar, signatures)
        dialog.setObjectName("dossierDetail")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        actions.printRequested.connect(self.print_form)
        actions.changed.connect(lambda _code: dialog.close())
        signing.signed.connect(lambda message: self.statusBar().showMessage(message, 15_000))
        signing.signed.connect(lambda _message: dialog.close())
        signing.failed.connect(self.show_error)
        dialog.detail.resultScanRequested.connect(
            lambda sha256: self.open_result_scan(view.code, sha256)
        )
        dialog.open()

    def open_result_scan(self, code: str, sha256: str) -> None:
        """The result's scan, read back and checked against its hash, in the preview."""
        service = AttachmentService(self.services.store, self.services.clock)
        title = self.tr("Bản số hóa kết quả — {code}").format(code=code)

        def show(pdf: bytes) -> None:
            dialog = PdfPreviewDialog(pdf, title, f"ket-qua-{code}.pdf", self)
            dialog.setObjectName("resultScanPreview")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

        self.services.runner.compute(self, lambda: service.read_pdf(sha256)).on_success(
            show
        ).on_failure(lambda error: self.show_error(self.services.runner.describe(error))).run()

    def _received(self, receipt: Receipt) -> None:
        self.statusBar().showMessage(
            self.tr("Đã tiếp nhận hồ sơ {code}, hẹn trả {due}").format(
                code=receipt.code, due=f"{receipt.due_at:%H:%M %d/%m/%Y}"
            ),
            15_000,
        )
        self.print_form("receipt", receipt.code)

    def print_form(self, form_id: str, code: str) -> None:
        """Render the form off the GUI thread, then open its print preview."""
        store, settings = self.services.store, self.services.settings
        self.services.runner.compute(
            self, lambda: render_for_code(store, form_id, code, settings)
        ).on_success(lambda pdf: self._preview(form_id, code, pdf)).on_failure(
            lambda error: self.show_error(self.tr("Không in được: {error}").format(error=error))
        ).run()

    def _preview(self, form_id: str, code: str, pdf: bytes) -> None:
        self.formReady.emit(form_id, code, pdf)
        title = FORMS[form_id].title
        dialog = PdfPreviewDialog(pdf, f"{title} — {code}", f"{form_id}-{code}.pdf", self)
        dialog.setObjectName("printPreview")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_error(self, message: str) -> None:
        """Keep an error on screen until it is read, and in the log for whoever helps later.

        The status bar holds it with no timeout (until the next message) and the
        "⚠ lỗi" button lists every error since it was last opened.
        """
        log.warning("Báo lỗi cho người dùng: %s", message)
        at = self.services.clock.now()
        self.errors = [*self.errors, (f"{at:%H:%M:%S}", message)][-ERRORS_KEPT:]
        self.statusBar().showMessage(message)
        self.errors_button.setText(self.tr("⚠ {n} lỗi").format(n=len(self.errors)))
        self.errors_button.setToolTip(message)
        self.errors_button.show()

    def open_errors(self) -> None:
        """The errors since last read, with the log file's path; reading them clears them."""
        from counter_app.logs import current_log_file

        lines = [f"{at}  {message}" for at, message in self.errors]
        where = current_log_file()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Lỗi gần đây"),
            "\n".join(lines),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setObjectName("recentErrors")
        if where is not None:
            box.setInformativeText(self.tr("Nhật ký lỗi: {path}").format(path=where))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.errors = []
        self.errors_button.hide()
        self.statusBar().clearMessage()
        box.open()

    def _draft_saved(self, _draft_id: str) -> None:
        self.statusBar().showMessage(self.tr("Đã lưu hồ sơ nháp cho cán bộ tiếp nhận."), 10_000)

    def start_sync(self, worker: SyncWorker) -> None:
        """Run ``worker`` in the background and show how it goes in the status bar."""
        self.sync = SyncBridge(worker, self, self.services.notice)
        self.sync.statusChanged.connect(self.show_sync_status)
        worker.start()
        self.show_sync_status(worker.status())

    def refresh_status(self) -> None:
        context, user = self.services.context, self.services.identity
        self.unit_label.setText(context.unit_code)
        self.user_label.setText(f"{user.full_name} · {ROLE_LABELS[user.role]}")
        if self.sync is not None:
            self.sync.refresh()
            return
        with self.services.store.read() as session:
            waiting = pending_count(session)
        self.connection_label.setText(self.tr("● Chưa đăng ký máy chủ tỉnh"))
        self.connection_label.setToolTip(
            self.tr("Máy chưa đăng ký đồng bộ: dữ liệu lưu tại máy (counter-app enrol).")
        )
        self.waiting_label.setText(self.tr("{n} thay đổi chờ đồng bộ").format(n=waiting))

    def show_sync_status(self, status: SyncStatus) -> None:
        if status.reenrol_needed:
            state = self.tr("● Cần đăng ký lại với máy chủ tỉnh")
        elif status.syncing:
            state = self.tr("● Đang đồng bộ…")
        elif status.online:
            state = self.tr("● Trực tuyến")
        else:
            state = self.tr("● Ngoại tuyến")
        self.connection_label.setText(state)
        last = (
            self.tr("lần đồng bộ cuối: {at}").format(at=f"{status.last_success:%H:%M %d/%m/%Y}")
            if status.last_success
            else self.tr("chưa đồng bộ lần nào")
        )
        why = [status.last_error] if status.last_error and not status.online else []
        self.connection_label.setToolTip("\n".join([last, *why, *status.warnings]))
        self.waiting_label.setText(self.tr("{n} thay đổi chờ đồng bộ").format(n=status.waiting))
        self.problems_button.setText(self.tr("{n} lỗi đồng bộ").format(n=len(status.problems)))
        self.problems_button.setToolTip(
            "\n".join(f"{p.dossier_code or p.dossier_id}: {p.reason}" for p in status.problems)
        )
        self.problems_button.setVisible(bool(status.problems))
        if self.problems_dialog is not None and self.problems_dialog.isVisible():
            self.problems_dialog.show_problems(status.problems)

    def open_sync_problems(self) -> None:
        """The list of refused changes; opening a dossier and retrying go through the window."""
        if self.problems_dialog is None:
            dialog = SyncProblemsDialog(self.services, self._sync_now, self)
            dialog.setObjectName("syncProblemsDialog")
            dialog.dossierOpened.connect(self.open_dossier)
            self.problems_dialog = dialog
        else:
            self.problems_dialog.refresh()
        self.problems_dialog.open()

    def _sync_now(self) -> None:
        if self.sync is not None:
            self.sync.worker.sync_now()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.sync is not None:
            self.sync.stop()
        super().closeEvent(event)

    # Idle lock -----------------------------------------------------------------

    def lock(self) -> None:
        """Hide the screens until the same user types the password again."""
        screens = self.centralWidget()
        if screens is None or not screens.isVisible():
            return
        self.idle.stop()
        screens.hide()
        self.locked.emit()
        dialog = LoginDialog(self.services, locked_user=self.services.identity, parent=self)
        dialog.setObjectName("unlockDialog")
        dialog.accepted.connect(self._unlock)
        dialog.rejected.connect(self.close)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def _unlock(self) -> None:
        screens = self.centralWidget()
        if screens is not None:
            screens.show()
        self.idle.start()
        QTimer.singleShot(0, self._activate_screen)  # once the dialog has closed
        self.unlocked.emit()


def _first_focusable(screen: QWidget) -> QWidget | None:
    """The first input of ``screen`` in tab order, for screens that do not name one."""
    widget = screen.nextInFocusChain()
    while widget is not None and widget is not screen:
        wants_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        usable = widget.isEnabled() and widget.isVisibleTo(screen)
        if screen.isAncestorOf(widget) and wants_tab and usable:
            return widget
        widget = widget.nextInFocusChain()
    return None
