"""Tallies benchmark: the supervisor's reports on a store of a million dossiers.

Targets: the tally of a month < 2 s; the day's printed report (tally and PDF)
< 1 s. The store is bench.foundation's (three years of a busy ward, the bench
day 2026-11-16); fee payments are added first, one per dossier whose procedure
charges, taken at reception or at the return as at a real counter, so the
fee query reads a realistic table. Beside the figures the floor shows what
SQLite alone costs to read the month's events of the kinds a tally counts by
their index, the one read a tally cannot avoid.

Run: ``.venv/bin/python -m bench.tallies [--dossiers N] [--data-dir DIR]``.
A ``--data-dir`` holding a store is reused (and gets the fee rows, once); a
store built before migration 0004 gets its indexes when it is opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from bench.foundation import (
    BENCH_DAY,
    CLERKS,
    UNIT_CODE,
    Figure,
    build_store,
    print_figures,
    store_size,
    timed,
)
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.fees import FeeInput
from counter_app.paths import database_path
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.tallies import compute_tally
from counter_app.tally_queries import ACTIVITY
from printing.report_print import tally_pdf

NOW = dt.datetime.combine(BENCH_DAY, dt.time(8, 0))
MONTH = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
YEAR_AGO = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
DAY = dt.date(2026, 11, 13)  # the last working day before the bench day

LABEL_MONTH = "tally of a month (Oct 2026)"
LABEL_DAY_PDF = "day's report: tally + PDF"
LABEL_YEAR_AGO = "tally of a month a year back"
LABEL_RETURN = "return one result with its fee"
LABEL_FLOOR = "floor: sqlite3 counts the month's events by index"

# One payment per dossier whose procedure charges: at reception for most, at the return
# for the others, by the clerk of the dossier; a few exempt, some by transfer.
SEED_FEES = """
INSERT INTO fee_payment (id, dossier_id, amount_vnd, method, reference, exemption_reason,
                         stage, collected_at, collected_by)
SELECT lower(hex(randomblob(16))), d.id, p.fee_vnd + p.charge_vnd,
       CASE WHEN d.rowid % 23 = 0 THEN 'exempt' WHEN d.rowid % 4 = 0 THEN 'transfer'
            ELSE 'cash' END,
       CASE WHEN d.rowid % 4 = 0 AND d.rowid % 23 != 0 THEN 'FT' || d.rowid END,
       CASE WHEN d.rowid % 23 = 0 THEN 'Hộ nghèo' END,
       CASE WHEN r.at IS NOT NULL AND d.rowid % 3 = 0 THEN 'return' ELSE 'reception' END,
       CASE WHEN r.at IS NOT NULL AND d.rowid % 3 = 0 THEN r.at
            ELSE strftime('%Y-%m-%d %H:%M:%S', d.received_at, '+300 seconds') || '.000000' END,
       d.received_by
FROM dossier AS d
JOIN procedure AS p ON p.code = d.procedure_code
LEFT JOIN dossier_event AS r ON r.dossier_id = d.id AND r.kind = 'returned'
WHERE p.fee_vnd + p.charge_vnd > 0 AND d.received_at IS NOT NULL
"""


def seed_fees(data_dir: Path) -> int:
    """Add the fee payments once; returns how many the store holds."""
    db = sqlite3.connect(database_path(data_dir))
    try:
        (held,) = db.execute("SELECT count(*) FROM fee_payment").fetchone()
        if held == 0:
            with db:
                db.execute(SEED_FEES)
            (held,) = db.execute("SELECT count(*) FROM fee_payment").fetchone()
        return int(held)
    finally:
        db.close()


def floor(data_dir: Path, repeat: int) -> Figure:
    db = sqlite3.connect(database_path(data_dir))
    try:
        kinds = ", ".join(f"'{kind}'" for kind in ACTIVITY)
        sql = (
            f"SELECT count(*) FROM dossier_event WHERE kind IN ({kinds}) "
            "AND at >= '2026-10-01' AND at < '2026-11-01'"
        )
        return Figure(
            LABEL_FLOOR, [timed(lambda: db.execute(sql).fetchone()) for _ in range(repeat)]
        )
    finally:
        db.close()


def repeated(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # the first run pays for cold pages and compiled statements; the window has run
    return [timed(action) for _ in range(repeat)]


def measure(store: Store, data_dir: Path, repeat: int) -> list[Figure]:
    def tally(first: dt.date, last: dt.date) -> object:
        with store.read() as session:
            return compute_tally(session, UNIT_CODE, first, last, NOW)

    settings = Settings(place_name="Hạc Thành")

    def day_report() -> bytes:
        with store.read() as session:
            day = compute_tally(session, UNIT_CODE, DAY, DAY, NOW)
        pdf = tally_pdf(day, settings, NOW, "Phạm Quốc Hùng")
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("the day's report is not a PDF")
        return pdf

    return [
        Figure(LABEL_MONTH, repeated(lambda: tally(*MONTH), repeat), target_ms=2000.0),
        Figure(LABEL_DAY_PDF, repeated(day_report, repeat), target_ms=1000.0),
        Figure(LABEL_YEAR_AGO, repeated(lambda: tally(*YEAR_AGO), max(1, repeat // 2))),
        floor(data_dir, repeat),
    ]


def measure_returns(store: Store, count: int) -> Figure:
    """Results handed over one after another through the service, fee taken with each."""
    clock = FixedClock(NOW)
    service = ReturnService(store, clock)
    clerk = StaffIdentity(CLERKS[0][0], CLERKS[0][1], Role.CLERK, UNIT_CODE)
    db = sqlite3.connect(database_path(store.data_dir or Path()))
    try:
        codes = [
            code
            for (code,) in db.execute(
                "SELECT d.code FROM dossier AS d WHERE d.status = 'result_ready' AND NOT EXISTS "
                "(SELECT 1 FROM fee_payment AS f WHERE f.dossier_id = d.id) AND d.procedure_code "
                "IN (SELECT code FROM procedure WHERE fee_schedule IS NULL) LIMIT ?",
                (count,),
            )
        ]
    finally:
        db.close()

    def hand_over(code: str) -> None:
        clock.advance(seconds=40)
        request = ReturnRequest(
            code,
            method="post",
            tracking_number="EB123456789VN",
            fee=FeeInput("cash", amount_vnd=10_000),
        )
        service.hand_over(request, clerk)

    samples = [timed(partial(hand_over, code)) for code in codes]
    return Figure(LABEL_RETURN, samples, target_ms=50.0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tallies", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each report")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-tallies-"))
    try:
        if not database_path(data_dir).exists():
            report = build_store(data_dir, args.dossiers, args.seed)
            print(f"built {report.dossiers:,} dossiers in {report.seconds_rows:.0f} s", flush=True)
        started = time.perf_counter()
        payments = seed_fees(data_dir)
        print(f"fee payments: {payments:,} ({time.perf_counter() - started:.1f} s)", flush=True)
        store = Store.open(data_dir)
        try:
            figures = measure(store, data_dir, args.repeat)
            figures.append(measure_returns(store, 50))
            size = store_size(data_dir)
        finally:
            store.close()
        print()
        print_figures(figures, size, args.dossiers)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
