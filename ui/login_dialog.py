"""The log-in dialog: staff of this unit only; five wrong passwords lock the account.

Checking the password (Argon2, a deliberate fraction of a second) and counting
wrong ones write to the store, so the check runs on the store's writer
(``ui.operations``) and the dialog stays live meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.auth import StaffIdentity, log_in
from counter_app.errors import AuthenticationFailed
from ui.services import CounterServices


class LoginDialog(QDialog):
    """Asks for user name and password. Signals: loggedIn(object) with the StaffIdentity.

    With ``locked_user`` it unlocks an idle window: only that user may continue.
    """

    loggedIn = Signal(object)

    def __init__(
        self,
        services: CounterServices,
        locked_user: StaffIdentity | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.locked_user = locked_user
        self.identity: StaffIdentity | None = None
        self.setWindowTitle(self.tr("Đăng nhập — Một cửa"))
        self.setMinimumWidth(380)

        title = QLabel(services.context.unit_name)
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle = QLabel(
            self.tr("Máy bị khóa do không sử dụng. Nhập mật khẩu để tiếp tục.")
            if locked_user
            else self.tr("Bộ phận tiếp nhận và trả kết quả · máy số {slot}").format(
                slot=services.context.slot
            )
        )
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle.setWordWrap(True)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("tên đăng nhập"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if locked_user:
            self.username.setText(locked_user.username)
            self.username.setEnabled(False)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in = sign_in = buttons.button(QDialogButtonBox.StandardButton.Ok)
        sign_in.setText(self.tr("Đăng nhập"))
        sign_in.setObjectName("primary")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Thoát"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if locked_user else self.username).setFocus()

    def submit(self) -> None:
        if not self.sign_in.isEnabled():
            return  # a check is under way
        services = self.services
        store, unit, now = services.store, services.context.unit_code, services.clock.now()
        username, password = self.username.text(), self.password.text()
        self.sign_in.setEnabled(False)
        services.runner.write(
            self, lambda: log_in(store, username, password, unit, now)
        ).on_success(self._checked).on_failure(self._refused).run()

    def _refused(self, exc: Exception) -> None:
        self.sign_in.setEnabled(True)
        if isinstance(exc, AuthenticationFailed):
            self.show_error(str(exc))
        else:
            self.show_error(self.services.runner.describe(exc))

    def _checked(self, identity: StaffIdentity) -> None:
        self.sign_in.setEnabled(True)
        if self.locked_user and identity.username != self.locked_user.username:
            self.show_error(self.tr("Chỉ người đang dùng máy mới mở khóa được."))
            return
        self.identity = identity
        self.loggedIn.emit(identity)
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()
