"""Where the server keeps scans, by SHA-256: what every blob store answers, and picking one.

A blob store receives resumable uploads (tus 1.0, see docs/protocol.md) and
keeps one copy per hash whoever sent it. Two implementations: a directory
(``blob_files.DirectoryBlobs``, the default) and an S3-compatible bucket
(``blob_s3.S3Blobs``, ``s3://bucket``). Neither keeps anything in one process's memory that
another process needs: an upload's offset, its length and its bytes live in the
store's staging area, and the lock on a hash is shared through the database
(``upload_locks``), so any number of server processes can serve one store and an
upload started on one goes on through any other.

The offset a request acknowledges is durable before the answer is sent, and a
blob becomes visible (``has``, downloads, dossiers naming it) only once its
whole content has been checked against its SHA-256 and is durable.

Which unit may name or read a blob is the database's business (``records``): a
caller whose unit has not shown it holds the bytes sees a stored blob as absent
(``stored=False``) and uploads it again, which proves it has them.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import datetime as dt
import hashlib
import re
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from anyio import CancelScope
from sqlalchemy import Engine
from starlette.responses import Response

from sync.protocol import ERR_NO_UPLOAD, SHA256_PATTERN
from sync.server.upload_locks import AdvisoryLocks, HashLocks, UploadLocks, is_postgresql

READ_CHUNK = 1 << 20
SHA256_RE = re.compile(SHA256_PATTERN)
# How often, at most, unfinished uploads are looked over for expired ones.
SWEEP_INTERVAL_S = 600.0
S3_SCHEME = "s3://"
T = TypeVar("T")
# Who sent a verified blob's bytes: (sha256, device id, unit code).
Holder = tuple[str, str, str]
# Called once a blob's content matched its hash: starts noting who sent it and
# returns the wait for that note, which the store calls before the upload returns.
Verified = Callable[[], Callable[[], None]]
# Runs the stores' blocking work (``off_loop``); as many threads as anyio's default.
_STORE_THREADS = ThreadPoolExecutor(40, thread_name_prefix="blob-store")


async def off_loop(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a store thread, awaited to its end even if the request is cancelled.

    What ``anyio.to_thread.run_sync`` does, without its capacity limiter and
    worker bookkeeping: on a loaded server (two uploads at once on two cores)
    its hand-off to and from the thread took about 0.8 ms of each upload's
    5.6, and an executor of its own made uploads a few percent faster in
    paired rounds against it. Shielded as ``run_sync`` is, so that a request
    keeps the hash's lock until the thread is done with the upload.
    """
    with CancelScope(shield=True):
        result = await asyncio.wrap_future(_STORE_THREADS.submit(function, *args))
    return result


def is_sha256(name: str) -> bool:
    """64 lowercase hex digits and nothing else (``re.match`` would let a final newline by)."""
    return SHA256_RE.fullmatch(name) is not None


def hash_file(path: Path) -> Any:
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


def too_long(offset: int) -> BlobError:
    return BlobError(400, "too_long", "More bytes than declared.", offset)


def checksum_mismatch() -> BlobError:
    return BlobError(460, "checksum_mismatch", "The bytes received do not have this SHA-256.", 0)


def offset_mismatch(current: int, offset: int) -> BlobError:
    return BlobError(
        409, "offset_mismatch", f"Upload is at {current}, not {offset}.", offset=current
    )


@dataclass(frozen=True)
class UploadState:
    offset: int
    length: int

    @property
    def complete(self) -> bool:
        return self.offset >= self.length


