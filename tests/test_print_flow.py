"""Printing from the window and from the command line, read back from the real PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService
from counter_app.reception import ReceptionService
from counter_app.settings import Settings
from counter_app.store import Store
from printing.prepare import render_for_code
from tests.conftest import MONDAY_MORNING, open_counter
from tests.test_cli import run
from tests.test_reception import request
from ui.main_window import MainWindow
from ui.print_preview import PdfPreviewDialog, load_pdf, paint_pdf
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_receive_and_print_opens_the_receipt_preview(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
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
    assert "invalid choice" in done.stderr
