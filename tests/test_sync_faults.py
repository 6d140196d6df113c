"""Sync converges through a bad network, a killed client and a restarted server.

The faults are real: connections reset mid-request by a proxy, a client process
killed with SIGKILL at a chosen instant, the server process killed and started
again on the same database.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.attachments import AttachmentService
from counter_app.models import DossierEvent, OutboxEntry
from counter_app.outbox import PENDING
from counter_app.sync_outbox import SENT
from sync.server import admin
from sync.server.db import Database
from sync.server.models import AppliedMutation, ServerDossier, ServerEvent
from tests.support.counters import Counter, CounterFactory
from tests.support.fault_proxy import Fault, FaultProxy
from tests.support.server import ServerProcess, ThreadedServer
from tests.support.sync_blobs import receive_with_attachments

pytest_plugins = ["tests.support.sync_fixtures"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def proxy(province: ThreadedServer) -> Iterator[FaultProxy]:
    faulty = FaultProxy(province.port)
    yield faulty
    faulty.close()


def assert_exactly_once(province: ThreadedServer, counter: Counter, codes: set[str]) -> None:
    """The server holds each dossier, event and mutation once; the counter knows it."""
    rows = admin.list_dossiers(province.database)
    assert sorted(r["code"] for r in rows) == sorted(codes)
    with counter.store.read() as session:
        # A postal draft's "drafted" event stays at the counter: reception sends "received".
        shared = select(func.count()).where(DossierEvent.kind != "drafted")
        local_events = session.scalar(shared)
        numbered = session.scalar(shared.where(DossierEvent.server_seq.is_not(None)))
        unsent = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state != SENT)
        )
        entries = session.scalar(select(func.count()).select_from(OutboxEntry))
    with province.database.read() as session:
        assert session.scalar(select(func.count()).select_from(ServerEvent)) == local_events
        assert session.scalar(select(func.count()).select_from(AppliedMutation)) == entries
    assert unsent == 0
    assert numbered == local_events


def test_sync_converges_through_resets_stalls_and_gateway_timeouts(
    province: ThreadedServer, make_counter: CounterFactory, proxy: FaultProxy
) -> None:
    counter = make_counter("a")
    receipts = counter.receive(12)
    scan = os.urandom(400_000)
    blob = "/api/v1/blobs/" + hashlib.sha256(scan).hexdigest()
    receipts_code = receive_with_attachments(counter, [scan])
    counter.record(receipts[0].code, "withdrawn")
    counter.enrol(province, url=proxy.url)
    faults = [
        proxy.add(Fault("POST", "/api/v1/push", "reset_request", n_bytes=3000, times=2)),
        proxy.add(Fault("POST", "/api/v1/push", "gateway_timeout", times=2)),
        proxy.add(Fault("POST", "/api/v1/push", "stall", seconds=1.5)),
        proxy.add(Fault("POST", blob, "reset_request", n_bytes=150_000)),
        proxy.add(Fault("PATCH", blob, "reset_request", n_bytes=100_000)),
        proxy.add(Fault("GET", "/api/v1/changes", "gateway_timeout")),
        proxy.add(Fault("GET", "/api/v1/changes", "stall", seconds=1.5)),
    ]

    report = counter.sync(timeout=(2.0, 1.0), push_batch=5)

    assert report.complete, report
    assert [f.times for f in faults] == [0] * len(faults), "every fault was met"
    codes = {r.code for r in receipts} | {receipts_code}
    assert_exactly_once(province, counter, codes)
    sha256 = hashlib.sha256(scan).hexdigest()
    assert (province.blob_dir / sha256[:2] / sha256).read_bytes() == scan
    offsets = [int(r.headers["upload-offset"]) for r in proxy.requests("PATCH")]
    assert len(offsets) == 2 and 0 < offsets[0] < offsets[1], "resumed twice, never restarted"


def test_scans_come_down_through_cuts_stalls_and_gateway_timeouts(
    province: ThreadedServer, make_counter: CounterFactory, proxy: FaultProxy
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    scans = [os.urandom(300_000), os.urandom(200_000)]
    receive_with_attachments(first, scans)
    first.enrol(province)
    assert first.sync().complete
    second.enrol(province, url=proxy.url)
    paths = ["/api/v1/blobs/" + hashlib.sha256(scan).hexdigest() for scan in scans]
    faults = [
        proxy.add(Fault("GET", paths[0], "refuse")),
        proxy.add(Fault("GET", paths[0], "gateway_timeout")),
        proxy.add(Fault("GET", paths[1], "stall", seconds=1.5)),
    ]

    report = second.sync(timeout=(2.0, 1.0))

    assert report.complete and report.scans_downloaded == 2, report
    assert [f.times for f in faults] == [0, 0, 0], "every fault was met"
    blobs = AttachmentService(second.store, second.clock)
    for scan in scans:
        assert blobs.read_pdf(hashlib.sha256(scan).hexdigest()) == scan
    assert blobs.verify().ok
    assert second.sync().scans_downloaded == 0


def _client(counter: Counter) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "counter_app.cli", "sync", "--data-dir", str(counter.data_dir)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class _Killer:
    """A hook that SIGKILLs the client process once it is known."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.known = threading.Event()

    def __call__(self) -> None:
        assert self.known.wait(30)
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def start(self, counter: Counter) -> subprocess.Popen[bytes]:
        self.process = _client(counter)
        self.known.set()
        return self.process


