"""Push benchmark: a counter's backlog of dossiers and scans, pushed over loopback.

A counter that was offline for days comes back with thousands of dossiers and a
gigabyte of scanned documents. This pushes such a backlog with the real client
(``SyncEngine.run_once``) to the real server in its own process, and prints:

- dossiers per second, the time spent on push requests alone;
- blob megabytes per second, the time spent uploading attachments (resumable,
  SHA-256-checked, durable before the server answers) — and, as a ratio, the
  same bytes sent by a plain HTTP PUT to a route of the same server that writes
  them to a new file and makes it durable (``fdatasync``, then its directory):
  the floor, since a scan the province acknowledged must survive a power cut
  (target ≥ 0.9). The resumable side counts the one query for missing blobs
  a sync asks before its uploads, as a sync does. For context, not as the
  target, it also prints the ratio to a plain PUT that leaves its file in the
  page cache.

The backlog is built through the real reception service; the scans are random
bytes written to the counter's blob store and named on each dossier's first
document, as digitizing before reception leaves them.

Run: ``.venv/bin/python -m bench.sync_push [--dossiers 5000] [--blob-mb 1024]
[--database-url URL] [--data-dir DIR]``. Exit status 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from bench.sync_common import ServerProcess, TimedConnection, enrol, new_counter, receive
from counter_app.models import Attachment, DossierDocument, OutboxEntry
from counter_app.paths import BLOB_DIR
from counter_app.store import Store
from sync import protocol
from sync.client import credentials
from sync.client.backoff import RetryPolicy
from sync.client.blobs import PARALLEL_UPLOADS, BlobUploader
from sync.client.engine import SyncEngine, SyncReport
from sync.client.http import ServerConnection
from sync.server import admin
from sync.server.db import Database

_sync_disks = getattr(os, "sync", lambda: None)  # Unix only; elsewhere steps run unsynced
LABELS = ("backlog", "push (dossiers)", "upload (blobs)", "plain PUT (same bytes)", "ratio")


def attach_scans(store: Store, data_dir: Path, total_bytes: int, count: int) -> list[Path]:
    """Give ``count`` dossiers one scan each, ``total_bytes`` in all, as digitizing would."""
    size = max(1, total_bytes // max(1, count))
    paths: list[Path] = []
    with store.write() as session:
        entries = session.scalars(
            select(OutboxEntry).where(OutboxEntry.operation == "receive").order_by(OutboxEntry.id)
        ).all()[:count]
        for entry in entries:
            content = os.urandom(size)
            sha256 = hashlib.sha256(content).hexdigest()
            path = data_dir / BLOB_DIR / sha256[:2] / sha256
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            paths.append(path)
            session.add(
                Attachment(
                    sha256=sha256,
                    size=size,
                    page_count=1,
                    created_by="bench",
                    created_at=entry.created_at,
                )
            )
            first = session.scalar(
                select(DossierDocument)
                .where(DossierDocument.dossier_id == entry.entity_id)
                .order_by(DossierDocument.position)
            )
            assert first is not None
            first.attachment_sha256 = sha256
            payload = dict(entry.payload)
            payload["documents"] = [dict(d) for d in payload["documents"]]
            payload["documents"][0]["attachment_sha256"] = sha256
            entry.payload = payload
    return paths


class TimedEngine(SyncEngine):
    """The real engine, timing its blob phase (uploads run on several connections)."""

    blob_seconds = 0.0

    def _upload_blobs(
        self, report: SyncReport, payloads: list[dict[str, object]]
    ) -> dict[str, str]:
        started = time.perf_counter()
        try:
            return super()._upload_blobs(report, payloads)
        finally:
            self.blob_seconds += time.perf_counter() - started


class AskedOnce(BlobUploader):
    """The real uploader, whose query for missing blobs is asked once for the whole backlog.

    A sync asks the server which of its blobs it lacks in one query, then
    uploads them (``upload_missing``). The rounds below split those uploads to
    share the machine's conditions with the PUTs; asking again each round would
    charge the uploads a query per round that no sync makes.
    """

    answer: protocol.BlobQueryResponse | None = None

    def query(self, hashes: Sequence[str]) -> protocol.BlobQueryResponse:
        if self.answer is None:
            return super().query(hashes)
        asked = set(hashes)
        return protocol.BlobQueryResponse(
            missing=[sha256 for sha256 in self.answer.missing if sha256 in asked],
            offsets={k: v for k, v in self.answer.offsets.items() if k in asked},
        )


def plain_upload(url: str, paths: Sequence[Path], parallel: int, route: str = "plain") -> float:
    """Seconds to PUT every file to ``/bench/<route>``, with as many connections as the client."""
    local = threading.local()
    sessions: list[TimedConnection] = []

    def put(path: Path) -> None:
        if not hasattr(local, "connection"):
            local.connection = TimedConnection(url)
            sessions.append(local.connection)
        with path.open("rb") as handle:
            answer = local.connection.session.put(
                f"{url}/bench/{route}/{path.name}", data=handle, timeout=120
            )
        answer.raise_for_status()
        answer.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(put, paths))
    elapsed = time.perf_counter() - started
    for connection in sessions:
        connection.close()
    return elapsed


def interleaved_ratio(
    server_url: str,
    token: str,
    counter_dir: Path,
    scans: list[Path],
    parallel: int,
    rounds: int,
) -> tuple[float, list[dict[str, float]]]:
    """Seconds of the uploader's one query; per round, seconds for it, the durable and plain PUT.

    The machine may be shared, so a single long run of each is at the mercy of
    whatever else runs meanwhile; alternating rounds (and which goes first) puts
    all three under the same conditions. Each step starts with nothing waiting
    to be written out (``os.sync``): the plain PUTs leave their files in the page
    cache for the kernel to write later, and the next step would pay for it.
    The resumable and the durable steps end with their files on disk.
    ``server_url`` must have none of the scans yet.
    """
    seconds: list[dict[str, float]] = []
    size = -(-len(scans) // rounds)
    with ServerConnection(server_url, token) as connection:
        uploader = AskedOnce(connection, RetryPolicy(), counter_dir, parallel)
        try:
            _sync_disks()
            began = time.perf_counter()
            uploader.answer = uploader.query([path.name for path in scans])
            query_s = time.perf_counter() - began
            assert len(uploader.answer.missing) == len(scans)
            for number, start in enumerate(range(0, len(scans), size)):
                chunk = scans[start : start + size]

                def resumable(chunk: list[Path] = chunk) -> None:
                    stats = uploader.upload_missing([path.name for path in chunk])
                    assert stats.uploaded == len(chunk), stats  # durable once answered

                def durable(chunk: list[Path] = chunk) -> None:
                    plain_upload(server_url, chunk, parallel, "durable")

                def plain(chunk: list[Path] = chunk) -> None:
                    plain_upload(server_url, chunk, parallel, "plain")

                steps = {"resumable": resumable, "durable": durable, "plain": plain}
                names = list(steps)
                turn = number % len(names)
                took: dict[str, float] = {}
                for name in names[turn:] + names[:turn]:
                    _sync_disks()  # no step pays for writing out the bytes of the one before
                    began = time.perf_counter()
                    steps[name]()
                    took[name] = time.perf_counter() - began
                seconds.append(took)
        finally:
            uploader.close()
    return query_s, seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=5000)
    parser.add_argument("--blob-mb", type=float, default=1024.0)
    parser.add_argument("--with-scans", type=int, help="dossiers carrying a scan (default all)")
    parser.add_argument("--database-url", help="server database (default: SQLite in data dir)")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--parallel", type=int, default=PARALLEL_UPLOADS, help="upload connections, both sides"
    )
    parser.add_argument("--rounds", type=int, default=10, help="alternations for the ratio")
    args = parser.parse_args(argv)
    root = args.data_dir or Path(tempfile.mkdtemp(prefix="sync-push-"))
    root.mkdir(parents=True, exist_ok=True)
    counter_dir, blob_dir = root / "counter", root / "server-blobs"
    url = args.database_url or f"sqlite:///{root / 'province.sqlite3'}"
    try:
        started = time.perf_counter()
        store = new_counter(counter_dir)
        receive(store, args.dossiers)
        scans = attach_scans(
            store, counter_dir, int(args.blob_mb * 1e6), args.with_scans or args.dossiers
        )
        blob_bytes = sum(p.stat().st_size for p in scans)
        print(
            f"backlog: {args.dossiers:,} dossiers, {len(scans):,} scans, "
            f"{blob_bytes / 1e6:,.0f} MB, built in {time.perf_counter() - started:.1f} s"
        )
        database = Database.open(url)
        server = ServerProcess(url, blob_dir)
        try:
            enrol(database, counter_dir, server.url, unit_code="000.00.11.H57", slot=1)
            enrolment = credentials.load(counter_dir)
            assert enrolment is not None
            with TimedConnection(server.url, enrolment.device_token) as connection:
                began = time.perf_counter()
                engine = TimedEngine(store, connection, data_dir=counter_dir)
                engine.blobs.parallel = args.parallel
                report = engine.run_once()
                total = time.perf_counter() - began
                push_s = connection.seconds(lambda label: label == "POST push")
                blob_s = engine.blob_seconds
            assert report.complete, report
            assert report.pushed == args.dossiers and report.blob_bytes == blob_bytes
            assert len(admin.list_dossiers(database)) == args.dossiers
            server.stop()
            # The scans go up again, to the same database with an empty blob directory.
            # Deleting the first copies instead made every file creation that followed
            # slow: ext4 without a journal skips each recently deleted inode in turn.
            server = ServerProcess(url, root / "server-blobs-again")
            query_s, rounds = interleaved_ratio(
                server.url,
                enrolment.device_token,
                counter_dir,
                scans,
                args.parallel,
                args.rounds,
            )
        finally:
            server.stop()
            database.close()
        store.close()
        blob_rate = blob_bytes / 1e6 / blob_s if blob_s else float("nan")
        total_s = {name: sum(r[name] for r in rounds) for name in ("resumable", "durable", "plain")}
        total_s["resumable"] += query_s  # the one query a sync asks, before its uploads
        rate = {
            name: blob_bytes / 1e6 / took if took else float("nan")
            for name, took in total_s.items()
        }
        per_round = sorted(r["durable"] / r["resumable"] for r in rounds)
        print(f"whole sync: {total:.1f} s ({args.dossiers / total:,.0f} dossiers/s end to end)")
        print(
            f"push (dossiers): {args.dossiers / push_s:,.0f} dossiers/s "
            f"({push_s:.2f} s in push requests)"
        )
        print(
            f"upload (blobs): {blob_rate:,.0f} MB/s in the sync ({blob_s:.2f} s: query, "
            f"tus upload, SHA-256 check, durable write; {args.parallel} connections)"
        )
        print(
            f"interleaved, {args.rounds} rounds, {len(scans):,} scans of "
            f"{blob_bytes / max(1, len(scans)) / 1e3:,.0f} KB: resumable {rate['resumable']:,.0f} "
            f"MB/s ({total_s['resumable']:.2f} s, of which {query_s * 1e3:.0f} ms the one query "
            f"for missing blobs), durable PUT (same bytes, fdatasync + "
            f"directory sync) {rate['durable']:,.0f} MB/s ({total_s['durable']:.2f} s), "
            f"page-cache PUT {rate['plain']:,.0f} MB/s ({total_s['plain']:.2f} s)"
        )
        print(
            f"ratio resumable/durable PUT: {rate['resumable'] / rate['durable']:.2f} "
            f"(target ≥ 0.90, the floor); round by round (uploads only) min {per_round[0]:.2f}, "
            f"median {statistics.median(per_round):.2f}, max {per_round[-1]:.2f}"
        )
        print(
            f"context, not the target: ratio resumable/page-cache PUT "
            f"{rate['resumable'] / rate['plain']:.2f} (its files not yet on disk when it answers)"
        )
    finally:
        if not args.keep and args.data_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
