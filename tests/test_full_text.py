"""Whole text where the clerk reads it: document names, procedures, hints; spin box arrows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QSpinBox,
    QStyle,
    QStyleOptionSpinBox,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.reception import full_checklist, request
from ui.digitize_screen import DigitizeScreen
from ui.dossier_detail import DossierDetailDialog
from ui.dossier_list import PROCEDURE, DossierListWidget
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices
from ui.style import STYLESHEET


@pytest.fixture
def services(store: Store, clock: FixedClock, clerk: StaffIdentity) -> Iterator[CounterServices]:
    counter = CounterServices.open(store, clock)
    counter.user = clerk
    yield counter
    counter.runner.wait()


def styled(qtbot: QtBot, widget: QWidget, width: int, height: int) -> None:
    widget.setStyleSheet(STYLESHEET)  # the counter's fonts and paddings
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)


def wrapped_height(view: QAbstractItemView, row: int, column: int) -> tuple[int, int, bool]:
    """(height the cell's text needs at the column's width, the row's height, whether it wraps)."""
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    view.itemDelegate().initStyleOption(option, index)
    option.rect = view.visualRect(index)
    needed = view.itemDelegate().sizeHint(option, index).height()
    wraps = bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
    return needed, option.rect.height(), wraps


def one_line_width(view: QAbstractItemView, text: str) -> int:
    return view.fontMetrics().horizontalAdvance(text)


def test_checklist_rows_show_whole_document_names(
    qtbot: QtBot, services: CounterServices, store: Store
) -> None:
    screen = ReceptionScreen(services)
    styled(qtbot, screen, 1280, 800)
    screen.open_request(request(store))
    checklist = screen.form.checklist
    qtbot.wait(50)
    long_names = 0
    for row in range(checklist.rowCount()):
        item = checklist.item(row, 0)
        assert item is not None
        needed, height, wraps = wrapped_height(checklist, row, 0)
        assert wraps and needed <= height, f"row {row} cut short: {item.text()!r}"
        long_names += one_line_width(checklist, item.text()) > checklist.columnWidth(0)
    assert long_names, "some names are longer than a line, or this test proves nothing"
    # The row grows again when the column narrows (a smaller window).
    screen.resize(1000, 800)
    qtbot.wait(50)
    for row in range(checklist.rowCount()):
        needed, height, _ = wrapped_height(checklist, row, 0)
        assert needed <= height


def test_the_dossier_window_shows_whole_document_names(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    with store.read() as session:
        view = load_dossier_view(session, code)
    dialog = DossierDetailDialog(view, clock.now())
    styled(qtbot, dialog, 1000, 860)
    documents = dialog.detail.documents
    assert documents.rowCount() == len(view.documents)
    for row in range(documents.rowCount()):
        needed, height, wraps = wrapped_height(documents, row, 1)
        assert wraps and needed <= height, f"document {row + 1} cut short"


def test_the_dossier_lists_procedures_are_readable(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    reception = ReceptionService(store, clock)
    marital = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân: longer than its column
    for _ in range(3):
        checks = full_checklist(store, marital)
        reception.receive(request(store, procedure_code=marital, documents=checks), clerk)
    listing = DossierListWidget(store, clock)
    styled(qtbot, listing, 1140, 700)
    table = listing.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    for row in range(3):
        needed, height, wraps = wrapped_height(table, row, PROCEDURE)
        assert wraps and needed <= height, "a procedure's name takes two lines, not one and …"
    name = table.model().index(0, PROCEDURE).data()
    assert one_line_width(table, name) > table.columnWidth(PROCEDURE), "long enough to wrap"


def test_spin_boxes_have_their_arrows(qtbot: QtBot) -> None:
    spin = QSpinBox()
    spin.setRange(1, 99)
    spin.setValue(5)  # neither end: both arrows live
    styled(qtbot, spin, 90, 34)
    image = spin.grab().toImage()
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    parts = {"up": QStyle.SubControl.SC_SpinBoxUp, "down": QStyle.SubControl.SC_SpinBoxDown}
    for name, part in parts.items():
        button = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, part, spin)
        assert button.width() >= 12 and button.height() >= 8, "a button a finger can find"
        # An arrow is dark pixels in the button's middle, away from its borders.
        assert dark_pixels(image, button.adjusted(4, 2, -4, -2)) >= 6, (
            f"the {name} button has no arrow"
        )


def dark_pixels(image: QImage, rect: QRect) -> int:
    ratio = image.devicePixelRatio()
    count = 0
    for x in range(int(rect.left() * ratio), int(rect.right() * ratio)):
        for y in range(int(rect.top() * ratio), int(rect.bottom() * ratio)):
            if QColor(image.pixel(x, y)).lightness() < 140:
                count += 1
    return count


def test_digitize_summary_does_not_wrap_word_by_word(
    qtbot: QtBot, services: CounterServices
) -> None:
    screen = DigitizeScreen(services)
    screen.ocr_box.setVisible(True)  # as on a counter with OCR: the row is at its most crowded
    styled(qtbot, screen, screen.minimumSizeHint().width(), 700)
    qtbot.wait(50)
    summary = screen.summary
    assert summary.text()
    lines = summary.height() / summary.fontMetrics().lineSpacing()
    assert lines < 3, f"the hint takes {lines:.0f} lines at {summary.width()} px"
