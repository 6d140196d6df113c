"""Installing a downloaded update at the counter's next start, after backing up the store.

The download (``updates.py``) leaves a verified, unpacked bundle in
``<data dir>/updates/staged/<version>/`` and ``ready.json`` naming it. The next
start of the frozen ``counter-app`` (``build_app/entry.py``) calls
``at_start`` before anything opens the store:

1. back up the store with the backup code the administrator uses
   (``counter_app.backup``) into ``<data dir>/updates/backups/`` — the database
   alone: an update migrates the store, never the scans; if that fails, nothing
   is installed and the next start tries again;
2. put the new version in place of the install directory: on Linux the old
   folder is renamed ``<folder>.old-<version>`` (kept for a manual rollback,
   the one before it deleted) and the new one takes its name, then the new
   program is started in place of this one with the same arguments; on
   Windows, where a running program's folder cannot be renamed, a script copies
   the new files over the folder once this process has exited, then starts it;
3. the new version opens the store and migrates it, if its schema is newer —
   with the backup already made.

The store is only read (by SQLite's backup API) and the outbox never touched:
changes not yet sent to the province are in the store the new version opens and
in the backup. A counter installed with pip (not frozen) is never replaced:
the update is logged and left for the developer.

Only the standard library and ``counter_app.backup`` are imported here: this runs
at every start of the frozen program.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from counter_app.os_errors import os_reason
from counter_app.paths import database_path, resolve_data_dir

log = logging.getLogger(__name__)

APP_NAME = "ward-counter"
UPDATES_DIR = "updates"
READY_FILE = "ready.json"
APPLIED_FILE = "applied.json"
STAGED_DIR = "staged"
BACKUPS_DIR = "backups"
BACKUPS_KEPT = 3
OLD_SUFFIX = ".old-"


@dataclass(frozen=True)
class Installation:
    """Where the running program's files are, and which version they are."""

    install_dir: Path
    version: str


@dataclass(frozen=True)
class Ready:
    version: str
    staged: Path


@dataclass(frozen=True)
class Applied:
    version: str
    previous: str
    backup: Path | None
    kept_old: Path | None


def updates_dir(data_dir: Path) -> Path:
    return data_dir / UPDATES_DIR


def this_installation() -> Installation | None:
    """The frozen build this process runs from; None for a pip or development install."""
    if not getattr(sys, "frozen", False):
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        current = version(APP_NAME)
    except PackageNotFoundError:
        log.warning("Bản đóng gói không ghi số phiên bản; không tự cập nhật được.")
        return None
    return Installation(Path(sys.executable).resolve().parent, current)


