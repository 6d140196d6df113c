"""First run in the window: set this counter up, or enrol it with the province's code.

Shown by the launcher instead of a refusal when the data directory was never
set up. The rules are the services' (``installation.set_up``, the same checks
as ``counter-app init``; ``commands.set_up_by_enrolment``); the dialog only
gathers the fields, shows every error beside its field at once, and runs the
slow part (Argon2 hashing, migrations, the HTTP enrolment) on the writer of an
``ui.operations.Operations`` of its own (there is no store, hence no window, yet).
Nothing is created until the person confirms and every field is right.

A province's config file found at first start (``counter_app.provisioning``)
fills the fields in (``use_config``), and its settings are written once the
counter is set up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import provisioning
from counter_app.clock import SystemClock
from counter_app.errors import CounterError, ValidationError
from counter_app.installation import CounterContext, FirstAdmin, set_up
from counter_app.models import new_id
from sync.client.commands import set_up_by_enrolment
from sync.client.errors import RequestRejected, SyncError
from ui.field_errors import hide_field_errors, show_field_errors, with_error_line
from ui.operations import Operations

DEFAULT_ADMIN_NAME = "Quản trị hệ thống"  # as ``counter-app init --admin-name``


class _AdminFields:
    """The first administrator's fields; each tab has its own (a counter needs an admin)."""

    def __init__(self) -> None:
        self.username = QLineEdit("admin")
        self.username.setObjectName("adminUsername")
        self.full_name = QLineEdit(DEFAULT_ADMIN_NAME)
        self.full_name.setObjectName("adminFullName")
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("adminPasswordAgain")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)

    def admin(self) -> FirstAdmin:
        return FirstAdmin(
            self.username.text(),
            self.full_name.text(),
            self.password.text(),
            self.password_again.text(),
        )