def test_client_killed_after_the_server_committed_resends_without_duplicates(
    province: ThreadedServer, make_counter: CounterFactory, proxy: FaultProxy
) -> None:
    counter = make_counter("a")
    receipts = counter.receive(6)
    counter.enrol(province, url=proxy.url)
    killer = _Killer()
    proxy.add(Fault("POST", "/api/v1/push", "after_response", hook=killer))

    client = killer.start(counter)
    assert client.wait(60) == -signal.SIGKILL

    with province.database.read() as session:
        assert session.scalar(select(func.count()).select_from(ServerDossier)) == 6, "committed"
    with counter.store.read() as session:
        states = set(session.scalars(select(OutboxEntry.state)))
    assert states == {PENDING}, "the client died before it could record the answer"

    report = counter.sync()
    assert (report.pushed, report.duplicates) == (0, 6)
    assert_exactly_once(province, counter, {r.code for r in receipts})


def test_client_killed_mid_upload_resumes_from_the_servers_offset(
    province: ThreadedServer, make_counter: CounterFactory, proxy: FaultProxy
) -> None:
    counter = make_counter("a")
    scan = os.urandom(3_000_000)
    sha256 = hashlib.sha256(scan).hexdigest()
    code = receive_with_attachments(counter, [scan])
    counter.enrol(province, url=proxy.url)
    killer = _Killer()
    blob = "/api/v1/blobs/" + sha256
    proxy.add(Fault("POST", blob, "reset_request", n_bytes=1_200_000, hook=killer))

    assert killer.start(counter).wait(60) == -signal.SIGKILL

    landed = 0
    deadline = time.monotonic() + 10
    with counter.connection() as connection:
        while landed == 0 and time.monotonic() < deadline:  # the proxy cuts it just after
            time.sleep(0.1)
            landed = int(connection.call("HEAD", f"blobs/{sha256}").headers["Upload-Offset"])
    assert 0 < landed <= 1_200_000, "what reached the server before the kill is kept"

    assert _client(counter).wait(60) == 0
    [resumed] = [r.headers for r in proxy.requests("PATCH")]
    assert int(resumed["upload-offset"]) == landed, "resumed at the offset, not at zero"
    assert int(resumed["content-length"]) == len(scan) - landed
    assert len(proxy.requests("POST", blob)) == 1, "created once, then only resumed"
    assert [p.name for p in province.blob_dir.glob("??/*")] == [sha256]
    assert (province.blob_dir / sha256[:2] / sha256).read_bytes() == scan
    assert not list((province.blob_dir / ".uploads").rglob("*.part"))
    assert_exactly_once(province, counter, {code})


def test_server_killed_and_restarted_mid_sync(
    province_db_url: str, make_counter: CounterFactory, tmp_path: Path
) -> None:
    database = Database.open(province_db_url)
    server = ServerProcess(province_db_url, tmp_path / "blobs")
    server.start()
    proxy = FaultProxy(server.port)
    restarted = threading.Event()

    def restart() -> None:
        server.start()
        restarted.set()

    restarter = threading.Thread(target=restart, daemon=True)

    def kill_and_restart() -> None:
        server.kill()
        restarter.start()

    try:
        counter = make_counter("a")
        receipts = counter.receive(30)
        counter.enrol_at(database, proxy.url)
        # Killed once the second batch reached it: committed or not, nobody can tell.
        proxy.add(Fault("POST", "/api/v1/push", "after_request", hook=kill_and_restart, skip=1))

        report = counter.sync(push_batch=10)

        assert restarted.is_set()
        assert report.complete
        codes = [r["code"] for r in admin.list_dossiers(database)]
        assert sorted(codes) == sorted(r.code for r in receipts)
        with database.read() as session:
            assert session.scalar(select(func.count()).select_from(ServerEvent)) == 30
    finally:
        proxy.close()
        if restarter.is_alive():
            restarter.join(60)  # so the restarted server cannot outlive the test
        server.kill()
        database.close()


def test_server_restored_from_backup_gets_everything_again(
    make_counter: CounterFactory, tmp_path: Path
) -> None:
    """A restore loses what came after the backup; counters notice and send it again."""
    database = tmp_path / "province.sqlite3"
    url = f"sqlite:///{database}"
    server = ThreadedServer(url, tmp_path / "blobs")
    counter = make_counter("a")
    try:
        first = counter.receive(3)
        counter.enrol(server)
        counter.sync()
        server.stop()
        shutil.copy(database, tmp_path / "backup.sqlite3")  # the nightly backup
        server = ThreadedServer(url, tmp_path / "blobs")
        later = counter.receive(2)
        counter.sync(server.url)
        admin.set_status(server.database, first[0].code, "in_processing")
        counter.sync(server.url)
        server.stop()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copy(tmp_path / "backup.sqlite3", database)  # disaster, then restore
        server = ThreadedServer(url, tmp_path / "blobs")

        report = counter.sync(server.url)

        assert report.full_resync
        assert report.complete
        codes = [r["code"] for r in admin.list_dossiers(server.database)]
        assert sorted(codes) == sorted(r.code for r in first + later)
        with counter.store.read() as session:
            statuses = set(session.scalars(select(DossierEvent.kind)))
        assert "processing_started" in statuses, "history the counter saw is kept locally"
    finally:
        server.stop()
