"""Forms 02 and 03 from the reception screen, without receiving: keyboard, dialog, preview.

Đồng Tháp 138/2025/QĐ-UBND; MOH 3621/QĐ-BYT (24/11/2025) reproducing forms
BM.01-06: an incomplete dossier gets form 02 and a refused one form 03 without
being received ("Mã hồ sơ (nếu có)" left empty); forms 01 and 03 show the
personal identification number and the representative; form 03 is signed by
the person who handed the dossier in ("NGƯỜI NỘP HỒ SƠ").
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.applicants import RepresentativeInput
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.models import CodeSequence, CounterGuidance, Dossier
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.reception import request
from tests.support.widgets import show_active, type_into
from ui.dossier_actions import ActionDialog
from ui.dossier_detail import DossierDetailDialog
from ui.print_preview import PdfPreviewDialog
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices

CODE_SHAPE = re.compile(r"\d{6}-\d{4}")


@pytest.fixture
def services(store: Store, clock: FixedClock, clerk: StaffIdentity) -> CounterServices:
    counter = CounterServices.open(store, clock)
    counter.user = clerk
    yield counter
    counter.runner.wait()


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def fill_applicant(qtbot: QtBot, screen: ReceptionScreen) -> None:
    """Procedure and applicant typed, the checklist left incomplete: what form 02 is for."""
    form = screen.form
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    type_into(qtbot, form.picker.field, "dang ky khai sinh")
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    qtbot.keyClick(screen, Qt.Key.Key_F3)
    type_into(qtbot, form.cccd, "001190012345")
    qtbot.keyClick(form.cccd, Qt.Key.Key_Tab)
    type_into(qtbot, form.full_name, "Trần Thị Mai")
    type_into(qtbot, form.address, "Số 12 đường Lê Lợi, phường Hạc Thành")


def open_dialog(qtbot: QtBot, screen: ReceptionScreen, key: Qt.Key, kind: str) -> ActionDialog:
    qtbot.keyClick(screen.form.address, key)
    (dialog,) = [d for d in screen.findChildren(ActionDialog, f"turnAway_{kind}") if d.isVisible()]
    return dialog


def ok(dialog: ActionDialog) -> None:
    """Press "Ghi nhận và in" and let the store's writer answer."""
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    dialog.runner.wait()


def counts(store: Store) -> tuple[int, int, int]:
    with store.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Dossier)) or 0,
            session.scalar(select(func.count()).select_from(CodeSequence)) or 0,
            session.scalar(select(func.count()).select_from(CounterGuidance)) or 0,
        )


