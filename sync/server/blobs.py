"""Blobs on the server's filesystem, by SHA-256, received by resumable upload (tus 1.0).

The filesystem is the whole truth, no database row: a blob is stored when
``<blob dir>/<sha[:2]>/<sha>`` exists (the counter's layout), and an upload is
under way when ``<blob dir>/.uploads/<sha>-<length>.part`` does. The partial
file's size *is* the upload offset, so whatever reached the disk before a cut
(a dropped connection, a killed client, a restarted server) counts, and the
upload goes on from there. A complete upload is hashed and, only if its SHA-256
matches its name, flushed to disk and renamed into place.

The running hash of each upload is kept in memory, so a blob is hashed once as
it arrives rather than read back at the end; after a restart the partial file
is hashed from disk once and the upload continues.

Durability is a group commit: a complete, verified blob is *staged*
(``.staged/<sha>``) and a background flusher fsyncs staged blobs in
batches and renames them into place, off the request's path. A dossier that
names a blob is accepted only once that blob is durable (``durable`` flushes on
the spot if the flusher has not got to it yet). Staged blobs left by a crash may
hold unflushed garbage, so they are deleted at start: the counter sends them again.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyio import to_thread
from starlette.requests import ClientDisconnect

READ_CHUNK = 1 << 20
FLUSH_GATHER_S = 0.005


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


class BlobFiles:
    """The blob directory; every method is cheap enough to call from the event loop."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads = root / ".uploads"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.staged = root / ".staged"
        self.staged.mkdir(exist_ok=True)
        for leftover in self.staged.iterdir():
            leftover.unlink()
        self._locks: dict[str, asyncio.Lock] = {}
        self._running: dict[str, _Running] = {}
        self._staged: set[str] = set()
        self._guard = threading.Lock()
        self._flushing = threading.Lock()
        self._flusher: threading.Thread | None = None

    def final_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def staged_path(self, sha256: str) -> Path:
        return self.staged / sha256

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
                batch = list(self._staged)
            for sha256 in batch:
                staged = self.staged_path(sha256)
                with staged.open("rb") as handle:
                    getattr(os, "fdatasync", os.fsync)(handle.fileno())
                final = self.final_path(sha256)
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
                with self._guard:
                    self._staged.discard(sha256)

    def _stage(self, sha256: str, partial: Path) -> None:
        os.replace(partial, self.staged_path(sha256))
        with self._guard:
            self._staged.add(sha256)
            if self._flusher is None or not self._flusher.is_alive():
                self._flusher = threading.Thread(
                    target=self._flush_until_idle, name="blob-flusher", daemon=True
                )
                self._flusher.start()

    def _flush_until_idle(self) -> None:
        while True:
            time.sleep(FLUSH_GATHER_S)  # let a few blobs gather: one journal commit for all
            self.flush()
            with self._guard:
                if not self._staged:
                    self._flusher = None
                    return

    def _partials(self, sha256: str) -> list[Path]:
        prefix = f"{sha256}-"
        return [self.uploads / name for name in os.listdir(self.uploads) if name.startswith(prefix)]

    def state(self, sha256: str) -> UploadState | None:
        """Where the blob stands: stored (offset = length), under way, or unknown (None)."""
        for complete in (self.staged_path(sha256), self.final_path(sha256)):
            try:
                size = complete.stat().st_size
            except FileNotFoundError:
                continue
            return UploadState(size, size)
        for partial in self._partials(sha256):
            length = int(partial.name[len(sha256) + 1 : -len(".part")])
            return UploadState(partial.stat().st_size, length)
        return None

    def create(self, sha256: str, length: int, *, empty: bool = True) -> UploadState:
        """Open an upload (or find the one under way with this length).

        With ``empty=False`` the bytes follow at once (creation-with-upload) and
        ``receive`` creates the file, saving a file creation per blob.
        """
        if self.has(sha256):
            return UploadState(length, length)
        partial = self._partial(sha256, length)
        try:
            return UploadState(partial.stat().st_size, length)
        except FileNotFoundError:
            self.discard(sha256)  # an upload announced with another length: start afresh
            if empty:
                partial.touch()
            return UploadState(0, length)

    def _partial(self, sha256: str, length: int) -> Path:
        return self.uploads / f"{sha256}-{length}.part"

    def lock(self, sha256: str) -> asyncio.Lock:
        return self._locks.setdefault(sha256, asyncio.Lock())

    def _hasher_at(self, sha256: str, partial: Path, offset: int) -> Any:
        running = self._running.get(sha256)
        if running is not None and running.offset == offset:
            return running.hasher
        hasher = hashlib.sha256()
        with partial.open("rb") as handle:
            while chunk := handle.read(READ_CHUNK):
                hasher.update(chunk)
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
    ) -> UploadState:
        """Append ``body`` at ``offset``; call with ``lock(sha256)`` held."""
        partial = self._partial(sha256, length)
        try:
            current = partial.stat().st_size
        except FileNotFoundError:
            if not creating:
                raise BlobError(
                    404, "no_upload", "No upload of this blob; create it first."
                ) from None
            current = 0
        if offset != current:
            raise BlobError(
                409, "offset_mismatch", f"Upload is at {current}, not {offset}.", offset=current
            )
        if current == 0:
            hasher = hashlib.sha256()
            self._running[sha256] = _Running(0, hasher)
        else:
            hasher = await to_thread.run_sync(self._hasher_at, sha256, partial, current)
        running = self._running[sha256]
        with partial.open("ab") as handle:
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
            raise BlobError(
                460, "checksum_mismatch", "The bytes received do not have this SHA-256.", 0
            )
        self._stage(sha256, partial)
        return UploadState(length, length)

    def discard(self, sha256: str) -> None:
        self._running.pop(sha256, None)
        for partial in self._partials(sha256):
            partial.unlink(missing_ok=True)
