"""What a durable reception costs: ``synchronous=NORMAL`` (before) against ``FULL`` (now).

Run: ``python -m bench.durability [--dossiers N] [--data-dir DIR]``. On a real
file built like bench.foundation's (default 20,000 dossiers), the same clerk's
receptions go through the real service, in turn with the store's old setting,
NORMAL (a power cut may roll back the last commits, and with them a code already
printed on a receipt), and with FULL, the store's setting since (the WAL is
synced before each commit returns). The difference is one fsync per reception,
so the figure depends on the disk: the bench prints both.
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
from counter_app.paths import database_path, database_url
from counter_app.reception import ReceptionService
from counter_app.store import Store, make_engine

SAMPLES = 200
MODES = ("NORMAL", "FULL")


def label(mode: str) -> str:
    return f"receive one dossier, synchronous={mode}"


def open_store(data_dir: Path, mode: str) -> Store:
    store = Store(make_engine(database_url(data_dir), synchronous=mode), data_dir)
    with store.read() as session:
        in_effect = session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
    if in_effect != {"NORMAL": 1, "FULL": 2}[mode]:
        raise RuntimeError(f"synchronous is {in_effect}, not {mode}")
    return store


def measure(data_dir: Path, samples: int, rng: random.Random) -> list[Figure]:
    """``samples`` receptions per setting, each timed from the call to its commit returning.

    The two settings take turns, reception by reception, on the same file: a
    machine busy with something else slows both alike instead of the one measured
    at the wrong moment.
    """
    stores = {mode: open_store(data_dir, mode) for mode in MODES}
    db = sqlite3.connect(database_path(data_dir))
    clerk = StaffIdentity(CLERKS[0][0], CLERKS[0][1], Role.CLERK, UNIT_CODE)
    timings: dict[str, list[float]] = {mode: [] for mode in MODES}
    try:
        requests = reception_requests(stores["FULL"], db, rng, 2 * samples + len(MODES))
        services = {}
        for n, mode in enumerate(MODES):
            # Each setting on a day of its own, so both start from the day's first code.
            day = BENCH_DAY + dt.timedelta(days=7 * (n + 1))
            clock = FixedClock(dt.datetime.combine(day, dt.time(7, 45)))
            services[mode] = (ReceptionService(stores[mode], clock), clock)
            services[mode][0].receive(requests.pop(), clerk)  # warm the calendar and caches
        for i, request in enumerate(requests):
            mode = MODES[i % len(MODES)]
            service, clock = services[mode]
            clock.advance(seconds=30)
            start = time.perf_counter()
            service.receive(request, clerk)
            timings[mode].append((time.perf_counter() - start) * 1000)
    finally:
        db.close()
        for store in stores.values():
            store.close()
    return [Figure(label(mode), timings[mode], target_ms=20.0) for mode in MODES]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.durability", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-durability-"))
    try:
        if not database_path(data_dir).exists():
            report = build_store(data_dir, args.dossiers, args.seed)
            print(f"built {report.dossiers:,} dossiers in {report.seconds_rows:.0f} s", flush=True)
        rng = random.Random(args.seed + 3)
        figures = measure(data_dir, args.samples, rng)
        print_figures(figures, store_size(data_dir), args.dossiers)
        normal, full = figures
        print(
            f"FULL costs {full.median - normal.median:+.3f} ms at the median and "
            f"{full.p95 - normal.p95:+.3f} ms at p95 per reception"
        )
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
