"""Pull benchmark: a counter catches up on 100,000 status changes made by the province.

The province works through a unit's dossiers all day (in processing, supplement
asked, supplement received, …) while a counter is offline; when it comes back
it must catch up before the clerk notices. This measures that catch-up with the
real client against the real server in its own process (target: under 10 s).

Setup, not timed: a second counter of the unit receives the dossiers and pushes
them; the measured counter pulls them once; then the province records the
status changes through the server's own event code (the path of
``province-server dossier set-status``), many per transaction to save time.

Beside the wall time it prints the counter's CPU time over the pull, which a
machine busy with other work does not stretch, so figures taken on a loaded
machine can still be read.

Run: ``.venv/bin/python -m bench.sync_pull [--dossiers 2000] [--changes 100000]
[--database-url URL]``. Exit status 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from bench.sync_common import UNIT_CODE, ServerProcess, TimedConnection, enrol, new_counter, receive
from counter_app.clock import SystemClock
from counter_app.models import DossierEvent
from counter_app.store import Store
from sync import protocol
from sync.client import credentials
from sync.client.engine import PULL_PAGE, SyncEngine, SyncReport
from sync.server.changes import ChangeLog
from sync.server.db import Database, utcnow
from sync.server.models import ServerDossier
from sync.server.push import append_event

ROUND = ("supplement_requested", "supplement_received")
LABELS = ("initial load", "province changes", "pull")


def sync(store: Store, data_dir: Path, page: int = PULL_PAGE) -> tuple[SyncReport, float]:
    report, seconds, _, _ = timed_sync(store, data_dir, page)
    return report, seconds


def timed_sync(
    store: Store, data_dir: Path, page: int = PULL_PAGE
) -> tuple[SyncReport, float, float, float]:
    """The sync's report, its duration, how much of it the pull requests took, and its CPU time.

    The CPU time is this process's (``time.process_time``: user and system, all
    its threads) over the sync: the counter's side alone, since the server runs
    in a process of its own. On a machine busy with other work the wall time
    stretches and this does not.
    """
    enrolment = credentials.load(data_dir)
    assert enrolment is not None
    with TimedConnection(enrolment.server_url, enrolment.device_token) as connection:
        engine = SyncEngine(store, connection, data_dir=data_dir, pull_page=page)
        started, cpu = time.perf_counter(), time.process_time()
        report = engine.run_once()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return report, seconds, connection.seconds(lambda label: label == "GET changes"), cpu


def province_changes(database: Database, count: int, per_transaction: int = 5000) -> None:
    """``count`` status events over the dossiers, round after round, as the province works."""
    with database.read() as session:
        ids = list(session.scalars(select(ServerDossier.id).order_by(ServerDossier.code)))
    clock = SystemClock()
    made = 0
    while made < count:
        with database.write() as session:
            log = ChangeLog()
            dossiers = {d.id: d for d in session.scalars(select(ServerDossier))}
            for _ in range(min(per_transaction, count - made)):
                dossier = dossiers[ids[made % len(ids)]]
                kind = ROUND[(made // len(ids)) % 2]
                data = protocol.EventData(
                    id=str(uuid.uuid4()),
                    dossier_id=dossier.id,
                    kind=kind,
                    status_after="",
                    at=clock.now(),
                    actor="province",
                    unit_code=dossier.competent_unit_code,
                )
                append_event(session, log, dossier, data, origin="province")
                made += 1
            log.commit(session, utcnow())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=PULL_PAGE, help="changes per pull request")
    parser.add_argument("--database-url", help="server database (default: SQLite in data dir)")
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args(argv)
    if args.changes % (2 * args.dossiers):
        parser.error("--changes must be a multiple of twice --dossiers (whole rounds)")
    root = args.data_dir or Path(tempfile.mkdtemp(prefix="sync-pull-"))
    root.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{root / 'province.sqlite3'}"
    database = Database.open(url)
    server = ServerProcess(url, root / "server-blobs")
    try:
        other, other_dir = new_counter(root / "other", slot=2), root / "other"
        receive(other, args.dossiers, seed=2)
        enrol(database, other_dir, server.url, unit_code=UNIT_CODE, slot=2)
        sync(other, other_dir)
        other.close()
        counter_dir = root / "counter"
        counter = new_counter(counter_dir, slot=1)
        enrol(database, counter_dir, server.url, unit_code=UNIT_CODE, slot=1)
        report, seconds = sync(counter, counter_dir)
        assert report.dossiers_added == args.dossiers, report
        print(f"initial load: {args.dossiers:,} dossiers pulled in {seconds:.1f} s")

        started = time.perf_counter()
        province_changes(database, args.changes)
        print(
            f"province changes: {args.changes:,} status changes recorded in "
            f"{time.perf_counter() - started:.1f} s (setup)"
        )
        report, seconds, requests, cpu = timed_sync(counter, counter_dir, args.page)
        assert report.pulled == args.changes and report.complete, report
        with counter.read() as session:
            events = session.scalar(select(func.count()).select_from(DossierEvent))
        assert events == args.dossiers + args.changes, events
        counter.close()
        print(
            f"pull: {args.changes:,} status changes in {seconds:.2f} s "
            f"({args.changes / seconds:,.0f} changes/s, pages of {args.page}; target < 10 s)"
        )
        print(
            f"  of which {requests:.2f} s in the pull requests (server, network, reading the "
            f"bodies) and {seconds - requests:.2f} s at the counter (parsing, storing); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"  counter CPU: {cpu:.2f} s (process time of the counter's process over the sync: "
            "reading, checking and storing the pages, its side of the requests, the commits; "
            "not the server's, which runs in its own process)"
        )
    finally:
        server.stop()
        database.close()
        if args.data_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
