"""The supervisor's reports screen: pick the dates, read the tally, print it, export it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from counter_app.clock import FixedClock
from counter_app.store import Store
from counter_app.tallies import Tally, compute_tally
from tests.support.counter_store import UNIT_CODE, open_counter
from tests.support.print_flow import check_preview_pages, print_to_file
from tests.support.tallies import HUNG, NOW, generate
from ui.print_preview import PdfPreviewDialog
from ui.reports_screen import ReportsScreen
from ui.services import CounterServices


def choose_period(screen: ReportsScreen, first: dt.date, last: dt.date) -> None:
    """Pick the dates as a clerk does: a single day when equal, else the range."""
    (screen.one_day if first == last else screen.date_range).setChecked(True)
    screen.first.setDate(QDate(first.year, first.month, first.day))
    screen.last.setDate(QDate(last.year, last.month, last.day))


@pytest.fixture(scope="module")
def month_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_counter(tmp_path_factory.mktemp("reports"))
    generate(store, seed=11, per_day=4)
    yield store
    store.close()


@pytest.fixture
def screen(qtbot: QtBot, month_store: Store) -> Iterator[ReportsScreen]:
    services = CounterServices.open(month_store, FixedClock(NOW))
    services.user = HUNG
    widget = ReportsScreen(services, preview=False)
    qtbot.addWidget(widget)
    widget.resize(1060, 800)
    widget.show()
    yield widget
    services.runner.wait()


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def show(qtbot: QtBot, screen: ReportsScreen) -> Tally:
    with qtbot.waitSignal(screen.tallyReady, timeout=20_000) as shown:
        qtbot.mouseClick(screen.show_button, Qt.MouseButton.LeftButton)
    tally = shown.args[0]
    assert isinstance(tally, Tally)
    return tally


def test_a_day_then_a_month_on_screen(
    qtbot: QtBot, screen: ReportsScreen, month_store: Store
) -> None:
    assert screen.one_day.isChecked() and screen.last.isHidden()
    assert not screen.print_button.isEnabled() and not screen.export_button.isEnabled()
    assert screen.table.horizontalHeaderItem(0).text() == "Kênh tiếp nhận", "not Qt's 1"
    screen.first.setDate(QDate(2026, 10, 14))
    day = show(qtbot, screen)
    assert (day.first, day.last) == (dt.date(2026, 10, 14), dt.date(2026, 10, 14))
    assert screen.chart.points == day.timeline
    assert {"7h", "12h", "17h"} <= {point.label for point in screen.chart.points}

    qtbot.mouseClick(screen.date_range, Qt.MouseButton.LeftButton)
    assert screen.last.isVisible()
    screen.first.setDate(QDate(2026, 10, 1))
    screen.last.setDate(QDate(2026, 10, 31))
    tally = show(qtbot, screen)
    with month_store.read() as session:
        recount = compute_tally(
            session, UNIT_CODE, dt.date(2026, 10, 1), dt.date(2026, 10, 31), NOW
        )
    assert tally.total == recount.total
    received = f"{tally.total.received_total:,}".replace(",", ".")
    assert screen.card_values["received"].text() == received
    assert "đúng hạn" in screen.card_notes["resolved"].text()
    assert screen.table.rowCount() == len(tally.by_channel) + 1
    assert screen.table.item(0, 0).text() == "Trực tiếp"
    last = screen.table.rowCount() - 1
    assert screen.table.item(last, 0).text() == "Tổng cộng"
    assert screen.table.item(last, 1).text() == received

    screen.view.setCurrentIndex(screen.view.findData("procedure"))
    assert screen.table.rowCount() == len(tally.by_procedure) + 1
    assert screen.table.horizontalHeaderItem(0).text() == "Thủ tục hành chính"
    screen.view.setCurrentIndex(screen.view.findData("clerk"))
    names = {screen.table.item(row, 0).text() for row in range(screen.table.rowCount() - 1)}
    assert "Phạm Quốc Hùng" in names or "hung.pq" in names


def test_print_export_and_the_book(qtbot: QtBot, screen: ReportsScreen, tmp_path: Path) -> None:
    choose_period(screen, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    tally = show(qtbot, screen)
    with qtbot.waitSignal(screen.pdfReady, timeout=20_000) as printed:
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    title, pdf = printed.args
    assert title == "Báo cáo số liệu — Từ ngày 01/10/2026 đến ngày 31/10/2026"
    report = text_of(pdf)
    assert "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ" in report
    assert "NGƯỜI LẬP BIỂU" in report and "Phạm Quốc Hùng" in report

    for name in ("thang10.xlsx", "thang10.csv"):
        qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
        (dialog,) = [d for d in screen.findChildren(QFileDialog, "exportDialog") if d.isVisible()]
        if name.endswith(".csv"):
            dialog.selectNameFilter("Tệp CSV (*.csv)")
        dialog.selectFile(str(tmp_path / name))
        with qtbot.waitSignal(screen.exported, timeout=10_000) as exported:
            dialog.accept()
        assert exported.args == [str(tmp_path / name)]
    sheet = load_workbook(tmp_path / "thang10.xlsx")["Theo kênh"]
    totals = [row for row in sheet.iter_rows(values_only=True) if row[2] == "Tổng cộng"]
    assert totals[0][3] == tally.total.received_total
    rows = list(csv.reader(io.StringIO((tmp_path / "thang10.csv").read_text("utf-8-sig"))))
    assert rows[-1][0] == "Tổng cộng" and int(rows[-1][3]) == tally.total.received_total

    with qtbot.waitSignal(screen.pdfReady, timeout=30_000) as book:
        qtbot.mouseClick(screen.book_button, Qt.MouseButton.LeftButton)
    assert book.args[0] == "Sổ theo dõi hồ sơ"
    text = text_of(book.args[1])
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày 01/10/2026 đến ngày 31/10/2026" in text


def test_reports_and_the_book_print_from_the_window_on_landscape_a4(
    qtbot: QtBot, month_store: Store, tmp_path: Path
) -> None:
    services = CounterServices.open(month_store, FixedClock(NOW))
    services.user = HUNG
    screen = ReportsScreen(services)
    qtbot.addWidget(screen)
    screen.resize(1060, 800)
    screen.show()

    def printed(button: QPushButton, name: str) -> list[tuple[int, int]]:
        with qtbot.waitSignal(screen.pdfReady, timeout=30_000) as ready:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        preview = screen.findChild(PdfPreviewDialog, "printPreview")
        assert preview is not None and preview.isVisible()
        check_preview_pages(qtbot, preview, ready.args[1])
        sizes = print_to_file(qtbot, preview, tmp_path / name)
        preview.close()
        preview.deleteLater()
        qtbot.waitUntil(lambda: screen.findChild(PdfPreviewDialog) is None)
        return sizes

    landscape_a4 = (842, 595)
    choose_period(screen, dt.date(2026, 10, 14), dt.date(2026, 10, 14))
    show(qtbot, screen)
    assert set(printed(screen.print_button, "day.pdf")) == {landscape_a4}, "the daily report"
    choose_period(screen, dt.date(2026, 10, 12), dt.date(2026, 10, 16))
    show(qtbot, screen)
    assert set(printed(screen.print_button, "week.pdf")) == {landscape_a4}, "a range report"
    assert set(printed(screen.book_button, "book.pdf")) == {landscape_a4}, "the dossier book"
    services.runner.wait()


def test_the_digitization_index_tab_shows_prints_and_exports(qtbot: QtBot, tmp_path: Path) -> None:
    from counter_app.digitization_index import IndexFigures
    from tests.support.index_counters import MONDAY, TUESDAY, make_two_counters
    from tests.support.index_counters import NOW as INDEX_NOW

    store = open_counter(tmp_path / "index")
    make_two_counters(store)
    services = CounterServices.open(store, FixedClock(INDEX_NOW))
    services.user = HUNG
    widget = ReportsScreen(services, preview=False)
    qtbot.addWidget(widget)
    widget.resize(1060, 800)
    widget.show()
    assert widget.tabs.tabText(1) == "Chỉ số số hóa"
    widget.tabs.setCurrentIndex(1)
    assert not widget.show_button.isVisible() and not widget.print_button.isVisible()
    panel = widget.index_panel
    assert not panel.print_button.isEnabled() and not panel.export_button.isEnabled()
    choose_period(widget, MONDAY, TUESDAY)

    with qtbot.waitSignal(panel.indexReady, timeout=20_000) as shown:
        qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    index = shown.args[0]
    assert index.total == IndexFigures(
        received=6, digitized_at_reception=4, direct=4, postal=1, online=1,
        boundary_free=2, resolved=3, on_time=2, results_digitized=1,
    )  # fmt: skip
    table = panel.table
    cells = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    assert cells[0][:8] == ["16/11/2026", "Quầy 1", "4", "2", "50,0%", "1", "1", "100,0%"]
    assert cells[-1][:5] == ["Cả kỳ", "Tổng cộng", "6", "4", "66,7%"]
    assert [p.period_label for p in panel.chart.points] == ["16/11/2026", "17/11/2026"]
    assert panel.chart.grab().width() > 0

    with qtbot.waitSignal(widget.pdfReady, timeout=20_000) as printed:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    assert "BÁO CÁO CHỈ SỐ SỐ HÓA" in text_of(printed.args[1])
    target = tmp_path / "chi-so.xlsx"
    with qtbot.waitSignal(widget.exported, timeout=5_000):
        panel.export_to(target)
    assert load_workbook(target).sheetnames[-1] == "Biểu đồ"

    panel.grouping.setCurrentIndex(1)
    with qtbot.waitSignal(panel.indexReady, timeout=20_000) as shown:
        qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    assert [r.period_label for r in shown.args[0].periods] == ["11/2026"]
    services.runner.wait()
    store.close()
