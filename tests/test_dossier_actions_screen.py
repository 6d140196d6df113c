"""From the list to the dossier, an action recorded and its form printed, as a clerk does it."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.lifecycle import Status
from counter_app.store import Store
from tests.support.reception import BIRTH_REGISTRATION, full_checklist, request
from ui.dossier_actions import ActionDialog, DossierActionBar
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_list import DUE, DossierListWidget
from ui.main_window import MainWindow
from ui.services import CounterServices

RESIDENCE = "1.004194"  # temporary residence: 3 working days, due Thursday 19/11 09:00


def signed_in_with_a_dossier(
    store: Store, clock: FixedClock, clerk: StaffIdentity, procedure: str = BIRTH_REGISTRATION
) -> tuple[CounterServices, str]:
    """The counter's services with ``clerk`` signed in, and the code of a dossier just received."""
    services = CounterServices.open(store, clock)
    services.user = clerk
    received = request(store, procedure_code=procedure, documents=full_checklist(store, procedure))
    return services, services.reception.receive(received, clerk).code


def action_bar(qtbot: QtBot, services: CounterServices, code: str) -> DossierActionBar:
    with services.store.read() as session:
        bar = DossierActionBar(services, load_dossier_view(session, code))
    qtbot.addWidget(bar)
    return bar