def test_form_02_is_given_without_reception_and_the_form_keeps_what_was_typed(
    qtbot: QtBot, services: CounterServices
) -> None:
    # Đồng Tháp 138/2025/QĐ-UBND: form 02 before reception, no dossier code used up.
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    fill_applicant(qtbot, screen)
    dialog = open_dialog(qtbot, screen, Qt.Key.Key_F7, "supplement")
    ok(dialog)  # nothing said yet: the dialog says what is missing and stays open
    assert dialog.isVisible()
    assert dialog.errors["reason"].text() == "Chưa nhập lý do."
    assert dialog.errors["items"].text() == "Chưa nêu nội dung cần bổ sung, hoàn thiện."
    assert counts(services.store) == (0, 0, 0)

    type_into(qtbot, dialog.items, "Giấy chứng sinh (bản chính)")
    type_into(qtbot, dialog.reason, "Hồ sơ còn thiếu giấy chứng sinh.")
    with qtbot.waitSignal(screen.formReady, timeout=15_000) as ready:
        ok(dialog)
    form_id, pdf = ready.args
    assert form_id == "supplement"
    text = text_of(pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Mã hồ sơ (nếu có):" in text and not CODE_SHAPE.search(text)
    assert "Trần Thị Mai, số định danh cá nhân: 001190012345" in text
    assert "1. Giấy chứng sinh (bản chính)" in text
    assert "Lý do: Hồ sơ còn thiếu giấy chứng sinh." in text
    previews = [d for d in screen.findChildren(PdfPreviewDialog) if d.isVisible()]
    assert len(previews) == 1
    previews[0].close()
    assert counts(services.store) == (0, 0, 1), "recorded, not received, no code taken"
    assert screen.form.full_name.text() == "Trần Thị Mai", "what was typed stays"
    assert screen.form.picker.chosen_code == "1.001193"


def test_a_day_that_does_not_exist_is_named_before_form_02(
    qtbot: QtBot, services: CounterServices
) -> None:
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    fill_applicant(qtbot, screen)
    type_into(qtbot, screen.form.date_of_birth, "31/02/1990")
    qtbot.keyClick(screen.form.address, Qt.Key.Key_F7)
    error = screen.form.errors["date_of_birth"].text()
    assert "không có thật" in error, error  # as Ctrl+Enter says it, not "dd/mm/yyyy"
    assert counts(services.store) == (0, 0, 0)


def test_form_03_prints_the_representative_and_both_signatures(
    qtbot: QtBot, services: CounterServices
) -> None:
    # MOH 3621/QĐ-BYT reproducing BM.03: personal ID, the representative, "NGƯỜI NỘP HỒ SƠ".
    screen = ReceptionScreen(services)
    show_active(qtbot, screen)
    fill_applicant(qtbot, screen)
    form = screen.form
    assert not form.representative_name.isEnabled()
    qtbot.mouseClick(form.has_representative, Qt.MouseButton.LeftButton)
    assert form.has_representative.isChecked() and form.representative_name.isEnabled()
    type_into(qtbot, form.representative_name, "Lê Văn Hùng")
    type_into(qtbot, form.representative_cccd, "00108500432")  # one digit short
    type_into(qtbot, form.representative_relation, "Chồng")

    dialog = open_dialog(qtbot, screen, Qt.Key.Key_F8, "refusal")
    assert not dialog.items.isVisible(), "a refusal gives a reason, no list"
    type_into(qtbot, dialog.reason, "Thủ tục thuộc thẩm quyền của UBND tỉnh.")
    ok(dialog)
    assert dialog.isVisible()
    assert "12 chữ số" in form.errors["representative_cccd"].text()
    assert form.errors["representative_cccd"].isVisible()
    assert counts(services.store) == (0, 0, 0)
    dialog.close()

    qtbot.keyClick(form.representative_cccd, Qt.Key.Key_End)
    type_into(qtbot, form.representative_cccd, "1")
    dialog = open_dialog(qtbot, screen, Qt.Key.Key_F8, "refusal")
    type_into(qtbot, dialog.reason, "Thủ tục thuộc thẩm quyền của UBND tỉnh.")
    with qtbot.waitSignal(screen.formReady, timeout=15_000) as ready:
        ok(dialog)
    form_id, pdf = ready.args
    assert form_id == "refusal"
    text = text_of(pdf)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Mã hồ sơ (nếu có):" in text and not CODE_SHAPE.search(text)
    assert "Trần Thị Mai, số định danh cá nhân: 001190012345" in text
    assert "Người được ủy quyền: Lê Văn Hùng (Chồng), số định danh cá nhân: 001085004321" in text
    assert "Thủ tục thuộc thẩm quyền của UBND tỉnh." in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    for preview in screen.findChildren(PdfPreviewDialog):
        preview.close()
    assert counts(services.store) == (0, 0, 1)

    # The citizen completes the dossier: receiving now takes the day's first code and
    # keeps the representative.
    with qtbot.waitActive(screen):  # back at the screen once the preview is closed
        screen.activateWindow()
    form.checklist.setFocus()
    qtbot.keyClick(form.checklist, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    with qtbot.waitSignal(screen.received, timeout=10_000) as caught:
        qtbot.keyClick(form.address, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    receipt = caught.args[0]
    assert receipt.code.endswith("-261116-1001")
    with services.store.read() as session:
        view = load_dossier_view(session, receipt.code)
    assert view.representative is not None
    assert (view.representative.full_name, view.representative.cccd) == (
        "Lê Văn Hùng",
        "001085004321",
    )
    assert not form.has_representative.isChecked(), "a fresh form for the next citizen"


def test_the_dossier_window_shows_the_representative(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # MOH 3621/QĐ-BYT: the representative is recorded with the dossier, and shown with it.
    receipt = ReceptionService(store, clock).receive(
        request(store, representative=RepresentativeInput("Lê Văn Hùng", "001085004321", "Chồng")),
        clerk,
    )
    with store.read() as session:
        view = load_dossier_view(session, receipt.code)
    dialog = DossierDetailDialog(view, clock.now())
    qtbot.addWidget(dialog)
    form = dialog.detail.applicant_form

    def text(row: int, role: QFormLayout.ItemRole) -> str:
        return str(form.itemAt(row, role).widget().text())

    label, field = QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole
    rows = {text(row, label): text(row, field) for row in range(form.rowCount())}
    assert rows["Người được ủy quyền"] == "Lê Văn Hùng (Chồng)"
    assert rows["CCCD người được ủy quyền"] == "001085004321"
