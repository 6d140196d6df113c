"""The administrator's screen: accounts added, locked and reset; settings saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app import auth, backup
from counter_app.clock import FixedClock
from counter_app.errors import AuthenticationFailed
from counter_app.models import AuditEntry
from counter_app.settings import Settings, load_settings, save_settings
from counter_app.store import Store
from tests.support.admin_screen import admin_services, usernames
from tests.support.counter_store import ADMIN_PASSWORD, MONDAY_MORNING, UNIT_CODE
from tests.support.widgets import type_into
from ui.admin_screen import AdminScreen
from ui.main_window import MainWindow
from ui.style import STYLESHEET


def test_add_lock_and_reset_an_account(qtbot: QtBot, store: Store, clock: FixedClock) -> None:
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    qtbot.keyClicks(screen.username, "lan.nt")
    screen.full_name.setText("Nguyễn Thị Lan")
    qtbot.keyClicks(screen.password, "short")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    screen.services.runner.wait()
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
    screen.services.runner.wait()
    assert screen.users.item(1, 3).text() == "Đã khóa"
    with pytest.raises(AuthenticationFailed):
        auth.log_in(store, "lan.nt", "mat-khau-lan", UNIT_CODE, MONDAY_MORNING)

    screen.users.selectRow(0)
    qtbot.keyClicks(screen.new_password, "mat-khau-moi-2")
    qtbot.mouseClick(screen.reset_button, Qt.MouseButton.LeftButton)
    screen.services.runner.wait()
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
    screen.services.runner.wait()
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
    screen.services.runner.wait()
    assert "ít nhất 8 ký tự" in screen.reset_errors["password"].text()
    assert screen.reset_errors["password"].isVisible()
    assert not errors["password"].isVisible(), "the reset's error is not put on the new account"


def test_back_up_now_makes_a_verified_backup_off_the_gui_thread(
    qtbot: QtBot, store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    qtbot.mouseClick(screen.backup_button, Qt.MouseButton.LeftButton)
    assert "Hãy chọn thư mục sao lưu" in screen.settings_errors["backup_folder"].text()

    qtbot.keyClicks(screen.backup_folder, str(tmp_path / "usb"))
    with qtbot.waitSignal(screen.backedUp, timeout=30_000) as done:
        qtbot.mouseClick(screen.backup_button, Qt.MouseButton.LeftButton)
    made = done.args[0]
    assert isinstance(made, backup.BackupMade)
    assert backup.verify_backup(made.folder)["unit_code"] == UNIT_CODE
    assert screen.backup_button.isEnabled()
    with store.read() as session:
        actors = session.execute(
            select(AuditEntry.actor).where(AuditEntry.action == "backup.make")
        ).scalars()
        assert list(actors) == ["admin"]


def test_the_daily_backup_runs_when_the_window_opens_and_once_a_day(
    qtbot: QtBot, store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    assert store.data_dir is not None
    usb = tmp_path / "usb"
    save_settings(store.data_dir, Settings(backup_folder=str(usb), backup_keep=2))
    services = admin_services(store, clock)
    window = MainWindow(services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.daily_backup.finished, timeout=30_000) as first:
        pass
    assert isinstance(first.args[0], backup.BackupMade)
    assert len(backup.backups_in(usb)) == 1

    with qtbot.waitSignal(window.daily_backup.finished, timeout=30_000) as again:
        window.daily_backup.run_if_due()
    assert again.args[0] is None, "today's backup is already there"
    for _ in range(3):
        clock.advance(days=1)
        with qtbot.waitSignal(window.daily_backup.finished, timeout=30_000):
            window.daily_backup.run_if_due()
    assert len(backup.backups_in(usb)) == 2, "retention keeps the newest two"


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
    assert not screen.settings_errors["tax_code"].isHidden(), "beside its field"
    assert "Mã số thuế gồm 10 chữ số" in screen.settings_errors["tax_code"].text()
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
