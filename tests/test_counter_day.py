"""A day at the counter across screens, through the main window, as the people drive it.

A clerk logs in and receives two dossiers by keyboard, one of them for another
ward (boundary-free), then hands the PC to a postal agent (log out, log in) who
prepares two drafts for two citizens and digitizes their papers in Số hóa,
switching between the drafts with pages on the tray and answering the question
each way. The clerk comes back, receives one of the agent's drafts, asks for a
supplement from a dossier's window, digitizes a result with Ctrl+D on Trả
kết quả and hands it over with its fee. The supervisor logs in last and prints
the day's report to a PDF printer. At the end the store says exactly which
citizen's dossier holds which pages, in which state, with which fee receipt,
and the printed report is landscape A4 with the day's figures.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app import auth
from counter_app.attachments import AttachmentService, DossierTarget
from counter_app.clock import FixedClock
from counter_app.digitization_index import compute_index
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.installation import ensure_unit
from counter_app.lifecycle import Status
from counter_app.models import FeePayment
from counter_app.settings import load_settings, save_settings
from counter_app.staged_pages import HeldPageStore
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.counter_store import UNIT_CODE
from tests.support.digitize_screen import answer_tray_question, drop_files
from tests.support.main_window import CTRL_SHIFT, add_staff, click_nav, focused, nav_titles
from tests.support.print_flow import print_to_file
from tests.support.returns_screen import choose_result_files
from tests.support.widgets import show_active, type_into
from ui.digitize_screen import DigitizeScreen
from ui.dossier_actions import ActionDialog, DossierActionBar
from ui.dossier_detail import DossierDetailDialog
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.print_preview import PdfPreviewDialog
from ui.reception_screen import ReceptionScreen
from ui.reports_screen import ReportsScreen
from ui.returns_screen import ReturnsScreen
from ui.services import CounterServices

CTRL = Qt.KeyboardModifier.ControlModifier


def log_in(qtbot: QtBot, dialog: LoginDialog, username: str) -> None:
    type_into(qtbot, dialog.username, username)
    type_into(qtbot, dialog.password, f"mat-khau-{username}")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def fill_reception(
    qtbot: QtBot, screen: ReceptionScreen, procedure: str, person: dict[str, str]
) -> None:
    """Keyboard only, from the first field on: F2, F3 and Alt+A as the clerk uses them."""
    qtbot.keyClick(focused(), Qt.Key.Key_F2)
    form = screen.form
    type_into(qtbot, form.picker.field, procedure)
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    assert form.picker.chosen_code == procedure
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    type_into(qtbot, form.cccd, person["cccd"])
    qtbot.keyClick(form.cccd, Qt.Key.Key_Tab)
    if form.full_name.text():  # a citizen seen before: the panel filled itself
        assert form.full_name.text() == person["name"]
        return
    type_into(qtbot, form.full_name, person["name"])
    type_into(qtbot, form.date_of_birth, person["born"])
    type_into(qtbot, form.address, person["address"])


def close_previews(qtbot: QtBot, window: MainWindow) -> None:
    def showing() -> list[PdfPreviewDialog]:
        return [d for d in window.findChildren(PdfPreviewDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: bool(showing()), timeout=15_000)
    for dialog in showing():
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not showing())
    window.activateWindow()  # a desktop's window manager does this; offscreen has none


def open_draft_of(screen: DigitizeScreen | ReceptionScreen, person: str) -> None:
    screen.drafts_menu.aboutToShow.emit()
    [action] = [a for a in screen.drafts_menu.actions() if person in a.text()]
    action.trigger()


def stage(qtbot: QtBot, screen: DigitizeScreen, paths: list[Path]) -> None:
    before = screen.strip.count()
    drop_files(screen.strip, paths)
    qtbot.waitUntil(lambda: screen.strip.count() == before + len(paths), timeout=10_000)


def pdf_pages(service: AttachmentService, target: DossierTarget) -> dict[str, int]:
    """Each attached document's name with its page count, read from the stored PDF."""
    held = {}
    for slot in target.documents:
        if slot.attachment_sha256:
            reader = PdfReader(io.BytesIO(service.read_pdf(slot.attachment_sha256)))
            held[slot.name] = len(reader.pages)
    return held


MAI = {"cccd": "001190012345", "name": "Trần Thị Mai", "born": "12/03/1990",
       "address": "Số 12 đường Lê Lợi, phường Hạc Thành"}  # fmt: skip
AN = {"cccd": "038088004321", "name": "Lê Văn An", "born": "02/09/1988",
      "address": "Số 3 đường Trần Phú, phường Hạc Thành"}  # fmt: skip
