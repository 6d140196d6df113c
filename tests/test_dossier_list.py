"""The dossier list on screen: a big store scrolls without loading it, codes open, filters count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_query import RUNNING_STATUSES
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.lifecycle import Status
from counter_app.models import Dossier
from counter_app.reception import Receipt, ReceptionService
from counter_app.store import Store
from tests.support.counter_store import applicant, open_counter
from tests.support.dossier_list import HUMAN_MS, shown
from tests.support.planted_dossiers import BIG, BIG_NOW, Planted, newest_first, plant
from tests.support.reception import request
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_list import DUE, DossierListWidget


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[Planted]]]:
    store = open_counter(tmp_path_factory.mktemp("big-list") / "counter")
    planted = plant(store, BIG)
    yield store, planted
    store.close()


def scan(qtbot: QtBot, target: QWidget, text: str) -> None:
    """What a keyboard-wedge scanner does: the characters at scanner speed, then Enter.

    Sent back to back, without running the event loop between keys: a scanner's
    gap is a few milliseconds, and a ``delay`` that waits in the event loop can
    stretch past the wedge's limit on a busy machine, turning a scan into typing.
    """
    for char in text:
        qtbot.keyClick(target, char)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def received(store: Store, clock: FixedClock, clerk: StaffIdentity) -> list[Receipt]:
    reception = ReceptionService(store, clock)
    first = reception.receive(request(store), clerk)
    clock.advance(minutes=20)
    other = applicant(
        full_name="Lê Văn Hải", cccd="038092004567", date_of_birth=dt.date(1992, 4, 4), sex="male"
    )
    second = reception.receive(request(store, applicant=other), clerk)
    clock.advance(minutes=20)
    third = reception.receive(request(store), clerk)
    DossierService(store, clock).record(third.code, "processing_started", clerk)
    return [first, second, third]


@pytest.mark.slow
def test_a_hundred_thousand_dossiers_scroll_to_the_bottom_reading_few(
    qtbot: QtBot, big: tuple[Store, list[Planted]]
) -> None:
    store, planted = big
    widget = DossierListWidget(store, FixedClock(BIG_NOW))
    shown(qtbot, widget)
    expected = newest_first(planted)
    model = widget.model
    assert model.rowCount() == BIG
    assert widget.count_label.text() == "100.000 hồ sơ"
    assert model.index(0, 0).data() == expected[0].code

    widget.table.scrollToBottom()
    qtbot.wait(50)
    last = widget.table.rowAt(widget.table.viewport().height() - 2)
    assert last == BIG - 1
    assert model.index(last, 0).data() == expected[-1].code
    assert model.rows_fetched < 2_000, "only the pages painted may be read"
    widget.table.scrollToTop()
    qtbot.wait(50)
    assert model.rows_fetched < 2_000


@pytest.mark.slow
def test_status_and_overdue_filters_change_the_count(
    qtbot: QtBot, big: tuple[Store, list[Planted]]
) -> None:
    store, planted = big
    widget = DossierListWidget(store, FixedClock(BIG_NOW))
    shown(qtbot, widget)
    # Not while waiting for a supplement: Decree 297/2025 art. 6(4)(a).
    overdue = [p for p in planted if p.status in RUNNING_STATUSES and p.due_at < BIG_NOW]

    qtbot.mouseClick(widget.overdue, Qt.MouseButton.LeftButton)
    assert widget.model.rowCount() == len(overdue) > 0
    assert widget.model.index(0, DUE).data(Qt.ItemDataRole.BackgroundRole) is not None

    widget.status.setCurrentIndex(widget.status.findData(Status.IN_PROCESSING.value))
    waiting = [p for p in overdue if p.status == Status.IN_PROCESSING]
    assert widget.model.rowCount() == len(waiting) > 0

    qtbot.mouseClick(widget.overdue, Qt.MouseButton.LeftButton)
    all_waiting = [p for p in planted if p.status == Status.IN_PROCESSING]
    assert widget.model.rowCount() == len(all_waiting) > len(waiting)

    qtbot.mouseClick(widget.clear_button, Qt.MouseButton.LeftButton)
    assert widget.model.rowCount() == BIG
    assert widget.count_label.text() == "100.000 hồ sơ"


@pytest.mark.slow
def test_a_vague_search_says_what_to_type(qtbot: QtBot, big: tuple[Store, list[Planted]]) -> None:
    store, _ = big
    widget = DossierListWidget(store, FixedClock(BIG_NOW))
    shown(qtbot, widget)
    qtbot.keyClicks(widget.search, "03", delay=HUMAN_MS)
    qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    assert widget.model.rowCount() == 0
    assert "hãy gõ thêm chữ số" in widget.message.text()


def test_a_code_typed_in_the_search_box_opens_it(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    receipts = received(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    assert widget.model.rowCount() == 3
    code = receipts[1].code
    qtbot.keyClicks(widget.search, code.lower(), delay=HUMAN_MS)
    assert widget.search.text() == code.lower(), "a person's keys reach the box unchanged"
    with qtbot.waitSignal(widget.dossierOpened, timeout=2000) as opened:
        qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    assert opened.args == [code]
    assert widget.model.rowCount() == 1
    assert widget.table.selectionModel().isRowSelected(0)


def test_a_scan_anywhere_in_the_list_opens_the_dossier_and_types_nothing(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    receipts = received(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    widget.period.setCurrentIndex(widget.period.findData("range"))
    before = widget.received_from.date()
    widget.received_from.setFocus()
    with qtbot.waitSignal(widget.dossierOpened, timeout=2000) as opened:
        scan(qtbot, widget.received_from, receipts[0].code)
    assert opened.args == [receipts[0].code]
    assert widget.received_from.date() == before, "the scanned digits never reached the date"

    widget.table.setFocus()
    with qtbot.waitSignal(widget.dossierOpened, timeout=2000) as opened:
        scan(qtbot, widget.table, receipts[2].code)
    assert opened.args == [receipts[2].code]
    assert widget.search.text() == receipts[2].code


def test_a_scanned_code_that_is_not_here_is_named(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    receipts = received(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    missing = receipts[0].code[:-4] + "1999"
    with qtbot.assertNotEmitted(widget.dossierOpened):
        scan(qtbot, widget.table, missing)
    assert missing in widget.message.text()
    assert widget.model.rowCount() == 3


def test_a_chip_card_scan_lists_that_citizens_dossiers(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    received(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    with qtbot.assertNotEmitted(widget.dossierOpened):
        scan(qtbot, widget.table, "001190012345|123456789|Tran Thi Mai|12031990|Nu|So 12|01072021")
    assert widget.search.text() == "001190012345"
    assert widget.model.rowCount() == 2


def test_a_person_typing_then_enter_is_not_a_scan(qtbot: QtBot, store: Store) -> None:
    widget = DossierListWidget(store, FixedClock(BIG_NOW))
    shown(qtbot, widget)
    seen: list[str] = []
    widget.wedge.codeScanned.connect(seen.append)
    qtbot.keyClicks(widget.search, "001190", delay=HUMAN_MS)
    qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    assert seen == []
    assert widget.search.text() == "001190"
    # Keys a child leaves to its parent are seen once, and a modifier alone breaks no burst.
    for key, text in ((Qt.Key.Key_Shift, ""), (Qt.Key.Key_A, "A")):
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
        QCoreApplication.sendEvent(widget.overdue, event)
    qtbot.wait(60)
    assert seen == []


def test_a_row_double_clicked_or_entered_opens_and_the_detail_shows_it(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    receipts = received(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    row = widget.table.visualRect(widget.model.index(1, 1)).center()
    qtbot.mouseClick(widget.table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    with qtbot.waitSignal(widget.dossierOpened, timeout=2000) as opened:
        # Qt 6's item views take a double click only after the press that selected the row.
        qtbot.mouseDClick(widget.table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert opened.args == [receipts[1].code]
    qtbot.keyClick(widget.table, Qt.Key.Key_Up)
    with qtbot.waitSignal(widget.dossierOpened, timeout=2000) as opened:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert opened.args == [receipts[2].code]

    later = clock.now() + dt.timedelta(days=30)
    with store.read() as session:
        view = load_dossier_view(session, receipts[2].code)
    dialog = DossierDetailDialog(view, later)
    qtbot.addWidget(dialog)
    detail = dialog.detail
    assert detail.code_label.text() == receipts[2].code
    assert detail.status_label.text() == "Đang giải quyết"
    assert not detail.overdue_label.isHidden()
    assert detail.view is not None
    assert detail.documents.rowCount() == len(detail.view.documents) > 0
    assert detail.timeline.rowCount() == 2
    assert detail.timeline.item(0, 1).text() == "Chuyển xử lý", "newest event first"


def test_a_procedure_typed_by_its_code_filters_the_list(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    received(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    field = widget.procedure.lineEdit()
    assert field is not None
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    for typed, rows in (("1.004194", 0), ("1.001193", 3), ("", 3)):
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
        qtbot.keyClicks(field, typed, delay=HUMAN_MS)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert widget.model.rowCount() == rows, typed
    assert widget.procedure.currentIndex() == 0
    assert widget.procedure.currentText() == "Mọi thủ tục"


def test_a_scanned_central_system_code_opens_its_dossier(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Circular 04/2025/TT-VPCP art. 13(3): MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX. The dossier stands
    # for one pulled from a central system (tests/test_code_shapes.py pulls one for real).
    receipts = received(store, clock, clerk)
    central = "H57.123.45-261116-0100042"
    with store.write() as session:
        session.execute(
            update(Dossier).where(Dossier.code == receipts[1].code).values(code=central)
        )
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    widget.table.setFocus()
    with qtbot.waitSignal(widget.dossierOpened, timeout=2000) as opened:
        scan(qtbot, widget.table, central.lower())
    assert opened.args == [central]
    assert widget.search.text() == central
    assert widget.model.rowCount() == 1
