"""Errors nothing caught, shown to the clerk: what happened, where the log is, copy the details.

``install`` routes uncaught exceptions (any thread) and Qt's own critical
messages through ``counter_app.logs`` to the log file and then to an
``ErrorDialog`` on the GUI thread. One dialog at a time: an error repeating
(in a paint, a timer) adds to the dialog already open instead of stacking
dozens of windows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app import logs

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: 10,
    QtMsgType.QtInfoMsg: 20,
    QtMsgType.QtWarningMsg: 30,
    QtMsgType.QtCriticalMsg: 40,
    QtMsgType.QtFatalMsg: 50,
}
MAX_ERRORS_SHOWN = 20


class ErrorDialog(QDialog):
    """What went wrong in words, the details for whoever helps, and where the log is."""

    def __init__(self, summary: str, details: str, log_file: Path | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(self.tr("Lỗi không mong đợi"))
        self.log_file = log_file
        self.count = 0
        intro = QLabel(
            self.tr(
                "Chương trình gặp một lỗi không mong đợi. Những gì đã lưu trước đó không bị "
                'mất; hãy làm lại thao tác vừa rồi. Nếu lỗi lặp lại, hãy bấm "Sao chép chi '
                'tiết" và gửi cho quản trị hệ thống.'
            )
        )
        intro.setWordWrap(True)
        self.summary = QLabel(summary)
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        where = (
            self.tr("Nhật ký lỗi: {path}").format(path=log_file)
            if log_file is not None
            else self.tr("Chưa có tệp nhật ký (thư mục dữ liệu chưa được tạo).")
        )
        self.log_label = QLabel(where)
        self.log_label.setObjectName("errorLogPath")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setObjectName("errorDetails")
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            self.tr("Sao chép chi tiết"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setObjectName("copyErrorDetails")
        self.copy_button.clicked.connect(self.copy_details)
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeError")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.add(summary, details)

    def add(self, summary: str, details: str) -> None:
        """One more error while the dialog is open: its details follow the earlier ones."""
        self.count += 1
        if self.count > 1:
            self.summary.setText(
                self.tr("{count} lỗi; lỗi mới nhất: {summary}").format(
                    count=self.count, summary=summary
                )
            )
        if self.count <= MAX_ERRORS_SHOWN:
            self.details.appendPlainText(details)

    def copy_details(self) -> None:
        where = f"\n\nNhật ký: {self.log_file}" if self.log_file is not None else ""
        QGuiApplication.clipboard().setText(self.details.toPlainText() + where)


class ErrorReporter(QObject):
    """Takes errors from any thread and shows them on the GUI thread."""

    reported = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self._in_qt_message = False
        # A queued hop when the error was raised on another thread (AutoConnection).
        self.reported.connect(self.show_error)

    def show_error(self, summary: str, details: str) -> None:
        if self.dialog is not None:
            self.dialog.add(summary, details)
            self.dialog.raise_()
            return
        parent = QApplication.activeWindow()
        self.dialog = ErrorDialog(summary, details, logs.current_log_file(), parent)
        self.dialog.finished.connect(self._closed)
        self.dialog.show()

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        """Qt's own messages go to the log; its critical ones to the clerk as well."""
        level = _QT_LEVELS.get(kind, 30)
        where = f" ({context.file}:{context.line})" if context.file else ""
        logs.log.getChild("qt").log(level, "%s%s", message, where)
        if kind == QtMsgType.QtCriticalMsg and not self._in_qt_message:
            self._in_qt_message = True  # showing the dialog may itself make Qt speak
            try:
                self.reported.emit(message, f"Qt: {message}{where}")
            finally:
                self._in_qt_message = False


def install(app: QApplication) -> Callable[[], None]:
    """Log and show every uncaught error and Qt critical message until the returned call.

    The window's life is the span: what was installed before (the interpreter's,
    a test runner's) is put back by the call returned.
    """
    reporter = ErrorReporter(app)
    restore_hooks = logs.install_hooks(reporter.reported.emit)
    previous = qInstallMessageHandler(reporter.qt_message)

    def uninstall() -> None:
        restore_hooks()
        qInstallMessageHandler(previous)
        reporter.deleteLater()

    return uninstall
