"""Backups of the store and its scans, made while the counter runs, verified, and restored.

A backup is a folder ``ward-counter-backup-YYYYmmdd-HHMMSS/`` holding
``counter.sqlite3`` (copied with SQLite's online backup API: one read
transaction, so the copy is one consistent moment even while clerks keep
receiving, and writers are never blocked in WAL mode), ``blobs/`` with the scans
that copy names (plain copies, never hard links, so a USB disk holds real
bytes) and ``manifest.json`` with every file's SHA-256. It is built under a
``.partial-`` name and renamed only once verified, so a folder with the real
name is always complete.

Verifying opens the copied database read-only, runs ``PRAGMA integrity_check``
and re-hashes the database and every scan against the manifest. Restore
refuses a backup that fails it.

What is deliberately not in a backup: ``sync-device.json`` and the device token
(a lost USB disk must not let anyone push to the province as this counter),
and the settings files. Restore therefore keeps the data directory's
enrolment, and replaces only the database and adds the scans.

Restoring an older backup on an enrolled counter must neither re-issue a
dossier code nor duplicate anything at the province:

- Codes: see ``counter_app.codes``. Restore keeps each day's code counter at
  max(backup, store being replaced); reception also never goes below the
  highest code on record, which the first pull brings back from the province.
- The outbox: the backup's pending entries may since have been pushed. They are
  sent again with the same mutation ids, which the server answers "duplicate"
  (``AppliedMutation``), so nothing arrives twice.
- The pull cursor: the backup's cursor is older than the store's was, so the
  first sync pulls again everything since the backup, this counter's own
  dossiers and events included, and the store catches up with the province.

The store being replaced is renamed ``counter.sqlite3.before-restore-<time>``
and left in the data directory; if the restored store fails to open, it is put
back.

The window cannot restore under itself (it holds the store open), so the
Quản trị screen only schedules one: ``schedule_restore`` writes
``restore-pending.json`` (folder, administrator, time) and the window closes;
at its next start, before the store is opened, ``run_pending_restore``
performs it as that administrator and removes the file whether it worked or
not, so a backup that fails is never retried at every start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from counter_app import audit, private
from counter_app.blobs import BlobStore, check_sha256
from counter_app.errors import CounterError
from counter_app.installation import load_context
from counter_app.models import CodeSequence
from counter_app.os_errors import os_reason
from counter_app.outbox import PENDING
from counter_app.paths import BLOB_DIR, DATABASE_FILE, database_path
from counter_app.settings import Settings
from counter_app.store import Store

PREFIX = "ward-counter-backup-"
PARTIAL = ".partial-"
MANIFEST = "manifest.json"
FORMAT = 1
ASIDE = ".before-restore-"
PENDING_FILE = "restore-pending.json"
_NAME = re.compile(rf"^{PREFIX}\d{{8}}-\d{{6}}(-\d+)?$")
_CHUNK = 1 << 20


class BackupInvalid(CounterError):
    """A backup folder that is incomplete, damaged or not a backup at all."""


class RestoreRefused(CounterError):
    """A backup that must not replace this store (another unit or device)."""


@dataclass(frozen=True)
class BackupMade:
    folder: Path
    scans: int
    bytes: int
    # Scans the store names that this PC does not hold (kept only at the province) or holds
    # damaged: they are not in the backup.
    absent: tuple[str, ...]
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Restored:
    kept_aside: Path | None
    scans: int
    codes_kept: int  # days whose code counter stayed ahead of the backup's
    backup_taken_at: str
    # Changes the replaced store had not yet sent to the province: they are only in the
    # store kept aside now, and the clerk must know.
    unsent_left_behind: int = 0


@dataclass(frozen=True)
class PendingRestore:
    """A restore an administrator chose in the window, done at the window's next start."""

    folder: Path
    actor: str
    at: dt.datetime


