"""The supervisor's tallies on six weeks of dossiers lived through the real services.

Every figure is checked against a recount from the raw events (tests/support/tallies.py);
the printed report, the dossier book, the XLSX and the CSV are read back; the CLI is
run as a user runs it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.platypus import Spacer, Table

from counter_app.dossier_book import load_book
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.tallies import COLUMNS, Counts, Dimension, Tally, compute_tally
from counter_app.tally_export import CSV_HEAD, to_csv, to_xlsx
from counter_app.tally_queries import bucket, event_statement
from printing.report_layout import build_report, landscape, section_title
from printing.report_print import book_pdf, tally_pdf
from tests.support.counter_store import UNIT_CODE, open_counter
from tests.support.tallies import NOW, Month, expected, generate

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Month]]:
    store = open_counter(tmp_path_factory.mktemp("tallies"))
    yield store, generate(store)
    store.close()


def tally_of(store: Store, first: dt.date, last: dt.date, now: dt.datetime = NOW) -> Tally:
    with store.read() as session:
        return compute_tally(session, UNIT_CODE, first, last, now)


def nonzero(counts: Counts) -> dict[str, int]:
    return {name: amount for name, amount in asdict(counts).items() if amount}


@pytest.mark.parametrize(
    ("first", "last"),
    [
        OCTOBER,  # a month, with dossiers carried over from September
        (dt.date(2026, 10, 14), dt.date(2026, 10, 14)),  # one day
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),  # a month not over yet
        (dt.date(2026, 9, 1), dt.date(2026, 11, 30)),  # the whole run
    ],
)
def test_every_figure_agrees_with_the_events(
    month: tuple[Store, Month], first: dt.date, last: dt.date
) -> None:
    store, _ = month
    tally = tally_of(store, first, last)
    views, total = expected(store, first, last, NOW)
    assert nonzero(tally.total) == dict(total)
    for dimension in Dimension:
        shown = {row.key: nonzero(row.counts) for row in tally.rows(dimension)}
        assert {k: v for k, v in shown.items() if v} == {
            key: dict(counts) for key, counts in views[dimension].items() if counts
        }, dimension


def test_the_month_exercises_every_heading_and_balances(month: tuple[Store, Month]) -> None:
    store, generated = month
    tally = tally_of(store, *OCTOBER)
    assert len(generated.codes) > 150
    for name in ("new_counter", "new_postal", "new_online", "carried_over", "resolved_early",
                 "resolved_on_time", "resolved_late", "in_progress_not_due", "in_progress_overdue",
                 "waiting_supplement", "withdrawn", "refused", "returned", "supplement_requested",
                 "overdue_now", "fees_cash_vnd", "fees_transfer_vnd", "exemptions"):  # fmt: skip
        assert getattr(tally.total, name) > 0, name
    for row in (*tally.by_procedure, *tally.by_channel):
        c = row.counts
        closed = c.resolved + c.refused + c.withdrawn
        assert c.received_total == closed + c.in_progress + c.waiting_supplement, row.label
    assert [row.key for row in tally.by_channel] == ["direct", "postal", "online"]
    assert {row.label for row in tally.by_clerk} >= {"lan.nt", "minh.tv", "hung.pq"}
    assert tally.total.on_time_rate == pytest.approx(
        tally.total.resolved_in_time / tally.total.resolved
    )


def test_the_chart_adds_up_to_the_tally(month: tuple[Store, Month]) -> None:
    store, _ = month
    for first, last in (OCTOBER, (dt.date(2026, 10, 14), dt.date(2026, 10, 14))):
        tally = tally_of(store, first, last)
        points = tally.timeline
        assert sum(p.received for p in points) == tally.total.received_new
        assert sum(p.resolved for p in points) == tally.total.resolved
        assert sum(p.returned for p in points) == tally.total.returned
    assert [p.label for p in points][:3] == ["7h", "8h", "9h"]
    assert [p.label for p in tally_of(store, *OCTOBER).timeline][:2] == ["01/10", "02/10"]


def test_no_query_reads_the_whole_dossier_table(month: tuple[Store, Month]) -> None:
    """Dossiers and the period's events are reached by their indexes, never read whole."""
    store, _ = month
    start, end = dt.datetime(2026, 10, 1), dt.datetime(2026, 11, 1)
    statement = event_statement(
        UNIT_CODE, start, end, NOW, lambda at: bucket(at, start.date(), end.date())
    )
    with store.read() as session:
        compiled = statement.compile(store.engine, compile_kwargs={"literal_binds": True})
        plan = [
            row[3] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        ]
    assert not [step for step in plan if step.startswith("SCAN dossier ") or step == "SCAN dossier"]
    assert "SEARCH dossier USING INDEX ix_dossier_status_due (status=?)" in plan
    assert "SEARCH dossier USING INDEX sqlite_autoindex_dossier_1 (id=?)" in plan
    assert "SEARCH dossier_event USING INDEX ix_dossier_event_at (at>?)" in plan
    assert "SCAN dossier_event" not in plan
    assert plan.count("MATERIALIZE ev") == 1, "the events are read once"
    a_year_back = event_statement(
        UNIT_CODE,
        start - dt.timedelta(days=365),
        end,
        NOW,
        lambda at: bucket(at, start.date(), end.date()),
    )
    with store.read() as session:
        compiled = a_year_back.compile(store.engine, compile_kwargs={"literal_binds": True})
        plan = [
            row[3] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        ]
    assert "SCAN dossier_event" in plan, "most of the table: read in file order, not by index"


