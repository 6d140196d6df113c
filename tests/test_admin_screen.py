"""The administrator's screen: accounts added, locked and reset; settings saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app import auth
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.errors import AuthenticationFailed
from counter_app.settings import load_settings
from counter_app.store import Store
from tests.conftest import ADMIN_PASSWORD, MONDAY_MORNING, UNIT_CODE
from tests.test_reception_screen import type_into
from ui.admin_screen import AdminScreen
from ui.main_window import MainWindow
from ui.services import CounterServices
from ui.style import STYLESHEET


def admin_services(store: Store, clock: FixedClock) -> CounterServices:
    services = CounterServices.open(store, clock, store.data_dir)
    services.user = StaffIdentity("admin", "Quản trị hệ thống", Role.ADMIN, UNIT_CODE)
    return services


def usernames(screen: AdminScreen) -> list[str]:
    return [screen.users.item(row, 0).text() for row in range(screen.users.rowCount())]


def test_add_lock_and_reset_an_account(qtbot: QtBot, store: Store, clock: FixedClock) -> None:
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    qtbot.keyClicks(screen.username, "lan.nt")
    screen.full_name.setText("Nguyễn Thị Lan")
    qtbot.keyClicks(screen.password, "short")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert "ít nhất 8 ký tự" in screen.user_errors["password"].text()
    assert screen.username.text() == "lan.nt", "nothing typed is lost"

    screen.password.setText("mat-khau-lan")
    with qtbot.waitSignal(screen.message):
        qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert usernames(screen) == ["admin", "lan.nt"]
    assert auth.log_in(store, "lan.nt", "mat-khau-lan", UNIT_CODE, MONDAY_MORNING).role == "clerk"
    screen.setStyleSheet(STYLESHEET)  # the counter's fonts and paddings
    screen.resize(900, 700)
    screen.show()
    heading = screen.users.horizontalHeader()
    for column in (0, 2, 3):  # the name column stretches; the others fit what they hold
        needed = max(heading.sectionSizeHint(column), screen.users.sizeHintForColumn(column))
        assert screen.users.columnWidth(column) >= needed, column

    screen.users.selectRow(1)
    qtbot.mouseClick(screen.toggle_button, Qt.MouseButton.LeftButton)
    assert screen.users.item(1, 3).text() == "Đã khóa"
    with pytest.raises(AuthenticationFailed):
        auth.log_in(store, "lan.nt", "mat-khau-lan", UNIT_CODE, MONDAY_MORNING)

    screen.users.selectRow(0)
    qtbot.keyClicks(screen.new_password, "mat-khau-moi-2")
    qtbot.mouseClick(screen.reset_button, Qt.MouseButton.LeftButton)
    assert auth.log_in(store, "admin", "mat-khau-moi-2", UNIT_CODE, MONDAY_MORNING)
    with pytest.raises(AuthenticationFailed):
        auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, MONDAY_MORNING)


def test_settings_are_saved_beside_the_store_and_take_effect(
    qtbot: QtBot, store: Store, clock: FixedClock
) -> None:
    services = admin_services(store, clock)
    window = MainWindow(services)
    qtbot.addWidget(window)
    screen = window.pages["admin"]
    assert isinstance(screen, AdminScreen)
    screen.idle_minutes.setValue(3)
    screen.paper.setCurrentText("A4")
    screen.language.setCurrentIndex(screen.language.findData("en"))
    screen.place_name.setText("Hạc Thành")
    with qtbot.waitSignal(screen.settingsSaved):
        screen.save_settings()
    assert store.data_dir is not None
    saved = load_settings(Path(store.data_dir))
    assert (saved.idle_lock_minutes, saved.paper, saved.language, saved.place_name) == (
        3,
        "A4",
        "en",
        "Hạc Thành",
    )
    assert window.idle.timeout_ms == 3 * 60_000
    assert services.settings.paper == "A4"
    services.runner.wait()


def test_account_errors_stand_beside_their_fields_and_clear_one_by_one(
    qtbot: QtBot, store: Store, clock: FixedClock
) -> None:
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.username, "Lan NT")
    qtbot.keyClicks(screen.password, "short")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    errors = screen.user_errors
    shown = {key for key, label in errors.items() if label.isVisible()}
    assert shown == {"username", "full_name", "password"}, "all in one round"
    assert "chữ không dấu" in errors["username"].text()
    assert errors["full_name"].text() == "Chưa nhập họ và tên."
    assert not screen.user_error.isVisible(), "nothing is left over for a line at the bottom"
    for key, field in (("username", screen.username), ("full_name", screen.full_name)):
        # each error sits right under its own field
        assert errors[key].parentWidget() is field.parentWidget()

    type_into(qtbot, screen.full_name, "Nguyễn Thị Lan")
    assert not errors["full_name"].isVisible()
    assert errors["username"].isVisible() and errors["password"].isVisible()
    screen.username.clear()
    qtbot.keyClicks(screen.username, "lan.nt")
    assert not errors["username"].isVisible() and errors["password"].isVisible()

    screen.users.selectRow(0)
    qtbot.keyClicks(screen.new_password, "ngan")
    qtbot.mouseClick(screen.reset_button, Qt.MouseButton.LeftButton)
    assert "ít nhất 8 ký tự" in screen.reset_errors["password"].text()
    assert screen.reset_errors["password"].isVisible()
    assert not errors["password"].isVisible(), "the reset's error is not put on the new account"