def make_backup(
    store: Store, target: Path, *, at: dt.datetime, keep: int | None = None
) -> BackupMade:
    """Copy the store and its scans into a new folder under ``target``, verified.

    ``keep``: afterwards, only the newest ``keep`` backups in ``target`` are kept.
    """
    return backup_data_dir(_data_dir(store), target, at=at, keep=keep)


def backup_data_dir(
    data_dir: Path,
    target: Path,
    *,
    at: dt.datetime,
    keep: int | None = None,
    scans: bool = True,
) -> BackupMade:
    """``make_backup`` of the store in ``data_dir`` without opening it as a Store.

    For the start that installs an update: the store is copied as the running
    version left it, before any version could migrate it (the copy reads the
    file through SQLite's backup API, read-only, and runs no migration).
    ``scans=False`` copies the database alone: an update migrates the store,
    never the scans (files named by their hash, never rewritten), and copying
    gigabytes of them at every update would hold the start for minutes. Such a
    backup restores in place, where the scans still are.
    """
    try:
        private.make_dir(target, root=True)
    except OSError as exc:
        raise BackupInvalid(
            f"Không tạo được thư mục sao lưu {target} ({os_reason(exc)}); "
            "hãy kiểm tra ổ đĩa (USB) đã cắm và còn ghi được."
        ) from None
    name = _free_name(target, f"{PREFIX}{at:%Y%m%d-%H%M%S}")
    partial = target / f"{PARTIAL}{name}"
    try:
        made = _write_backup(data_dir, partial, at, with_scans=scans)
        verify_backup(partial)
        partial.rename(target / name)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupInvalid(
            f"Sao lưu vào {target} không thành công ({os_reason(exc)}); "
            "hãy kiểm tra ổ đĩa còn chỗ trống và ghi được."
        ) from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    removed = prune(target, keep) if keep else ()
    return BackupMade(target / name, made[0], made[1], made[2], removed)


def record_made(store: Store, made: BackupMade, *, actor: str, at: dt.datetime) -> None:
    """Audit a finished backup (after it, so the copy never claims a backup that failed)."""
    with store.write() as session:
        audit.record(
            session,
            at=at,
            actor=actor,
            action="backup.make",
            entity="store",
            entity_id=made.folder.name,
            device_id=load_context(session).device_id,
            detail={"to": str(made.folder), "scans": made.scans, "removed": len(made.removed)},
        )


AUTOMATIC = "auto-backup"  # the actor of the daily backup: no person started it


def automatic_backup(store: Store, settings: Settings, now: dt.datetime) -> BackupMade | None:
    """Today's backup into the chosen folder, if one is chosen and today's is not there yet."""
    made = automatic_copy(store, settings, now)
    if made is not None:
        record_made(store, made, actor=AUTOMATIC, at=now)
    return made


def automatic_copy(store: Store, settings: Settings, now: dt.datetime) -> BackupMade | None:
    """The copy of ``automatic_backup`` without its audit row, which the window writes
    through its single writer once the copy (minutes, on a USB disk) is made."""
    if not settings.backup_folder:
        return None
    target = Path(settings.backup_folder)
    if not due(target, now):
        return None
    return make_backup(store, target, at=now, keep=settings.backup_keep)


def _data_dir(store: Store) -> Path:
    if store.data_dir is None:
        raise CounterError("Kho dữ liệu này không nằm trong một thư mục dữ liệu.")
    return store.data_dir


