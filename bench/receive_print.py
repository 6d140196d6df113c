""" "Receive and print": from the clerk's Ctrl+Enter to the receipt's PDF ready to preview.

Run: ``python -m bench.receive_print [--dossiers N] [--data-dir DIR]``. On a
store built like bench.foundation's (default 1,000,000 dossiers), each sample
is what the window does: the reception service's one transaction, then the
dossier view read back and the two-copy A5 receipt rendered. The floor is the
reception alone. Target: p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.foundation import (
    BENCH_DAY,
    CLERKS,
    UNIT_CODE,
    Figure,
    build_store,
    print_figures,
    reception_requests,
    store_size,
)
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.paths import database_path
from counter_app.reception import ReceptionService
from counter_app.settings import Settings
from counter_app.store import Store
from printing.prepare import render_for_code

SAMPLES = 200


def measure(store: Store, db: sqlite3.Connection, rng: random.Random) -> list[Figure]:
    requests = reception_requests(store, db, rng, SAMPLES + 1)
    clock = FixedClock(dt.datetime.combine(BENCH_DAY, dt.time(7, 45)))
    service = ReceptionService(store, clock)
    clerk = StaffIdentity(CLERKS[0][0], CLERKS[0][1], Role.CLERK, UNIT_CODE)
    settings = Settings()
    # The window warms the calendar and the fonts at start; so does the bench.
    render_for_code(store, "receipt", service.receive(requests[0], clerk).code, settings)
    whole, reception_only = [], []
    for request in requests[1:]:
        clock.advance(seconds=30)
        start = time.perf_counter()
        receipt = service.receive(request, clerk)
        received = time.perf_counter()
        pdf = render_for_code(store, "receipt", receipt.code, settings)
        done = time.perf_counter()
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("the receipt is not a PDF")
        whole.append((done - start) * 1000)
        reception_only.append((received - start) * 1000)
    return [
        Figure("receive and print (receipt PDF ready)", whole, target_ms=300.0),
        Figure("floor: receive only", reception_only),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.receive_print", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-receive-print-"))
    try:
        if not database_path(data_dir).exists():
            report = build_store(data_dir, args.dossiers, args.seed)
            print(f"built {report.dossiers:,} dossiers in {report.seconds_rows:.0f} s", flush=True)
        store = Store.open(data_dir)
        db = sqlite3.connect(database_path(data_dir))
        try:
            figures = measure(store, db, random.Random(args.seed + 2))
            size = store_size(data_dir)
        finally:
            db.close()
            store.close()
        print_figures(figures, size, args.dossiers)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