DUNG = {"cccd": "036095001234", "name": "Phạm Văn Dũng", "born": "05/07/1995",
        "address": "Thôn 3, xã Yên Định"}  # fmt: skip
BIRTH, DEATH = "1.001193", "1.000656"
RESIDENCE = "1.004194"  # temporary residence: 15.000 đồng, collected when the result is
NEIGHBOUR = "000.00.12.H57"
RECEIPT_BOOK = {"receipt_form_symbol": "01BLP0-001", "receipt_series": "AA-25P",
                "tax_code": "2801234567"}  # fmt: skip


def hand_over(qtbot: QtBot, window: MainWindow, username: str) -> None:
    """Log out with Ctrl+Shift+L and let ``username`` log in, the program left running."""
    window.activateWindow()  # a desktop's window manager does this; offscreen has none
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    with qtbot.waitSignal(window.signedOut, timeout=10_000):
        qtbot.keyClick(focused(), Qt.Key.Key_L, CTRL_SHIFT)
    [dialog] = [d for d in window.findChildren(LoginDialog, "loginDialog") if d.isVisible()]
    for field in (dialog.username, dialog.password):  # the last user's name may stand there
        qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    log_in(qtbot, dialog, username)
    qtbot.waitUntil(lambda: window.centralWidget().isVisible())


