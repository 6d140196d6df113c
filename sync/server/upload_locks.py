"""One writer per blob hash across every server process: PostgreSQL advisory locks, or file locks.

Two requests for the same hash (a client's retry while its cut request is still
being read, two counters of a unit uploading the same scan) must not append to
one upload at once, whichever processes they reach. For a bucket on
PostgreSQL the lock is a session advisory lock on a pooled connection held for
the request; PostgreSQL drops it when the holding process dies, however it
dies. Otherwise (a blob directory, or a bucket without PostgreSQL: one host) it
is a file lock in a directory every process shares (``FileLocks``); the kernel
drops it when the process dies.

A lock is only tried, never waited on in the database or the kernel: a waiter
polls, so a request that gives up holds no thread and leaves no queued waiter.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import struct
import threading
import time
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

# "blob" as a 32-bit integer: the advisory lock's class, apart from any other use.
ADVISORY_CLASS = 0x626C6F62
POLL_S = 0.02
# FileLocks: the file whose bytes are the locks, and ``struct flock`` (type, whence,
# start, length, pid) as Linux lays it out.
RANGE_FILE = "hashes"
_FLOCK = "hhqqi4x"
WAIT_S = 20.0

Release = Callable[[], None]


class LockBusy(Exception):
    """The hash stayed locked by another request for longer than a client should wait."""


class HashLocks(Protocol):
    # Cheap enough (a few system calls) to take and release on the event loop.
    inline: bool

    def try_acquire(self, sha256: str) -> Release | None:
        """The lock's release if it was free (and is now held); None if another holds it."""


def _signed32(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


class AdvisoryLocks:
    """``pg_try_advisory_lock(class, first 32 bits of the hash)``, one pooled connection each.

    Two hashes sharing their first 32 bits share a lock: they wait for each
    other, nothing worse.
    """

    inline = False

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def try_acquire(self, sha256: str) -> Release | None:
        key = _signed32(int(sha256[:8], 16))
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", (ADVISORY_CLASS, key))
            row = cursor.fetchone()
            connection.commit()  # a session lock: it outlives the transaction
        except BaseException:
            connection.invalidate()
            raise
        if not row or not row[0]:
            connection.close()
            return None

        def release() -> None:
            try:
                cursor = connection.cursor()
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (ADVISORY_CLASS, key))
                connection.commit()
            except Exception:
                connection.invalidate()  # closing the session drops the lock all the same
                return
            connection.close()

        return release


class FileLocks:
    """A lock per hash among the processes sharing ``directory``, dropped when its process dies.

    On Linux, a byte-range lock on one file, ``<directory>/hashes``, at an offset
    made of the hash's first 60 bits, taken on a descriptor of its own (an "open
    file description" lock: it conflicts with any other descriptor, in this
    process too, and goes when the descriptor is closed): an open, an fcntl and
    a close, and no file made or deleted. Elsewhere ``flock`` on
    ``<directory>/<sha256>``, the file deleted by whoever releases it: that cost
    every upload a file creation and a deletion, and on ext4 without a journal
    every file created afterwards skipped each recently deleted inode in turn.
    All the processes sharing a directory must run the same version of this.
    """

    inline = True

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.ranges = hasattr(fcntl, "F_OFD_SETLK")
        self._file = directory / RANGE_FILE

    def try_acquire(self, sha256: str) -> Release | None:
        if self.ranges:
            return self._try_range(sha256)
        return self._try_file(sha256)

    def _try_range(self, sha256: str) -> Release | None:
        fd = os.open(self._file, os.O_RDWR | os.O_CREAT, 0o644)
        lock = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, int(sha256[:15], 16), 1, 0)
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, lock)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return None
            raise
        return partial(os.close, fd)

    def _try_file(self, sha256: str) -> Release | None:
        path = self.directory / sha256
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # a waiter that opened the file before it was deleted
            os.close(fd)
            return None

        def release() -> None:
            path.unlink(missing_ok=True)
            os.close(fd)

        return release


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _release_late(trying: asyncio.Future[Release | None]) -> None:
    if trying.cancelled() or trying.exception() is not None:
        return
    release = trying.result()
    if release is not None:
        threading.Thread(target=release, name="blob-lock-release", daemon=True).start()


class _Local:
    """This process's queue for one hash, forgotten when nobody holds or awaits it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class UploadLocks:
    """The lock a request holds while it changes one hash's upload (``async with hold(sha)``).

    Requests of one process queue on an asyncio lock first, so only one of them
    at a time polls the shared lock.
    """

    def __init__(self, shared: HashLocks, wait_s: float = WAIT_S) -> None:
        self.shared = shared
        self.wait_s = wait_s
        self._local: dict[str, _Local] = {}

    def held_here(self, sha256: str) -> bool:
        return sha256 in self._local

    @contextlib.asynccontextmanager
    async def hold(self, sha256: str) -> AsyncIterator[None]:
        local = self._local.get(sha256)
        if local is None:
            local = self._local[sha256] = _Local()
        local.users += 1
        try:
            async with local.lock:
                release = await self._acquire(sha256)
                try:
                    yield
                finally:
                    if self.shared.inline:
                        release()
                    else:
                        await asyncio.to_thread(release)
        finally:
            local.users -= 1
            if not local.users:
                del self._local[sha256]

    async def _acquire(self, sha256: str) -> Release:
        deadline = time.monotonic() + self.wait_s
        while self.shared.inline:
            release = self.shared.try_acquire(sha256)
            if release is not None:
                return release
            if time.monotonic() > deadline:
                raise LockBusy(sha256)
            await asyncio.sleep(POLL_S)
        while True:
            trying = asyncio.ensure_future(asyncio.to_thread(self.shared.try_acquire, sha256))
            try:
                release = await asyncio.shield(trying)
            except asyncio.CancelledError:
                trying.add_done_callback(_release_late)  # taken as the request went away
                raise
            if release is not None:
                return release
            if time.monotonic() > deadline:
                raise LockBusy(sha256)
            await asyncio.sleep(POLL_S)