def test_supplement_request_from_the_dossier_window_prints_form_02(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services, code = signed_in_with_a_dossier(store, clock, clerk)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    listing = window.pages["dossiers"]
    assert isinstance(listing, DossierListWidget)
    listing.refresh()

    window.open_dossier(code)
    detail = window.findChild(DossierDetailDialog, "dossierDetail")
    assert detail is not None and detail.isVisible()
    bar = detail.findChild(DossierActionBar)
    assert bar is not None
    qtbot.mouseClick(bar.buttons["supplement"], Qt.MouseButton.LeftButton)
    dialog = bar.findChild(ActionDialog, "dialog_supplement")
    assert dialog is not None and dialog.isVisible()

    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Ghi nhận và in"
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # nothing typed yet
    services.runner.wait()
    assert dialog.isVisible()
    assert dialog.errors["items"].text().startswith("Chưa nêu giấy tờ")
    assert dialog.errors["reason"].isVisible()

    dialog.items.setPlainText("Bản sao giấy chứng nhận kết hôn của cha, mẹ\n")
    dialog.reason.setPlainText("Thiếu giấy tờ chứng minh quan hệ cha, mẹ")
    with qtbot.waitSignal(window.formReady, timeout=15_000) as ready:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    form, printed_code, pdf = ready.args
    assert (form, printed_code) == ("supplement", code)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bản sao giấy chứng nhận kết hôn của cha, mẹ" in text
    with store.read() as session:
        assert load_dossier_view(session, code).status == Status.SUPPLEMENT_REQUESTED
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "printPreview":
            widget.close()
    services.runner.wait()


def test_closed_dossier_offers_only_printing(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services, code = signed_in_with_a_dossier(store, clock, clerk)
    services.dossiers.stop(code, "Người nộp đề nghị dừng", clerk)
    bar = action_bar(qtbot, services, code)
    enabled = {key for key, button in bar.buttons.items() if button.isEnabled()}
    assert enabled == {"receipt", "control"}
    services.runner.wait()


def test_extension_proposes_a_new_date_and_records_the_one_chosen(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services, code = signed_in_with_a_dossier(store, clock, clerk, RESIDENCE)
    bar = action_bar(qtbot, services, code)

    qtbot.mouseClick(bar.buttons["extension"], Qt.MouseButton.LeftButton)
    dialog = bar.findChild(ActionDialog, "dialog_extension")
    assert dialog is not None and dialog.isVisible()
    proposed = bar.view.due_at + dt.timedelta(days=3)
    assert dialog.new_date.dateTime().toString("HH:mm dd/MM/yyyy") == proposed.strftime(
        "%H:%M %d/%m/%Y"
    )
    dialog.new_date.setDateTime(dialog.new_date.dateTime().addDays(1))
    dialog.reason.setPlainText("Chờ xác minh của cơ quan khác")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(bar.printRequested) as printed:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    assert printed.args == ["extension", code]
    with store.read() as session:
        extension = load_dossier_view(session, code).events[-1]
    assert extension.kind == "extended"
    assert extension.data["new_due_at"] == (proposed + dt.timedelta(days=1)).isoformat()


def test_receiving_the_supplement_prints_the_new_receipt_with_the_restarted_appointment(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 297/2025 art. 6(4)(a): the time limit starts again once the supplement is in.
    services, code = signed_in_with_a_dossier(store, clock, clerk, RESIDENCE)
    services.dossiers.request_supplement(code, ["Bản sao sổ hộ khẩu"], "Thiếu giấy tờ", clerk)
    clock.at = dt.datetime(2026, 11, 18, 14, 0)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.open_dossier(code)
    detail = window.findChild(DossierDetailDialog, "dossierDetail")
    assert detail is not None
    bar = detail.findChild(DossierActionBar)
    assert bar is not None and bar.buttons["supplied"].isEnabled()
    assert bar.buttons["supplied"].text() == "Nhận hồ sơ bổ sung"
    with qtbot.waitSignal(window.formReady, timeout=15_000) as ready:
        qtbot.mouseClick(bar.buttons["supplied"], Qt.MouseButton.LeftButton)
    form, printed_code, pdf = ready.args
    assert (form, printed_code) == ("receipt", code)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cấp lại sau khi nhận hồ sơ bổ sung ngày 18/11/2026" in text
    assert "14 giờ 00 phút, ngày 23/11/2026" in text
    with store.read() as session:
        view = load_dossier_view(session, code)
    assert view.status == Status.RECEIVED and view.due_at == dt.datetime(2026, 11, 23, 14, 0)
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "printPreview":
            widget.close()
    services.runner.wait()


def test_a_late_apology_is_refused_in_the_dialog_and_a_supervisor_overrides_with_a_reason(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Lai Châu 88/2025/QĐ-UBND: at the latest one working day before the appointment.
    services, code = signed_in_with_a_dossier(store, clock, clerk, RESIDENCE)
    clock.at = dt.datetime(2026, 11, 19, 8, 0)  # the appointment's own day
    bar = action_bar(qtbot, services, code)
    qtbot.mouseClick(bar.buttons["extension"], Qt.MouseButton.LeftButton)
    dialog = bar.findChild(ActionDialog, "dialog_extension")
    assert dialog is not None and not dialog.override_reason.isVisibleTo(dialog)
    dialog.reason.setPlainText("Chờ xác minh")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert dialog.isVisible() and dialog.banner.isVisible()
    assert "chậm nhất ngày 18/11/2026" in dialog.banner.text()
    assert dialog.reason.toPlainText() == "Chờ xác minh", "nothing typed is lost"
    dialog.reject()

    services.user = StaffIdentity("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR, clerk.unit_code)
    bar = action_bar(qtbot, services, code)
    qtbot.mouseClick(bar.buttons["extension"], Qt.MouseButton.LeftButton)
    dialog = bar.findChild(ActionDialog, "dialog_extension")
    assert dialog is not None and dialog.override_reason.isVisibleTo(dialog)
    dialog.reason.setPlainText("Chờ xác minh")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert dialog.errors["override_reason"].isVisible()
    assert "Ghi lý do cho phép" in dialog.errors["override_reason"].text()
    dialog.override_reason.setPlainText("Cơ quan phối hợp chậm trả lời")
    with qtbot.waitSignal(bar.printRequested):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    # Decree 297/2025 art. 6(5): "không quá 01 lần".
    bar = action_bar(qtbot, services, code)
    qtbot.mouseClick(bar.buttons["extension"], Qt.MouseButton.LeftButton)
    again = bar.findChild(ActionDialog, "dialog_extension")
    assert again is not None
    again.reason.setPlainText("Lần nữa")
    again.override_reason.setPlainText("Lần nữa")
    ok = again.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert again.isVisible() and "không quá 01 lần" in again.banner.text()
    services.runner.wait()


def test_the_window_and_the_list_show_the_first_and_the_new_appointment(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 297/2025 art. 6(4)(a) moves the appointment; art. 6(5) adds the apology's date.
    services, code = signed_in_with_a_dossier(store, clock, clerk, RESIDENCE)
    services.dossiers.request_supplement(code, ["Bản sao"], "Thiếu giấy tờ", clerk)
    clock.at = dt.datetime(2026, 11, 18, 14, 0)
    services.dossiers.receive_supplement(code, clerk)
    clock.at = dt.datetime(2026, 11, 19, 10, 0)
    services.dossiers.extend(code, dt.datetime(2026, 11, 26, 9, 0), "Chờ xác minh", clerk)
    with store.read() as session:
        view = load_dossier_view(session, code)
    detail = DossierDetailDialog(view, clock.at)
    qtbot.addWidget(detail)
    shown = {label.text() for label in detail.findChildren(QLabel)}
    assert {"Hẹn trả lần đầu", "19/11/2026 09:00", "Hẹn lại (xin lỗi)", "26/11/2026 09:00"} <= shown
    assert "23/11/2026 14:00" in shown

    listing = DossierListWidget(store, clock)
    qtbot.addWidget(listing)
    listing.refresh()
    due = listing.model.index(0, DUE)
    assert listing.model.data(due) == "23/11/2026 14:00 (hẹn lại 26/11/2026 09:00)"
    tip = listing.model.data(due, Qt.ItemDataRole.ToolTipRole)
    assert "Hẹn trả lần đầu 19/11/2026 09:00" in tip
    services.runner.wait()


def test_the_result_scan_line_shows_only_once_the_dossier_has_a_result(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services, code = signed_in_with_a_dossier(store, clock, clerk)

    def detail_now() -> DossierDetailDialog:
        with store.read() as session:
            view = load_dossier_view(session, code)
        detail = DossierDetailDialog(view, clock.at)
        qtbot.addWidget(detail)
        detail.show()
        return detail

    received = detail_now()
    assert not received.detail.result_label.isVisible(), "no result yet, nothing to scan"
    clock.advance(hours=2)
    services.dossiers.record(code, "result_ready", clerk)
    ready = detail_now()
    line = ready.detail.result_label
    assert line.isVisible() and line.text() == "Bản số hóa kết quả giải quyết: chưa có."
