"""The window's signing: "Ký số" hidden without a token, signing on a SoftHSM2 token, and the
digitizing screen's question when a given PDF's signature is broken."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.result_scans import ResultScanService
from counter_app.signed_copies import statuses
from counter_app.signing import SigningSettings, save_signing_settings, sign_pdf
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.digitize_screen import click_row, drop_files
from tests.support.main_window import window_for
from tests.support.reception import request
from tests.support.returns import due_of, ready, receive
from tests.support.scans import made_pdf
from tests.support.signing import (
    KEY_LABEL,
    TOKEN_LABEL,
    USER_PIN,
    Issued,
    process_token,
    shared_pki,
    softhsm_module,
    software_signer,
)
from tests.support.widgets import show_active
from ui.digitize_screen import DigitizeScreen
from ui.dossier_detail import DossierDetailDialog
from ui.main_window import MainWindow
from ui.print_preview import PdfPreviewDialog
from ui.services import CounterServices
from ui.sign_action import RESULT, SignAction


@pytest.fixture(scope="module")
def ca() -> Issued:
    return shared_pki()[0]


@pytest.fixture(scope="module")
def centre() -> Issued:
    return shared_pki()[1]


@pytest.fixture
def services(store: Store, clock: FixedClock, clerk: StaffIdentity) -> Iterator[CounterServices]:
    counter = CounterServices.open(store, clock)
    counter.user = clerk
    yield counter
    counter.runner.wait()


def with_scan(store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path) -> str:
    from counter_app.digitize_settings import DigitizeSettings
    from counter_app.reception import ReceptionService
    from counter_app.signed_copies import attach_checked

    code = ReceptionService(store, clock).receive(request(store), clerk).code
    assert code is not None
    page = files.write(tmp_path, "to-khai.png", files.png(seed=4))
    service = AttachmentService(store, clock)
    attach_checked(service, code, 1, [page], clerk, DigitizeSettings(), SigningSettings())
    return code


def detail_of(window: MainWindow) -> DossierDetailDialog:
    """The dossier window open now (a closed one may linger until Qt deletes it)."""
    shown = [d for d in window.findChildren(DossierDetailDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_without_a_token_the_sign_action_is_hidden(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = with_scan(store, clock, clerk, tmp_path)
    window = window_for(qtbot, store, clock, clerk)
    window.open_dossier(code)
    dialog = detail_of(window)
    action = dialog.findChild(SignAction, "signAction")
    assert action is not None and not action.isVisible()
    button = dialog.findChild(QPushButton, "signDocument")
    assert button is not None and not button.isVisible()
    documents = dialog.detail.documents
    assert documents.item(0, 5).text() == "Có (PDF)"

    # A module named that is not on this PC: still hidden, not broken.
    assert store.data_dir is not None
    save_signing_settings(
        store.data_dir,
        SigningSettings(pkcs11_module=str(tmp_path / "khong-co.so"), key_label="k"),
    )
    dialog.close()
    window.open_dossier(code)
    hidden = detail_of(window).findChild(SignAction, "signAction")
    assert hidden is not None and not hidden.isVisible()


def test_a_broken_signature_is_asked_about_and_kept_only_when_the_person_says_so(
    qtbot: QtBot, tmp_path: Path, services: CounterServices, clerk: StaffIdentity,
    ca: Issued, centre: Issued,
) -> None:  # fmt: skip
    ca_file, _ = ca.write(tmp_path, "ca")
    assert services.store.data_dir is not None
    save_signing_settings(services.store.data_dir, SigningSettings(trust_roots=(str(ca_file),)))
    signer_folder = tmp_path / "signer"
    signer_folder.mkdir()
    signed = sign_pdf(files.pdf(1), software_signer(centre, ca, signer_folder))
    broken = signed.replace(b"595", b"596", 1)
    code = services.reception.receive(request(services.store), clerk).code
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    screen.open_dossier(code)
    click_row(qtbot, screen.documents, 1)
    drop_files(screen.strip, [files.write(tmp_path, "ban-sao-sua.pdf", broken)])
    qtbot.waitUntil(lambda: screen.strip.count() == 1, timeout=10_000)

    screen.assemble_and_attach()
    qtbot.waitUntil(lambda: screen.findChild(QMessageBox, "signatureQuestion") is not None)
    question = screen.findChild(QMessageBox, "signatureQuestion")
    assert "Tệp ban-sao-sua.pdf có chữ ký số KHÔNG hợp lệ" in question.text()
    service = AttachmentService(services.store, services.clock)
    assert service.open(code).slot(2).attachment_sha256 is None, "nothing stored yet"
    assert screen.strip.count() == 1, "the pages stay on the tray"

    keep = question.findChild(QPushButton, "signatureKeep")
    with qtbot.waitSignal(screen.attached, timeout=15_000):
        keep.click()
    sha = service.open(code).slot(2).attachment_sha256
    assert sha is not None and service.read_pdf(sha) == broken
    with services.store.read() as session:
        assert statuses(session, [sha])[sha].kind == "invalid"


@pytest.mark.skipif(softhsm_module() is None, reason="SoftHSM2 không được cài")
def test_the_sign_action_signs_on_the_token_and_the_detail_shows_the_signature(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    ca: Issued,
) -> None:  # fmt: skip
    token = process_token()
    assert token is not None
    module = token.module
    ca_file, _ = ca.write(tmp_path, "ca")
    code = with_scan(store, clock, clerk, tmp_path)
    assert store.data_dir is not None
    save_signing_settings(
        store.data_dir,
        SigningSettings(
            pkcs11_module=module,
            token_label=TOKEN_LABEL,
            key_label=KEY_LABEL,
            trust_roots=(str(ca_file),),
        ),
    )
    window = window_for(qtbot, store, clock, clerk)
    window.open_dossier(code)
    action = detail_of(window).findChild(SignAction, "signAction")
    assert action is not None and action.isVisible()
    assert action.document.count() == 1
    with qtbot.waitSignal(action.signed, timeout=30_000) as signed:
        action.sign(1, USER_PIN)
    assert "Đã ký số giấy tờ 1" in signed.args[0]
    assert "chữ ký số hợp lệ" in signed.args[0]

    shown = lambda: [d for d in window.findChildren(DossierDetailDialog) if d.isVisible()]  # noqa: E731
    qtbot.waitUntil(lambda: not shown())  # the dossier changed: its window closes
    window.open_dossier(code)
    cell = detail_of(window).detail.documents.item(0, 5).text()
    assert cell.startswith("Có (PDF, chữ ký số hợp lệ: Trung tâm")


def test_the_detail_shows_the_result_scan_opens_it_and_signs_it_on_the_token(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    ca: Issued,
) -> None:  # fmt: skip
    code = receive(store, clock, clerk)
    ready(store, clock, clerk, code, due_of(store, code).replace(hour=8))
    window = window_for(qtbot, store, clock, clerk)
    window.open_dossier(code)
    detail = detail_of(window).detail
    assert detail.result_label.text() == "Bản số hóa kết quả giải quyết: chưa có."
    assert not detail.result_button.isVisible()
    detail_of(window).close()

    clock.advance(minutes=15)
    ResultScanService(store, clock).attach(code, made_pdf(51, 52), clerk)
    window.open_dossier(code)
    detail = detail_of(window).detail
    assert detail.result_label.text() == (
        f"Bản số hóa kết quả giải quyết: 2 trang, số hóa lúc {clock.now():%d/%m/%Y %H:%M}."
    )
    qtbot.mouseClick(detail.result_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            d.isVisible() for d in window.findChildren(PdfPreviewDialog, "resultScanPreview")
        ),
        timeout=10_000,
    )
    for preview in window.findChildren(PdfPreviewDialog, "resultScanPreview"):
        preview.close()

    token = process_token()
    if token is None:
        pytest.skip("SoftHSM2 không được cài (apt-get install softhsm2)")
    ca_file, _ = ca.write(tmp_path, "ca")
    assert store.data_dir is not None
    save_signing_settings(
        store.data_dir,
        SigningSettings(
            pkcs11_module=token.module,
            token_label=TOKEN_LABEL,
            key_label=KEY_LABEL,
            trust_roots=(str(ca_file),),
        ),
    )
    detail_of(window).close()
    window.open_dossier(code)
    action = detail_of(window).findChild(SignAction, "signAction")
    assert action is not None and action.isVisible()
    choices = [action.document.itemText(i) for i in range(action.document.count())]
    assert choices[-1] == "Kết quả giải quyết"
    with qtbot.waitSignal(action.signed, timeout=30_000) as signed:
        action.sign(RESULT, USER_PIN)
    assert signed.args[0].startswith(f"Đã ký số bản số hóa kết quả của hồ sơ {code}.")
    qtbot.waitUntil(
        lambda: not [d for d in window.findChildren(DossierDetailDialog) if d.isVisible()]
    )
    window.open_dossier(code)
    text = detail_of(window).detail.result_label.text()
    assert "2 trang" in text and "chữ ký số hợp lệ: Trung tâm" in text