def mark_ready(data_dir: Path, version: str, staged: Path) -> None:
    """Written last, atomically: a bundle is installed only once wholly downloaded and unpacked."""
    folder = updates_dir(data_dir)
    record = {
        "version": version,
        "staged": str(staged.relative_to(folder)),
        "downloaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    partial = folder / f".{READY_FILE}.partial"
    partial.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    partial.replace(folder / READY_FILE)


def pending_update(data_dir: Path) -> Ready | None:
    """The update downloaded and waiting for the next start, if any."""
    folder = updates_dir(data_dir)
    path = folder / READY_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        ready = Ready(str(raw["version"]), folder / str(raw["staged"]))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        log.warning("Tệp %s hỏng (%s); bỏ bản cập nhật đã tải, sẽ tải lại.", path, exc)
        discard(data_dir)
        return None
    if not ready.staged.is_dir():
        log.warning("Không thấy bản cập nhật đã tải ở %s; sẽ tải lại.", ready.staged)
        discard(data_dir)
        return None
    return ready


def discard(data_dir: Path) -> None:
    """Forget the downloaded update (its bundle included)."""
    folder = updates_dir(data_dir)
    (folder / READY_FILE).unlink(missing_ok=True)
    shutil.rmtree(folder / STAGED_DIR, ignore_errors=True)


def _newer(candidate: str, current: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False


def backup_store(data_dir: Path, at: dt.datetime) -> Path | None:
    """A verified backup of the store before the update; None when there is no store yet."""
    if not database_path(data_dir).is_file():
        return None
    from counter_app.backup import backup_data_dir

    made = backup_data_dir(
        data_dir, updates_dir(data_dir) / BACKUPS_DIR, at=at, keep=BACKUPS_KEPT, scans=False
    )
    return made.folder


def apply_pending(
    data_dir: Path, installation: Installation | None, *, at: dt.datetime
) -> Applied | None:
    """Install the downloaded update, if any, after backing up the store.

    Returns what was done; None when nothing was (no update, a development
    install, or a failure, which is logged and leaves everything as it was).
    On Windows the copy happens after this process exits: see ``_install_windows``.
    """
    ready = pending_update(data_dir)
    if ready is None:
        return None
    if installation is None:
        log.info(
            "Đã tải bản cập nhật %s nhưng phần mềm này không chạy từ bản đóng gói (cài bằng "
            "pip): không tự thay thế. Hãy cập nhật bằng git/pip.",
            ready.version,
        )
        return None
    if not _newer(ready.version, installation.version):
        log.info(
            "Bản cập nhật %s không mới hơn phiên bản đang chạy %s; bỏ đi.",
            ready.version,
            installation.version,
        )
        discard(data_dir)
        return None
    from counter_app.backup import store_in_use
    from counter_app.errors import CounterError

    if store_in_use(data_dir):
        log.info(
            "Chưa cài bản cập nhật %s: một chương trình quầy khác đang mở kho dữ liệu; sẽ cài "
            "ở lần mở sau khi mọi cửa sổ đã đóng.",
            ready.version,
        )
        return None
    try:
        backup = backup_store(data_dir, at)
    except CounterError as exc:
        log.error(
            "Chưa cài bản cập nhật %s vì không sao lưu được kho dữ liệu: %s. Sẽ thử lại ở "
            "lần mở sau.",
            ready.version,
            exc,
        )
        return None
    except OSError as exc:
        log.error(
            "Chưa cài bản cập nhật %s vì không sao lưu được kho dữ liệu (%s). Sẽ thử lại ở "
            "lần mở sau; hãy kiểm tra ổ đĩa còn chỗ trống.",
            ready.version,
            os_reason(exc),
        )
        return None
    log.info("Đã sao lưu kho dữ liệu trước khi cập nhật: %s", backup)
    try:
        kept = _install(ready.staged, installation.install_dir, installation.version)
    except OSError as exc:
        log.error(
            "Không cài được bản cập nhật %s vào %s (%s); phần mềm giữ phiên bản %s. Hãy "
            "kiểm tra quyền ghi của thư mục cài đặt.",
            ready.version,
            installation.install_dir,
            os_reason(exc),
            installation.version,
        )
        return None
    applied = Applied(ready.version, installation.version, backup, kept)
    try:  # installed: what follows must not keep this process from becoming the new one
        _record(data_dir, applied, at)
        discard(data_dir)
    except OSError as exc:
        log.warning("Đã cài bản cập nhật nhưng không ghi được %s (%s).", APPLIED_FILE, exc)
    log.info("Đã cài bản cập nhật %s (trước đó %s).", ready.version, installation.version)
    return applied


def _record(data_dir: Path, applied: Applied, at: dt.datetime) -> None:
    record = {
        "version": applied.version,
        "previous": applied.previous,
        "backup": str(applied.backup) if applied.backup else None,
        "kept_old": str(applied.kept_old) if applied.kept_old else None,
        "at": at.isoformat(timespec="seconds"),
    }
    path = updates_dir(data_dir) / APPLIED_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def _install(staged: Path, install_dir: Path, current: str) -> Path | None:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        _install_windows(staged, install_dir)
        return None
    return _swap_folders(staged, install_dir, current)


def kept_files() -> tuple[str, ...]:
    """Files IT staff put in the install folder that no bundle brings: kept across an update."""
    from counter_app.provisioning import CONFIG_NAMES

    return CONFIG_NAMES


def _swap_folders(staged: Path, install_dir: Path, current: str) -> Path:
    """New files beside the install folder, then two renames: the folder is never half-copied.

    A crash between the renames leaves ``<folder>.old-<version>`` and
    ``<folder>.new``, both whole, for IT staff to rename back.
    """
    parent, name = install_dir.parent, install_dir.name
    fresh = parent / f"{name}.new"
    old = parent / f"{name}{OLD_SUFFIX}{current}"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(staged, fresh, symlinks=True)
    for name in kept_files():  # the province's config file beside the program stays
        if (install_dir / name).is_file() and not (fresh / name).exists():
            shutil.copy2(install_dir / name, fresh / name)
    for earlier in parent.glob(f"{name}{OLD_SUFFIX}*"):
        shutil.rmtree(earlier, ignore_errors=True)
    install_dir.rename(old)
    try:
        fresh.rename(install_dir)
    except OSError:
        old.rename(install_dir)
        raise
    return old


# Waits for the counter to exit (robocopy retries locked files), copies, starts it again.
WINDOWS_SCRIPT = """@echo off
robocopy "{src_dir}" "{dst_dir}" /e /move /purge /xf {kept} /r:30 /w:2 /np /nfl /ndl
start "" "{exe}"
(goto) 2>nul & del "%~f0"
"""


def _install_windows(staged: Path, install_dir: Path) -> None:  # pragma: no cover
    """Copy over the folder once this process has exited, by a script it leaves running."""
    import tempfile

    # A copy of its own: the staged folder is removed as soon as this returns.
    fresh = Path(tempfile.mkdtemp(prefix="ward-counter-update-")) / "new"
    shutil.copytree(staged, fresh)
    script = fresh.parent / "install.bat"
    exe = install_dir / Path(sys.executable).name
    script.write_text(
        WINDOWS_SCRIPT.format(
            src_dir=fresh, dst_dir=install_dir, exe=exe, kept=" ".join(kept_files())
        ),
        encoding="mbcs",
    )
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    subprocess.Popen(["cmd.exe", "/c", str(script)], creationflags=flags, close_fds=True)


def _data_dir_option(argv: Sequence[str]) -> str | None:
    """--data-dir as ``counter-app`` will read it, without building its parser."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--data-dir" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--data-dir="):
            found = arg.split("=", 1)[1]
    return found


# Options that make ``counter-app`` print and exit before any window (argparse's own).
EXITING_OPTIONS = frozenset({"-h", "--help", "--version"})


def opens_window(argv: Sequence[str]) -> bool:
    """True when ``counter-app`` with these arguments starts the window (no command, or gui).

    ``--version`` or ``--help`` alone prints and exits: a check started beside it
    would be cut off while importing its crypto libraries, which aborts the process.
    """
    words, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--data-dir":
            skip = True
        elif arg in EXITING_OPTIONS:
            return False
        elif not arg.startswith("-"):
            words.append(arg)
    return not words or words[0] == "gui"


def restart(argv: Sequence[str]) -> None:  # pragma: no cover - replaces the process
    """Become the newly installed program, with the same arguments."""
    if sys.platform == "win32":
        raise SystemExit(0)  # the copy script starts it when this process has gone
    os.execv(sys.executable, [sys.executable, *argv])


def at_start(
    argv: Sequence[str],
    *,
    installation: Installation | None = None,
    become_new: Callable[[Sequence[str]], None] = restart,
    check: bool = True,
) -> threading.Thread | None:
    """The frozen program's first step: install a waiting update, or look for one.

    Never raises: whatever goes wrong is logged, and the counter starts as it is.
    Returns the background check's thread when one was started (only for the
    window, so a command run from a script never waits on, nor talks to, the server).
    """
    installation = installation or this_installation()
    if installation is None:
        return None
    try:
        data_dir = resolve_data_dir(_data_dir_option(argv))
        from counter_app import logs

        logs.set_up(data_dir)
        applied = apply_pending(data_dir, installation, at=dt.datetime.now().astimezone())
    except Exception:
        log.exception("Lỗi khi cài bản cập nhật đã tải; phần mềm chạy phiên bản hiện có.")
        return None
    if applied is not None:
        become_new(argv)
        return None
    if not (check and opens_window(argv)):
        return None
    from sync.client.updates import start_check

    return start_check(data_dir, installation)
