"""Driving the main window: navigation, keys, staff."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from counter_app import auth
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.store import Store
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE
from ui.main_window import MainWindow
from ui.services import CounterServices

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def nav_titles(window: MainWindow) -> list[str]:
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def add_staff(store: Store) -> None:
    with store.write() as session:
        for username, name, role in (
            ("lan.nt", "Nguyễn Thị Lan", "clerk"),
            ("hoa.lt", "Lê Thị Hoa", "postal_agent"),
        ):
            auth.add_user(
                session, username=username, full_name=name, role=role,
                password=f"mat-khau-{username}", unit_code=UNIT_CODE, at=MONDAY_MORNING,
            )  # fmt: skip


def click_nav(qtbot: QtBot, window: MainWindow, title: str) -> None:
    row = nav_titles(window).index(title)
    rect = window.navigation.visualItemRect(window.navigation.item(row))
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the keyboard is somewhere"
    return widget


def window_for(qtbot: QtBot, store: Store, clock: FixedClock, who: StaffIdentity) -> MainWindow:
    services = CounterServices.open(store, clock)
    services.user = who
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    return window
