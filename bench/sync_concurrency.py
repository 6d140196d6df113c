"""Concurrency benchmark: 200 counters sync at the same moment against the server on PostgreSQL.

Morning in a province: the link comes back and every counter syncs at once.
Each counter is a real data directory with dossiers received through the real
service; all start their sync together (client threads spread over a few
processes, the server in its own process), and the benchmark prints the
latency of every request (p50, p95, p99), the duration of whole syncs, and the
errors — which must be zero — then checks the server holds every dossier once.

Run: ``.venv/bin/python -m bench.sync_concurrency [--counters 200]
[--dossiers 5] [--database-url postgresql://postgres@127.0.0.1:5432/test]``.
The default URL is PROVINCE_BENCH_DATABASE_URL, else PROVINCE_TEST_DATABASE_URL,
else that local PostgreSQL; each run works in a schema of its own, dropped after.
Exit status 0 whatever the figures, non-zero when a sync fails.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.sync_common import (
    UNIT_NAME,
    ServerProcess,
    TimedConnection,
    enrol,
    new_counter,
    percentile,
    receive,
    scratch_schema,
)
from counter_app.paths import database_path
from counter_app.store import Store
from sync.client import credentials
from sync.client.backoff import RetryPolicy
from sync.client.engine import SyncEngine
from sync.server import admin
from sync.server.db import Database

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
SLOTS = 8
LABELS = ("counters", "requests", "syncs", "errors")


def unit_of(index: int) -> tuple[str, int]:
    """Unit code and slot of counter ``index``: eight counters a unit."""
    return f"000.00.{10 + index // SLOTS:02d}.H57", index % SLOTS + 1


def clone_counter(template: Path, target: Path, unit_code: str, slot: int) -> None:
    """A copy of the template store made into counter ``slot`` of ``unit_code``."""
    target.mkdir(parents=True)
    shutil.copy(database_path(template), database_path(target))
    with sqlite3.connect(database_path(target)) as db:
        db.execute("INSERT OR IGNORE INTO unit (code, name) VALUES (?, ?)", (unit_code, UNIT_NAME))
        db.execute(
            "UPDATE device SET unit_code = ?, slot = ?, id = ?",
            (unit_code, slot, str(uuid.uuid4())),
        )
        db.execute("UPDATE staff_user SET unit_code = ?", (unit_code,))


def _sync_group(dirs: list[str], start_at: float, results: Any) -> None:
    """Sync each counter of ``dirs`` in a thread of its own, all starting at ``start_at``."""
    records: list[tuple[str, list[tuple[str, float]], float, str | None]] = []
    lock = threading.Lock()

    def one(data_dir: Path) -> None:
        timings: list[tuple[str, float]] = []
        error = None
        started = time.perf_counter()
        store = Store.open(data_dir)
        try:
            enrolment = credentials.load(data_dir)
            assert enrolment is not None
            with TimedConnection(enrolment.server_url, enrolment.device_token) as connection:
                policy = RetryPolicy(deadline_s=120.0)
                time.sleep(max(0.0, start_at - time.time()))
                started = time.perf_counter()
                try:
                    report = SyncEngine(
                        store, connection, data_dir=data_dir, policy=policy
                    ).run_once()
                    if not report.complete:
                        error = f"incomplete: {report.waiting} waiting, {report.problems}"
                finally:
                    timings = connection.timings
        except Exception:
            error = traceback.format_exc(limit=3)
        finally:
            store.close()
        with lock:
            records.append((str(data_dir), timings, time.perf_counter() - started, error))

    threads = [threading.Thread(target=one, args=(Path(d),)) for d in dirs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(records)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=200)
    parser.add_argument("--dossiers", type=int, default=5, help="dossiers waiting per counter")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "PROVINCE_BENCH_DATABASE_URL", os.environ.get("PROVINCE_TEST_DATABASE_URL", DEFAULT_URL)
        ),
    )
    parser.add_argument("--pool-size", type=int, default=20, help="server connection pool")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="sync-many-"))
    drop = None
    url = args.database_url
    if url.startswith("postgres"):
        url, drop = scratch_schema(url)
    database = Database.open(url)
    server = ServerProcess(url, root / "server-blobs", pool_size=args.pool_size)
    try:
        started = time.perf_counter()
        template = root / "template"
        new_counter(template).close()
        dirs = []
        for index in range(args.counters):
            unit_code, slot = unit_of(index)
            data_dir = root / f"counter-{index:03d}"
            clone_counter(template, data_dir, unit_code, slot)
            store = Store.open(data_dir)
            receive(store, args.dossiers, seed=index)
            store.close()
            enrol(database, data_dir, server.url, unit_code=unit_code, slot=slot)
            dirs.append(str(data_dir))
        print(
            f"setup: {args.counters} counters, {args.counters * args.dossiers:,} dossiers "
            f"waiting, in {time.perf_counter() - started:.1f} s"
        )
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        start_at = time.time() + 3.0 + args.processes
        groups = [dirs[i :: args.processes] for i in range(args.processes)]
        workers = [
            context.Process(target=_sync_group, args=(group, start_at, results)) for group in groups
        ]
        for worker in workers:
            worker.start()
        records = [record for _ in workers for record in results.get(timeout=600)]
        for worker in workers:
            worker.join()
        wall = max(duration for _, _, duration, _ in records)
        latencies = [seconds for _, timings, _, _ in records for _, seconds in timings]
        durations = [duration for _, _, duration, _ in records]
        errors = [(d, e) for d, _, _, e in records if e]
        stored = len(admin.list_dossiers(database))
        print(f"counters: {len(records)} syncing at once, all done in {wall:.1f} s")
        print(
            f"requests: {len(latencies):,}; latency p50 {percentile(latencies, 50) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 95) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 99) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms"
        )
        by_endpoint: dict[str, list[float]] = {}
        for _, timings, _, _ in records:
            for label, seconds in timings:
                by_endpoint.setdefault(label, []).append(seconds)
        print(
            "  by endpoint: "
            + "; ".join(
                f"{label} p50 {percentile(s, 50) * 1000:.0f} ms "
                f"p99 {percentile(s, 99) * 1000:.0f} ms"
                for label, s in sorted(by_endpoint.items())
            )
        )
        print(
            f"syncs: whole sync p50 {percentile(durations, 50):.2f} s, "
            f"p99 {percentile(durations, 99):.2f} s"
        )
        print(f"errors: {len(errors)}; server holds {stored:,} dossiers")
        for data_dir, error in errors[:5]:
            print(f"  {data_dir}: {error}", file=sys.stderr)
        expected = args.counters * args.dossiers
        return 0 if not errors and stored == expected else 1
    finally:
        server.stop()
        database.close()
        if drop is not None:
            drop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
