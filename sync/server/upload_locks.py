"""One writer per blob hash across every server process: PostgreSQL advisory locks, or file locks.

Two requests for the same hash (a client's retry while its cut request is still
being read, two counters of a unit uploading the same scan) must not append to
one upload at once, whichever processes they reach. On PostgreSQL the lock is a
session advisory lock on a pooled connection held for the request; PostgreSQL
drops it when the holding process dies, however it dies. On SQLite (one host)
it is ``flock`` on a lock file in a directory every process shares; the kernel
drops it when the process dies.

A lock is only tried, never waited on in the database or the kernel: a waiter
polls, so a request that gives up holds no thread and leaves no queued waiter.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

# "blob" as a 32-bit integer: the advisory lock's class, apart from any other use.
ADVISORY_CLASS = 0x626C6F62
POLL_S = 0.02
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
    """``flock`` on ``<directory>/<sha256>``, the file deleted by whoever releases it.

    A waiter that opened the file before it was deleted holds a lock on a file
    nobody else will open, so the lock counts only if the path still names the
    locked file.
    """

    inline = True

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def try_acquire(self, sha256: str) -> Release | None:
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
        if not same:
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
