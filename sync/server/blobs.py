"""Blobs on the server's filesystem, by SHA-256, received by resumable upload (tus 1.0).

The filesystem is the whole truth, no database row: a blob is stored when
``<blob dir>/<sha[:2]>/<sha>`` exists (the counter's layout), and an upload is
under way when ``<blob dir>/.uploads/<sha[:2]>/<sha>-<length>.part`` does. The partial
file's size *is* the upload offset, so whatever reached the disk before a cut
(a dropped connection, a killed client, a restarted server) counts, and the
upload goes on from there. A complete upload is hashed and, only if its SHA-256
matches its name, flushed to disk and renamed into place.

The running hash of each upload is kept in memory, so a blob is hashed once as
it arrives rather than read back at the end; after a restart the partial file
is hashed from disk once and the upload continues.

Durability is a group commit: a complete, verified blob is *staged* (its
partial file stays where it is, marked in memory) and a background flusher
fsyncs staged blobs in batches and renames them into place, off the request's
path. A dossier that names a blob is accepted only once that blob is durable
(``durable`` flushes on the spot if the flusher has not got to it yet). A
complete partial file found at start is a blob a crash caught between its
verification and its rename, synced or not: it is hashed again and moved into
place if it still is the blob (a dossier may already name it), deleted if not
(the counter sends it again).

Which uploads are under way (hash and declared length) is also kept in memory,
read from ``.uploads`` once at start and kept in step since, because only this
process writes there: on this project's servers, listing the directory and
stat-ing files on every creation cost more than writing a 200 KB scan.

An upload nobody has written to for ``max_age`` is deleted (its HEAD then answers
404 and the counter starts it again), so abandoned uploads do not fill the disk.

Which unit may name or read a blob is the database's business (``records``): the
blob store keeps one copy per hash whoever sent it. A caller whose unit has not
shown it holds the bytes sees a stored blob as absent (``stored=False``) and
uploads it again, which proves it has them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from anyio import to_thread
from starlette.requests import ClientDisconnect

from sync.protocol import ERR_NO_UPLOAD, SHA256_PATTERN

READ_CHUNK = 1 << 20
FLUSH_GATHER_S = 0.005
# The flusher waits this long for more blobs before its thread ends, so a
# backlog is flushed by one thread rather than a thread started every few blobs.
FLUSH_LINGER_S = 1.0
PART_SUFFIX = ".part"
SHA256_RE = re.compile(SHA256_PATTERN)
# How often, at most, unfinished uploads are looked over for expired ones.
SWEEP_INTERVAL_S = 600.0
_sync_data = getattr(os, "fdatasync", os.fsync)
log = logging.getLogger(__name__)
# Who sent a verified blob's bytes: (sha256, device id, unit code).
Holder = tuple[str, str, str]


def is_sha256(name: str) -> bool:
    """64 lowercase hex digits and nothing else (``re.match`` would let a final newline by)."""
    return SHA256_RE.fullmatch(name) is not None


def _hash_of(path: Path) -> Any:
    """A SHA-256 object fed with the file's bytes, to finish or to go on with."""
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            hasher.update(chunk)
    return hasher


