"""Digitization index benchmark: the index of a month and of a quarter on a generated store.

What is timed: ``compute_index`` of October 2026 day by day and of the third
quarter month by month (SQL and assembling the rows), the month's workbook
(openpyxl, with its chart) and its printed PDF (reportlab). Left out: opening
the store and the window's drawing. The store is bench.foundation's
(200,000 dossiers by default, the bench day 2026-11-16); its documents carry no
scans, so scans are added first, once: four dossiers in five have every
document handed in scanned, one in seven of those linked only a day after
reception; two results in three have a scan, stored a day after the reception.
The floor is what SQLite alone costs to count the month's dossiers per day
and PC through the reception index, the one read the index cannot avoid.

Run: ``.venv/bin/python -m bench.index_report [--dossiers N] [--data-dir DIR]``.
No target is set by the issue; the figures are printed for the record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.foundation import BENCH_DAY, UNIT_CODE, Figure, build_store, print_figures, store_size
from bench.tallies import repeated
from counter_app.digitization_index import DAY, MONTH, compute_index
from counter_app.index_export import index_xlsx
from counter_app.paths import database_path
from counter_app.settings import Settings
from counter_app.store import Store
from printing.report_print import index_pdf

NOW = dt.datetime.combine(BENCH_DAY, dt.time(8, 0))
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))

LABEL_MONTH = "index of a month, by day (Oct 2026)"
LABEL_QUARTER = "index of a quarter, by month"
LABEL_XLSX = "month's index as XLSX with chart"
LABEL_PDF = "month's index as printed PDF"
LABEL_FLOOR = "floor: sqlite3 counts the month per day and PC"

SEED_SCANS = (
    """
    UPDATE dossier_document SET attachment_sha256 = lower(hex(randomblob(32)))
    WHERE received = 1 AND dossier_id IN (SELECT id FROM dossier WHERE rowid % 5 != 0)
    """,
    """
    UPDATE dossier_document SET attached_at = (
        SELECT strftime('%Y-%m-%d %H:%M:%S', d.received_at,
                        CASE WHEN d.rowid % 7 = 0 THEN '+86400 seconds' ELSE '-600 seconds' END)
               || '.000000'
        FROM dossier AS d WHERE d.id = dossier_document.dossier_id)
    WHERE attachment_sha256 IS NOT NULL
    """,
    """
    UPDATE dossier SET result_sha256 = lower(hex(randomblob(32))),
        result_digitized_at = strftime('%Y-%m-%d %H:%M:%S', received_at, '+86400 seconds')
            || '.000000',
        result_digitized_by = 'bench'
    WHERE status IN ('result_ready', 'returned') AND rowid % 3 != 0
    """,
    """
    INSERT INTO attachment (sha256, size, page_count, media_type, created_by, created_at)
    SELECT dd.attachment_sha256, 180000, 2, 'application/pdf', 'bench',
           strftime('%Y-%m-%d %H:%M:%S', d.received_at,
                    CASE WHEN d.rowid % 7 = 0 THEN '+86400 seconds' ELSE '-600 seconds' END)
           || '.000000'
    FROM dossier_document AS dd JOIN dossier AS d ON d.id = dd.dossier_id
    WHERE dd.attachment_sha256 IS NOT NULL AND d.received_at IS NOT NULL
    """,
)


def seed_scans(data_dir: Path) -> int:
    """Give the documents their scans once; returns how many scans the store holds."""
    db = sqlite3.connect(database_path(data_dir))
    try:
        (held,) = db.execute("SELECT count(*) FROM attachment").fetchone()
        if held == 0:
            with db:
                for statement in SEED_SCANS:
                    db.execute(statement)
            (held,) = db.execute("SELECT count(*) FROM attachment").fetchone()
        return int(held)
    finally:
        db.close()


def floor(data_dir: Path, repeat: int) -> Figure:
    db = sqlite3.connect(database_path(data_dir))
    sql = (
        "SELECT date(received_at), device_id, count(*) FROM dossier "
        "WHERE received_at >= '2026-10-01' AND received_at < '2026-11-01' "
        "GROUP BY 1, 2"
    )
    try:
        return Figure(LABEL_FLOOR, repeated(lambda: db.execute(sql).fetchall(), repeat))
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.index_report", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each figure")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        if not database_path(data_dir).exists():
            report = build_store(data_dir, args.dossiers, args.seed)
            print(f"built {report.dossiers:,} dossiers in {report.seconds_rows:.0f} s", flush=True)
        started = time.perf_counter()
        scans = seed_scans(data_dir)
        print(f"scans: {scans:,} ({time.perf_counter() - started:.1f} s)", flush=True)
        store = Store.open(data_dir)
        try:

            def index(first: dt.date, last: dt.date, grouping: str) -> object:
                with store.read() as session:
                    return compute_index(session, UNIT_CODE, first, last, NOW, grouping)

            with store.read() as session:
                month = compute_index(session, UNIT_CODE, *OCTOBER, NOW, DAY)
            settings = Settings(place_name="Hạc Thành")
            figures = [
                Figure(LABEL_MONTH, repeated(lambda: index(*OCTOBER, DAY), args.repeat)),
                Figure(LABEL_QUARTER, repeated(lambda: index(*QUARTER, MONTH), args.repeat)),
                Figure(LABEL_XLSX, repeated(lambda: index_xlsx(month), args.repeat)),
                Figure(
                    LABEL_PDF,
                    repeated(lambda: index_pdf(month, settings, NOW, "Hùng"), args.repeat),
                ),
                floor(data_dir, args.repeat),
            ]
            size = store_size(data_dir)
        finally:
            store.close()
        total = month.total
        print(
            f"October 2026: received {total.received:,}, digitized at reception "
            f"{total.digitized_at_reception:,} ({(total.digitized_share or 0) * 100:.1f}%), "
            f"resolved {total.resolved:,}, results digitized {total.results_digitized:,} "
            f"({(total.results_digitized_share or 0) * 100:.1f}%), "
            f"on time {(total.on_time_share or 0) * 100:.1f}%, "
            f"online {total.online:,}, "
            f"boundary-free {(total.boundary_free_share or 0) * 100:.1f}%, "
            f"{len(month.counters)} PCs, {len(month.rows)} lines"
        )
        print()
        print_figures(figures, size, args.dossiers)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
