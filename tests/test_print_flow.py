"""Printing from the window and from the command line, read back from the real PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, QSizeF, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
)
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen import canvas

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService
from counter_app.reception import ReceptionService
from counter_app.settings import Settings
from counter_app.store import Store
from printing.prepare import render_for_code
from tests.support.cli import run
from tests.support.counter_store import MONDAY_MORNING, open_counter
from tests.support.print_flow import check_preview_pages, page_sizes, print_to_file
from tests.support.reception import request
from ui.main_window import MainWindow
from ui.print_preview import (
    PRINT_DPI,
    PdfPreviewDialog,
    Printed,
    load_pdf,
    paint_pdf,
    print_image_size,
)
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_receive_and_print_opens_the_receipt_preview(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
) -> None:
    services = CounterServices.open(store, clock)
    services.user = clerk
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    screen = window.pages["reception"]
    assert isinstance(screen, ReceptionScreen)
    screen.open_request(request(store))
    with qtbot.waitSignal(window.formReady, timeout=15_000) as ready:
        screen.submit()
    form_id, code, pdf = ready.args
    assert form_id == "receipt"
    assert code.endswith("-261116-1001")
    text = pdf_text(pdf)
    assert code in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    preview = window.findChild(PdfPreviewDialog, "printPreview")
    assert preview is not None and preview.isVisible()
    check_preview_pages(qtbot, preview, pdf)
    assert preview.pages[0].width() < preview.pages[0].height(), "an A5 portrait slip"
    printed = print_to_file(qtbot, preview, tmp_path / "printed.pdf")
    assert printed == [(420, 595), (420, 595)], "both copies (liên), A5 portrait"
    saved = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(saved), ""))
    save = preview.findChild(QPushButton, "savePdf")
    assert save is not None
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert saved.read_bytes() == pdf, "the very PDF rendered, not a re-render"
    preview.close()
    services.runner.wait()


def test_preview_prints_every_page_at_the_printers_resolution(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    pdf = render_for_code(store, "receipt", code, Settings())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    document = load_pdf(pdf)
    paint_pdf(document, printer)
    pages = PdfReader(printed).pages
    assert len(pages) == 2, "both copies (liên) reach the printer"
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (420, 595), "A5 portrait"


def test_cli_prints_the_receipt_and_refuses_a_form_with_nothing_to_say(
    tmp_path: Path, clerk: StaffIdentity
) -> None:
    data = tmp_path / "counter"
    store = open_counter(data)
    clock = FixedClock(MONDAY_MORNING)
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    store.close()

    out = tmp_path / "receipt.pdf"
    done = run("--data-dir", str(data), "print", "receipt", code, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert code in pdf_text(out.read_bytes())

    missing = run("--data-dir", str(data), "print", "supplement", code, "--out", str(out))
    assert missing.returncode == 2
    assert "chưa có yêu cầu bổ sung" in missing.stderr

    store = Store.open(data)
    DossierService(store, clock).request_supplement(
        code, ["Bản sao giấy chứng nhận kết hôn của cha mẹ"], "Thiếu giấy tờ", clerk
    )
    store.close()
    form = tmp_path / "supplement.pdf"
    done = run(
        "--data-dir", str(data), "print", "supplement", code, "--out", str(form), "--paper", "A4"
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(form.read_bytes())
    assert "Bản sao giấy chứng nhận kết hôn của cha mẹ" in text
    assert round(float(PdfReader(form).pages[0].mediabox.height)) == 842


@pytest.mark.parametrize("form", ["nonsense"])
def test_cli_rejects_an_unknown_form(tmp_path: Path, form: str) -> None:
    done = run("--data-dir", str(tmp_path), "print", form, "X", "--out", str(tmp_path / "x"))
    assert done.returncode == 2
    assert "lựa chọn không hợp lệ" in done.stderr


def test_each_page_reaches_the_printer_on_its_own_paper(qtbot: QtBot, tmp_path: Path) -> None:
    """A landscape page is printed landscape, not squashed onto the first page's paper."""
    source = io.BytesIO()
    drawing = canvas.Canvas(source, pagesize=A5)
    for size in (A5, landscape(A4), A4):
        drawing.setPageSize(size)
        drawing.rect(20, 20, size[0] - 40, size[1] - 40)
        drawing.showPage()
    drawing.save()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(100)
    printer.setOutputFileName(str(tmp_path / "mixed.pdf"))
    paint_pdf(load_pdf(source.getvalue()), printer)
    assert page_sizes(tmp_path / "mixed.pdf") == [(420, 595), (842, 595), (595, 842)]


