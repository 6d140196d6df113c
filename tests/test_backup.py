"""Backup and restore: a consistent copy while the counter runs, verified, restored safely."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app import backup
from counter_app.assembly import AssembledPdf
from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.errors import CounterError
from counter_app.models import AuditEntry, Dossier
from counter_app.paths import database_path
from counter_app.reception import ReceptionService
from counter_app.store import Store
from sync.server import admin
from tests.support.backups import dossier_codes, receive
from tests.support.counter_store import MONDAY_MORNING, open_counter
from tests.support.counters import Counter, CounterFactory
from tests.support.scans import made_pdf
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]


def with_scan(
    store: Store, clock: FixedClock, clerk: StaffIdentity, seed: int
) -> tuple[str, AssembledPdf]:
    """One dossier received with a one-page scan attached to its first document."""
    [code] = receive(store, clock, clerk, 1)
    service = AttachmentService(store, clock)
    target = service.open(code)
    pdf = made_pdf(seed)
    service.attach(target.id, target.slot(1).document_id, pdf, clerk)
    return code, pdf


def test_a_backup_made_during_a_write_is_one_consistent_moment_and_verifies(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    code, pdf = with_scan(store, clock, clerk, 1)
    # Another connection is half-way through a write: the backup neither waits nor sees it.
    assert store.data_dir is not None
    writer = sqlite3.connect(database_path(store.data_dir), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE dossier SET note = 'chưa lưu'")

    made = backup.make_backup(store, tmp_path / "usb", at=MONDAY_MORNING)

    writer.execute("ROLLBACK")
    writer.close()
    assert made.folder.name == "ward-counter-backup-20261116-090000"
    assert (made.scans, made.absent) == (1, ())
    manifest = backup.verify_backup(made.folder)
    assert list(manifest["scans"]) == [pdf.sha256]
    assert (made.folder / "blobs" / pdf.sha256[:2] / pdf.sha256).read_bytes() == pdf.content
    with sqlite3.connect(f"file:{made.folder / 'counter.sqlite3'}?mode=ro", uri=True) as copy:
        assert copy.execute("SELECT code, note FROM dossier").fetchall() == [(code, "")]
    assert not list((tmp_path / "usb").glob(".partial-*"))


def test_a_damaged_backup_is_refused_and_the_store_is_left_alone(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    _code, pdf = with_scan(store, clock, clerk, 2)
    made = backup.make_backup(store, tmp_path / "usb", at=MONDAY_MORNING)
    scan = made.folder / "blobs" / pdf.sha256[:2] / pdf.sha256
    scan.write_bytes(b"not the scan")
    receive(store, clock, clerk, 1)
    store.close()
    assert store.data_dir is not None

    with pytest.raises(backup.BackupInvalid, match="tệp giấy tờ số hóa"):
        backup.restore(store.data_dir, made.folder, actor="admin", at=MONDAY_MORNING)

    database = made.folder / "counter.sqlite3"
    database.write_bytes(database.read_bytes()[:-4096] + b"\0" * 4096)
    with pytest.raises(backup.BackupInvalid, match="cơ sở dữ liệu"):
        backup.verify_backup(made.folder)
    reopened = Store.open(store.data_dir)
    assert len(dossier_codes(reopened)) == 2, "nothing of the current store was touched"
    assert not list(store.data_dir.glob("*.before-restore-*"))
    reopened.close()


def test_restoring_an_older_backup_never_issues_a_code_again(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    first = receive(store, clock, clerk, 3)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    later = receive(store, clock, clerk, 2)  # handed to citizens on paper receipts
    store.close()
    assert store.data_dir is not None

    restored = backup.restore(store.data_dir, made.folder, actor="admin", at=clock.now())

    assert restored.kept_aside is not None and restored.kept_aside.is_file()
    assert restored.codes_kept == 1
    assert restored.unsent_left_behind == 5, "never synced: all five are only in the old store"
    again = Store.open(store.data_dir)
    assert dossier_codes(again) == sorted(first)
    [next_code] = receive(again, clock, clerk, 1)
    assert next_code not in first + later
    assert next_code.endswith("-1006")
    with again.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "backup.restore"))
        assert entry is not None and entry.actor == "admin"
    again.close()


def test_a_restore_cut_short_by_a_scan_still_never_issues_a_code_again(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = receive(store, clock, clerk, 3)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    later = receive(store, clock, clerk, 2)
    store.close()
    assert store.data_dir is not None

    def unreadable(*_: object) -> int:
        raise OSError(5, "Input/output error")  # the USB disk failing half-way

    monkeypatch.setattr(backup, "_restore_scans", unreadable)
    with pytest.raises(OSError):
        backup.restore(store.data_dir, made.folder, actor="admin", at=clock.now())

    again = Store.open(store.data_dir)
    [next_code] = receive(again, clock, clerk, 1)
    assert next_code not in first + later, "codes already on paper receipts stay issued"
    again.close()


def test_a_backup_of_another_counter_is_refused(
    store: Store, tmp_path: Path, clock: FixedClock
) -> None:
    other = open_counter(tmp_path / "other", slot=2)
    made = backup.make_backup(other, tmp_path / "usb", at=clock.now())
    other.close()
    store.close()
    assert store.data_dir is not None
    with pytest.raises(backup.RestoreRefused, match="máy số 2"):
        backup.restore(store.data_dir, made.folder, actor="admin", at=clock.now())


def test_retention_keeps_the_newest_and_says_when_today_is_done(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "usb"
    day = dt.datetime(2026, 11, 10, 8, 0)
    assert backup.due(target, day)
    for n in range(4):
        backup.make_backup(store, target, at=day + dt.timedelta(days=n), keep=2)
    assert [p.name for p in backup.backups_in(target)] == [
        "ward-counter-backup-20261112-080000",
        "ward-counter-backup-20261113-080000",
    ]
    assert not backup.due(target, day + dt.timedelta(days=3, hours=5))
    assert backup.due(target, day + dt.timedelta(days=4))


def test_backups_and_the_data_directory_are_the_owners_only(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    with_scan(store, clock, clerk, 3)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    assert store.data_dir is not None
    data_dir = store.data_dir
    database = database_path(data_dir)
    files = [
        database,
        Path(f"{database}-wal"),
        Path(f"{database}-shm"),
        *(p for p in (data_dir / "blobs").rglob("*") if p.is_file()),
        *(p for p in made.folder.rglob("*") if p.is_file()),
    ]
    folders = [
        data_dir,
        data_dir / "blobs",
        *(p for p in (data_dir / "blobs").iterdir()),
        tmp_path / "usb",
        made.folder,
    ]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {"0o600"}
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {"0o700"}


def reopen(counter: Counter) -> None:
    """The counter starts again on its (restored) data directory."""
    counter.store = Store.open(counter.data_dir)
    counter.reception = ReceptionService(counter.store, counter.clock)


def test_restore_on_an_enrolled_counter_then_sync_leaves_each_dossier_once_at_the_province(
    province: ThreadedServer, make_counter: CounterFactory, tmp_path: Path
) -> None:
    counter = make_counter("a", slot=1)
    counter.enrol(province)
    early = counter.receive(3)
    made = backup.make_backup(counter.store, tmp_path / "usb", at=counter.clock.now())
    counter.sync()  # the backup's outbox still says pending: these will be sent again
    late = counter.receive(2)
    counter.sync()
    counter.store.close()
    # The disk failed: the store is gone, only the backup and the province remain.
    for leftover in counter.data_dir.glob("counter.sqlite3*"):
        leftover.unlink()

    restored = backup.restore(counter.data_dir, made.folder, actor="admin", at=counter.clock.now())
    reopen(counter)

    assert restored.kept_aside is None
    report = counter.sync()
    assert report.complete
    # The backup's outbox still held the first three receptions as pending: sent again with
    # the same mutation ids, the server answers "duplicate" and stores nothing twice.
    assert (report.pushed, report.duplicates) == (0, 3)
    issued = sorted(r.code for r in early + late)
    server = [r["code"] for r in admin.list_dossiers(province.database)]
    assert server == issued, "each dossier exactly once at the province"
    assert dossier_codes(counter.store) == issued, "the pull brought back what the backup lacked"
    [after] = counter.receive(1)
    assert after.code not in issued
    assert after.code.endswith("-1006")
    counter.sync()
    server = [r["code"] for r in admin.list_dossiers(province.database)]
    assert server == sorted([*issued, after.code])
    with counter.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 6


def test_the_manifest_names_scans_this_pc_does_not_hold(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    _code, pdf = with_scan(store, clock, clerk, 4)
    AttachmentService(store, clock).blobs.path(pdf.sha256).unlink()
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    assert made.absent == (pdf.sha256,)
    manifest = json.loads((made.folder / "manifest.json").read_text("utf-8"))
    assert manifest["absent"] == [pdf.sha256] and manifest["scans"] == {}


def test_a_backup_that_does_not_open_puts_the_current_store_back(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    copy = made.folder / "counter.sqlite3"
    with sqlite3.connect(copy) as db:  # a backup from a newer version of the program
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    db.close()
    manifest = json.loads((made.folder / "manifest.json").read_text("utf-8"))
    manifest["database"]["sha256"] = hashlib.sha256(copy.read_bytes()).hexdigest()
    (made.folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    codes = receive(store, clock, clerk, 2)
    store.close()
    assert store.data_dir is not None

    with pytest.raises(CounterError, match="giữ nguyên"):
        backup.restore(store.data_dir, made.folder, actor="admin", at=clock.now())

    again = Store.open(store.data_dir)
    assert dossier_codes(again) == sorted(codes)
    assert not list(store.data_dir.glob("*.before-restore-*"))
    assert not list(store.data_dir.glob(".partial-*"))
    again.close()


def test_restore_is_refused_while_another_program_has_the_store_open(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    codes = receive(store, clock, clerk, 1)
    store.close()
    assert store.data_dir is not None
    # The window, in another process, still has the store open.
    command = [sys.executable, "-c", HOLD_OPEN, str(store.data_dir)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as window:
        try:
            assert window.stdout is not None and window.stdout.readline().strip() == "open"
            with pytest.raises(backup.RestoreRefused, match="đang được một chương trình khác mở"):
                backup.restore(store.data_dir, made.folder, actor="admin", at=clock.now())
        finally:
            window.kill()
    reopened = Store.open(store.data_dir)
    assert dossier_codes(reopened) == codes
    reopened.close()
    backup.restore(store.data_dir, made.folder, actor="admin", at=clock.now())


HOLD_OPEN = """
import sys, time
from pathlib import Path
from sqlalchemy import text
from counter_app.store import Store
store = Store.open(Path(sys.argv[1]))
with store.read() as session:
    session.execute(text("SELECT count(*) FROM dossier")).scalar()
print("open", flush=True)
time.sleep(60)
"""
