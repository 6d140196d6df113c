"""The 2025 dossier book (form 07): "Phương thức nhận kết quả", and one book per field.

MOH 3621/QĐ-BYT (24/11/2025, reproducing the forms): the book has a column for
how the applicant takes the result and is kept per field (lĩnh vực).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_book import load_book
from counter_app.reception import ReceptionService
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.settings import Settings
from counter_app.store import Store
from printing.report_print import book_pdf
from tests.support.counter_store import UNIT_CODE
from tests.support.reception import full_checklist, request
from tests.support.returns import ready, receive
from ui.reports_screen import ReportsScreen
from ui.services import CounterServices

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))


def text_of(pdf: bytes) -> str:
    """The PDF's text, runs of whitespace made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# The book -----------------------------------------------------------------------


def test_the_book_has_the_return_method_and_prints_per_field(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # MOH 3621/QĐ-BYT: the book has "Phương thức nhận kết quả" and is kept per field.
    reception = ReceptionService(store, clock)
    birth = reception.receive(
        request(store, return_method="post", return_address="Số 3 Lê Lợi, Hạc Thành"), clerk
    )
    clock.advance(minutes=10)
    copy = reception.receive(
        request(store, procedure_code="2.000815", documents=full_checklist(store, "2.000815")),
        clerk,
    )
    day = clock.now().date()
    with store.read() as session:
        whole = load_book(session, UNIT_CODE, day, day)
        civil = load_book(session, UNIT_CODE, day, day, "Hộ tịch")
    assert [line.code for line in whole.lines] == [birth.code, copy.code]
    assert [line.return_label for line in whole.lines] == [
        "Qua dịch vụ bưu chính công ích",
        "Tại Bộ phận Một cửa",
    ]
    assert [line.code for line in civil.lines] == [birth.code]
    text = text_of(book_pdf(civil, Settings(), clock.now()))
    assert "Phương thức nhận kết quả" in text and "(15)" in text
    assert "Lĩnh vực: Hộ tịch" in text
    assert "Qua dịch vụ bưu chính công ích" in text
    assert copy.code.split("-", 1)[1] not in text


def test_the_book_shows_how_the_result_was_actually_taken(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Registered for the post, collected at the counter after all: the book says how it went.
    day = clock.now().date()
    code = receive(
        store, clock, clerk, procedure_code="1.001193", return_method="post",
        return_address="Số 3 Lê Lợi, Hạc Thành",
    )  # fmt: skip
    ready(store, clock, clerk, code, clock.now() + dt.timedelta(hours=3))
    ReturnService(store, clock).hand_over(
        ReturnRequest(code, recipient_name="Trần Thị Mai", recipient_cccd="001190012345"),
        clerk,
    )
    with store.read() as session:
        (line,) = load_book(session, UNIT_CODE, day, day).lines
    assert line.return_label == "Tại Bộ phận Một cửa"


def test_the_cli_prints_the_book_of_one_field(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    # MOH 3621/QĐ-BYT: the dossier book is kept per field (lĩnh vực).
    reception = ReceptionService(store, clock)
    birth = reception.receive(request(store), clerk)
    copy = reception.receive(
        request(store, procedure_code="2.000815", documents=full_checklist(store, "2.000815")),
        clerk,
    )
    assert store.data_dir is not None
    out = tmp_path / "so.pdf"
    day = f"{clock.now():%Y-%m-%d}"
    done = subprocess.run(
        [COUNTER_APP, "report", "book", "--from", day, "--to", day, "--field", "ho tich",
         "--data-dir", str(store.data_dir), "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "lĩnh vực Hộ tịch" in done.stdout and "1 hồ sơ" in done.stdout
    text = text_of(out.read_bytes())
    assert birth.code.split("-", 1)[1] in text and copy.code.split("-", 1)[1] not in text
    wrong = subprocess.run(
        [COUNTER_APP, "report", "book", "--from", day, "--to", day, "--field", "Đất đai",
         "--data-dir", str(store.data_dir), "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert wrong.returncode == 2
    assert "Không có lĩnh vực “Đất đai” trong danh mục" in wrong.stderr
    assert "Hộ tịch" in wrong.stderr


def test_the_reports_screen_prints_the_book_of_the_chosen_field(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # MOH 3621/QĐ-BYT: the dossier book is kept per field (lĩnh vực).
    reception = ReceptionService(store, clock)
    birth = reception.receive(request(store), clerk)
    copy = reception.receive(
        request(store, procedure_code="2.000815", documents=full_checklist(store, "2.000815")),
        clerk,
    )
    services = CounterServices.open(store, clock)
    services.user = clerk
    screen = ReportsScreen(services, preview=False)
    qtbot.addWidget(screen)
    screen.show()
    choices = [screen.book_field.itemText(i) for i in range(screen.book_field.count())]
    assert choices[0] == "Sổ: tất cả lĩnh vực" and "Sổ: Hộ tịch" in choices
    screen.book_field.setFocus()
    while screen.book_field.currentData() != "Hộ tịch":
        qtbot.keyClick(screen.book_field, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.pdfReady, timeout=30_000) as printed:
        qtbot.mouseClick(screen.book_button, Qt.MouseButton.LeftButton)
    text = text_of(printed.args[1])
    assert "Lĩnh vực: Hộ tịch" in text
    assert birth.code.split("-", 1)[1] in text and copy.code.split("-", 1)[1] not in text
    services.runner.wait()
