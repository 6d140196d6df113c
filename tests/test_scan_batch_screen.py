"""The Số hóa screen's separator sheets and batch filing, driven as a postal agent drives them.

The separators are the real printed sheets, scanned as a scanner writes them
(``tests.support.scan_batch``), dropped into the scanner folder the screen
watches; what each dossier holds at the end is read back from the store.
The printed separators go through the preview's own print button and print
dialog to a PDF file, whose barcodes are then decoded as a scanner would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pytestqt.qtbot import QtBot

from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings, save_digitize_settings
from counter_app.scan_batch import SET_ASIDE_FOLDER
from counter_app.separator_codes import read_separator
from counter_app.store import Store
from tests.support.scan_batch import (
    blank_page,
    pages_of,
    scanner_pdf,
    separator,
    text_page,
    two_dossiers,
)
from tests.support.widgets import show_active
from ui.batch_scan import BatchSummaryDialog
from ui.digitize_screen import DigitizeScreen
from ui.print_preview import PdfPreviewDialog
from ui.services import CounterServices


@pytest.fixture
def services(store: Store, clock: FixedClock, clerk: StaffIdentity) -> Iterator[CounterServices]:
    counter = CounterServices.open(store, clock)
    counter.user = clerk
    yield counter
    counter.runner.wait()


@pytest.fixture
def scanner(store: Store, tmp_path: Path) -> Path:
    """The scanner's output folder, chosen in the settings before the screen opens."""
    folder = tmp_path / "may-scan"
    folder.mkdir()
    assert store.data_dir is not None
    save_digitize_settings(store.data_dir, DigitizeSettings(scanner_folder=str(folder)))
    return folder


def open_screen(
    qtbot: QtBot, services: CounterServices, monkeypatch: pytest.MonkeyPatch
) -> DigitizeScreen:
    monkeypatch.setattr("ui.digitize_screen.find_engine", lambda: None)  # no OCR on the side
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    return screen


