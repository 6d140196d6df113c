"""The main window: screens by role and a status bar that tells where the counter stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.errors import NotInitialised
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, applicant
from tests.support.main_window import (
    CTRL_SHIFT,
    add_staff,
    click_nav,
    focused,
    nav_titles,
    window_for,
)
from tests.support.reception import request
from tests.support.widgets import show_active, type_into
from ui.admin_screen import AdminScreen
from ui.digitize_screen import DigitizeScreen
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices


def active_window(qtbot: QtBot, store: Store, clock: FixedClock, who: StaffIdentity) -> MainWindow:
    """The window as ``who`` sees it after log-in, shown and active (it has the keyboard)."""
    services = CounterServices.open(store, clock)
    services.user = who
    window = MainWindow(services)
    show_active(qtbot, window)
    return window


def test_status_bar_shows_unit_user_connection_and_waiting_changes(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    ReceptionService(store, clock).receive(request(store), clerk)
    window = window_for(qtbot, store, clock, clerk)
    assert window.unit_label.text() == UNIT_CODE
    assert window.user_label.text() == "Nguyễn Thị Lan · Cán bộ một cửa"
    assert "Chưa đăng ký máy chủ tỉnh" in window.connection_label.text()
    assert window.waiting_label.text() == "1 thay đổi chờ đồng bộ"


def test_each_role_sees_its_own_screens(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    clerk_window = window_for(qtbot, store, clock, clerk)
    assert nav_titles(clerk_window)[0] == "Tiếp nhận"
    assert not clerk_window.pages["reception"].draft_mode  # type: ignore[attr-defined]
    agent = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)
    agent_window = window_for(qtbot, store, clock, agent)
    assert "Tiếp nhận" not in nav_titles(agent_window)
    drafts = agent_window.pages["drafts"]
    assert isinstance(drafts, ReceptionScreen) and drafts.draft_mode


def test_an_uninitialised_directory_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised, match="counter-app init"):
        CounterServices.open(Store.open(tmp_path), FixedClock(MONDAY_MORNING))


def answer(qtbot: QtBot, name: str, button: str) -> None:
    """Click ``button`` of the window-modal question ``name`` that is showing."""

    def asking() -> bool:
        box = QApplication.activeModalWidget()
        return isinstance(box, QMessageBox) and box.objectName() == name

    qtbot.waitUntil(asking)
    box = QApplication.activeModalWidget()
    assert box is not None
    clicked = box.findChild(QPushButton, button)
    assert clicked is not None, button
    qtbot.mouseClick(clicked, Qt.MouseButton.LeftButton)


def test_after_log_in_and_every_screen_switch_the_keyboard_is_in_the_first_field(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    window = active_window(qtbot, store, clock, clerk)
    services = window.services
    reception = window.pages["reception"]
    assert isinstance(reception, ReceptionScreen)
    qtbot.waitUntil(lambda: reception.form.picker.field.hasFocus())
    qtbot.keyClick(focused(), Qt.Key.Key_F3)  # no click first
    assert reception.form.cccd.hasFocus()

    click_nav(qtbot, window, "Hồ sơ")
    qtbot.waitUntil(lambda: window.pages["dossiers"].isAncestorOf(focused()))
    click_nav(qtbot, window, "Tiếp nhận")
    qtbot.waitUntil(lambda: reception.form.picker.field.hasFocus())
    with qtbot.waitSignal(reception.failed, timeout=10_000):  # Ctrl+Enter reaches the form
        qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert reception.form.errors["procedure"].isVisible()

    assert nav_titles(window)[2] == "Số hóa"
    qtbot.keyClick(focused(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    digitize = window.pages["digitize"]
    assert isinstance(digitize, DigitizeScreen)
    qtbot.waitUntil(lambda: digitize.code.hasFocus())
    services.runner.wait()


def test_ctrl_n_asks_before_clearing_a_half_typed_form(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services = CounterServices.open(store, clock)
    services.user = clerk
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    type_into(qtbot, screen.form.full_name, "Trần Thị Mai")
    qtbot.keyClick(screen.form.full_name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, "clearFormQuestion", "clearFormNo")
    assert screen.form.full_name.text() == "Trần Thị Mai", "kept: the clerk said go on"

    qtbot.keyClick(screen.form.full_name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, "clearFormQuestion", "clearFormYes")
    assert screen.form.full_name.text() == ""
    assert screen.form.picker.field.hasFocus()

    qtbot.keyClick(screen.form.picker.field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None, "an empty form is not asked about"


def test_log_out_keeps_the_half_typed_dossier_as_a_draft_and_lets_the_next_user_in(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    add_staff(store)
    window = active_window(qtbot, store, clock, clerk)
    services = window.services
    reception = window.pages["reception"]
    assert isinstance(reception, ReceptionScreen)
    form = reception.form
    type_into(qtbot, form.picker.field, "khai sinh")
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    form.fill_applicant(applicant())

    qtbot.keyClick(form.full_name, Qt.Key.Key_L, CTRL_SHIFT)
    answer(qtbot, "logOutQuestion", "logOutStay")
    assert window.centralWidget().isVisible() and form.full_name.text() == "Trần Thị Mai"

    with qtbot.waitSignal(window.signedOut, timeout=10_000):
        qtbot.keyClick(form.full_name, Qt.Key.Key_L, CTRL_SHIFT)
        answer(qtbot, "logOutQuestion", "logOutSave")
    [(_id, procedure, person, _at)] = services.reception.drafts()
    assert person == "Trần Thị Mai" and "khai sinh" in procedure.lower()
    assert not window.centralWidget().isVisible() and window.isVisible(), "not quit"

    dialog = window.findChild(LoginDialog, "loginDialog")
    assert dialog is not None and dialog.isVisible()
    type_into(qtbot, dialog.username, "hoa.lt")
    type_into(qtbot, dialog.password, "mat-khau-hoa.lt")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.centralWidget().isVisible())
    assert services.identity.username == "hoa.lt"
    assert nav_titles(window)[0] == "Chuẩn bị hồ sơ" and "Tiếp nhận" not in nav_titles(window)
    assert window.user_label.text() == "Lê Thị Hoa · Nhân viên bưu điện"
    drafts = window.pages["drafts"]
    assert isinstance(drafts, ReceptionScreen) and drafts.draft_mode
    qtbot.waitUntil(lambda: drafts.form.picker.field.hasFocus())
    services.runner.wait()


def test_log_out_waits_for_a_backup_still_under_way(
    qtbot: QtBot, store: Store, clock: FixedClock
) -> None:
    import threading

    admin = StaffIdentity("admin", "Quản trị", Role.ADMIN, UNIT_CODE)
    window = active_window(qtbot, store, clock, admin)
    screen = window.pages["admin"]
    assert isinstance(screen, AdminScreen)
    release = threading.Event()
    screen.backup_runner.compute(screen, lambda: release.wait(10)).run()
    qtbot.waitUntil(lambda: screen.backup_runner.busy)

    window.log_out()  # the copy to the USB disk would lose its screen: the window stays

    assert window.centralWidget().isVisible()
    assert "hãy chờ xong" in window.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: not screen.backup_runner.busy)
    with qtbot.waitSignal(window.signedOut, timeout=10_000):
        window.log_out()


def test_an_error_stays_on_screen_until_read_and_goes_to_the_log(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    from counter_app import logs

    assert store.data_dir is not None
    log_file = logs.set_up(store.data_dir)
    assert log_file is not None
    window = window_for(qtbot, store, clock, clerk)
    assert not window.errors_button.isVisible()

    window.print_form("receipt", "000.00.11.H57-261116-9999")  # no such dossier
    qtbot.waitUntil(lambda: window.errors_button.isVisible(), timeout=10_000)
    window.open_dossier("000.00.11.H57-261116-9998")

    assert window.errors_button.text() == "⚠ 2 lỗi"
    assert "9998" in window.statusBar().currentMessage()
    logged = log_file.read_text(encoding="utf-8")
    assert "WARNING ui.main_window" in logged and "Không in được" in logged and "9998" in logged

    window.errors_button.click()

    box = window.findChild(QMessageBox, "recentErrors")
    assert box is not None and box.isVisible()
    assert "Không in được" in box.text() and "9998" in box.text()
    assert str(log_file) in box.informativeText()
    assert not window.errors_button.isVisible() and window.errors == []
    box.close()