def test_a_clerk_a_postal_agent_and_the_supervisor_share_the_counter_for_a_day(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock
) -> None:
    add_staff(store)
    with store.write() as session:
        ensure_unit(session, NEIGHBOUR, "UBND phường Quảng Phú")
        auth.add_user(
            session, username="hung.pv", full_name="Phạm Văn Hùng", role="supervisor",
            password="mat-khau-hung.pv", unit_code=UNIT_CODE, at=clock.now(),
        )  # fmt: skip
    assert store.data_dir is not None
    save_settings(store.data_dir, replace(load_settings(store.data_dir), **RECEIPT_BOOK))
    services = CounterServices.open(store, clock, store.data_dir)  # as the launcher opens them
    service = AttachmentService(store, clock)

    # Morning: the clerk logs in as the launcher has it, and receives two dossiers.
    login = LoginDialog(services)
    show_active(qtbot, login)
    with qtbot.waitSignal(login.loggedIn):
        log_in(qtbot, login, "lan.nt")
    services.user = login.identity
    window = MainWindow(services)
    show_active(qtbot, window)
    reception = window.pages["reception"]
    assert isinstance(reception, ReceptionScreen)
    qtbot.waitUntil(lambda: reception.form.picker.field.hasFocus())
    codes = []
    for procedure, person in ((BIRTH, AN), (RESIDENCE, MAI)):
        clock.advance(minutes=10)
        fill_reception(qtbot, reception, procedure, person)
        if person is AN:  # An lives in Quảng Phú: the dossier is received for that ward
            units = reception.form.competent_unit
            units.setCurrentIndex(units.findData(NEIGHBOUR))
            assert "liên thông" in units.currentText()
        with qtbot.waitSignal(reception.received, timeout=15_000) as received:
            qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
        codes.append(received.args[0].code)
        close_previews(qtbot, window)
        qtbot.waitUntil(lambda: reception.form.picker.field.hasFocus())
    an_code, mai_code = codes

    # Shift change: the postal agent takes the PC without the program being closed.
    hand_over(qtbot, window, "hoa.lt")
    assert "Tiếp nhận" not in nav_titles(window)
    drafts = window.pages["drafts"]
    assert isinstance(drafts, ReceptionScreen)
    qtbot.waitUntil(lambda: drafts.form.picker.field.hasFocus())
    for procedure, person in ((BIRTH, MAI), (DEATH, DUNG)):
        fill_reception(qtbot, drafts, procedure, person)
        with qtbot.waitSignal(drafts.draftSaved, timeout=10_000):
            qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    by_person = {person: draft_id for draft_id, _p, person, _at in services.reception.drafts()}
    mai_draft, dung_draft = by_person[MAI["name"]], by_person[DUNG["name"]]

    # Số hóa: Mai's birth form is scanned, then Dũng's draft is opened: keep for later.
    click_nav(qtbot, window, "Số hóa")
    screen = window.pages["digitize"]
    assert isinstance(screen, DigitizeScreen)
    qtbot.waitUntil(lambda: screen.code.hasFocus())
    open_draft_of(screen, MAI["name"])
    scans = [files.write(tmp_path, f"khai-sinh-{n}.png", files.png(seed=n)) for n in (1, 2)]
    stage(qtbot, screen, scans)
    open_draft_of(screen, DUNG["name"])
    text = answer_tray_question(qtbot, "trayKeep")
    assert MAI["name"] in text and DUNG["name"] in text
    assert screen.target is not None and screen.target.id == dung_draft
    assert screen.strip.count() == 0, "Mai's pages stay Mai's"
    held = HeldPageStore(store.data_dir)
    assert held.get(mai_draft) is not None, "kept on disk, for a restart"
    assert held.get(dung_draft) is None

    # Dũng's paper goes on the tray; a look at another screen and back changes nothing.
    stage(qtbot, screen, [files.write(tmp_path, "bao-tu.png", files.png(seed=7))])
    click_nav(qtbot, window, "Hồ sơ")
    click_nav(qtbot, window, "Số hóa")
    qtbot.waitUntil(lambda: screen.code.hasFocus())
    assert screen.strip.count() == 1 and screen.target.id == dung_draft

    # Back to Mai: Dũng's page is attached to Dũng's draft first; Mai's pages come back.
    with qtbot.waitSignal(screen.attached, timeout=10_000) as attached:
        open_draft_of(screen, MAI["name"])
        answer_tray_question(qtbot, "trayAttach")
    assert attached.args[0] == dung_draft
    qtbot.waitUntil(lambda: screen.strip.count() == 2, timeout=10_000)
    assert screen.target.id == mai_draft
    assert [p.source.name for p in screen.strip.pages()] == ["khai-sinh-1.png", "khai-sinh-2.png"]
    with qtbot.waitSignal(screen.attached, timeout=10_000) as attached:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert attached.args[0] == mai_draft

    # A stray scan, then An's received dossier is opened by its code: discard it.
    stage(qtbot, screen, [files.write(tmp_path, "nham.png", files.png(seed=9))])
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    screen.code.clear()
    type_into(qtbot, screen.code, an_code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    answer_tray_question(qtbot, "trayDiscard")
    assert screen.target.code == an_code and screen.strip.count() == 0
    assert QApplication.activeModalWidget() is None
    services.runner.wait()
    first_death_document = service.open(dung_draft).documents[0].name

    # The clerk is back: Dũng's draft, papers scanned, is received at the counter.
    hand_over(qtbot, window, "lan.nt")
    clock.advance(minutes=10)
    reception = window.pages["reception"]  # each log-in builds the user's own screens
    assert isinstance(reception, ReceptionScreen)
    qtbot.waitUntil(lambda: reception.form.picker.field.hasFocus())
    open_draft_of(reception, DUNG["name"])
    assert reception.form.full_name.text() == DUNG["name"]
    with qtbot.waitSignal(reception.received, timeout=15_000) as received:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    dung_code = received.args[0].code
    close_previews(qtbot, window)

    # An's dossier lacks a paper: a supplement is asked for from the dossier's window.
    clock.advance(minutes=10)
    window.open_dossier(an_code)
    detail = window.findChild(DossierDetailDialog, "dossierDetail")
    assert detail is not None and detail.isVisible()
    bar = detail.findChild(DossierActionBar)
    assert bar is not None
    qtbot.mouseClick(bar.buttons["supplement"], Qt.MouseButton.LeftButton)
    asking = bar.findChild(ActionDialog, "dialog_supplement")
    assert asking is not None and asking.isVisible()
    asking.items.setPlainText("Bản sao giấy chứng nhận kết hôn của cha, mẹ")
    asking.reason.setPlainText("Thiếu giấy tờ chứng minh quan hệ cha, mẹ")
    ok = asking.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(window.formReady, timeout=15_000) as ready:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert ready.args[:2] == ["supplement", an_code]
    close_previews(qtbot, window)
    for shown in window.findChildren(DossierDetailDialog):  # refreshed after the action
        shown.close()

    # Mai's temporary residence comes back from processing; she collects it and pays.
    DossierService(store, clock).record(mai_code, "processing_started", services.identity)
    clock.advance(hours=2)
    DossierService(store, clock).record(mai_code, "result_ready", services.identity)
    clock.advance(minutes=30)
    click_nav(qtbot, window, "Trả kết quả")
    returns = window.pages["returns"]
    assert isinstance(returns, ReturnsScreen)
    returns.refresh()
    qtbot.waitUntil(lambda: any(row.code == mai_code for row in returns.rows), timeout=10_000)
    returns.table.setFocus()
    qtbot.keyClicks(returns.table, mai_code)  # the USB scanner reads the receipt's barcode
    qtbot.keyClick(returns.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: returns.recipient.text() == MAI["name"])
    assert returns.fee_box.isChecked() and returns.fee_fields.amount.text() == "15.000"
    # The result's paper is scanned before it leaves the counter.
    files.write(tmp_path, "ket-qua-mai.png", files.png(seed=41))
    window.activateWindow()  # a desktop's window manager does this; offscreen has none
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    with qtbot.waitSignal(returns.message, timeout=15_000) as digitized:
        qtbot.keyClick(focused(), Qt.Key.Key_D, CTRL)
        choose_result_files(qtbot, returns, tmp_path, ["ket-qua-mai.png"])
    assert digitized.args[0].startswith(f"Đã số hóa kết quả của hồ sơ {mai_code}: 1 trang")
    qtbot.waitUntil(lambda: returns.result_state.text().startswith("Kết quả đã được số hóa"))
    assert returns.recipient.text() == MAI["name"], "the form as it was"
    with qtbot.waitSignal(returns.returned, timeout=15_000) as handed:
        qtbot.mouseClick(returns.submit_button, Qt.MouseButton.LeftButton)
    assert handed.args[0].code == mai_code and handed.args[0].fee_payment_id
    close_previews(qtbot, window)

    # Evening: the supervisor prints the day's report on the PDF printer.
    hand_over(qtbot, window, "hung.pv")
    click_nav(qtbot, window, "Báo cáo")
    reports = window.pages["reports"]
    assert isinstance(reports, ReportsScreen)
    assert reports.period() == (clock.now().date(), clock.now().date())
    with qtbot.waitSignal(reports.tallyReady, timeout=20_000):
        qtbot.mouseClick(reports.show_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(reports.pdfReady, timeout=30_000) as rendered:
        qtbot.mouseClick(reports.print_button, Qt.MouseButton.LeftButton)
    preview = reports.findChild(PdfPreviewDialog, "printPreview")
    assert preview is not None and preview.isVisible()
    printed = tmp_path / "bao-cao-ngay.pdf"
    sizes = print_to_file(qtbot, preview, printed)
    preview.close()
    assert sizes and set(sizes) == {(842, 595)}, "every page landscape A4"
    shown = PdfReader(io.BytesIO(rendered.args[1])).pages  # the printer gets these as pictures
    assert len(sizes) == len(shown), "every page of the report went to the printer"
    report = " ".join(" ".join(page.extract_text().split()) for page in shown)
    for figure in (
        "tiếp nhận mới 3: trực tiếp 2, qua bưu chính 1, trực tuyến 0",
        "Đã giải quyết: 1 (trước hạn 1, đúng hạn 0, quá hạn 0)",
        "đã trả kết quả 1 hồ sơ; yêu cầu bổ sung 1 hồ sơ",
        "Phí, lệ phí đã thu: 15.000 đồng (tiền mặt 15.000, chuyển khoản 0)",
    ):
        assert figure in report, figure
    assert f"01BLP0-001 AA-25P 0000001 {mai_code} 15.000" in report, "the day's receipts listed"
    services.runner.wait()

    # What each citizen's dossier holds, read back from the store and the stored PDFs.
    first_birth_document = service.open(mai_draft).documents[0].name
    assert pdf_pages(service, service.open(mai_draft)) == {first_birth_document: 2}
    assert pdf_pages(service, service.open(dung_code)) == {first_death_document: 1}
    assert pdf_pages(service, service.open(an_code)) == {}
    assert pdf_pages(service, service.open(mai_code)) == {}
    held = HeldPageStore(store.data_dir)
    assert [held.get(d) for d in (mai_draft, dung_draft)] == [None, None], "nothing left waiting"
    with store.read() as session:
        views = {code: load_dossier_view(session, code) for code in (an_code, mai_code, dung_code)}
        payment = session.execute(
            select(
                FeePayment.dossier_id,
                FeePayment.amount_vnd,
                FeePayment.receipt_series,
                FeePayment.receipt_number,
            )
        ).one()
    assert views[an_code].status == Status.SUPPLEMENT_REQUESTED
    assert views[an_code].competent_unit.code == NEIGHBOUR
    assert views[mai_code].status == Status.RETURNED
    mai_result = views[mai_code].result_scan
    assert mai_result is not None and mai_result.page_count == 1
    with store.read() as session:
        day = clock.now().date()
        index = compute_index(session, views[mai_code].receiving_unit.code, day, day, clock.now())
    assert (index.total.resolved, index.total.results_digitized) == (1, 1)
    assert views[dung_code].status == Status.RECEIVED
    assert views[dung_code].channel == "postal"
    assert tuple(payment) == (views[mai_code].id, 15_000, "AA-25P", 1), "receipt AA-25P 0000001"