def test_a_scanned_stack_is_filed_per_document_and_a_stray_page_set_aside(
    qtbot: QtBot,
    services: CounterServices,
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    scanner: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = two_dossiers(store, clock, clerk)
    service = AttachmentService(store, clock)
    screen = open_screen(qtbot, services, monkeypatch)
    assert screen.inbox.folder == scanner
    screen.open_dossier(first)
    assert screen.batch.blank_box.isChecked(), "blank backs are dropped by default"

    # One stack fed in one go; the scanner wrote it as a PDF and, after a jam, one more page.
    stack = [
        text_page(9),  # a page of somebody's papers before any separator: nobody's
        separator(service, first, 1),
        text_page(1),
        blank_page(),
        text_page(2),
        separator(service, first, 2),
        text_page(3),
        separator(service, second, 1),
        text_page(4),
    ]
    scanner_pdf(scanner / "scan-001.pdf", stack)
    (scanner / "scan-002.jpg").write_bytes(text_page(5))
    qtbot.waitUntil(lambda: checked_files(screen) == 2, timeout=20_000)

    read: list[int] = []
    screen.batch.progress.advanced.connect(lambda pages, _where: read.append(pages))
    qtbot.mouseClick(screen.batch.button, Qt.MouseButton.LeftButton)
    assert not screen.batch.button.isEnabled() and screen.batch.bar.isVisible()
    qtbot.waitUntil(lambda: screen.batch.summary is not None, timeout=120_000)
    summary = screen.batch.summary
    assert isinstance(summary, BatchSummaryDialog) and summary.isVisible()
    assert read and read[-1] == 10, "every page's progress reached the window"

    assert (pages_of(service, first, 1), pages_of(service, first, 2)) == (2, 1)
    assert (pages_of(service, second, 1), pages_of(service, second, 2)) == (2, None)
    report = summary.report
    assert [(s.source, s.page) for s in report.set_aside] == [("scan-001.pdf", 1)]
    assert report.blank_dropped == 1
    text = summary.text.toPlainText()
    assert f"Hồ sơ {first}:" in text and f"Hồ sơ {second}:" in text
    assert "Giấy tờ 1." in text and "2 trang" in text
    assert "scan-001.pdf, trang 1: trang nằm trước phiếu tách đầu tiên" in text
    heading = summary.findChild(type(screen.heading), "summaryHeading")
    assert heading is not None
    assert "10 trang từ 2 tệp" in heading.text() and "bỏ 1 trang trắng" in heading.text()

    # Nothing lost: the stray page copied aside with its reason, and its file stays in the
    # scanner folder; the file wholly filed goes once the PDFs read back.
    assert report.folder is not None and report.folder.parent.name == SET_ASIDE_FOLDER
    reasons = (report.folder / "LY-DO.txt").read_text(encoding="utf-8")
    assert "scan-001.pdf, trang 1" in reasons
    qtbot.waitUntil(lambda: not (scanner / "scan-002.jpg").exists(), timeout=20_000)
    assert sorted(p.name for p in scanner.iterdir()) == ["scan-001.pdf"]
    assert screen.inbox.files.count() == 0, "a filed batch leaves the inbox"
    # The dossier open on the screen shows what the batch attached to it.
    assert "Đã đính kèm · 2 trang" in screen.documents.item(0).text()
    summary.close()


def test_turning_blank_pages_off_is_kept_in_the_settings(
    qtbot: QtBot,
    services: CounterServices,
    store: Store,
    scanner: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_screen(qtbot, services, monkeypatch)
    screen.batch.blank_box.click()
    assert store.data_dir is not None
    from counter_app.digitize_settings import load_digitize_settings

    saved = load_digitize_settings(store.data_dir)
    assert saved.drop_blank_pages is False
    assert saved.scanner_folder == str(scanner), "the other settings stay as they were"
    again = open_screen(qtbot, services, monkeypatch)
    assert not again.batch.blank_box.isChecked()


def decoded(path: Path) -> dict[str, str]:
    """The barcodes on the first page of a printed PDF, read as a scanner at 200 dpi reads them."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[0].render(scale=200 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    return {found.format.name: found.text for found in zxingcpp.read_barcodes(image)}


def print_to_file(qtbot: QtBot, preview: PdfPreviewDialog, path: Path) -> PdfReader:
    """Print from the preview's own button and print dialog, the printer being a PDF file."""
    printer = preview.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(300)  # the barcode's narrowest bar must survive the raster
    qtbot.mouseClick(
        preview.toolbar.widgetForAction(preview.print_action), Qt.MouseButton.LeftButton
    )
    dialog = preview.findChild(QPrintDialog, "printDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.accept()
    qtbot.waitUntil(path.exists, timeout=20_000)
    qtbot.waitUntil(lambda: len(PdfReader(path).pages) > 0, timeout=20_000)
    return PdfReader(path)


def test_separators_are_printed_for_the_documents_still_to_scan(
    qtbot: QtBot,
    tmp_path: Path,
    services: CounterServices,
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, _ = two_dossiers(store, clock, clerk)
    service = AttachmentService(store, clock)
    documents = len(service.open(first).documents)
    screen = open_screen(qtbot, services, monkeypatch)
    assert not screen.separator_button.isEnabled(), "no dossier open, nothing to print"
    screen.open_dossier(first)

    qtbot.mouseClick(screen.separator_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: screen.findChild(PdfPreviewDialog, "separatorPreview") is not None, timeout=20_000
    )
    preview = screen.findChild(PdfPreviewDialog, "separatorPreview")
    assert preview is not None and preview.isVisible()
    assert len(preview.pages) == documents, "a sheet for each document still to scan"
    printed = print_to_file(qtbot, preview, tmp_path / "phieu-tach.pdf")
    assert len(printed.pages) == documents
    page = printed.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (420, 595)
    codes = decoded(tmp_path / "phieu-tach.pdf")
    for kind in ("Code128", "QRCode"):
        sheet = read_separator(codes[kind])
        assert (sheet.target, sheet.document) == (first, 1), kind
    preview.close()
    qtbot.waitUntil(lambda: screen.findChild(PdfPreviewDialog, "separatorPreview") is None)

    # The chosen document alone (Ctrl+Shift+P), here the second.
    with qtbot.waitActive(screen):
        screen.activateWindow()
    screen.choose_document(2)
    screen.documents.setFocus()
    qtbot.keyClick(
        screen.documents,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(
        lambda: screen.findChild(PdfPreviewDialog, "separatorPreview") is not None,
        timeout=20_000,
    )
    alone = screen.findChild(PdfPreviewDialog, "separatorPreview")
    assert alone is not None and len(alone.pages) == 1
    printed = print_to_file(qtbot, alone, tmp_path / "mot-phieu.pdf")
    sheet = read_separator(decoded(tmp_path / "mot-phieu.pdf")["QRCode"])
    assert (sheet.target, sheet.document) == (first, 2)
    alone.close()


def checked_files(screen: DigitizeScreen) -> int:
    """Files the scanner inbox has checked and lists, ready to be filed."""
    files = screen.inbox.files
    return sum(
        files.item(row).data(Qt.ItemDataRole.UserRole) is not None for row in range(files.count())
    )
