"""Files only the counter's own OS account may read: the data directory, the store, scans, backups.

The store holds citizens' identity numbers, addresses and scanned papers; a
counter PC is often shared (another clerk's Windows account, a technician's).
So everything the application writes is the owner's only: folders 0700 and
files 0600 on POSIX, set when they are created (and put right on an older data
directory when the store opens). SQLite gives its ``-wal`` and ``-shm`` files
the permissions of the database file, so the database is created 0600 before
SQLite first opens it.

On Windows the POSIX bits mean nothing; there the data directory's ACL is
replaced by one granting only the current user (and SYSTEM, which backup
software runs as) full control, inherited by everything below, with
``icacls``. That branch cannot run on the Linux CI and is untested there; it
is best effort: a failing ``icacls`` leaves the folder as it was and is not an
error, because refusing to start the counter would be worse.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_dir(path: Path, *, root: bool = False) -> Path:
    """Create ``path`` (and parents) if needed and make the folder itself the owner's only.

    ``root`` marks a tree's top (the data directory, a backup): on Windows its ACL
    is set once there and inherited below, rather than once per subfolder.
    """
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    restrict(path)
    if root and os.name == "nt":
        _windows_acl(path)
    return path


def restrict(path: Path) -> None:
    """Owner-only permissions for one existing file or folder; a missing one is skipped."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if os.name == "nt":
        return  # the ACL of the tree's root is inherited (make_dir(root=True))
    wanted = DIR_MODE if stat.S_ISDIR(mode) else FILE_MODE
    if stat.S_IMODE(mode) != wanted:
        # A FAT/exFAT USB disk has no POSIX modes and may refuse: the copy still goes there.
        with contextlib.suppress(PermissionError):
            os.chmod(path, wanted)


def restrict_tree(root: Path) -> None:
    """Owner-only permissions for ``root`` and everything under it (an older data directory)."""
    restrict(root)
    if os.name == "nt" or not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            restrict(Path(folder) / name)


def create_file(path: Path) -> None:
    """Create an empty file born 0600 (no window in which it is world-readable), if missing.

    An existing file is not opened: on a read-only or immutable disk that would fail
    where reading the store still can, and the store's own error says it better.
    """
    if path.exists():
        restrict(path)
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(descriptor)
    restrict(path)


def open_new(path: Path) -> int:
    """A write descriptor for a new (or truncated) file that is born owner-only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    if hasattr(os, "fchmod"):  # a leftover file keeps its old mode when reopened
        with contextlib.suppress(PermissionError):  # no POSIX modes there (a FAT USB disk)
            os.fchmod(descriptor, FILE_MODE)
    return descriptor


def _windows_acl(folder: Path) -> None:  # pragma: no cover - Windows only
    """Only this user and SYSTEM, inherited by files and subfolders, nothing else inherited."""
    import subprocess  # Windows only: not loaded by every command elsewhere

    user = os.environ.get("USERNAME")
    if not user:
        return
    # S-1-5-18 is SYSTEM, whatever the Windows language calls it.
    command = ["icacls", str(folder), "/inheritance:r", "/grant:r"]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [*command, f"{user}:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F"],
            check=False,
            capture_output=True,
            timeout=30,
        )