def test_a_long_preview_keeps_only_the_pages_near_the_view(qtbot: QtBot) -> None:
    source = io.BytesIO()
    drawing = canvas.Canvas(source, pagesize=landscape(A4))
    for number in range(40):
        drawing.drawString(72, 500, f"Trang {number + 1}")
        drawing.showPage()
    drawing.save()
    preview = PdfPreviewDialog(source.getvalue(), "Sổ", "so.pdf")
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    qtbot.waitUntil(lambda: preview.pages[0].image is not None)
    bar = preview.page_area.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, max(1, bar.pageStep())):
        bar.setValue(value)
        qtbot.wait(5)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: preview.pages[-1].image is not None)
    drawn = [view.page for view in preview.pages if view.image is not None]
    assert preview.pages[0].image is None, "the first page, long out of view, is let go"
    assert 1 <= len(drawn) <= 6, f"only the pages near the view keep an image: {drawn}"


# Qt's own word when QPainter cannot open the printer: the failure this test brings about.
@pytest.mark.qt_log_ignore(r"^QPainter::begin\(\): Returned false$")
def test_a_printer_that_will_not_start_is_named(qtbot: QtBot, tmp_path: Path) -> None:
    source = io.BytesIO()
    drawing = canvas.Canvas(source, pagesize=A5)
    drawing.drawString(72, 500, "Giấy tiếp nhận")
    drawing.showPage()
    drawing.save()
    preview = PdfPreviewDialog(source.getvalue(), "Giấy tiếp nhận", "giay.pdf")
    qtbot.addWidget(preview)
    preview.show()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    unwritable = tmp_path / "no-such-folder" / "giay.pdf"
    printer.setOutputFileName(str(unwritable))
    preview.print_to(printer)
    box = preview.findChild(QMessageBox, "printFailed")
    assert box is not None and box.isVisible(), "not a silent nothing"
    assert str(unwritable) in box.text() and "Lưu PDF" in box.text()
    assert preview.isVisible(), "the preview stays open to try again"


def book(pages: int) -> bytes:
    source = io.BytesIO()
    drawing = canvas.Canvas(source, pagesize=landscape(A4))
    for number in range(pages):
        drawing.drawString(72, 500, f"Trang {number + 1}")
        drawing.showPage()
    drawing.save()
    return source.getvalue()


def test_a_page_for_a_1200_dpi_printer_is_rasterized_at_600_dpi(qtbot: QtBot) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(1200)
    a4_at_1200 = QSizeF(9920, 14032)
    assert print_image_size(a4_at_1200, printer) == QSize(4960, 7016)
    assert PRINT_DPI == 600
    printer.setResolution(300)
    assert print_image_size(QSizeF(2480, 3508), printer) == QSize(2480, 3508), "never upscaled"


def test_printing_a_long_book_can_be_stopped_between_pages(qtbot: QtBot, tmp_path: Path) -> None:
    asked: list[int] = []

    def stop_after_two(page: int) -> bool:
        asked.append(page)
        return page < 2

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(100)
    printer.setOutputFileName(str(tmp_path / "book.pdf"))
    assert paint_pdf(load_pdf(book(6)), printer, stop_after_two) is Printed.STOPPED
    assert asked == [0, 1, 2], "asked before each page, nothing drawn after the stop"


def test_the_preview_shows_progress_and_its_stop_button_stops_the_job(
    qtbot: QtBot, tmp_path: Path
) -> None:
    preview = PdfPreviewDialog(book(8), "Sổ", "so.pdf")
    qtbot.addWidget(preview)
    preview.show()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(100)
    printer.setOutputFileName(str(tmp_path / "so.pdf"))
    seen: list[str] = []

    def press_stop() -> None:
        progress = preview.findChild(QProgressDialog, "printProgress")
        assert progress is not None
        seen.append(progress.labelText())
        progress.cancel()

    QTimer.singleShot(0, press_stop)
    preview.print_to(printer)
    assert seen and "/8" in seen[0], seen
    stopped = preview.findChild(QMessageBox, "printStopped")
    assert stopped is not None and stopped.isVisible()
    assert preview.findChild(QMessageBox, "printFailed") is None
    assert preview.isVisible(), "the preview stays open to print again"
