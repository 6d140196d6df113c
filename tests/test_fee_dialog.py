"""The fee dialog driven as a clerk does: pages of a certified copy, electronic receipts,
"Hủy biên lai".

Sources: Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP (receipt
numbers, spoiled receipts, electronic receipts); Circular 226/2016/TT-BTC (per page).
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.models import FeePayment, FeeReceipt
from counter_app.store import Store
from tests.support.fees import CERTIFIED_COPY, dossier, services_for
from tests.support.returns import due_of, ready
from tests.support.returns_screen import HUMAN_MS, type_into
from ui.fee_fields import FeeDialog, FeeFields
from ui.returns_screen import ReturnsScreen


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def type_pages(qtbot: QtBot, fields: FeeFields, pages: str) -> None:
    fields.pages.selectAll()
    # At a person's pace: the returns screen takes fast digits for a barcode scanner's.
    qtbot.keyClicks(fields.pages, pages, delay=HUMAN_MS)


def test_the_dialog_computes_a_certified_copys_fee_from_its_pages(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Circular 226/2016/TT-BTC: 2.000 đ for each of the first two pages, 1.000 đ from the
    # third, at most 200.000 đ a copy.
    services = services_for(store, clock, clerk)
    code = dossier(store, clock, clerk, 1, procedure_code=CERTIFIED_COPY)
    dialog = FeeDialog(services, code)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields.pages.isVisible() and dialog.fields.amount.isReadOnly()
    assert not dialog.fields.e_number.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert dialog.fields.errors["fee_pages"].isVisible()
    assert "số trang" in dialog.fields.errors["fee_pages"].text()
    for pages, amount in (("1", "2.000"), ("2", "4.000"), ("3", "5.000"), ("200", "200.000")):
        type_pages(qtbot, dialog.fields, pages)
        assert dialog.fields.amount.text() == amount
        assert dialog.fields.computed.text() == f"{pages} trang: {amount} đồng"
    type_pages(qtbot, dialog.fields, "3")
    with (
        qtbot.waitSignal(dialog.collected) as collected,
        qtbot.waitSignal(dialog.pdfReady, timeout=15_000) as printed,
    ):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    paid = collected.args[0]
    assert (paid.amount_vnd, paid.pages, paid.receipt_number_label) == (5000, 3, "0000001")
    receipt = text_of(printed.args[1])
    assert "Số: 0000001" in receipt and "Số tiền: 5.000 đồng" in receipt
    assert "Số trang: 3" in receipt
    services.runner.wait()


def test_electronic_receipts_are_typed_in_and_nothing_is_printed(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32 as amended by Decree 70/2025: the provider's receipt number
    # and look-up code are recorded against the payment.
    services = services_for(store, clock, clerk, receipt_mode="electronic")
    code = dossier(store, clock, clerk, 1)
    dialog = FeeDialog(services, code)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields.e_number.isVisible() and dialog.fields.e_lookup.isVisible()
    assert dialog.ok_button.text() == "Ghi nhận"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert dialog.isVisible() and dialog.fields.errors["e_receipt_number"].isVisible()
    assert dialog.fields.errors["e_receipt_lookup"].isVisible()
    qtbot.keyClicks(dialog.fields.e_number, "0000123")
    qtbot.keyClicks(dialog.fields.e_lookup, "K7Q2ZX91AB")  # as a scanner types it
    with (
        qtbot.assertNotEmitted(dialog.pdfReady, wait=300),
        qtbot.waitSignal(dialog.collected) as collected,
    ):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert (collected.args[0].e_receipt_number, collected.args[0].e_receipt_lookup) == (
        "0000123",
        "K7Q2ZX91AB",
    )
    with store.read() as session:
        assert session.scalars(select(FeeReceipt)).all() == []
        stored = session.scalars(select(FeePayment)).one()
        assert (stored.e_receipt_number, stored.e_receipt_lookup) == ("0000123", "K7Q2ZX91AB")
    services.runner.wait()


def test_huy_bien_lai_keeps_the_number_and_prints_the_next(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: a spoiled receipt keeps its
    # number and is marked cancelled; no gap in the series.
    services = services_for(store, clock, clerk)
    code = dossier(store, clock, clerk, 1)
    first = FeeDialog(services, code)
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.pdfReady, timeout=15_000):
        qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    again = FeeDialog(services, code)
    qtbot.addWidget(again)
    again.show()
    assert again.spoil_button.isVisible() and not again.ok_button.isVisible()
    assert "ký hiệu AA-25P, số 0000001" in again.receipt_label.text()
    qtbot.mouseClick(again.spoil_button, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert again.isVisible() and again.spoil_errors["cancel_reason"].isVisible()
    type_into(qtbot, again.spoil_reason, "Kẹt giấy")
    with (
        qtbot.waitSignal(again.collected) as collected,
        qtbot.waitSignal(again.pdfReady, timeout=15_000) as printed,
    ):
        qtbot.mouseClick(again.spoil_button, Qt.MouseButton.LeftButton)
    assert collected.args[0].receipt_number_label == "0000002"
    assert "Số: 0000002" in text_of(printed.args[1])
    with store.read() as session:
        rows = session.scalars(select(FeeReceipt).order_by(FeeReceipt.number)).all()
        assert [(r.number, r.cancel_reason) for r in rows] == [(1, "Kẹt giấy"), (2, None)]
    services.runner.wait()


def test_the_returns_screen_charges_a_copy_by_its_pages_and_spoils_its_receipt(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Circular 226/2016/TT-BTC (per page); Decree 123/2020 art. 32(2) as amended by Decree
    # 70/2025 (a spoiled receipt keeps its number, the payment takes the next).
    code = dossier(store, clock, clerk, 1, procedure_code=CERTIFIED_COPY)
    ready(store, clock, clerk, code, due_of(store, code).replace(hour=8))
    clock.advance(hours=2)
    services = services_for(store, clock, clerk)
    screen = ReturnsScreen(services, preview=False)
    qtbot.addWidget(screen)
    screen.resize(1060, 760)
    screen.show()
    screen.table.selectRow(0)
    assert screen.fee_fields.pages.isVisible() and "tối đa 200.000 đ/bản" in screen.fee_state.text()
    type_pages(qtbot, screen.fee_fields, "4")
    assert screen.fee_fields.computed.text() == "4 trang: 6.000 đồng"
    printed: list[tuple[str, bytes]] = []
    screen.pdfReady.connect(lambda title, pdf: printed.append((title, pdf)))
    with qtbot.waitSignal(screen.returned, timeout=15_000):
        qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=15_000)
    receipt = text_of(printed[1][1])
    assert "Số tiền: 6.000 đồng" in receipt and "Số: 0000001" in receipt
    assert "Đã thu 6.000 đồng (tiền mặt), biên lai ký hiệu AA-25P số 0000001" in text_of(
        printed[0][1]
    )
    assert screen.spoil_button.isVisible()
    qtbot.mouseClick(screen.spoil_button, Qt.MouseButton.LeftButton)
    dialog = screen.findChild(FeeDialog, "spoilDialog")
    assert dialog is not None and dialog.spoil_button.isVisible()
    type_into(qtbot, dialog.spoil_reason, "Mực mờ")
    qtbot.mouseClick(dialog.spoil_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 3, timeout=15_000)
    assert "Số: 0000002" in text_of(printed[2][1])
    services.runner.wait()


def test_with_electronic_receipts_the_return_prints_the_slip_only(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32 as amended by Decree 70/2025: the provider issues an electronic
    # receipt; the counter records its number and look-up code and prints no receipt.
    code = dossier(store, clock, clerk, 1)
    ready(store, clock, clerk, code, due_of(store, code).replace(hour=8))
    clock.advance(hours=2)
    services = services_for(store, clock, clerk, receipt_mode="electronic")
    screen = ReturnsScreen(services, preview=False)
    qtbot.addWidget(screen)
    screen.resize(1060, 760)
    screen.show()
    screen.table.selectRow(0)
    assert screen.fee_fields.e_number.isVisible() and screen.fee_fields.e_lookup.isVisible()
    type_into(qtbot, screen.fee_fields.e_number, "0000456")
    type_into(qtbot, screen.fee_fields.e_lookup, "TRACUU-456")
    printed: list[tuple[str, bytes]] = []
    screen.pdfReady.connect(lambda title, pdf: printed.append((title, pdf)))
    with qtbot.waitSignal(screen.returned, timeout=15_000):
        qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=15_000)
    services.runner.wait()
    assert [title for title, _ in printed] == [f"Phiếu bàn giao kết quả — {code}"]
    assert "biên lai điện tử số 0000456" in text_of(printed[0][1])
    assert not screen.spoil_button.isVisible()
    with store.read() as session:
        stored = session.scalars(select(FeePayment)).one()
        assert (stored.e_receipt_number, stored.e_receipt_lookup) == ("0000456", "TRACUU-456")
        assert stored.receipt_number is None
