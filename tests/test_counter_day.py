"""A day at the counter across screens, through the main window, as the people drive it.

A clerk logs in and receives two dossiers by keyboard, then hands the PC to a
postal agent (log out, log in) who prepares two drafts for two citizens and
digitizes their papers in Số hóa, switching between the drafts with pages on
the tray and answering the question each way. At the end the store says
exactly which citizen's dossier holds which pages.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.attachments import AttachmentService, DossierTarget
from counter_app.clock import FixedClock
from counter_app.staged_pages import HeldPageStore
from counter_app.store import Store
from tests import digitize_files as files
from tests.test_digitize_screen import answer_tray_question, drop_files
from tests.test_main_window import CTRL_SHIFT, add_staff, click_nav, focused, nav_titles
from tests.test_reception_screen import show_active, type_into
from ui.digitize_screen import DigitizeScreen
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.print_preview import PdfPreviewDialog
from ui.reception_screen import ReceptionScreen
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


def open_draft_of(screen: DigitizeScreen, person: str) -> None:
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


def test_a_clerk_and_a_postal_agent_share_the_counter_for_a_day(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock
) -> None:
    add_staff(store)
    services = CounterServices.open(store, clock)
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
    for person in (AN, MAI):
        fill_reception(qtbot, reception, BIRTH, person)
        with qtbot.waitSignal(reception.received, timeout=15_000) as received:
            qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
        codes.append(received.args[0].code)
        close_previews(qtbot, window)
        qtbot.waitUntil(lambda: reception.form.picker.field.hasFocus())
    an_code, mai_code = codes

    # Shift change: the postal agent takes the PC without the program being closed.
    with qtbot.waitSignal(window.signedOut, timeout=10_000):
        qtbot.keyClick(focused(), Qt.Key.Key_L, CTRL_SHIFT)
    dialog = window.findChild(LoginDialog, "loginDialog")
    assert dialog is not None
    log_in(qtbot, dialog, "hoa.lt")
    qtbot.waitUntil(lambda: window.centralWidget().isVisible())
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
    assert HeldPageStore(store.data_dir).held_ids() == [mai_draft], "kept on disk, for a restart"

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

    # What each citizen's dossier holds, read back from the store and the stored PDFs.
    first_birth_document = service.open(mai_draft).documents[0].name
    first_death_document = service.open(dung_draft).documents[0].name
    assert pdf_pages(service, service.open(mai_draft)) == {first_birth_document: 2}
    assert pdf_pages(service, service.open(dung_draft)) == {first_death_document: 1}
    assert pdf_pages(service, service.open(an_code)) == {}
    assert pdf_pages(service, service.open(mai_code)) == {}
    assert HeldPageStore(store.data_dir).held_ids() == [], "nothing left waiting"
