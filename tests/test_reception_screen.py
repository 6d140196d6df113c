"""The reception screen driven like a clerk drives it: keyboard only, real store underneath."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app import auth
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.models import Dossier
from counter_app.store import Store
from tests.support.counter_store import ADMIN_PASSWORD, MONDAY_MORNING, UNIT_CODE, applicant
from tests.support.reception import request
from tests.support.widgets import show_active, type_into
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices


@pytest.fixture
def services(store: Store, clock: FixedClock, clerk: StaffIdentity) -> CounterServices:
    counter = CounterServices.open(store, clock)
    counter.user = clerk
    yield counter
    counter.runner.wait()


def dossier_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Dossier)) or 0


def test_receive_a_dossier_by_keyboard_alone(qtbot: QtBot, services: CounterServices) -> None:
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    form = screen.form

    qtbot.keyClick(screen, Qt.Key.Key_F2)
    assert form.picker.field.hasFocus()
    type_into(qtbot, form.picker.field, "dang ky khai sinh")
    assert form.picker.matches.item(0).text().startswith("1.001193")
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    assert form.picker.chosen_code == "1.001193"
    assert "Trong ngày" in form.procedure_info.text()
    assert screen.appointment.text() == "Hẹn trả kết quả: 17 giờ 00, ngày 16/11/2026"

    qtbot.keyClick(form.checklist, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert all(check.received for check in form.checklist.checks())
    qtbot.keyClick(screen, Qt.Key.Key_F3)
    assert form.cccd.hasFocus()
    type_into(qtbot, form.cccd, "001190012345")
    qtbot.keyClick(form.cccd, Qt.Key.Key_Tab)
    assert form.applicant_hint.text() == "Người nộp lần đầu."
    type_into(qtbot, form.full_name, "Trần Thị Mai")
    qtbot.keyClick(form.full_name, Qt.Key.Key_Tab)
    type_into(qtbot, form.date_of_birth, "12/03/1990")
    type_into(qtbot, form.address, "Số 12 đường Lê Lợi, phường Hạc Thành")
    type_into(qtbot, form.phone, "0912 345 678")

    with qtbot.waitSignal(screen.received, timeout=10_000) as caught:
        qtbot.keyClick(form.phone, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    receipt = caught.args[0]
    assert receipt.code == f"{UNIT_CODE}-261116-1001"
    with services.store.read() as session:
        view = load_dossier_view(session, receipt.code)
    assert view.applicant.full_name == "Trần Thị Mai"
    assert view.applicant.phone == "0912345678"
    assert form.full_name.text() == "", "the form starts afresh for the next citizen"
    assert form.picker.field.hasFocus()


def test_an_error_keeps_everything_typed(qtbot: QtBot, services: CounterServices) -> None:
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    form = screen.form
    type_into(qtbot, form.picker.field, "khai sinh")
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    type_into(qtbot, form.cccd, "00119001234")  # eleven digits
    type_into(qtbot, form.full_name, "Trần Thị Mai")
    type_into(qtbot, form.phone, "0912345678")

    with qtbot.waitSignal(screen.failed, timeout=10_000):
        qtbot.keyClick(form.phone, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.errors["cccd"].isVisible()
    assert "12 chữ số" in form.errors["cccd"].text()
    assert form.errors["address"].text() == "Chưa nhập địa chỉ."
    assert "Còn thiếu giấy tờ bắt buộc" in form.errors["documents"].text()
    assert not form.errors["phone"].isVisible()
    assert form.cccd.hasFocus() or form.checklist.hasFocus()
    assert (form.cccd.text(), form.full_name.text(), form.phone.text()) == (
        "00119001234",
        "Trần Thị Mai",
        "0912345678",
    )
    assert form.picker.chosen_code == "1.001193"
    assert dossier_count(services.store) == 0

    form.cccd.setText("001190012345")
    form.address.setText("Số 12 đường Lê Lợi")
    form.checklist.tick_all()
    with qtbot.waitSignal(screen.received, timeout=10_000):
        qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    assert dossier_count(services.store) == 1


def test_every_error_shows_at_once_and_each_clears_when_its_field_is_fixed(
    qtbot: QtBot, services: CounterServices
) -> None:
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    form = screen.form
    type_into(qtbot, form.date_of_birth, "31/02/1990")
    type_into(qtbot, form.phone, "12345")
    with qtbot.waitSignal(screen.failed, timeout=10_000):
        screen.submit()
    shown = {key for key, label in form.errors.items() if label.isVisible()}
    assert shown == {"procedure", "full_name", "date_of_birth", "address", "phone"}
    date_error = form.errors["date_of_birth"].text()
    assert "không có thật" in date_error and "28 ngày" in date_error
    assert "dd/mm/yyyy" not in date_error, "the shape was right; the day does not exist"
    assert form.date_of_birth.text() == "31/02/1990"
    assert dossier_count(services.store) == 0

    form.date_of_birth.clear()
    type_into(qtbot, form.date_of_birth, "28/02/1990")
    assert not form.errors["date_of_birth"].isVisible()
    assert form.errors["phone"].isVisible() and form.errors["address"].isVisible()
    type_into(qtbot, form.address, "Số 12 đường Lê Lợi")
    assert not form.errors["address"].isVisible()
    assert form.errors["full_name"].isVisible() and form.errors["procedure"].isVisible()
    type_into(qtbot, form.picker.field, "khai sinh")
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    assert not form.errors["procedure"].isVisible()
    assert form.errors["phone"].isVisible(), "a field not yet fixed keeps its error"


def test_a_badly_shaped_date_says_which_shape(qtbot: QtBot, services: CounterServices) -> None:
    screen = ReceptionScreen(services)
    qtbot.addWidget(screen)
    type_into(qtbot, screen.form.date_of_birth, "1990-03-12")
    with qtbot.waitSignal(screen.failed, timeout=10_000):
        screen.submit()
    assert "dd/mm/yyyy" in screen.form.errors["date_of_birth"].text()


def test_known_cccd_fills_the_applicant_panel(
    qtbot: QtBot, services: CounterServices, clerk: StaffIdentity
) -> None:
    services.reception.receive(request(services.store), clerk)
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    qtbot.mouseClick(screen.form.cccd, Qt.MouseButton.LeftButton)
    type_into(qtbot, screen.form.cccd, "001190012345")
    qtbot.keyClick(screen.form.cccd, Qt.Key.Key_Tab)
    assert screen.form.full_name.text() == "Trần Thị Mai"
    assert screen.form.date_of_birth.text() == "12/03/1990"
    assert screen.form.sex.currentData() == "female"
    assert screen.form.phone.text() == "0912345678"
    assert "hồ sơ trước" in screen.form.applicant_hint.text()


def test_chip_card_qr_scanned_into_the_cccd_field(qtbot: QtBot, services: CounterServices) -> None:
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    scanned = "036095001234|162345678|Phạm Văn Dũng|05071995|Nam|Thôn 3, xã Yên Định|12082021"
    type_into(qtbot, screen.form.cccd, scanned)
    qtbot.keyClick(screen.form.cccd, Qt.Key.Key_Return)
    assert screen.form.cccd.text() == "036095001234"
    assert screen.form.full_name.text() == "Phạm Văn Dũng"
    assert screen.form.date_of_birth.text() == "05/07/1995"
    assert screen.form.sex.currentData() == "male"


def test_postal_agent_prepares_a_draft_the_clerk_receives(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    agent_services = CounterServices.open(store, clock)
    agent_services.user = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)
    agent_screen = ReceptionScreen(agent_services)
    show_active(qtbot, agent_screen)
    assert agent_screen.draft_mode
    type_into(qtbot, agent_screen.form.picker.field, "dang ky tam tru")
    qtbot.keyClick(agent_screen.form.picker.field, Qt.Key.Key_Return)
    agent_screen.form.fill_applicant(applicant())
    with qtbot.waitSignal(agent_screen.draftSaved, timeout=10_000) as saved:
        agent_screen.submit()
    draft_id = saved.args[0]
    agent_services.runner.wait()

    clerk_services = CounterServices.open(store, clock)
    clerk_services.user = clerk
    screen = ReceptionScreen(clerk_services)
    qtbot.addWidget(screen)
    screen.open_draft(draft_id)
    assert screen.form.full_name.text() == "Trần Thị Mai"
    assert screen.form.picker.chosen_code == "1.004194"
    screen.form.checklist.tick_all()
    with qtbot.waitSignal(screen.received, timeout=10_000) as caught:
        screen.submit()
    assert caught.args[0].dossier_id == draft_id
    clerk_services.runner.wait()


def test_login_dialog_counts_wrong_passwords_and_lets_the_right_one_in(
    qtbot: QtBot, services: CounterServices
) -> None:
    dialog = LoginDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.username, "admin")
    type_into(qtbot, dialog.password, "sai-mat-khau")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    services.runner.wait()
    assert "còn 4 lần thử" in dialog.error.text()
    assert dialog.password.text() == "" and dialog.username.text() == "admin"
    with qtbot.waitSignal(dialog.loggedIn) as caught:
        type_into(qtbot, dialog.password, ADMIN_PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert caught.args[0].username == "admin"


def test_idle_window_locks_until_the_same_user_logs_in_again(
    qtbot: QtBot, services: CounterServices
) -> None:
    with services.store.write() as session:
        auth.add_user(
            session, username="lan.nt", full_name="Nguyễn Thị Lan", role="clerk",
            password="mat-khau-lan", unit_code=UNIT_CODE, at=MONDAY_MORNING,
        )  # fmt: skip
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.idle.timeout_ms = 150
    window.idle._timer.setInterval(50)
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass
    assert not window.centralWidget().isVisible()
    dialog = window.findChild(LoginDialog, "unlockDialog")
    assert dialog is not None and not dialog.username.isEnabled()
    type_into(qtbot, dialog.password, "mat-khau-lan")
    with qtbot.waitSignal(window.unlocked):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert window.centralWidget().isVisible()
