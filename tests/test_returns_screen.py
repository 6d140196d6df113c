"""The returns screen as a clerk uses it: scan, check who takes the result, take the fee, print."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.models import Dossier, FeePayment
from counter_app.result_scans import ResultScanService
from counter_app.roles import Role
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.returns import (
    APPLICANT_CCCD,
    OTHER_CCCD,
    receive,
    results_waiting,
)
from tests.support.returns_screen import choose_result_files, type_into
from ui.fee_fields import FeeDialog
from ui.returns_screen import ReturnsScreen
from ui.services import CounterServices


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def open_screen(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> ReturnsScreen:
    services = CounterServices.open(store, clock)
    services.user = clerk
    screen = ReturnsScreen(services, preview=False)
    qtbot.addWidget(screen)
    screen.resize(1060, 760)
    screen.show()
    return screen


def replace_text(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    type_into(qtbot, field, text)


def test_a_scanned_result_goes_to_a_representative_with_its_fee(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    paying, free = results_waiting(store, clock, clerk)
    screen = open_screen(qtbot, store, clock, clerk)
    assert screen.table.rowCount() == 2
    assert not screen.submit_button.isEnabled(), "nothing chosen yet"

    # A USB scanner types the code fast and presses Enter, wherever the focus is.
    screen.table.setFocus()
    qtbot.keyClicks(screen.table, paying)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    assert screen.search.text() == paying
    assert screen.recipient.text() == "Trần Thị Mai" and screen.cccd.text() == APPLICANT_CCCD
    assert screen.fee_box.isChecked() and screen.fee_fields.amount.text() == "15.000"

    # Someone else's CCCD without saying they are a representative is refused, by field.
    replace_text(qtbot, screen.cccd, OTHER_CCCD)
    qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.errors["recipient_cccd"].isVisible())
    assert "khác với số của người nộp hồ sơ" in screen.errors["recipient_cccd"].text()

    qtbot.mouseClick(screen.representative, Qt.MouseButton.LeftButton)
    assert screen.recipient.text() == "" and screen.cccd.text() == ""
    type_into(qtbot, screen.recipient, "Lê Văn Hùng")
    type_into(qtbot, screen.cccd, OTHER_CCCD)
    type_into(qtbot, screen.note, "Giấy ủy quyền số 12/UQ")
    screen.fee_fields.method.setCurrentIndex(screen.fee_fields.method.findData("transfer"))
    qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)  # no transfer reference
    qtbot.waitUntil(lambda: screen.fee_fields.errors["fee_reference"].isVisible())
    assert (
        screen.fee_fields.errors["fee_reference"].text() == "Chưa nhập mã giao dịch chuyển khoản."
    )
    type_into(qtbot, screen.fee_fields.reference, "FT25320123456")

    printed: list[tuple[str, bytes]] = []
    screen.pdfReady.connect(lambda title, pdf: printed.append((title, pdf)))
    with qtbot.waitSignal(screen.returned, timeout=15_000) as returned:
        qtbot.keyClick(screen.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert returned.args[0].code == paying and returned.args[0].fee_payment_id
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=15_000)
    (slip_title, slip), (receipt_title, receipt) = printed
    assert slip_title == f"Phiếu bàn giao kết quả — {paying}"
    assert "Lê Văn Hùng (người được ủy quyền)" in text_of(slip)
    assert receipt_title == f"Biên lai thu phí, lệ phí — {paying}"
    assert "Bằng chữ: Mười lăm nghìn đồng." in text_of(receipt)
    with store.read() as session:
        assert session.scalar(select(Dossier.status).where(Dossier.code == paying)) == "returned"
        assert session.scalar(select(FeePayment.reference)) == "FT25320123456"
    assert screen.table.rowCount() == 1 and screen.search.text() == ""
    assert screen.rows[0].code == free
    screen.services.runner.wait()


def test_a_free_result_goes_to_the_post_with_its_item_number(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    _paying, free = results_waiting(store, clock, clerk)
    screen = open_screen(qtbot, store, clock, clerk)
    type_into(qtbot, screen.search, free[-4:])  # the tail of the code on the slip
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert [row.code for row in screen.rows] == [free]
    assert screen.fee_box.isHidden() is False and not screen.fee_box.isChecked()
    qtbot.mouseClick(screen.by_post, Qt.MouseButton.LeftButton)
    assert screen.tracking.isEnabled()
    qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.errors["tracking_number"].isVisible())
    assert screen.errors["tracking_number"].text() == "Chưa nhập mã bưu gửi (số hiệu bưu phẩm)."
    type_into(qtbot, screen.tracking, "EB123456789VN")
    printed: list[bytes] = []
    screen.pdfReady.connect(lambda _title, pdf: printed.append(pdf))
    with qtbot.waitSignal(screen.returned, timeout=15_000):
        qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=15_000)
    assert "mã bưu gửi: EB123456789VN" in text_of(printed[0])
    assert "NHÂN VIÊN BƯU CHÍNH" in text_of(printed[0])
    screen.services.runner.wait()


def test_the_fee_taken_at_reception_prints_its_receipt(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services = CounterServices.open(store, clock)
    services.user = clerk
    code = receive(store, clock, clerk)
    dialog = FeeDialog(services, code)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields.amount.text() == "15.000"
    assert "Lệ phí 15.000 đồng/lần" in dialog.fields.note.text()
    dialog.fields.method.setCurrentIndex(dialog.fields.method.findData("exempt"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert dialog.isVisible() and dialog.fields.errors["exemption_reason"].isVisible()
    dialog.fields.method.setCurrentIndex(dialog.fields.method.findData("cash"))
    replace_text(qtbot, dialog.fields.amount, "20000")  # a per-page charge: more than the catalog's
    with (
        qtbot.waitSignal(dialog.collected) as collected,
        qtbot.waitSignal(dialog.pdfReady, timeout=15_000) as printed,
    ):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert collected.args[0].amount_vnd == 20000 and collected.args[0].stage == "reception"
    assert "Bằng chữ: Hai mươi nghìn đồng." in text_of(printed.args[1])
    assert not dialog.isVisible()
    services.runner.wait()


def test_a_result_is_digitized_from_files_chosen_on_the_returns_screen(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    paying, _free = results_waiting(store, clock, clerk)
    screen = open_screen(qtbot, store, clock, clerk)
    screen.table.selectRow([r.code for r in screen.rows].index(paying))
    assert screen.current is not None and screen.current.code == paying
    assert screen.result_state.text() == "Kết quả chưa được số hóa."
    assert screen.digitize_result_button.isVisible()
    files.write(tmp_path, "hong.pdf", files.jpeg())
    files.write(tmp_path, "ket-qua.png", files.png(seed=7))
    files.write(tmp_path, "trang2.pdf", files.pdf(1))

    # A file that is not what its name says: named, with the dossier, and nothing kept.
    qtbot.mouseClick(screen.digitize_result_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.failed, timeout=15_000) as failed:
        choose_result_files(qtbot, screen, tmp_path, ["hong.pdf"])
    assert failed.args[0].startswith(f"Chưa số hóa được kết quả của hồ sơ {paying}: ")
    assert "Tệp «hong.pdf» có đuôi .pdf nhưng nội dung là ảnh JPEG" in failed.args[0]
    with store.read() as session:
        assert session.scalar(select(Dossier.result_sha256).where(Dossier.code == paying)) is None

    screen.activateWindow()
    screen.table.setFocus()
    qtbot.waitUntil(screen.table.hasFocus)
    qtbot.keyClick(screen.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(screen.message, timeout=15_000) as told:
        choose_result_files(qtbot, screen, tmp_path, ["ket-qua.png", "trang2.pdf"])
    assert told.args[0].startswith(f"Đã số hóa kết quả của hồ sơ {paying}: 2 trang")
    row = [r.code for r in screen.rows].index(paying)
    qtbot.waitUntil(lambda: screen.table.item(row, 5).text().startswith("✓"))
    assert screen.result_state.text() == f"Kết quả đã được số hóa lúc {clock.now():%H:%M %d/%m/%Y}."
    scan = ResultScanService(store, clock).open(paying)
    assert scan.page_count == 2 and scan.digitized_by == clerk.username
    screen.services.runner.wait()


def test_a_postal_agent_is_not_offered_the_result_scan(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    results_waiting(store, clock, clerk)
    agent = dataclasses.replace(clerk, username="buudien", role=Role.POSTAL_AGENT)
    screen = open_screen(qtbot, store, clock, agent)
    screen.table.selectRow(0)
    assert not screen.digitize_result_button.isVisible()
    screen.choose_result_files()
    assert not screen.findChildren(QFileDialog, "resultFilesDialog")
