"""The digitization index on a store holding two counter PCs' dossiers, made by the real services.

Every figure is written out: which dossier was scanned before reception, which
after, which result was late or scanned before it was handed over, which
reception was boundary-free (tests/support/index_counters.py).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from counter_app.attachments import AttachmentService
from counter_app.clock import FixedClock
from counter_app.digitization_index import (
    DAY,
    INDEX_COLUMNS,
    MONTH,
    DigitizationIndex,
    IndexFigures,
    IndexRangeError,
    cell_text,
    compute_index,
)
from counter_app.models import Dossier, DossierDocument
from counter_app.reception import ReceptionRequest, ReceptionService
from counter_app.store import Store
from tests.support.counter_store import UNIT_CODE, applicant, open_counter
from tests.support.index_counters import (
    AGENT,
    CLERK,
    MONDAY,
    NOW,
    PROCEDURE,
    TUESDAY,
    TwoCounters,
    make_two_counters,
)
from tests.support.reception import full_checklist, request
from tests.support.scans import made_pdf

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def counters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, TwoCounters]]:
    store = open_counter(tmp_path_factory.mktemp("index"))
    yield store, make_two_counters(store)
    store.close()


def index_of(store: Store, first: dt.date, last: dt.date, grouping: str) -> DigitizationIndex:
    with store.read() as session:
        return compute_index(session, UNIT_CODE, first, last, NOW, grouping)


def test_per_day_and_counter(counters: tuple[Store, TwoCounters]) -> None:
    store, ids = counters
    index = index_of(store, MONDAY, TUESDAY, DAY)

    lines = {(r.period, r.counter): r.figures for r in index.rows}
    assert lines == {
        # Four received at the first PC: scanned before (postal), scanned after, scanned
        # before (online, boundary-free), one document left unscanned; the first resolved
        # on time the same day, its result scanned before it was handed over.
        ("2026-11-16", ids.first_device): IndexFigures(
            received=4, digitized_at_reception=2, direct=2, postal=1, online=1,
            boundary_free=1, resolved=1, on_time=1, results_digitized=1,
        ),
        # The second dossier's result a day after its appointment: resolved, late, unscanned.
        ("2026-11-17", ids.first_device): IndexFigures(resolved=1),
        # The fifth's result scanned only after it was handed over: not digitized.
        ("2026-11-17", ids.second_device): IndexFigures(
            received=2, digitized_at_reception=2, direct=2, boundary_free=1, resolved=1, on_time=1
        ),
    }  # fmt: skip
    assert [r.counter_label for r in index.rows] == ["Quầy 1", "Quầy 1", "Quầy 2"]
    assert [(r.period_label, r.figures.received) for r in index.periods] == [
        ("16/11/2026", 4),
        ("17/11/2026", 2),
    ]
    total = index.total
    assert (total.received, total.digitized_at_reception, total.resolved, total.on_time) == (
        6, 4, 3, 2,
    )  # fmt: skip
    assert total.digitized_share == pytest.approx(4 / 6)
    assert total.on_time_share == pytest.approx(2 / 3)
    assert total.boundary_free_share == pytest.approx(2 / 6)
    assert total.results_digitized == 1
    assert total.results_digitized_share == pytest.approx(1 / 3)
    texts = {c.attr: cell_text(total, c) for c in INDEX_COLUMNS}
    assert texts["digitized_share"] == "66,7%"
    assert (texts["results_digitized"], texts["results_digitized_share"]) == ("1", "33,3%")
    assert texts["boundary_free_share"] == "33,3%"


def test_per_month_every_counter_over_the_range(counters: tuple[Store, TwoCounters]) -> None:
    store, ids = counters
    index = index_of(store, *NOVEMBER, MONTH)

    lines = [
        (r.period, r.counter_label, r.figures.received, r.figures.resolved) for r in index.rows
    ]
    assert lines == [
        ("2026-11", "Quầy 1", 4, 2),
        ("2026-11", "Quầy 2", 2, 1),
    ]  # fmt: skip
    assert [(c.counter, c.figures.digitized_at_reception) for c in index.counters] == [
        (ids.first_device, 2),
        (ids.second_device, 2),
    ]
    assert index.period_label == "Từ ngày 01/11/2026 đến ngày 30/11/2026"


def test_empty_periods_are_listed_and_shares_have_no_base(
    counters: tuple[Store, TwoCounters],
) -> None:
    store, _ids = counters
    index = index_of(store, dt.date(2026, 11, 14), dt.date(2026, 11, 15), DAY)

    assert index.rows == ()
    assert [r.period_label for r in index.periods] == ["14/11/2026", "15/11/2026"]
    assert index.total == IndexFigures()
    assert cell_text(index.total, INDEX_COLUMNS[2]) == "—"


def test_a_day_by_day_index_longer_than_a_year_is_refused(
    counters: tuple[Store, TwoCounters],
) -> None:
    store, _ids = counters
    with pytest.raises(IndexRangeError, match="theo tháng"):
        index_of(store, dt.date(2025, 1, 1), dt.date(2026, 6, 30), DAY)
    assert len(index_of(store, dt.date(2025, 1, 1), dt.date(2026, 6, 30), MONTH).periods) == 18


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COUNTER_APP, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        timeout=120, check=False,
    )  # fmt: skip


def test_the_cli_prints_the_index_and_writes_xlsx_with_a_chart_and_pdf(
    counters: tuple[Store, TwoCounters], tmp_path: Path
) -> None:
    store, _ids = counters
    assert store.data_dir is not None
    xlsx, pdf = tmp_path / "chi-so.xlsx", tmp_path / "chi-so.pdf"
    data = str(store.data_dir)
    done = run("report", "index", "--from", "16/11/2026", "--to", "17/11/2026",
               "--data-dir", data, "--xlsx", str(xlsx), "--pdf", str(pdf))  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "16/11/2026\tQuầy 1\t4\t2\t50,0%\t1\t1\t100,0%\t1\t100,0%\t1\t2\t1\t1\t25,0%" in lines
    assert "Cả kỳ\tTổng cộng\t6\t4\t66,7%\t3\t1\t33,3%\t2\t66,7%\t1\t4\t1\t2\t33,3%" in lines
    assert (
        f"Đã xuất Excel ra {xlsx}" in done.stdout and f"Đã in chỉ số số hóa ra {pdf}" in lines[-1]
    )

    book = load_workbook(xlsx)
    assert book.sheetnames == ["Theo máy tiếp nhận", "Theo máy, cả kỳ", "Biểu đồ"]
    table = [row for row in book["Theo máy tiếp nhận"].iter_rows(values_only=True) if row[0]]
    assert table[2][:4] == ("Thời gian", "Máy tiếp nhận", "Hồ sơ tiếp nhận", "Số hóa khi tiếp nhận")
    assert table[3][:8] == ("16/11/2026", "Quầy 1", 4, 2, 0.5, 1, 1, 1.0)
    assert table[-1][:5] == ("Cả kỳ", "Tổng cộng", 6, 4, pytest.approx(4 / 6))
    chart_sheet = book["Biểu đồ"]
    assert [r[:3] for r in chart_sheet.iter_rows(values_only=True)] == [
        ("Thời gian", "Tỷ lệ số hóa khi tiếp nhận", "Tỷ lệ kết quả được số hóa"),
        ("16/11/2026", 0.5, 1.0),
        ("17/11/2026", 1.0, 0),
    ]
    assert len(chart_sheet._charts) == 1  # openpyxl reads charts back only as drawings

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "BÁO CÁO CHỈ SỐ SỐ HÓA HỒ SƠ THỦ TỤC HÀNH CHÍNH" in text
    assert "Từ ngày 16/11/2026 đến ngày 17/11/2026" in text
    assert "Quầy 2" in text and "66,7%" in text and "33,3%" in text
    assert "Kết quả được số hóa: trong số hồ sơ có kết quả trong kỳ" in text

    wrong = run("report", "index", "--from", "2026-11-31", "--to", "30/11/2026",
                "--data-dir", str(store.data_dir))  # fmt: skip
    assert wrong.returncode == 2
    assert "--from: Ngày '2026-11-31' không hợp lệ; hãy viết dạng DD/MM/YYYY" in wrong.stderr
    too_long = run("report", "index", "--from", "01/01/2025", "--to", "30/06/2026",
                   "--data-dir", str(store.data_dir))  # fmt: skip
    assert too_long.returncode == 2 and "hãy xem theo tháng" in too_long.stderr


def test_a_scan_counts_at_reception_by_when_it_was_linked_not_when_it_was_stored(
    tmp_path: Path,
) -> None:
    """A citizen's scans from an earlier dossier, reused after the new one is received, were
    stored before that reception but linked after it: not digitized at reception. The same
    scans reused on a draft before its reception are."""
    store = open_counter(tmp_path)
    try:
        clock = FixedClock(dt.datetime(2026, 11, 16, 8, 0))
        reception, scans = ReceptionService(store, clock), AttachmentService(store, clock)
        cccd = "001190000009"

        def received(draft_id: str | None = None) -> str:
            return reception.receive(
                request(
                    store,
                    draft_id=draft_id,
                    procedure_code=PROCEDURE,
                    applicant=applicant(cccd=cccd),
                    documents=full_checklist(store, PROCEDURE),
                ),
                CLERK,
            ).code

        earlier = scans.open(received())
        clock.advance(minutes=10)
        stored = [
            scans.attach(earlier.id, slot.document_id, made_pdf(n), CLERK)
            for n, slot in enumerate(earlier.documents, start=1)
        ][-1].documents
        hashes = [slot.attachment_sha256 for slot in stored]

        clock.advance(hours=1)
        late = scans.open(received())
        clock.advance(minutes=5)
        for slot, sha256 in zip(late.documents, hashes, strict=True):
            assert sha256 is not None
            scans.reuse(late.id, slot.document_id, sha256, CLERK)
        clock.advance(hours=1)
        draft_id = reception.save_draft(
            ReceptionRequest(PROCEDURE, applicant(cccd=cccd), documents=()), AGENT
        )
        for slot, sha256 in zip(scans.open(draft_id).documents, hashes, strict=True):
            assert sha256 is not None
            scans.reuse(draft_id, slot.document_id, sha256, AGENT)
        clock.advance(minutes=5)
        on_time = received(draft_id)
        with store.read() as session:
            index = compute_index(session, UNIT_CODE, MONDAY, MONDAY, NOW, DAY)
            links = dict(
                session.execute(
                    select(Dossier.code, func.min(DossierDocument.attached_at))
                    .join(DossierDocument, DossierDocument.dossier_id == Dossier.id)
                    .group_by(Dossier.code)
                ).all()
            )
        assert (index.total.received, index.total.digitized_at_reception) == (3, 1)
        assert links[on_time] == dt.datetime(2026, 11, 16, 10, 15)
    finally:
        store.close()
