"""Quản trị: the unit's staff accounts and this counter's settings, for the administrator.

"Sao lưu ngay" copies the store and its scans into the backup folder
(``counter_app.backup``) on a runner of its own, so neither the window nor the
clerks' saves wait for a USB disk; the same folder takes the daily automatic
backup (``ui.backup_schedule``).

"Khôi phục từ bản sao lưu…" cannot replace the store the window holds open:
it verifies the chosen backup off the GUI thread, asks, then schedules the
restore (``backup.schedule_restore``) and asks the window to close; the next
start performs it before opening the store (``ui.launcher.prepare``).

"Kiểm tra máy" opens the preflight check (``ui.preflight_dialog``), the same
checks as ``counter-app doctor``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from counter_app import auth, backup
from counter_app.backup import BackupMade
from counter_app.changes import Changes
from counter_app.errors import CounterError, ValidationError
from counter_app.settings import ELECTRONIC_RECEIPTS, PAPER_RECEIPTS, Settings, save_settings
from ui.cards import make_card
from ui.change_notice import made_by
from ui.field_errors import hide_field_errors, show_field_errors, with_error_line
from ui.operations import Operations
from ui.preflight_dialog import PreflightDialog
from ui.services import CounterServices


class AdminScreen(QWidget):
    """Adds, disables and resets staff accounts; edits and saves the settings.

    Signals: settingsSaved(object) with the new Settings; message(str) for the status bar;
    backedUp(object) with the BackupMade, or None when the backup failed;
    restoreScheduled(object) with the PendingRestore: the window must close so the
    next start can restore.
    """

    settingsSaved = Signal(object)
    message = Signal(str)
    backedUp = Signal(object)
    restoreScheduled = Signal(object)

    def __init__(self, services: CounterServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        title = QLabel(self.tr("Quản trị"))
        title.setObjectName("pageTitle")

        users_card, users_layout = make_card(self.tr("Tài khoản cán bộ"))
        self.users = QTableWidget(0, 4)
        self.users.setObjectName("users")
        self.users.setHorizontalHeaderLabels(
            [
                self.tr("Tên đăng nhập"),
                self.tr("Họ và tên"),
                self.tr("Vai trò"),
                self.tr("Trạng thái"),
            ]
        )
        heading = self.users.horizontalHeader()
        heading.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # none cut short
        heading.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.users.verticalHeader().setVisible(False)
        self.users.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.toggle_button = QPushButton(self.tr("Khóa / mở tài khoản"))
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.new_password = QLineEdit()
        self.new_password.setObjectName("resetPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setPlaceholderText(self.tr("mật khẩu mới"))
        self.reset_button = QPushButton(self.tr("Đặt lại mật khẩu"))
        self.reset_button.clicked.connect(self.reset_selected)
        row_actions = QHBoxLayout()
        row_actions.addWidget(self.toggle_button)
        row_actions.addStretch()
        self.reset_errors: dict[str, QLabel] = {}
        row_actions.addWidget(with_error_line(self.new_password, "password", self.reset_errors))
        row_actions.addWidget(self.reset_button)

        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("newFullName")
        self.role = QComboBox()
        self.role.setObjectName("newRole")
        for role, label in auth.ROLE_LABELS.items():
            self.role.addItem(label, role.value)
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(self.tr("Thêm tài khoản"))
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_user)
        self.user_errors: dict[str, QLabel] = {}
        add_form = QFormLayout()
        user_fields: tuple[tuple[str, QWidget, str], ...] = (
            (self.tr("Tên đăng nhập"), self.username, "username"),
            (self.tr("Họ và tên"), self.full_name, "full_name"),
            (self.tr("Vai trò"), self.role, "role"),
            (self.tr("Mật khẩu"), self.password, "password"),
        )
        for label, widget, key in user_fields:
            add_form.addRow(label, with_error_line(widget, key, self.user_errors))
        self.user_error = QLabel()
        self.user_error.setObjectName("fieldError")
        self.user_error.setWordWrap(True)
        self.user_error.hide()
        users_layout.addWidget(self.users, 1)
        users_layout.addLayout(row_actions)
        users_layout.addLayout(add_form)
        users_layout.addWidget(self.user_error)
        users_layout.addWidget(self.add_button)

        settings_card, settings_layout = make_card(self.tr("Cài đặt máy này"))
        current = services.settings
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("idleMinutes")
        self.idle_minutes.setRange(1, 240)
        self.idle_minutes.setValue(current.idle_lock_minutes)
        self.idle_minutes.setSuffix(self.tr(" phút"))
        self.paper = QComboBox()
        self.paper.setObjectName("paper")
        self.paper.addItems(["A5", "A4"])
        self.paper.setCurrentText(current.paper)
        self.place_name = QLineEdit(current.place_name)
        self.place_name.setPlaceholderText(self.tr("theo tên đơn vị"))
        self.parent_agency = QLineEdit(current.parent_agency)
        self.parent_agency.setPlaceholderText(self.tr("vd. UBND TỈNH THANH HÓA"))
        self.settings_errors: dict[str, QLabel] = {}
        # Fee receipts (Decree 123/2020 art. 32 as amended by Decree 70/2025).
        self.receipt_mode = QComboBox()
        self.receipt_mode.setObjectName("receiptMode")
        self.receipt_mode.addItem(self.tr("In từ máy (biên lai giấy)"), PAPER_RECEIPTS)
        self.receipt_mode.addItem(self.tr("Biên lai điện tử"), ELECTRONIC_RECEIPTS)
        self.receipt_mode.setCurrentIndex(max(0, self.receipt_mode.findData(current.receipt_mode)))
        self.receipt_form_symbol = QLineEdit(current.receipt_form_symbol)
        self.receipt_form_symbol.setObjectName("receiptFormSymbol")
        self.receipt_form_symbol.setPlaceholderText(self.tr("vd. 01BLP0-001"))
        self.receipt_series = QLineEdit(current.receipt_series)
        self.receipt_series.setObjectName("receiptSeries")
        self.receipt_series.setPlaceholderText(self.tr("riêng cho máy này, vd. AA-25P"))
        self.tax_code = QLineEdit(current.tax_code)
        self.tax_code.setObjectName("taxCode")
        self.tax_code.setPlaceholderText(self.tr("10 chữ số"))
        form = QFormLayout()
        setting_fields: tuple[tuple[str, QWidget, str], ...] = (
            (self.tr("Ngôn ngữ (khởi động lại để áp dụng)"), self.language, "language"),
            (self.tr("Tự khóa máy sau"), self.idle_minutes, "idle_lock_minutes"),
            (self.tr("Khổ giấy in phiếu"), self.paper, "paper"),
        )
        for label, widget, key in setting_fields:
            form.addRow(label, with_error_line(widget, key, self.settings_errors))
        form.addRow(self.tr("Địa danh ghi trên phiếu"), self.place_name)
        form.addRow(self.tr("Cơ quan cấp trên"), self.parent_agency)
        self.backup_folder = QLineEdit(current.backup_folder)
        self.backup_folder.setObjectName("backupFolder")
        self.backup_folder.setPlaceholderText(self.tr("chưa chọn: không tự sao lưu"))
        choose = QPushButton(self.tr("Chọn…"))
        choose.clicked.connect(self.choose_backup_folder)
        folder_row = QWidget()
        folder_layout = QHBoxLayout(folder_row)
        folder_layout.setContentsMargins(0, 0, 0, 0)
        folder_layout.addWidget(self.backup_folder, 1)
        folder_layout.addWidget(choose)
        self.backup_keep = QSpinBox()
        self.backup_keep.setObjectName("backupKeep")
        self.backup_keep.setRange(1, 365)
        self.backup_keep.setValue(current.backup_keep)
        self.backup_keep.setSuffix(self.tr(" bản"))
        later_fields: tuple[tuple[str, QWidget, str], ...] = (
            (self.tr("Thư mục sao lưu hằng ngày (vd. ổ USB)"), folder_row, "backup_folder"),
            (self.tr("Giữ lại"), self.backup_keep, "backup_keep"),
            (self.tr("Biên lai thu phí"), self.receipt_mode, "receipt_mode"),
            (self.tr("Ký hiệu mẫu biên lai"), self.receipt_form_symbol, "receipt_form_symbol"),
            (self.tr("Ký hiệu biên lai"), self.receipt_series, "receipt_series"),
            (self.tr("Mã số thuế"), self.tax_code, "tax_code"),
        )
        for label, widget, key in later_fields:
            form.addRow(label, with_error_line(widget, key, self.settings_errors))
        self.backup_button = QPushButton(self.tr("Sao lưu ngay"))
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_runner = Operations(self, compute_threads=1)
        self.restore_button = QPushButton(self.tr("Khôi phục từ bản sao lưu…"))
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self.choose_restore)
        self.restore_question: QMessageBox | None = None
        self.preflight_button = QPushButton(self.tr("Kiểm tra máy"))
        self.preflight_button.setObjectName("preflight")
        self.preflight_button.setToolTip(
            self.tr("Thư viện cửa sổ, phông chữ, máy in, thư mục, ổ đĩa, máy chủ tỉnh, đồng hồ")
        )
        self.preflight_button.clicked.connect(self.open_preflight)
        self.preflight_dialog: PreflightDialog | None = None
        self.settings_error = QLabel()
        self.settings_error.setObjectName("fieldError")
        self.settings_error.hide()
        save = QPushButton(self.tr("Lưu cài đặt"))
        save.setObjectName("primary")
        save.clicked.connect(self.save_settings)
        settings_layout.addLayout(form)
        settings_layout.addWidget(self.settings_error)
        settings_layout.addWidget(save)
        settings_layout.addWidget(self.backup_button)
        settings_layout.addWidget(self.restore_button)
        settings_layout.addWidget(self.preflight_button)
        settings_layout.addStretch()

        cards = QHBoxLayout()
        cards.addWidget(users_card, 3)
        cards.addWidget(settings_card, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addLayout(cards, 1)
        self.reload_users()
        services.notice.changed.connect(self.on_changes)

    def on_changes(self, changes: Changes, source: QObject | None) -> None:
        if changes.users and not made_by(self, source):
            self.reload_users()

    # Users ---------------------------------------------------------------------

    def reload_users(self) -> None:
        with self.services.store.read() as session:
            rows = auth.list_users(session, self.services.context.unit_code)
        self.users.setRowCount(len(rows))
        for index, row in enumerate(rows):
            state = self.tr("Đang dùng") if row.active else self.tr("Đã khóa")
            for column, text in enumerate(
                (row.username, row.full_name, auth.ROLE_LABELS[row.role], state)
            ):
                self.users.setItem(index, column, QTableWidgetItem(text))

    def selected_username(self) -> str | None:
        item = self.users.item(self.users.currentRow(), 0)
        return item.text() if item else None

    def _write(
        self,
        action: Callable[[Session], object],
        done: str,
        labels: dict[str, QLabel],
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run ``action`` on the store's writer; its errors stand beside the fields in
        ``labels``, others below, and ``then`` runs once it is stored."""
        hide_field_errors(self.user_errors)
        hide_field_errors(self.reset_errors)
        store = self.services.store

        def write() -> None:
            with store.write() as session:
                action(session)

        def written(_none: None) -> None:
            self._user_buttons(True)
            self.user_error.hide()
            self.reload_users()
            self.message.emit(done)
            if then is not None:
                then()

        def refused(exc: Exception) -> None:
            self._user_buttons(True)
            if isinstance(exc, ValidationError):
                unplaced = show_field_errors(labels, exc.errors)
                self.user_error.setText("\n".join(unplaced.values()))
                self.user_error.setVisible(bool(unplaced))
            else:
                self.user_error.setText(self.services.runner.describe(exc))
                self.user_error.show()

        self._user_buttons(False)
        self.services.runner.write(self, write).notifies(Changes(users=True)).on_success(
            written
        ).on_failure(refused).run()

    def _user_buttons(self, enabled: bool) -> None:
        for button in (self.add_button, self.toggle_button, self.reset_button):
            button.setEnabled(enabled)

    def add_user(self) -> None:
        username, now = self.username.text(), self.services.clock.now()
        full_name, role, password = (
            self.full_name.text(),
            str(self.role.currentData()),
            self.password.text(),
        )
        unit_code, by = self.services.context.unit_code, self.services.identity.username

        def cleared() -> None:
            for line in (self.username, self.full_name, self.password):
                line.clear()

        self._write(
            lambda session: auth.add_user(
                session,
                username=username,
                full_name=full_name,
                role=role,
                password=password,
                unit_code=unit_code,
                at=now,
                by=by,
            ),
            self.tr("Đã thêm tài khoản {name}.").format(name=username.strip().lower()),
            self.user_errors,
            cleared,
        )

    def toggle_selected(self) -> None:
        username = self.selected_username()
        if username is None:
            return
        row = self.users.currentRow()
        state = self.users.item(row, 3)
        make_active = state is not None and state.text() == self.tr("Đã khóa")
        who, now = self.services.identity, self.services.clock.now()
        self._write(
            lambda session: auth.set_active(session, username, make_active, who, now),
            self.tr("Đã cập nhật tài khoản {name}.").format(name=username),
            {},
        )

    def reset_selected(self) -> None:
        username = self.selected_username()
        if username is None:
            return
        password = self.new_password.text()
        by, now = self.services.identity.username, self.services.clock.now()
        self._write(
            lambda session: auth.reset_password(session, username, password, by, now),
            self.tr("Đã đặt lại mật khẩu của {name}.").format(name=username),
            self.reset_errors,
            self.new_password.clear,
        )

    # Settings ------------------------------------------------------------------

    def chosen_settings(self) -> Settings:
        return replace(
            self.services.settings,
            language=str(self.language.currentData()),
            idle_lock_minutes=self.idle_minutes.value(),
            paper=self.paper.currentText(),
            place_name=self.place_name.text().strip(),
            parent_agency=self.parent_agency.text().strip(),
            backup_folder=self.backup_folder.text().strip(),
            backup_keep=self.backup_keep.value(),
            receipt_mode=str(self.receipt_mode.currentData()),
            receipt_form_symbol=self.receipt_form_symbol.text().strip().upper(),
            receipt_series=self.receipt_series.text().strip().upper(),
            tax_code=self.tax_code.text().strip(),
        )

    def save_settings(self) -> None:
        chosen = self.chosen_settings()
        hide_field_errors(self.settings_errors)
        data_dir: Path | None = self.services.store.data_dir
        try:
            if data_dir is not None:
                save_settings(data_dir, chosen)
            else:
                chosen.validated()
        except ValidationError as exc:
            unplaced = show_field_errors(self.settings_errors, exc.errors)
            self.settings_error.setText("\n".join(unplaced.values()))
            self.settings_error.setVisible(bool(unplaced))
            return
        hide_field_errors(self.settings_errors)
        self.settings_error.hide()
        self.services.settings = chosen
        self.settingsSaved.emit(chosen)
        self.services.notice.notify(Changes(settings=True), self)
        self.message.emit(self.tr("Đã lưu cài đặt."))

    # Backup --------------------------------------------------------------------

    def choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Chọn thư mục sao lưu"), self.backup_folder.text()
        )
        if folder:
            self.backup_folder.setText(folder)

    def back_up_now(self) -> None:
        """Back up into the folder shown (saved or not), off the GUI thread."""
        try:
            chosen = self.chosen_settings().validated()
        except ValidationError as exc:
            self._backup_failed(exc)
            return
        if not chosen.backup_folder:
            show_field_errors(
                self.settings_errors, {"backup_folder": self.tr("Hãy chọn thư mục sao lưu trước.")}
            )
            return
        hide_field_errors(self.settings_errors)
        self.settings_error.hide()
        store, actor = self.services.store, self.services.identity.username
        now, target, keep = (
            self.services.clock.now(),
            Path(chosen.backup_folder),
            chosen.backup_keep,
        )

        def record(made: BackupMade) -> None:
            # The copy took minutes on the backup's own thread; its row is the writer's.
            self.services.runner.write(
                self, lambda: backup.record_made(store, made, actor=actor, at=now)
            ).on_success(lambda _none: self._backed_up(made)).on_failure(self._backup_failed).run()

        self.backup_button.setEnabled(False)
        self.backup_button.setText(self.tr("Đang sao lưu…"))
        self.backup_runner.compute(
            self, lambda: backup.make_backup(store, target, at=now, keep=keep)
        ).on_success(record).on_failure(self._backup_failed).run()

    def _backup_done(self) -> None:
        self.backup_button.setEnabled(True)
        self.backup_button.setText(self.tr("Sao lưu ngay"))

    def _backed_up(self, made: BackupMade) -> None:
        self._backup_done()
        self.message.emit(
            self.tr("Đã sao lưu vào {folder} ({scans} tệp giấy tờ số hóa).").format(
                folder=made.folder, scans=made.scans
            )
        )
        self.backedUp.emit(made)

    def _backup_failed(self, error: Exception) -> None:
        self._backup_done()
        if isinstance(error, ValidationError):  # a setting typed wrong: said beside it
            text = "\n".join(show_field_errors(self.settings_errors, error.errors).values())
        else:
            text = str(error)
        if not text:
            self.backedUp.emit(None)
            return
        self.settings_error.setText(self.tr("Sao lưu không thành công: {error}").format(error=text))
        self.settings_error.show()
        self.backedUp.emit(None)

    # Restore -------------------------------------------------------------------

    def open_preflight(self) -> None:
        """The preflight check (the same as ``counter-app doctor``) in a dialog."""
        from counter_app.paths import resolve_data_dir

        data_dir = self.services.store.data_dir or resolve_data_dir()
        if self.preflight_dialog is None:
            self.preflight_dialog = PreflightDialog(data_dir, self)
        self.preflight_dialog.show()
        self.preflight_dialog.run_checks()

    def choose_restore(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Chọn bản sao lưu cần khôi phục"), self.backup_folder.text()
        )
        if folder:
            self.restore_from(Path(folder))

    def restore_from(self, folder: Path) -> None:
        """Verify ``folder`` off the GUI thread, then ask before scheduling its restore."""
        data_dir = self.services.store.data_dir
        if data_dir is None:
            return
        self.settings_error.hide()
        self.restore_button.setEnabled(False)
        self.restore_button.setText(self.tr("Đang kiểm tra bản sao lưu…"))
        self.backup_runner.compute(
            self, lambda: backup.check_restorable(data_dir, folder)
        ).on_success(lambda manifest: self._ask_to_restore(folder, manifest)).on_failure(
            self._restore_refused
        ).run()

    def _restore_checked(self) -> None:
        self.restore_button.setEnabled(True)
        self.restore_button.setText(self.tr("Khôi phục từ bản sao lưu…"))

    def _restore_refused(self, error: Exception) -> None:
        self._restore_checked()
        self.settings_error.setText(self.tr("Không khôi phục được: {error}").format(error=error))
        self.settings_error.show()

    def _ask_to_restore(self, folder: Path, manifest: dict[str, Any]) -> None:
        self._restore_checked()
        lines = [
            self.tr("Bản sao lưu {folder}").format(folder=folder.name),
            self.tr("Sao lưu lúc: {taken_at}").format(taken_at=manifest.get("created_at")),
            self.tr("Đơn vị: {unit}, máy số {slot}").format(
                unit=manifest.get("unit_code"), slot=manifest.get("device_slot")
            ),
        ]
        if isinstance(manifest.get("dossiers"), int):
            lines.append(self.tr("Số hồ sơ: {count}").format(count=manifest["dossiers"]))
        lines.append(
            self.tr("Giấy tờ số hóa: {count} tệp").format(count=len(manifest.get("scans") or {}))
        )
        lines.append(
            self.tr(
                "Khôi phục sẽ thay cơ sở dữ liệu hiện tại bằng bản sao lưu này (cơ sở dữ liệu "
                "hiện tại được cất lại bên cạnh). Phần mềm sẽ đóng và khôi phục khi mở lại."
            )
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Khôi phục từ bản sao lưu"),
            "\n".join(lines),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("restoreQuestion")
        go = box.addButton(self.tr("Đóng phần mềm và khôi phục"), QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("restoreGo")
        stay = box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("restoreCancel")
        box.setDefaultButton(stay)
        box.buttonClicked.connect(lambda button: self._schedule(folder) if button is go else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "restore_question", None))
        self.restore_question = box
        box.open()

    def _schedule(self, folder: Path) -> None:
        try:
            pending = backup.schedule_restore(
                self.services.store,
                folder,
                actor=self.services.identity.username,
                at=self.services.clock.now(),
            )
        except CounterError as exc:
            self._restore_refused(exc)
            return
        self.restoreScheduled.emit(pending)
