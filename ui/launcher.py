"""Starts the window: the ``gui`` command that ``counter-app`` runs when given no command."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.login_dialog import LoginDialog
    from ui.services import CounterServices


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="mở cửa sổ chương trình (mặc định)")
    gui.set_defaults(handler=run)


def prepare(data_dir_option: str | None) -> tuple[QApplication, CounterServices, LoginDialog]:
    """Everything up to the log-in dialog (not yet shown): what a cold start costs.

    Raises CounterError when the data directory cannot serve a counter yet.
    """
    from PySide6.QtWidgets import QApplication

    from counter_app.clock import SystemClock
    from counter_app.paths import resolve_data_dir
    from counter_app.store import Store
    from ui.login_dialog import LoginDialog
    from ui.services import CounterServices
    from ui.style import STYLESHEET
    from ui.translations import install_translator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Ward Counter")
    app.setStyleSheet(STYLESHEET)
    data_dir = resolve_data_dir(data_dir_option)
    store = Store.open(data_dir, create=False)
    services = CounterServices.open(store, SystemClock(), data_dir)
    install_translator(app, services.settings.language)
    return app, services, LoginDialog(services)


def run(args: argparse.Namespace) -> int:
    from ui.window_libraries import window_problem

    problem = window_problem()
    if problem is not None:
        # Before any QApplication: without these libraries Qt aborts the process.
        print(f"Lỗi: {problem}", file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QDialog, QMessageBox

    from counter_app.errors import CounterError

    try:
        app, services, login = prepare(args.data_dir)
    except CounterError as exc:
        QMessageBox.critical(None, "Ward Counter", str(exc))
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