def test_a_dossiers_event_of_a_kind_is_found_by_the_dossier_not_by_the_kind(
    month: tuple[Store, Month],
) -> None:
    """The report index must not lure SQLite into walking every event of a kind."""
    store, _ = month
    with store.read() as session:
        plan = [
            row[3]
            for row in session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT at FROM dossier_event "
                "WHERE dossier_id = 'x' AND kind = 'result_ready'"
            )
        ]
    assert len(plan) == 1 and "(dossier_id=?" in plan[0], plan


# Exported and printed --------------------------------------------------------------


def test_xlsx_holds_every_view_as_numbers(month: tuple[Store, Month]) -> None:
    store, _ = month
    tally = tally_of(store, *OCTOBER)
    book = load_workbook(io.BytesIO(to_xlsx(tally)))
    assert book.sheetnames == ["Theo kênh", "Theo thủ tục", "Theo cán bộ", "Phí, lệ phí", "Biểu đồ"]
    sheet = book["Theo thủ tục"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:5] == ("STT", "Mã", "Tên", "Số hồ sơ nhận giải quyết", None)
    assert rows[4][3:6] == ("Tổng số", "Trực tiếp", "Bưu chính")
    body = rows[5 : 5 + len(tally.by_procedure)]
    for line, row in zip(body, tally.by_procedure, strict=True):
        assert line[1:3] == (row.key, row.label)
        assert list(line[3:]) == [getattr(row.counts, c.attr) for c in COLUMNS]
    total = rows[5 + len(tally.by_procedure)]
    assert total[2] == "Tổng cộng" and total[3] == tally.total.received_total
    assert "Đăng ký khai sinh" in {line[2] for line in body}
    fees = list(book["Phí, lệ phí"].iter_rows(values_only=True))
    assert sum(r[3] for r in fees[1:] if r[1] != "Miễn thu") == tally.total.fees_vnd


def test_csv_reads_back_with_its_diacritics(month: tuple[Store, Month]) -> None:
    store, _ = month
    tally = tally_of(store, *OCTOBER)
    data = to_csv(tally)
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark for UTF-8"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEAD
    lines = len(tally.by_channel) + len(tally.by_procedure) + len(tally.by_clerk)
    assert len(rows) == 1 + lines + 1
    channel = {r[1]: r for r in rows if r[0] == "Theo kênh tiếp nhận"}
    assert channel["postal"][2] == "Qua bưu chính công ích"
    assert int(channel["postal"][3]) == tally.by_channel[1].counts.received_total
    assert rows[-1][0] == "Tổng cộng" and int(rows[-1][3]) == tally.total.received_total


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_printed_report_has_its_tables_chart_and_signatures(month: tuple[Store, Month]) -> None:
    store, _ = month
    tally = tally_of(store, *OCTOBER)
    settings = Settings(place_name="Hạc Thành", parent_agency="UBND tỉnh Thanh Hóa")
    pdf = tally_pdf(tally, settings, NOW, "Phạm Quốc Hùng")
    text = pages(pdf)
    whole = " ".join(text)
    assert "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH" in text[0]
    assert "Từ ngày 01/10/2026 đến ngày 31/10/2026" in text[0]
    assert "Biểu đồ theo ngày" in text[0] and "Có kết quả" in text[0]
    assert f"Tổng số hồ sơ nhận giải quyết: {tally.total.received_total}" in text[0]
    for heading in (
        "II. THEO KÊNH TIẾP NHẬN",
        "III. THEO THỦ TỤC HÀNH CHÍNH",
        "IV. THEO CÁN BỘ",
        "Số hồ sơ đang giải quyết",
        "Chưa đến hạn",
        "Đăng ký khai sinh",
        "NGƯỜI LẬP BIỂU",
        "Phạm Quốc Hùng",
        "Hạc Thành, ngày 06 tháng 11 năm 2026",
    ):
        assert heading in whole, heading
    assert text[-1].endswith(f"Trang {len(text)}/{len(text)}")
    assert fonts(pdf) <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-BoldItalic"}