class SetupDialog(QDialog):
    """Two ways to set up: by hand, or from the province. ``context`` is set on success."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.context: CounterContext | None = None
        # One device for every try: a retry after a lost answer may redeem the same code.
        self.device_id = new_id()
        self.runner = Operations(self, compute_threads=1)
        self.provisioning: provisioning.Provisioning | None = None
        self.setWindowTitle(self.tr("Thiết lập máy quầy — Một cửa"))
        self.setMinimumWidth(640)  # an error line beside a field wraps less, clips never

        title = QLabel(self.tr("Máy này chưa được thiết lập"))
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        where = QLabel(self.tr("Thư mục dữ liệu: {path}").format(path=data_dir))
        where.setWordWrap(True)

        self.new_labels: dict[str, QLabel] = {}
        new_tab = QWidget()
        new_form = QFormLayout(new_tab)
        self.unit_code = QLineEdit()
        self.unit_code.setObjectName("unitCode")
        self.unit_code.setPlaceholderText("000.00.11.H57")
        self.unit_name = QLineEdit()
        self.unit_name.setObjectName("unitName")
        self.slot = QSpinBox()
        self.slot.setObjectName("deviceSlot")
        self.slot.setRange(1, 9)
        new_form.addRow(
            self.tr("Mã định danh đơn vị"),
            with_error_line(self.unit_code, "unit_code", self.new_labels),
        )
        new_form.addRow(
            self.tr("Tên đơn vị"), with_error_line(self.unit_name, "unit_name", self.new_labels)
        )
        new_form.addRow(
            self.tr("Số máy quầy"), with_error_line(self.slot, "device_slot", self.new_labels)
        )
        self.new_admin = self._admin_rows(new_form, self.new_labels)

        self.enrol_labels: dict[str, QLabel] = {}
        enrol_tab = QWidget()
        enrol_form = QFormLayout(enrol_tab)
        hint = QLabel(
            self.tr(
                "Mã đăng ký một lần do quản trị tỉnh cấp cho máy này; "
                "tên, mã đơn vị và số máy lấy từ máy chủ tỉnh."
            )
        )
        hint.setWordWrap(True)
        enrol_form.addRow(hint)
        self.server = QLineEdit()
        self.server.setObjectName("serverUrl")
        self.server.setPlaceholderText("https://motcua.tinh.gov.vn")
        self.code = QLineEdit()
        self.code.setObjectName("enrolmentCode")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        enrol_form.addRow(
            self.tr("Địa chỉ máy chủ tỉnh"),
            with_error_line(self.server, "server", self.enrol_labels),
        )
        enrol_form.addRow(
            self.tr("Mã đăng ký một lần"), with_error_line(self.code, "code", self.enrol_labels)
        )
        self.enrol_admin = self._admin_rows(enrol_form, self.enrol_labels)

        self.tabs = QTabWidget()
        self.tabs.addTab(new_tab, self.tr("Thiết lập máy mới"))
        self.tabs.addTab(enrol_tab, self.tr("Đăng ký với máy chủ tỉnh"))

        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no end known: a moving bar while the work runs
        self.busy.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setText(self.tr("Thiết lập"))
        self.confirm.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Thoát"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.runner.busyChanged.connect(self._busy)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(where)
        self.config_note = QLabel()
        self.config_note.setObjectName("configNote")
        self.config_note.setWordWrap(True)
        self.config_note.hide()
        layout.addWidget(self.config_note)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.unit_code.setFocus()

    def use_config(self, found: provisioning.Provisioning) -> None:
        """Fill in what the province's file says; its settings are saved after setup."""
        self.provisioning = found
        if found.unit_code is not None:
            self.unit_code.setText(found.unit_code)
        if found.unit_name is not None:
            self.unit_name.setText(found.unit_name)
        if found.device_slot is not None:
            self.slot.setValue(found.device_slot)
        if found.server_url is not None:
            self.server.setText(found.server_url)
            self.tabs.setCurrentIndex(1)
            self.code.setFocus()
        if found.enrol_code is not None:
            self.code.setText(found.enrol_code)
        for admin in (self.new_admin, self.enrol_admin):
            admin.username.setText(found.admin_username)
            admin.full_name.setText(found.admin_full_name)
        self.config_note.setText(
            self.tr("Đã điền sẵn từ tệp cấu hình {path}.").format(path=found.source)
        )
        self.config_note.show()

    def config_refused(self, error: ValidationError) -> None:
        """A config file was found but is wrong: say so; the fields stay for typing."""
        lines = [f"{key}: {message}" for key, message in error.errors.items()]
        self._show_error(
            self.tr("Tệp cấu hình không dùng được, hãy sửa tệp hoặc nhập tay:")
            + "\n"
            + "\n".join(lines)
        )

    def _admin_rows(self, form: QFormLayout, labels: dict[str, QLabel]) -> _AdminFields:
        fields = _AdminFields()
        form.addRow(
            self.tr("Tên đăng nhập quản trị"), with_error_line(fields.username, "username", labels)
        )
        form.addRow(
            self.tr("Họ và tên quản trị"), with_error_line(fields.full_name, "full_name", labels)
        )
        form.addRow(self.tr("Mật khẩu"), with_error_line(fields.password, "password", labels))
        form.addRow(
            self.tr("Nhập lại mật khẩu"),
            with_error_line(fields.password_again, "password_again", labels),
        )
        return fields

    def submit(self) -> None:
        if self.runner.busy:
            return
        hide_field_errors(self.new_labels)
        hide_field_errors(self.enrol_labels)
        self.error.hide()
        data_dir, at, config = self.data_dir, SystemClock().now(), self.provisioning
        work: Callable[[], CounterContext]
        if self.tabs.currentIndex() == 0:
            unit_code, unit_name = self.unit_code.text(), self.unit_name.text()
            slot, admin = self.slot.value(), self.new_admin.admin()

            def work() -> CounterContext:
                return _with_config(
                    config,
                    data_dir,
                    lambda: set_up(
                        data_dir,
                        unit_code=unit_code,
                        unit_name=unit_name,
                        slot=slot,
                        admin=admin,
                        at=at,
                    ),
                )
        else:
            server, code, admin = self.server.text(), self.code.text(), self.enrol_admin.admin()
            device_id = self.device_id

            def work() -> CounterContext:
                return _with_config(
                    config,
                    data_dir,
                    lambda: set_up_by_enrolment(
                        data_dir, server=server, code=code, admin=admin, at=at, device_id=device_id
                    ),
                )

        self.runner.write(self, work).on_success(self._done).on_failure(self._failed).run()

    def _done(self, context: CounterContext) -> None:
        self.context = context
        self.accept()

    def _failed(self, exc: Exception) -> None:
        labels = self.new_labels if self.tabs.currentIndex() == 0 else self.enrol_labels
        if isinstance(exc, ValidationError):
            unplaced = show_field_errors(labels, exc.errors)
            if unplaced:
                self._show_error(" ".join(unplaced.values()))
        elif isinstance(exc, RequestRejected):
            show_field_errors(labels, {"code": str(exc)})  # the code was refused
        elif isinstance(exc, SyncError):
            show_field_errors(labels, {"server": str(exc)})
        elif isinstance(exc, CounterError | OSError):
            self._show_error(str(exc))
        else:
            self._show_error(self.tr("Không thiết lập được máy: {error}").format(error=exc))

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.confirm.setEnabled(not busy)
        self.tabs.setEnabled(not busy)

    def reject(self) -> None:
        if self.runner.busy:
            return  # half a setup is not left behind: the work finishes first
        super().reject()


def _with_config(
    config: provisioning.Provisioning | None,
    data_dir: Path,
    set_up_counter: Callable[[], CounterContext],
) -> CounterContext:
    """Set up, with the config file's scanner folder made first and its settings after."""
    if config is not None:
        provisioning.prepare_folders(config)
    context = set_up_counter()
    if config is not None:
        provisioning.apply_settings(data_dir, config)
    return context