class BlobStore(abc.ABC):
    """Resumable uploads and stored blobs; a method's docstring says if it needs the lock.

    Methods that touch the store are blocking (a stat, a request to the bucket):
    the API calls them from a worker thread, except ``receive``, which streams.
    """

    # What the store raises when it cannot be reached for now: the API answers 503.
    unavailable: tuple[type[Exception], ...] = ()
    # Whether ``has``, ``state`` and ``create`` are cheap enough for the event loop
    # (a few system calls), which saves the upload a worker thread's round trip each.
    inline = False

    def __init__(self, locks: HashLocks, max_age: dt.timedelta) -> None:
        self.locks = UploadLocks(locks)
        self.max_age_s = max_age.total_seconds()
        self._swept = time.monotonic()

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)``, on the event loop if the store is ``inline``."""
        if self.inline:
            return function(*args, **kwargs)
        return await off_loop(partial(function, *args, **kwargs))

    def lock(self, sha256: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Held around every change to one hash's upload (``async with``), in any process."""
        return self.locks.hold(sha256)

    @abc.abstractmethod
    def state(self, sha256: str, *, stored: bool = True) -> UploadState | None:
        """Where the blob stands: stored (offset = length), under way, or unknown (None).

        With ``stored=False`` a stored blob counts as unknown unless it is being
        uploaded again: what a caller sees whose unit has not shown it holds the bytes.
        Anything but a SHA-256 is unknown, never looked up.
        """

    @abc.abstractmethod
    def has(self, sha256: str) -> bool:
        """Stored: complete, checked against its hash, and durable."""

    def durable(self, sha256: str) -> bool:
        """What a dossier may name: ``has``, since nothing is visible before it is durable."""
        return self.has(sha256)

    @abc.abstractmethod
    def create(
        self, sha256: str, length: int, *, empty: bool = True, stored: bool = True
    ) -> UploadState:
        """Open an upload (or find the one under way with this length); with the lock held.

        With ``empty=False`` the bytes follow at once (creation-with-upload) and
        ``receive`` creates the upload. With ``stored=False`` a stored blob is
        uploaded again (see ``state``).
        """

    @abc.abstractmethod
    async def receive(
        self,
        sha256: str,
        length: int,
        offset: int,
        body: AsyncIterator[bytes],
        *,
        creating: bool = False,
        verified: Verified | None = None,
    ) -> UploadState:
        """Append ``body`` at ``offset``; with the lock held. Durable when it returns.

        A complete upload comes back stored, or raises 460 and is discarded.
        ``verified`` is called (in a worker thread) once the whole content has
        matched its hash, and what it returns is waited for (by that or
        another worker thread) once the blob is durable and in place, or has
        failed to be; the upload returns once both are done.
        """

    def unchecked(self, sha256: str) -> bool:
        """Bytes of the blob are in the store that ``state`` does not show: see ``settle``."""
        return False

    def settle(self, sha256: str) -> None:  # noqa: B027 - most stores leave nothing to settle
        """With the lock held, make what ``unchecked`` found a blob, an upload, or nothing.

        A store that writes a new upload where its blob will be (the directory)
        has it there, unseen, while a request receives it; once that request is
        done (or its process died) this decides what the bytes are.
        """

    @abc.abstractmethod
    def expire(self, sha256: str) -> None:
        """Delete the blob's upload if nobody has written to it for ``max_age``; with the lock."""

    @abc.abstractmethod
    def sweep(self) -> list[str]:
        """Delete every expired upload whose lock is free; returns their hashes."""

    @abc.abstractmethod
    def response(self, sha256: str) -> Response:
        """The stored blob as a download (call only after ``has``)."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to close
        """Let go of what the store holds open."""

    def sweep_now_and_then(self) -> None:
        """``sweep``, if this process has not run it for a while: no timer needed."""
        now = time.monotonic()
        if now - self._swept >= min(SWEEP_INTERVAL_S, self.max_age_s):
            self._swept = now
            self.sweep()

    def _expired(self, mtime: float) -> bool:
        return time.time() - mtime > self.max_age_s

    @staticmethod
    def no_upload() -> BlobError:
        return BlobError(404, ERR_NO_UPLOAD, "No upload of this blob (or it expired); create it.")


def open_blob_store(
    where: str | Path,
    engine: Engine | None = None,
    max_age: dt.timedelta = dt.timedelta(days=2),
) -> BlobStore:
    """``s3://bucket[/prefix]`` (endpoint and keys from the environment) or a directory.

    A directory's upload locks are ``flock`` files in the directory itself, shared by
    whoever shares the directory, at a few microseconds each: on the upload's path,
    PostgreSQL's advisory locks (a pooled connection, its ping and two round trips
    per upload) cost the blob push more than half its rate. A bucket's are
    advisory locks on a PostgreSQL ``engine``, shared by every process on every host;
    otherwise file locks, shared by the processes of one host.
    """
    text = str(where)
    if text.startswith(S3_SCHEME):
        from sync.server.blob_s3 import S3Blobs

        locks = AdvisoryLocks(engine) if engine is not None and is_postgresql(engine) else None
        return S3Blobs.from_url(text, locks, max_age)
    from sync.server.blob_files import DirectoryBlobs

    return DirectoryBlobs(Path(where), None, max_age)
