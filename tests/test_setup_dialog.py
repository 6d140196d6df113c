"""First run in the window: the setup dialog instead of a refusal, and what it leaves behind."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from counter_app.installation import load_context
from counter_app.store import Store
from sync import protocol
from sync.client import credentials
from sync.client.commands import redeem
from sync.server import admin as server_admin
from tests.support.server import ThreadedServer
from ui import launcher
from ui.login_dialog import LoginDialog
from ui.setup_dialog import SetupDialog

pytest_plugins = ["tests.support.sync_fixtures"]

PASSWORD = "mat-khau-quan-tri"
PROVINCE_UNIT = "H57.123.45"  # the newer shape of unit code is as good as the old


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def fill_admin(qtbot: QtBot, dialog: SetupDialog, tab: int, password: str, again: str) -> None:
    page = dialog.tabs.widget(tab)
    qtbot.keyClicks(page.findChild(QLineEdit, "adminPassword"), password)
    qtbot.keyClicks(page.findChild(QLineEdit, "adminPasswordAgain"), again)


def confirm(qtbot: QtBot, dialog: SetupDialog) -> None:
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=30_000)


def log_in(qtbot: QtBot, data_dir: Path) -> LoginDialog:
    _, services, login = launcher.prepare(str(data_dir))
    qtbot.addWidget(login)
    qtbot.keyClicks(login.username, "admin")
    qtbot.keyClicks(login.password, PASSWORD)
    sign_in = login.findChild(QPushButton, "primary")
    qtbot.mouseClick(sign_in, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert login.identity is not None, login.error.text()
    services.store.close()
    return login


def test_the_window_on_a_data_directory_never_set_up_offers_setup(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: refusals.append(str(args)))
    shown: list[QDialog] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        shown.append(dialog)
        dialog.reject()

    QTimer.singleShot(0, cancel)
    status = launcher.run(argparse.Namespace(data_dir=str(tmp_path / "never")))

    assert status == 0
    assert len(shown) == 1 and isinstance(shown[0], SetupDialog)
    assert refusals == [], "no message telling to run a command line"
    assert listing(tmp_path) == [], "cancelled: nothing created"


def test_setting_up_by_hand_then_the_admin_logs_in(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "counter"
    dialog = launcher.first_run(str(data_dir))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.unit_code, "000.00.11.H57")
    dialog.unit_name.setText("UBND phường Ba Đình")  # keyClicks types ASCII only
    dialog.slot.setValue(3)
    fill_admin(qtbot, dialog, 0, PASSWORD, PASSWORD)

    confirm(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    store = Store.open(data_dir, create=False)
    with store.read() as session:
        context = load_context(session)
    store.close()
    assert (context.unit_code, context.unit_name, context.slot) == (
        "000.00.11.H57",
        "UBND phường Ba Đình",
        3,
    )
    login = log_in(qtbot, data_dir)
    assert login.identity is not None and login.identity.role == "admin"


def test_every_mistake_is_shown_beside_its_field_and_nothing_is_made(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data_dir = tmp_path / "counter"
    dialog = launcher.first_run(str(data_dir))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.unit_code, "H57-sai")
    dialog.unit_name.setText("UBND xã Tân Lập")
    fill_admin(qtbot, dialog, 0, "ngan", "khac")

    confirm(qtbot, dialog)

    assert dialog.result() != QDialog.DialogCode.Accepted
    shown = {key: label.text() for key, label in dialog.new_labels.items() if label.isVisible()}
    assert set(shown) == {"unit_code", "password"}, shown
    assert "Mật khẩu cần ít nhất 8 ký tự" in shown["password"]
    assert listing(tmp_path) == [], "nothing created"
    assert dialog.unit_code.text() == "H57-sai", "nothing typed is lost"
    assert dialog.unit_name.text() == "UBND xã Tân Lập"

    dialog.new_admin.password.setText(PASSWORD)
    assert not dialog.new_labels["password"].isVisible(), "an error clears as it is fixed"
    dialog.new_admin.password_again.setText("khac-hoan-toan")
    confirm(qtbot, dialog)
    shown = {key: label.text() for key, label in dialog.new_labels.items() if label.isVisible()}
    assert shown == {
        "unit_code": shown["unit_code"],
        "password_again": "Mật khẩu nhập lại không khớp.",
    }
    assert listing(tmp_path) == []


def test_enrolling_with_the_provinces_code_brings_the_units_details(
    qtbot: QtBot, tmp_path: Path, province: ThreadedServer
) -> None:
    code = server_admin.enrol(
        province.database, unit_code=PROVINCE_UNIT, unit_name="UBND xã Hòa Bình", slot=2
    )
    data_dir = tmp_path / "counter"
    dialog = launcher.first_run(str(data_dir))
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.server, province.url)
    qtbot.keyClicks(dialog.code, "AAAA-BBBB-CCCC")
    fill_admin(qtbot, dialog, 1, PASSWORD, PASSWORD)

    confirm(qtbot, dialog)  # a code the province never gave

    assert dialog.enrol_labels["code"].text().startswith("Mã đăng ký không đúng")
    assert not (data_dir / "counter.sqlite3").exists(), "refused: no store made"
    dialog.code.setText(code)
    confirm(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    store = Store.open(data_dir, create=False)
    with store.read() as session:
        context = load_context(session)
    store.close()
    assert (context.unit_code, context.unit_name, context.slot) == (
        PROVINCE_UNIT,
        "UBND xã Hòa Bình",
        2,
    )
    enrolment = credentials.load(data_dir)
    assert enrolment is not None and enrolment.server_url == province.url
    assert (enrolment.unit_code, enrolment.device_slot) == (PROVINCE_UNIT, 2)
    log_in(qtbot, data_dir)


def test_a_try_whose_answer_was_lost_is_asked_again_by_the_same_device(
    qtbot: QtBot, tmp_path: Path, province: ThreadedServer
) -> None:
    code = server_admin.enrol(
        province.database, unit_code=PROVINCE_UNIT, unit_name="UBND xã Hòa Bình", slot=2
    )
    data_dir = tmp_path / "counter"
    dialog = launcher.first_run(str(data_dir))
    qtbot.addWidget(dialog)
    # An earlier try of this dialog reached the province, and its answer was lost.
    redeem(province.url, protocol.EnrolRequest(code=code, device_id=dialog.device_id))
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.server, province.url)
    qtbot.keyClicks(dialog.code, code)
    fill_admin(qtbot, dialog, 1, PASSWORD, PASSWORD)

    confirm(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.enrol_labels["code"].text()
    assert credentials.load(data_dir) is not None


def test_the_enrol_tab_names_what_is_missing_before_asking_the_province(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = launcher.first_run(str(tmp_path / "counter"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    fill_admin(qtbot, dialog, 1, PASSWORD, PASSWORD)

    confirm(qtbot, dialog)

    shown = {key for key, label in dialog.enrol_labels.items() if label.isVisible()}
    assert shown == {"server", "code"}
    assert dialog.enrol_labels["server"].text() == "Chưa nhập địa chỉ máy chủ tỉnh."
    assert not any(label.isVisible() for label in dialog.new_labels.values())
    assert listing(tmp_path) == []


def test_a_store_left_by_an_init_that_failed_is_set_up_in_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_app import cli as counter_cli

    data_dir = tmp_path / "counter"
    monkeypatch.setenv("COUNTER_ADMIN_PASSWORD", PASSWORD)
    init = ["init", "--data-dir", str(data_dir), "--unit-code", "sai", "--unit-name", "UBND"]
    assert counter_cli.main([*init, "--device-slot", "1"]) == 2
    assert (data_dir / "counter.sqlite3").exists(), "init leaves its empty store behind"
    shown: list[QDialog] = []

    def set_up() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SetupDialog)
        shown.append(dialog)
        dialog.unit_code.setText("000.00.11.H57")
        dialog.unit_name.setText("UBND phường Kim Mã")
        dialog.new_admin.password.setText(PASSWORD)
        dialog.new_admin.password_again.setText(PASSWORD)
        dialog.confirm.click()

    def log_out_at_once() -> None:
        login = QApplication.activeModalWidget()
        if isinstance(login, LoginDialog):
            login.reject()
        else:
            QTimer.singleShot(50, log_out_at_once)

    QTimer.singleShot(0, set_up)
    QTimer.singleShot(50, log_out_at_once)
    assert launcher.run(argparse.Namespace(data_dir=str(data_dir))) == 0
    assert len(shown) == 1
    store = Store.open(data_dir, create=False)
    with store.read() as session:
        assert load_context(session).unit_name == "UBND phường Kim Mã"
    store.close()
