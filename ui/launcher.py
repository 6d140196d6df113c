"""Starts the window: the ``gui`` command that ``counter-app`` runs when given no command."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="mở cửa sổ chương trình (mặc định)")
    gui.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from counter_app.clock import SystemClock
    from counter_app.errors import CounterError
    from counter_app.paths import resolve_data_dir
    from counter_app.store import Store
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow
    from ui.services import CounterServices
    from ui.style import STYLESHEET
    from ui.translations import install_translator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Ward Counter")
    app.setStyleSheet(STYLESHEET)
    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir)
    try:
        services = CounterServices.open(store, SystemClock(), data_dir)
    except CounterError as exc:
        QMessageBox.critical(None, "Ward Counter", str(exc))
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    install_translator(app, services.settings.language)
    login = LoginDialog(services)
    if login.exec() != QDialog.DialogCode.Accepted or login.identity is None:
        return 0
    services.user = login.identity
    window = MainWindow(services)
    window.show()
    code = int(app.exec())
    services.runner.wait()
    return code
