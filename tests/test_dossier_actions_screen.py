"""From the list to the dossier, an action recorded and its form printed, as a clerk does it."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.lifecycle import Status
from counter_app.store import Store
from tests.test_reception import request
from ui.dossier_actions import ActionDialog, DossierActionBar
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_list import DossierListWidget
from ui.main_window import MainWindow
from ui.services import CounterServices


def signed_in_with_a_dossier(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> tuple[CounterServices, str]:
    """The counter's services with ``clerk`` signed in, and the code of a dossier just received."""
    services = CounterServices.open(store, clock)
    services.user = clerk
    return services, services.reception.receive(request(store), clerk).code


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
    services, code = signed_in_with_a_dossier(store, clock, clerk)
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