def test_the_book_repeats_its_heading_on_every_page(month: tuple[Store, Month]) -> None:
    store, generated = month
    with store.read() as session:
        book = load_book(session, UNIT_CODE, *OCTOBER)
    pdf = book_pdf(book, Settings(), NOW, "Nguyễn Thị Lan")
    text = pages(pdf)
    assert len(text) >= 3
    assert "SỔ THEO DÕI HỒ SƠ" in text[0]
    for page in text[:3]:
        for heading in ("Mã hồ sơ", "Tên thủ tục hành chính", "Cơ quan chủ trì giải quyết",
                        "Có kết quả giải quyết", "Ký nhận", "(1)", "(14)"):  # fmt: skip
            assert heading in page, heading
    whole = " ".join(text)
    assert len(book.lines) == tally_of(store, *OCTOBER).total.received_new
    first = book.lines[0]
    assert first.code.split("-", 1)[1] in whole and first.applicant_name in whole
    assert "NGƯỜI GHI SỔ" in text[-1] and "Nguyễn Thị Lan" in text[-1]
    noted = {line.note.split(";")[0] for line in book.lines if line.note}
    assert {"Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Rút hồ sơ"} <= noted
    assert fonts(pdf) <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-BoldItalic"}
    assert generated.codes


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COUNTER_APP, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        timeout=120, check=False,
    )  # fmt: skip


def test_the_cli_writes_the_days_report_and_the_book(
    month: tuple[Store, Month], tmp_path: Path
) -> None:
    store, _ = month
    assert store.data_dir is not None
    data = str(store.data_dir)
    pdf, xlsx, table = tmp_path / "ngay.pdf", tmp_path / "ngay.xlsx", tmp_path / "ngay.csv"
    done = run("report", "daily", "--date", "2026-10-14", "--data-dir", data, "--out", str(pdf),
               "--xlsx", str(xlsx), "--csv", str(table))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Đã in báo cáo ra {pdf}" in done.stdout
    assert "Ngày 14/10/2026" in pages(pdf.read_bytes())[0]
    assert load_workbook(xlsx).sheetnames[0] == "Theo kênh"
    assert table.read_bytes().decode("utf-8-sig").startswith("Nhóm,Mã,Tên,")
    book = tmp_path / "so.pdf"
    done = run("--data-dir", data, "report", "book", "--from", "2026-10-01", "--to", "2026-10-02",
               "--out", str(book))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "SỔ THEO DÕI HỒ SƠ" in pages(book.read_bytes())[0]
    wrong = run("report", "daily", "--date", "14/10/2026", "--data-dir", data, "--out", str(pdf))
    assert wrong.returncode == 2
    assert "--date: Ngày '14/10/2026' không hợp lệ; hãy viết dạng YYYY-MM-DD" in wrong.stderr
    fees = run("report", "fees", "--from", "2026-10-01", "--to", "2026-10-31", "--data-dir", data)
    taken = f"{tally_of(store, *OCTOBER).total.fees_vnd:,}".replace(",", ".")
    assert fees.returncode == 0 and f"Cộng đã thu: {taken} đồng" in fees.stdout


def test_a_section_heading_never_stays_alone_at_the_foot_of_a_page() -> None:
    page = landscape()
    table = Table([["(1)", "(2)"], ["row", "total"]])  # reportlab's own font: ASCII
    story = [
        Spacer(1, page.frame_height - 40),  # room for the heading, not for its table
        section_title("II. THEO MÁY TIẾP NHẬN, CẢ KỲ", 10),
        table,
    ]
    pdf = build_report(page, story, title="Thử", footer="Thử")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    [holding] = [text for text in pages if "II. THEO MÁY TIẾP NHẬN, CẢ KỲ" in text]
    assert "total" in holding, "the heading went over with its table"