def _free_name(target: Path, name: str) -> str:
    candidate, n = name, 1
    while (target / candidate).exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _write_backup(
    data_dir: Path, folder: Path, at: dt.datetime, *, with_scans: bool = True
) -> tuple[int, int, tuple[str, ...]]:
    private.make_dir(folder)
    copy = folder / DATABASE_FILE
    private.create_file(copy)
    source = sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True)
    with closing(source), closing(sqlite3.connect(copy)) as destination:
        source.backup(destination)  # all pages in one step: one consistent read transaction
        destination.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    referenced, identity = _read_copy(copy)
    blobs = BlobStore(data_dir)
    scans: dict[str, int] = {}
    absent: list[str] = []
    total = copy.stat().st_size
    for sha256 in sorted(referenced) if with_scans else ():
        size = _copy_scan(blobs.path(sha256), folder / BLOB_DIR / sha256[:2] / sha256, sha256)
        if size is None:
            absent.append(sha256)
        else:
            scans[sha256] = size
            total += size
    manifest = {
        "format": FORMAT,
        "created_at": at.isoformat(timespec="seconds"),
        **identity,
        "database": {"file": DATABASE_FILE, "sha256": _hash(copy), "size": copy.stat().st_size},
        "scans": scans,
        "absent": absent,
        **({} if with_scans else {"scans_left_in_place": len(referenced)}),
    }
    _write_private(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return len(scans), total, tuple(absent)


def _read_copy(copy: Path) -> tuple[set[str], dict[str, Any]]:
    """The scans the copied store names, and whose store it is."""
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as db:
        referenced = {
            str(row[0])
            for row in db.execute(
                "SELECT attachment_sha256 FROM dossier_document "
                "WHERE attachment_sha256 IS NOT NULL UNION SELECT sha256 FROM attachment "
                "UNION SELECT result_sha256 FROM dossier WHERE result_sha256 IS NOT NULL"
            )
        }
        row = db.execute("SELECT unit_code, slot FROM device WHERE is_this_device = 1").fetchone()
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()
        dossiers = db.execute("SELECT count(*) FROM dossier").fetchone()[0]
    identity = {
        "unit_code": row[0] if row else None,
        "device_slot": row[1] if row else None,
        "schema_revision": revision[0] if revision else None,
        "dossiers": dossiers,  # shown to the administrator asked to confirm a restore
    }
    return referenced, identity


def _copy_scan(source: Path, destination: Path, sha256: str) -> int | None:
    """Copy one scan, hashing as it goes; None if it is missing or no longer matches its name."""
    digest = hashlib.sha256()
    private.make_dir(destination.parent)
    try:
        with source.open("rb") as reader, open(private.open_new(destination), "wb") as writer:
            while chunk := reader.read(_CHUNK):
                digest.update(chunk)
                writer.write(chunk)
    except FileNotFoundError:
        destination.unlink(missing_ok=True)
        return None
    if digest.hexdigest() != sha256:
        destination.unlink()
        return None
    return destination.stat().st_size


def _write_private(path: Path, content: bytes) -> None:
    with open(private.open_new(path), "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupInvalid(
            f"{folder} không phải bản sao lưu của chương trình (thiếu {MANIFEST}); "
            f"hãy chọn thư mục {PREFIX}…"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupInvalid(f"Tệp {path} bị hỏng ({exc}); hãy dùng bản sao lưu khác.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupInvalid(f"Tệp {path} không đúng định dạng sao lưu; hãy dùng bản sao lưu khác.")
    return manifest


def verify_backup(folder: Path) -> dict[str, Any]:
    """The manifest of a backup whose database and every scan check out; BackupInvalid if not."""
    manifest = read_manifest(folder)
    copy = folder / DATABASE_FILE
    database = manifest.get("database") or {}
    if not copy.is_file() or _hash(copy) != database.get("sha256"):
        raise BackupInvalid(
            f"Tệp cơ sở dữ liệu trong bản sao lưu {folder.name} bị thiếu hoặc đã thay đổi "
            "(mã SHA-256 không khớp); hãy dùng bản sao lưu khác."
        )
    try:
        with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as db:
            verdict = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        verdict = [str(exc)]
    if verdict != ["ok"]:
        raise BackupInvalid(
            f"Cơ sở dữ liệu trong bản sao lưu {folder.name} bị hỏng ({'; '.join(verdict[:3])}); "
            "hãy dùng bản sao lưu khác."
        )
    bad = [
        sha256
        for sha256, _size in sorted((manifest.get("scans") or {}).items())
        if not _scan_intact(folder, sha256)
    ]
    if bad:
        raise BackupInvalid(
            f"{len(bad)} tệp giấy tờ số hóa trong bản sao lưu {folder.name} bị thiếu hoặc hỏng "
            f"(ví dụ {bad[0][:12]}…); hãy dùng bản sao lưu khác."
        )
    return manifest


def _scan_intact(folder: Path, sha256: str) -> bool:
    try:
        check_sha256(sha256)
        return _hash(folder / BLOB_DIR / sha256[:2] / sha256) == sha256
    except (CounterError, OSError):
        return False


def backups_in(target: Path) -> list[Path]:
    """The complete backups in ``target``, oldest first (their names sort by time)."""
    if not target.is_dir():
        return []
    return sorted(p for p in target.iterdir() if p.is_dir() and _NAME.fullmatch(p.name))


def prune(target: Path, keep: int) -> tuple[Path, ...]:
    """Delete all but the newest ``keep`` backups (at least one is always kept)."""
    old = backups_in(target)[: -max(1, keep)]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return tuple(old)


def due(target: Path, now: dt.datetime) -> bool:
    """Whether today's automatic backup is still to be made in ``target``."""
    return not any(p.name.startswith(f"{PREFIX}{now:%Y%m%d}") for p in backups_in(target))


# Restore ---------------------------------------------------------------------


def restore(data_dir: Path, folder: Path, *, actor: str, at: dt.datetime) -> Restored:
    """Replace the store of ``data_dir`` by the backup in ``folder`` (the counter must be closed).

    The backup is verified first; the store it replaces is kept aside, renamed,
    and put back if the restored one does not open.
    """
    manifest = verify_backup(folder)
    database = database_path(data_dir)
    current = _readable_state(database)
    _check_same_counter(manifest, current, folder)
    if _open_elsewhere(database):
        raise RestoreRefused(
            "Cơ sở dữ liệu đang được một chương trình khác mở (cửa sổ chương trình hoặc lệnh "
            "đồng bộ); hãy đóng nó rồi khôi phục lại."
        )
    private.make_dir(data_dir, root=True)
    aside = _move_aside(database, at)
    incoming = database.with_name(f"{PARTIAL}{uuid.uuid4().hex}")
    try:
        private.create_file(incoming)
        shutil.copyfile(folder / DATABASE_FILE, incoming)
        os.replace(incoming, database)
        store = Store.open(data_dir)
    except BaseException as exc:
        for path in (incoming, *(Path(f"{database}{s}") for s in ("", "-wal", "-shm"))):
            path.unlink(missing_ok=True)
        if aside is not None:
            _put_back(aside, database)
        if isinstance(exc, OSError):
            raise CounterError(
                f"Không chép được bản sao lưu vào {data_dir} ({os_reason(exc)}); "
                "cơ sở dữ liệu đang dùng được giữ nguyên. Hãy kiểm tra ổ đĩa rồi chạy lại."
            ) from None
        if isinstance(exc, Exception):  # a newer schema, a damaged copy: StoreUnusable says which
            raise CounterError(
                f"Bản sao lưu {folder.name} không mở được bằng phiên bản chương trình này ({exc}); "
                "cơ sở dữ liệu đang dùng được giữ nguyên."
            ) from None
        raise
    try:
        # Codes first: a restore cut short later (a scan unreadable on the USB disk)
        # must still never let this counter issue a code it already printed.
        with store.write() as session:
            kept = _keep_codes_ahead(session, current["codes"] if current else [])
        scans = _restore_scans(folder, BlobStore(data_dir), manifest)
        with store.write() as session:
            audit.record(
                session,
                at=at,
                actor=actor,
                action="backup.restore",
                entity="store",
                entity_id=folder.name,
                device_id=load_context(session).device_id,
                detail={
                    "backup_taken_at": manifest.get("created_at"),
                    "kept_aside": aside.name if aside else None,
                    "codes_kept_ahead": kept,
                },
            )
    finally:
        store.close()
    unsent = int(current["unsent"]) if current else 0
    return Restored(aside, scans, kept, str(manifest.get("created_at")), unsent)


def check_restorable(data_dir: Path, folder: Path) -> dict[str, Any]:
    """The manifest of a backup that verifies and is this counter's; what restore refuses, raised.

    Reads the store only through its own read-only connection, so the window can
    ask it (off the GUI thread) while it has the store open.
    """
    manifest = verify_backup(folder)
    _check_same_counter(manifest, _readable_state(database_path(data_dir)), folder)
    return manifest


def _check_same_counter(
    manifest: dict[str, Any], current: dict[str, Any] | None, folder: Path
) -> None:
    if current is None or current["device"] is None:
        return
    theirs = (manifest.get("unit_code"), manifest.get("device_slot"))
    if theirs != current["device"]:
        raise RestoreRefused(
            f"Bản sao lưu {folder.name} là của đơn vị {theirs[0]}, máy số {theirs[1]}; "
            f"thư mục dữ liệu này là của {current['device'][0]}, máy số "
            f"{current['device'][1]}. Hãy chọn đúng bản sao lưu của máy này."
        )


def _readable_state(database: Path) -> dict[str, Any] | None:
    """Whose store this is and its code counters, if it can be read at all."""
    if not database.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            row = db.execute(
                "SELECT unit_code, slot FROM device WHERE is_this_device = 1"
            ).fetchone()
            codes = db.execute(
                "SELECT unit_code, day, slot, last_number FROM code_sequence"
            ).fetchall()
            unsent = db.execute(
                "SELECT count(*) FROM outbox_entry WHERE state = ?", (PENDING,)
            ).fetchone()[0]
    except sqlite3.DatabaseError:
        return None
    return {"device": (row[0], row[1]) if row else None, "codes": codes, "unsent": unsent}


# SQLite's unix VFS: every connection of a WAL database holds a shared lock on this byte
# of the -shm file ("DMS") for as long as it is open (see os_unix.c, UNIX_SHM_DMS).
_SHM_DMS = 120 + 8


def store_in_use(data_dir: Path) -> bool:
    """Whether another process has the store of ``data_dir`` open (POSIX; False on Windows)."""
    return _open_elsewhere(database_path(data_dir))


def _open_elsewhere(database: Path) -> bool:
    """Whether another process (the window, a sync) has the store open, on POSIX.

    Renaming the file under an open connection would let it go on writing into
    the store kept aside, and those deeds would silently vanish from the restored
    one. On Windows the rename itself fails instead (see ``_move_aside``). The
    caller's own connections must be closed: POSIX record locks are per process.
    """
    shm = Path(f"{database}-shm")
    if os.name == "nt" or not shm.is_file():
        return False
    import fcntl

    try:
        with shm.open("rb+") as handle:
            try:
                fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS)
            except OSError:
                return True
            fcntl.lockf(handle.fileno(), fcntl.LOCK_UN, 1, _SHM_DMS)
    except OSError:
        return False
    return False


def _move_aside(database: Path, at: dt.datetime) -> Path | None:
    """Rename the current store (after folding its WAL in) out of the way, or None if none."""
    if not database.is_file():
        return None
    try:
        with closing(sqlite3.connect(database)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # a damaged store is kept aside as it is, WAL and all
    aside = database.with_name(f"{database.name}{ASIDE}{at:%Y%m%d-%H%M%S}")
    try:
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{database}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{aside}{suffix}"))
    except OSError as exc:  # Windows: the window (or a sync) still has the store open
        _put_back(aside, database)
        raise RestoreRefused(
            f"Không cất được cơ sở dữ liệu đang dùng ({os_reason(exc)}); hãy đóng cửa sổ "
            "chương trình và chờ lệnh đồng bộ xong rồi khôi phục lại."
        ) from None
    return aside


def _put_back(aside: Path, database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{aside}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{database}{suffix}"))


def _restore_scans(folder: Path, blobs: BlobStore, manifest: dict[str, Any]) -> int:
    """Add the backup's scans to the blob store (one already there intact is left alone)."""
    count = 0
    for sha256 in sorted(manifest.get("scans") or {}):
        if not blobs.intact(sha256):
            blobs.put((folder / BLOB_DIR / sha256[:2] / sha256).read_bytes())
        count += 1
    return count


def _keep_codes_ahead(session: Session, codes: list[Any]) -> int:
    """Code counters at max(backup, replaced store), so no issued number is issued again."""
    kept = 0
    for unit_code, day, slot, last_number in codes:
        key = (unit_code, dt.date.fromisoformat(str(day)), int(slot))
        row = session.get(CodeSequence, key)
        if row is None:
            session.add(
                CodeSequence(unit_code=key[0], day=key[1], slot=key[2], last_number=last_number)
            )
            kept += 1
        elif row.last_number < last_number:
            row.last_number = last_number
            kept += 1
    return kept


# A restore chosen in the window, done at its next start ---------------------


def schedule_restore(store: Store, folder: Path, *, actor: str, at: dt.datetime) -> PendingRestore:
    """Record that the window's next start restores ``folder`` (the caller then closes it)."""
    data_dir = _data_dir(store)
    pending = PendingRestore(folder.absolute(), actor, at)
    path = data_dir / PENDING_FILE
    temporary = path.with_name(f"{PARTIAL}{PENDING_FILE}")
    content = {"folder": str(pending.folder), "actor": actor, "at": at.isoformat()}
    try:
        _write_private(temporary, json.dumps(content, ensure_ascii=False, indent=1).encode())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CounterError(
            f"Không ghi được tệp {path} ({os_reason(exc)}); chưa hẹn khôi phục. "
            "Hãy kiểm tra ổ đĩa rồi thử lại."
        ) from None
    try:
        with store.write() as session:
            audit.record(
                session,
                at=at,
                actor=actor,
                action="backup.restore_scheduled",
                entity="store",
                entity_id=folder.name,
                device_id=load_context(session).device_id,
                detail={"from": str(pending.folder)},
            )
    except BaseException:
        path.unlink(missing_ok=True)  # no restore that the audit trail does not show
        raise
    return pending


def pending_restore(data_dir: Path) -> PendingRestore | None:
    """The restore scheduled in ``data_dir``, if any; BackupInvalid if its file is damaged."""
    path = data_dir / PENDING_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return PendingRestore(
            Path(str(raw["folder"])), str(raw["actor"]), dt.datetime.fromisoformat(raw["at"])
        )
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        raise BackupInvalid(
            f"Tệp hẹn khôi phục {path} bị hỏng ({exc}); hãy chọn lại bản sao lưu ở màn hình "
            "Quản trị."
        ) from None


def run_pending_restore(
    data_dir: Path, *, at: dt.datetime
) -> tuple[PendingRestore, Restored] | None:
    """Perform the scheduled restore, if any, with no program holding the store open.

    The pending file is removed whatever happens: a backup that fails now would
    fail at every start, and the store kept is the one the counter goes on with.
    Raises CounterError saying why when it fails.
    """
    try:
        pending = pending_restore(data_dir)
        if pending is None:
            return None
        if not pending.folder.is_dir():
            raise BackupInvalid(
                f"Không tìm thấy bản sao lưu {pending.folder} (ổ USB chưa cắm hoặc thư mục "
                "đã bị xóa, đổi tên)."
            )
        try:
            restored = restore(data_dir, pending.folder, actor=pending.actor, at=at)
        except OSError as exc:  # e.g. a scan that cannot be copied from the USB disk
            raise CounterError(
                f"Khôi phục từ {pending.folder.name} bị gián đoạn ({os_reason(exc)}); "
                "hãy kiểm tra ổ đĩa."
            ) from None
        return pending, restored
    finally:
        (data_dir / PENDING_FILE).unlink(missing_ok=True)