class BlobError(Exception):
    def __init__(self, status: int, code: str, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.offset = offset


@dataclass
class _Running:
    offset: int
    hasher: Any


@dataclass(frozen=True)
class UploadState:
    offset: int
    length: int

    @property
    def complete(self) -> bool:
        return self.offset >= self.length


class _BlobLock:
    """One hash's lock, forgotten when nobody holds or awaits it (no dict of every blob seen)."""

    __slots__ = ("_lock", "_owner", "_sha256", "_users")

    def __init__(self, owner: dict[str, _BlobLock], sha256: str) -> None:
        self._lock = asyncio.Lock()
        self._owner = owner
        self._sha256 = sha256
        self._users = 0

    async def __aenter__(self) -> None:
        self._users += 1
        try:
            await self._lock.acquire()
        except BaseException:
            self._leave()
            raise

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._lock.release()
        self._leave()

    def _leave(self) -> None:
        self._users -= 1
        if not self._users:
            del self._owner[self._sha256]


class BlobFiles:
    """The blob directory; every method is cheap enough to call from the event loop."""

    def __init__(self, root: Path, max_age: dt.timedelta = dt.timedelta(days=2)) -> None:
        self.root = root
        self.max_age_s = max_age.total_seconds()
        self.uploads = root / ".uploads"
        self.uploads.mkdir(parents=True, exist_ok=True)
        legacy_staged = root / ".staged"  # where earlier versions staged blobs
        if legacy_staged.is_dir():
            for leftover in legacy_staged.iterdir():
                leftover.unlink()
        self._lengths: dict[str, int] = {}  # uploads under way: hash -> declared length
        self._locks: dict[str, _BlobLock] = {}
        self._running: dict[str, _Running] = {}
        # Verified, not yet durable: hash -> (length, the descriptor it was written
        # through, kept open for the fsync: reopening cost the flusher two more
        # system calls, each a turn of the interpreter lock taken from the event loop).
        self._staged: dict[str, tuple[int, int]] = {}
        self._dirs_made: set[Path] = set()
        # Holders of staged blobs, until ``record_holders`` (the database) has them:
        # written by the flusher, off the upload's path, a batch at a time.
        self.record_holders: Callable[[list[Holder]], None] | None = None
        self._holders: set[Holder] = set()
        self._guard = threading.Lock()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._flusher: threading.Thread | None = None
        for entry in os.scandir(self.uploads):
            if entry.is_dir(follow_symlinks=False):
                for name in os.listdir(entry.path):
                    self._adopt(Path(entry.path) / name)
            else:
                self._adopt(Path(entry.path))  # kept in one directory by earlier versions
        self._swept = time.monotonic()
        self.sweep()

    def _made(self, directory: Path) -> Path:
        """``directory``, created if this process has not made sure of it yet."""
        if directory not in self._dirs_made:
            directory.mkdir(exist_ok=True)
            self._dirs_made.add(directory)
        return directory

    def _adopt(self, path: Path) -> None:
        """Take over an upload left by an earlier run, or delete what cannot be trusted."""
        sha256, _, rest = path.name.partition("-")
        try:
            length = int(rest.removesuffix(PART_SUFFIX))
        except ValueError:
            return  # not ours
        if not rest.endswith(PART_SUFFIX) or length < 0 or not is_sha256(sha256):
            return
        if path.parent != self._upload_dir(sha256):
            moved = self._new_partial(sha256, length)
            os.replace(path, moved)
            path = moved
        size = path.stat().st_size
        if size == length and sha256 not in self._lengths:
            self._settle_leftover(sha256, path)
            return
        if size > length or sha256 in self._lengths:
            path.unlink()  # longer than announced, or a second length: resent
            return
        self._lengths[sha256] = length

    def _settle_leftover(self, sha256: str, partial: Path) -> None:
        """A complete upload found at start: a verified blob whose rename a crash took, or not.

        Its bytes are checked again (a crash before the fsync may have left
        anything in the file); if they are the blob, they are synced and moved
        into place, so a dossier accepted before the crash still has its scan.
        """
        if _hash_of(partial).hexdigest() != sha256:
            partial.unlink()  # not the blob: the counter sends it again
            return
        fd = os.open(partial, os.O_RDONLY)
        try:
            _sync_data(fd)
        finally:
            os.close(fd)
        self._made(self.final_path(sha256).parent)
        os.replace(partial, self.final_path(sha256))

    def final_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _upload_dir(self, sha256: str) -> Path:
        """Where a blob's partial file lives, fanned out like the blobs.

        The event loop creates partial files and the flusher renames them away: in
        one shared directory every rename waited, spinning, for the directory's
        lock while a creation held it, and a creation can be slow (ext4 without a
        journal skips every recently deleted inode, one by one, to find a free one).
        """
        return self.uploads / sha256[:2]

    def _partial(self, sha256: str, length: int) -> Path:
        return self._upload_dir(sha256) / f"{sha256}-{length}{PART_SUFFIX}"

    def _new_partial(self, sha256: str, length: int) -> Path:
        """``_partial``, its directory made: for the places that create the file."""
        self._made(self._upload_dir(sha256))
        return self._partial(sha256, length)

    def has(self, sha256: str) -> bool:
        """Complete and verified (durable, or about to be)."""
        with self._guard:
            if sha256 in self._staged:
                return True
        return self.final_path(sha256).is_file()

    def durable(self, sha256: str) -> bool:
        """Complete, verified and on disk: what a dossier may name."""
        with self._guard:
            staged = sha256 in self._staged
        if staged:
            self.flush()
        return self.final_path(sha256).is_file()

    def flush(self) -> None:
        """fsync every staged blob and move it into place (one caller at a time)."""
        with self._flushing:
            with self._guard:
                batch = list(self._staged.items())
            for sha256, (length, fd) in batch:
                partial = self._partial(sha256, length)
                try:
                    _sync_data(fd)
                finally:
                    os.close(fd)
                final = self.final_path(sha256)
                self._made(final.parent)
                os.replace(partial, final)
                with self._guard:
                    del self._staged[sha256]

    def _stage(self, sha256: str, length: int, fd: int, holder: tuple[str, str] | None) -> None:
        with self._guard:
            self._staged[sha256] = (length, fd)  # before it stops being under way: never unknown
            if holder is not None and self.record_holders is not None:
                self._holders.add((sha256, *holder))
            self._wake.set()
            if self._flusher is None:
                self._flusher = threading.Thread(
                    target=self._flush_until_idle, name="blob-flusher", daemon=True
                )
                self._flusher.start()
        del self._lengths[sha256]

    def _flush_until_idle(self) -> None:
        while True:
            woken = self._wake.wait(FLUSH_LINGER_S)
            with self._guard:
                self._wake.clear()
                if not self._staged and not self._holders:
                    if woken:
                        continue  # ``durable`` flushed them meanwhile
                    self._flusher = None
                    return
            time.sleep(FLUSH_GATHER_S)  # let a few blobs gather: one journal commit for all
            self.flush()
            self._write_holders()

    def _write_holders(self) -> None:
        """Hand the holders noted so far to ``record_holders``; kept for the next round if it fails.

        Never called from ``flush``: ``durable`` flushes inside a push's write
        transaction, on which a second writer would wait (SQLite) until it timed out.
        """
        with self._guard:
            batch = sorted(self._holders)
        if not batch or self.record_holders is None:
            return
        try:
            self.record_holders(batch)
        except Exception:  # the database busy or away: the next round tries again
            log.exception("could not record who uploaded %d blobs", len(batch))
            time.sleep(FLUSH_LINGER_S)
            return
        with self._guard:
            self._holders.difference_update(batch)

    def held_pending(self, hashes: Collection[str], unit_code: str) -> set[str]:
        """Which of ``hashes`` a device of ``unit_code`` uploaded, not yet in the database."""
        with self._guard:
            if not self._holders:
                return set()
            return {sha for sha, _, unit in self._holders if unit == unit_code and sha in hashes}

    def state(self, sha256: str, *, stored: bool = True) -> UploadState | None:
        """Where the blob stands: stored (offset = length), under way, or unknown (None).

        With ``stored=False`` a stored blob counts as unknown unless it is being
        uploaded again: what a caller sees whose unit has not shown it holds the bytes.
        Anything but a SHA-256 is unknown, never a path looked up on disk.
        """
        if not is_sha256(sha256):
            return None
        if stored:
            known = self._staged_state(sha256)
            if known is not None:
                return known
        length = self._lengths.get(sha256)
        if length is not None:
            try:
                info = self._partial(sha256, length).stat()
            except FileNotFoundError:
                pass  # completed (or discarded) since: what follows says which
            else:
                if not self._expired(info.st_mtime) or sha256 in self._locks:
                    return UploadState(info.st_size, length)
                self.discard(sha256)
        if not stored:
            return None
        final = self.final_path(sha256)
        try:
            size = final.stat().st_size
        except FileNotFoundError:
            return self._staged_state(sha256)
        return UploadState(size, size)

    def _staged_state(self, sha256: str) -> UploadState | None:
        with self._guard:
            staged = self._staged.get(sha256)
        return None if staged is None else UploadState(staged[0], staged[0])

    def create(
        self, sha256: str, length: int, *, empty: bool = True, stored: bool = True
    ) -> UploadState:
        """Open an upload (or find the one under way with this length); call with the lock held.

        With ``empty=False`` the bytes follow at once (creation-with-upload) and
        ``receive`` creates the file, saving a file creation per blob. With
        ``stored=False`` a stored blob is uploaded again (see ``state``).
        """
        if stored and self.has(sha256):
            return UploadState(length, length)
        self.sweep_now_and_then()
        under_way = self._lengths.get(sha256)
        if under_way == length:
            info = self._partial(sha256, length).stat()
            if not self._expired(info.st_mtime):
                return UploadState(info.st_size, length)
        if under_way is not None:
            self.discard(sha256)  # an upload announced with another length: start afresh
        if empty:
            self._new_partial(sha256, length).touch()
            self._lengths[sha256] = length
        return UploadState(0, length)

    def lock(self, sha256: str) -> _BlobLock:
        """Held around every change to one hash's upload (``async with``)."""
        lock = self._locks.get(sha256)
        if lock is None:
            lock = self._locks[sha256] = _BlobLock(self._locks, sha256)
        return lock

    def _hasher_at(self, sha256: str, partial: Path, offset: int) -> Any:
        running = self._running.get(sha256)
        if running is not None and running.offset == offset:
            return running.hasher
        hasher = _hash_of(partial)
        self._running[sha256] = _Running(offset, hasher)
        return hasher

    async def receive(
        self,
        sha256: str,
        length: int,
        offset: int,
        body: AsyncIterator[bytes],
        *,
        creating: bool = False,
        holder: tuple[str, str] | None = None,
    ) -> UploadState:
        """Append ``body`` at ``offset``; call with ``lock(sha256)`` held.

        ``holder`` (device id, unit code) is noted as having sent the bytes if they
        complete the blob and have its hash.
        """
        partial = (self._new_partial if creating else self._partial)(sha256, length)
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT if creating else 0)
        try:
            fd = os.open(partial, flags, 0o644)
        except FileNotFoundError:
            raise self.no_upload() from None
        staged = False
        try:
            state = await self._append(sha256, length, offset, body, creating, partial, fd)
            if state.complete:
                self._stage(sha256, length, fd, holder)
                staged = True
            return state
        finally:
            if not staged:
                os.close(fd)

    async def _append(
        self,
        sha256: str,
        length: int,
        offset: int,
        body: AsyncIterator[bytes],
        creating: bool,
        partial: Path,
        fd: int,
    ) -> UploadState:
        """Write and hash ``body`` through ``fd``; a complete upload comes back verified."""
        current = os.fstat(fd).st_size
        if creating:
            self._lengths[sha256] = length
        if offset != current:
            raise BlobError(
                409, "offset_mismatch", f"Upload is at {current}, not {offset}.", offset=current
            )
        if current == 0:
            hasher = hashlib.sha256()
            self._running[sha256] = running = _Running(0, hasher)
        else:
            hasher = await to_thread.run_sync(self._hasher_at, sha256, partial, current)
            running = self._running[sha256]
        with open(fd, "ab", closefd=False) as handle:
            try:
                # Written and hashed as each piece arrives: tens of microseconds per
                # piece, overlapping the next piece's way through the network.
                async for chunk in body:
                    if current + len(chunk) > length:
                        raise BlobError(400, "too_long", "More bytes than declared.", current)
                    handle.write(chunk)
                    hasher.update(chunk)
                    current += len(chunk)
            except ClientDisconnect:
                pass
            finally:
                running.offset = current
        if current < length:
            return UploadState(current, length)
        del self._running[sha256]
        if hasher.hexdigest() != sha256:
            partial.unlink()
            del self._lengths[sha256]
            raise BlobError(
                460, "checksum_mismatch", "The bytes received do not have this SHA-256.", 0
            )
        return UploadState(length, length)

    @staticmethod
    def no_upload() -> BlobError:
        return BlobError(404, ERR_NO_UPLOAD, "No upload of this blob (or it expired); create it.")

    def _expired(self, mtime: float) -> bool:
        return time.time() - mtime > self.max_age_s

    def expire(self, sha256: str) -> None:
        """Delete the blob's upload if it has expired; call with ``lock(sha256)`` held."""
        length = self._lengths.get(sha256)
        if length is None:
            return
        try:
            mtime = self._partial(sha256, length).stat().st_mtime
        except FileNotFoundError:
            return
        if self._expired(mtime):
            self.discard(sha256)

    def sweep(self) -> list[str]:
        """Delete the uploads not written to for ``max_age``; returns their hashes.

        An upload whose lock is held is being written to (or about to be), and is left alone.
        """
        expired = []
        for sha256, length in list(self._lengths.items()):
            if sha256 in self._locks:
                continue
            try:
                mtime = self._partial(sha256, length).stat().st_mtime
            except FileNotFoundError:
                continue
            if self._expired(mtime):
                self.discard(sha256)
                expired.append(sha256)
        return expired

    def sweep_now_and_then(self) -> None:
        """``sweep``, if it has not run for a while: called on uploads, so no timer is needed."""
        now = time.monotonic()
        if now - self._swept >= min(SWEEP_INTERVAL_S, self.max_age_s):
            self._swept = now
            self.sweep()

    def discard(self, sha256: str) -> None:
        self._running.pop(sha256, None)
        length = self._lengths.pop(sha256, None)
        if length is not None:
            self._partial(sha256, length).unlink(missing_ok=True)
