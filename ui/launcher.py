"""Starts the window: the ``gui`` command that ``counter-app`` runs when given no command."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="mở cửa sổ chương trình (mặc định)")
    gui.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from counter_app.clock import SystemClock
    from counter_app.paths import resolve_data_dir
    from counter_app.store import Store
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = Store.open(resolve_data_dir(args.data_dir))
    window = MainWindow(store, SystemClock())
    window.show()
    return int(app.exec())
