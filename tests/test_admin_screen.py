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
    assert "ít nhất 8 ký tự" in screen.user_error.text()
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


def test_the_receipt_book_is_set_on_the_admin_screen(
    qtbot: QtBot, store: Store, clock: FixedClock
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: form symbol, series and the
    # collecting body's tax code are printed; electronic receipts come from a provider.
    services = admin_services(store, clock)
    window = MainWindow(services)
    qtbot.addWidget(window)
    screen = window.pages["admin"]
    assert isinstance(screen, AdminScreen)
    qtbot.keyClicks(screen.receipt_form_symbol, "01blp0-001")
    qtbot.keyClicks(screen.receipt_series, "AA-25P")
    qtbot.keyClicks(screen.tax_code, "28012")
    screen.save_settings()
    assert not screen.settings_error.isHidden()
    assert "Mã số thuế gồm 10 chữ số" in screen.settings_error.text()
    qtbot.keyClicks(screen.tax_code, "34567")
    screen.receipt_mode.setCurrentIndex(screen.receipt_mode.findData("electronic"))
    with qtbot.waitSignal(screen.settingsSaved):
        screen.save_settings()
    assert store.data_dir is not None
    saved = load_settings(Path(store.data_dir))
    assert (saved.receipt_form_symbol, saved.receipt_series, saved.tax_code) == (
        "01BLP0-001",
        "AA-25P",
        "2801234567",
    )
    assert saved.receipt_mode == "electronic" and services.settings.receipt_mode == "electronic"
    services.runner.wait()
