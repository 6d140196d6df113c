"""Starts the window: the ``gui`` command that ``counter-app`` runs when given no command.

A restore the administrator scheduled on the Quản trị screen
(``counter_app.backup.schedule_restore``) is done here, before the store is
opened, because nothing may hold the store while it is replaced.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from counter_app.backup import PendingRestore, Restored
    from ui.login_dialog import LoginDialog
    from ui.services import CounterServices
    from ui.setup_dialog import SetupDialog


APP_NAME = "Một cửa"  # as the window titles name the application


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="mở cửa sổ chương trình (mặc định)")
    gui.set_defaults(handler=run)
    # The preflight check reports on the window's needs first (Qt, fonts, printer). Only
    # declared here: building the parser (every command) imports nothing more of ui.
    doctor = commands.add_parser(
        "doctor",
        help="kiểm tra máy trước khi dùng: thư viện cửa sổ, phông chữ, máy in, thư mục, "
        "máy chủ tỉnh, đồng hồ…",
    )
    doctor.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    doctor.add_argument(
        "--server", help="địa chỉ máy chủ tỉnh cần thử (mặc định: máy chủ máy này đã đăng ký)"
    )
    doctor.add_argument("--strict", action="store_true", help="trả mã lỗi 1 cả khi chỉ có cảnh báo")
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from ui.doctor_cli import cmd_doctor

    return cmd_doctor(args)


def prepare(data_dir_option: str | None) -> tuple[QApplication, CounterServices, LoginDialog]:
    """Everything up to the log-in dialog (not yet shown): what a cold start costs.

    Raises CounterError when the data directory cannot serve a counter yet
    (``NotInitialised`` when it was never set up: see ``first_run``).
    """
    from counter_app import backup
    from counter_app.clock import SystemClock
    from counter_app.errors import CounterError
    from counter_app.paths import resolve_data_dir
    from counter_app.store import Store
    from ui.login_dialog import LoginDialog
    from ui.services import CounterServices
    from ui.translations import install_translator

    app = application()
    data_dir = resolve_data_dir(data_dir_option)
    # A restore chosen on the Quản trị screen runs now, before anything holds the store.
    outcome: tuple[PendingRestore, Restored] | CounterError | None
    try:
        outcome = backup.run_pending_restore(data_dir, at=SystemClock().now())
    except CounterError as exc:
        outcome = exc
    store = Store.open(data_dir, create=False)
    try:
        services = CounterServices.open(store, SystemClock(), data_dir)
    except CounterError:
        store.close()  # a store left by an init that failed: the setup dialog opens its own
        raise
    install_translator(app, services.settings.language)
    if outcome is not None:
        restore_outcome_box(outcome).exec()
    return app, services, LoginDialog(services)


def application() -> QApplication:
    """The application in the counter's language until the settings say otherwise.

    Qt's own file dialog is used on every system: a native one speaks the
    operating system's language (often English on a ward's PC) and not the
    language chosen in the settings.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.style import STYLESHEET
    from ui.translations import install_translator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    # The title of a box or dialog that names none, so never English.
    app.setApplicationName(APP_NAME)
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    app.setStyleSheet(STYLESHEET)
    install_translator(app, "vi")
    return app


def first_run(data_dir_option: str | None) -> SetupDialog:
    """The setup dialog for a data directory never set up (nothing made until it is confirmed)."""
    from counter_app.paths import resolve_data_dir
    from ui.setup_dialog import SetupDialog

    application()  # no settings yet: the counter's own language, Vietnamese
    dialog = SetupDialog(resolve_data_dir(data_dir_option))
    _fill_from_config(dialog)
    return dialog


def _fill_from_config(dialog: SetupDialog) -> None:
    """A province's config file at a documented place fills the setup dialog in."""
    import os

    from counter_app import provisioning
    from counter_app.errors import ValidationError

    path = provisioning.find_config_file()
    if path is None:
        return
    try:
        found = provisioning.load(
            path, enrol_code=os.environ.get(provisioning.ENV_ENROL_CODE), complete=False
        )
    except ValidationError as exc:
        dialog.config_refused(exc)
        return
    dialog.use_config(found)


def restore_outcome_box(outcome: tuple[PendingRestore, Restored] | Exception) -> QMessageBox:
    """What the scheduled restore did, for the administrator who chose it."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    if isinstance(outcome, Exception):
        icon = QMessageBox.Icon.Critical
        text = QCoreApplication.translate(
            "Launcher",
            "Không khôi phục được từ bản sao lưu: {error}\n\nCơ sở dữ liệu hiện tại được giữ "
            "nguyên; có thể chọn lại bản sao lưu ở màn hình Quản trị.",
        ).format(error=outcome)
    else:
        pending, restored = outcome
        icon = QMessageBox.Icon.Information
        lines = [
            QCoreApplication.translate(
                "Launcher", "Đã khôi phục từ {folder} (sao lưu lúc {taken_at})."
            ).format(folder=pending.folder.name, taken_at=restored.backup_taken_at)
        ]
        if restored.kept_aside is not None:
            lines.append(
                QCoreApplication.translate(
                    "Launcher", "Cơ sở dữ liệu trước khi khôi phục được giữ lại: {path}"
                ).format(path=restored.kept_aside)
            )
        if restored.unsent_left_behind:
            lines.append(
                QCoreApplication.translate(
                    "Launcher",
                    "Chú ý: cơ sở dữ liệu cũ còn {count} thay đổi chưa gửi lên máy chủ tỉnh; "
                    "chúng chỉ còn trong tệp được giữ lại ở trên.",
                ).format(count=restored.unsent_left_behind)
            )
        lines.append(
            QCoreApplication.translate(
                "Launcher",
                "Hồ sơ tiếp nhận sau thời điểm sao lưu sẽ được lấy lại từ máy chủ tỉnh ở lần "
                "đồng bộ tới; mã hồ sơ đã cấp không bị cấp lại.",
            )
        )
        text = "\n\n".join(lines)
    box = QMessageBox(
        icon, QCoreApplication.translate("Launcher", "Khôi phục từ bản sao lưu"), text
    )
    box.setObjectName("restoreOutcome")
    return box


def run(args: argparse.Namespace) -> int:
    from ui.window_libraries import window_problem

    problem = window_problem()
    if problem is not None:
        # Before any QApplication: without these libraries Qt aborts the process.
        print(f"Lỗi: {problem}", file=sys.stderr)
        return 2

    from ui import crash_dialog

    uninstall = crash_dialog.install(application())
    try:
        return _run_window(args)
    finally:
        uninstall()


def _run_window(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from counter_app.errors import CounterError, NotInitialised

    try:
        try:
            app, services, login = prepare(args.data_dir)
        except NotInitialised:
            if first_run(args.data_dir).exec() != QDialog.DialogCode.Accepted:
                return 0
            app, services, login = prepare(args.data_dir)
    except CounterError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    from ui import startup_mark

    if startup_mark.wanted():
        startup_mark.mark_first_paint(login)
    if login.exec() != QDialog.DialogCode.Accepted or login.identity is None:
        return 0
    # Loaded only after log-in, so the dialog shows before every screen's module loads.
    from sync.client import credentials
    from sync.client.worker import SyncWorker
    from ui.main_window import MainWindow

    services.user = login.identity
    window = MainWindow(services)
    # Enrolled is enough to start: a token lost from the keyring is the worker's to report.
    data_dir = services.store.data_dir
    if data_dir is not None and credentials.credentials_path(data_dir).exists():
        window.start_sync(SyncWorker(services.store, data_dir))
    window.show()
    code = int(app.exec())
    services.runner.wait()
    return code
