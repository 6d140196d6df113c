"""The supervisor's "Lịch làm việc": the year's days off and make-up days, marked and printed.

2026 (LEGAL-2025.md, "Working days 2026", [S]): Fri 02/01 off and Sat 10/01 worked (letter
12729/VPCP-KGVX of 25/12/2025); Sat 22/08 worked for Mon 31/08. Tue 24/11 "Vietnam Cultural
Day" and Tết 2027 are [U]: shown as awaiting the province's confirmation.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.calendar_source import declare_day
from counter_app.clock import FixedClock
from counter_app.store import Store
from tests.support.tallies import HUNG
from ui.calendar_screen import UNCONFIRMED_BACKGROUND, WorkCalendarDialog
from ui.reports_screen import ReportsScreen
from ui.services import CounterServices


@pytest.fixture
def services(store: Store) -> Iterator[CounterServices]:
    services = CounterServices.open(store, FixedClock(dt.datetime(2026, 12, 3, 9)))
    services.user = HUNG
    yield services
    services.runner.wait()


def rows(dialog: WorkCalendarDialog) -> dict[str, list[str]]:
    table = dialog.screen_widget.table
    return {
        table.item(row, 0).text(): [table.item(row, c).text() for c in range(table.columnCount())]
        for row in range(table.rowCount())
    }


def opened_from_reports(qtbot: QtBot, services: CounterServices) -> WorkCalendarDialog:
    reports = ReportsScreen(services, preview=False)
    qtbot.addWidget(reports)
    reports.show()
    qtbot.mouseClick(reports.calendar_button, Qt.MouseButton.LeftButton)
    dialog = reports.findChild(WorkCalendarDialog, "calendarDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_reports_screen_opens_the_years_calendar_with_its_sources(
    qtbot: QtBot, services: CounterServices
) -> None:
    dialog = opened_from_reports(qtbot, services)
    days = rows(dialog)
    assert days["02/01/2026"][1:3] == ["Thứ Sáu", "Nghỉ"]
    assert "12729/VPCP-KGVX" in days["02/01/2026"][4]
    assert days["10/01/2026"][1:3] == ["Thứ Bảy", "Làm việc"]
    assert days["22/08/2026"][2] == "Làm việc" and days["31/08/2026"][2] == "Nghỉ"
    assert days["01/01/2026"][5] == "Bộ luật Lao động"
    cultural = days["24/11/2026"]
    assert cultural[5].endswith("chưa xác nhận")
    table = dialog.screen_widget.table
    row = list(days).index("24/11/2026")
    assert table.item(row, 3).background().color() == UNCONFIRMED_BACKGROUND
    assert "16/11/2026" not in days, "an ordinary Monday is not listed"

    dialog.screen_widget.year.setValue(2027)
    tet = {day: cells for day, cells in rows(dialog).items() if day.endswith("/02/2027")}
    assert tet and all(cells[5].endswith("chưa xác nhận") for cells in tet.values())


def test_a_day_the_province_declares_shows_as_the_provinces(
    qtbot: QtBot, services: CounterServices, store: Store
) -> None:
    with store.write() as session:
        declare_day(
            session,
            dt.date(2026, 11, 24),
            "working_day",
            "Làm việc bình thường",
            basis="Thông báo của UBND tỉnh",
        )
    dialog = opened_from_reports(qtbot, services)
    assert rows(dialog)["24/11/2026"][2:] == [
        "Làm việc",
        "Làm việc bình thường",
        "Thông báo của UBND tỉnh",
        "Tỉnh công bố",
    ]


def test_the_calendar_prints_on_a4_with_the_unconfirmed_days_marked(
    qtbot: QtBot, services: CounterServices
) -> None:
    dialog = opened_from_reports(qtbot, services)
    screen = dialog.screen_widget
    with qtbot.waitSignal(screen.pdfReady, timeout=20_000) as ready:
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    title, pdf = ready.args
    assert title == "Lịch làm việc năm 2026"
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842), "A4 upright"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "LỊCH NGÀY NGHỈ VÀ NGÀY LÀM BÙ NĂM 2026" in text
    assert "02/01/2026" in text and "10/01/2026" in text and "22/08/2026" in text
    assert "12729/VPCP-KGVX" in text
    assert "Chưa xác nhận" in text and "Có 1 ngày chưa được xác nhận" in text
    QApplication.processEvents()
