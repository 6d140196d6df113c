"""``deploy/backup.sh`` and ``deploy/restore.sh`` on a real PostgreSQL and blob directory.

A server with dossiers and scans synced from a real counter is backed up while it
runs, restored into a database made for the test, and served again: the rows and
the scans are all there, the epoch is new, and the counter resyncs in full. Runs
only where PROVINCE_TEST_DATABASE_URL names a PostgreSQL and pg_dump, pg_restore
and psql are installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import func, select

from sync.server import blob_files
from sync.server.models import BlobRef, ServerDossier, ServerMeta
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import durable, receive_with_attachments

pytest_plugins = ["tests.support.sync_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
BASE_URL = os.environ.get("PROVINCE_TEST_DATABASE_URL", "")
TOOLS = ("pg_dump", "pg_restore", "psql", "tar", "sha256sum", "bash")
missing = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = [
    pytest.mark.skipif(not BASE_URL, reason="needs PROVINCE_TEST_DATABASE_URL (PostgreSQL)"),
    pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} installed"),
]


def database_url(name: str) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}", query=""))


def execute(statement: str) -> None:
    import psycopg

    with psycopg.connect(BASE_URL, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two new databases of this test's own: the live one and the one restored into."""
    names = [f"deploy_{uuid.uuid4().hex[:10]}_{role}" for role in ("live", "restored")]
    for name in names:
        execute(f"CREATE DATABASE {name}")
    try:
        yield database_url(names[0]), database_url(names[1])
    finally:
        for name in names:
            execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def script(name: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(DEPLOY / name), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )


def counts(server: ThreadedServer) -> tuple[int, int, str]:
    with server.database.read() as session:
        dossiers = session.scalar(select(func.count()).select_from(ServerDossier))
        documents = session.scalar(select(func.count()).select_from(BlobRef))
        epoch = session.scalar(select(ServerMeta.value).where(ServerMeta.key == "epoch"))
    assert dossiers is not None and documents is not None and epoch is not None
    return dossiers, documents, epoch


def test_a_backup_taken_while_serving_restores_into_a_new_database(
    databases: tuple[str, str], make_counter: CounterFactory, tmp_path: Path
) -> None:
    live_url, restored_url = databases
    live_blobs, restored_blobs = tmp_path / "blobs-live", tmp_path / "blobs-restored"
    backups = tmp_path / "backups"
    scans = [b"%PDF-1.4 scan one", b"%PDF-1.4 scan two"]

    live = ThreadedServer(live_url, live_blobs)
    try:
        counter = make_counter("a")
        counter.enrol(live)
        receive_with_attachments(counter, scans)
        counter.receive(2)
        assert counter.sync().pushed >= 3
        for scan in scans:
            assert durable(live, hashlib.sha256(scan).hexdigest()).exists()
        before = counts(live)
        assert before[:2] == (3, 2)
        # An upload still arriving where its scan will be (marked): not a scan to keep.
        arriving = hashlib.sha256(b"%PDF-1.4 scan three").hexdigest()
        place = live_blobs / arriving[:2] / arriving
        place.parent.mkdir(exist_ok=True)
        place.write_bytes(b"%PDF-1.4 sc")
        place.chmod(0o644 | blob_files.UNCHECKED)

        env = {
            "PROVINCE_ENV_FILE": "/nonexistent",
            "PROVINCE_DATABASE_URL": live_url,
            "PROVINCE_BLOB_DIR": str(live_blobs),
            "PROVINCE_BACKUP_DIR": str(backups),
            "PROVINCE_BACKUP_KEEP": "2",
        }
        taken = [script("backup.sh", env) for _ in range(3)]
    finally:
        live.stop()
    for done in taken:
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Đã sao lưu: ")
    kept = sorted(backups.glob("province-backup-*"))
    assert len(kept) == 2, "only the newest PROVINCE_BACKUP_KEEP are kept"
    newest = kept[-1]
    assert str(newest) in taken[-1].stdout
    assert sorted(p.name for p in newest.iterdir()) == ["SHA256SUMS", "blobs.tar", "database.dump"]

    restore_env = {
        "PROVINCE_ENV_FILE": "/nonexistent",
        "PROVINCE_DATABASE_URL": restored_url,
        "PROVINCE_BLOB_DIR": str(restored_blobs),
        "PROVINCE_SERVER": f"{sys.executable} -m sync.server.launcher",
    }
    done = script("restore.sh", restore_env, str(newest))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Kỷ nguyên mới" in done.stdout
    for scan in scans:
        sha256 = hashlib.sha256(scan).hexdigest()
        assert (restored_blobs / sha256[:2] / sha256).read_bytes() == scan
    assert not (restored_blobs / arriving[:2] / arriving).exists(), "not backed up"

    again = script("restore.sh", restore_env, str(newest))
    assert again.returncode == 2, "a database that is not empty is refused"
    assert "đã có" in again.stderr and "bảng" in again.stderr

    restored = ThreadedServer(restored_url, restored_blobs)
    try:
        after = counts(restored)
        assert after[:2] == before[:2], "every dossier and scan is back"
        assert after[2] != before[2], "a new epoch: every counter resyncs"
        assert requests.get(f"{restored.url}/readyz", timeout=10).status_code == 200
        report = counter.sync(url=restored.url)
        assert report.full_resync
        assert (report.rejected, report.waiting) == (0, 0)
    finally:
        restored.stop()


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    damaged = tmp_path / "province-backup-x"
    damaged.mkdir()
    for name in ("database.dump", "blobs.tar"):
        (damaged / name).write_bytes(b"something")
    (damaged / "SHA256SUMS").write_text(
        f"{'0' * 64}  database.dump\n{'0' * 64}  blobs.tar\n", encoding="utf-8"
    )
    env = {
        "PROVINCE_ENV_FILE": "/nonexistent",
        "PROVINCE_DATABASE_URL": database_url("never_touched"),
        "PROVINCE_BLOB_DIR": str(tmp_path / "blobs"),
    }
    done = script("restore.sh", env, str(damaged))
    assert done.returncode == 2
    assert "bị hỏng" in done.stderr
    assert not (tmp_path / "blobs").exists()
