"""Uploading attachments the server lacks, resumably (tus 1.0 core: HEAD, POST, PATCH).

The counter keeps no upload state of its own: the server's offset (HEAD) is the
truth, so a cut connection, a killed client or a restarted server all resume at
the byte the server actually has. An upload the server has since expired (HEAD
404, PATCH ``no_upload``) starts again from the first byte. Blobs live under
``<data dir>/blobs/<sha[:2]>/<sha>``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from counter_app.paths import BLOB_DIR
from sync import protocol
from sync.client.backoff import Attempts, RetryPolicy
from sync.client.errors import RequestRejected, Transient, Unreachable
from sync.client.http import SEND_BLOCK, ServerConnection

UPLOAD_TIMEOUT = (5.0, 120.0)
PARALLEL_UPLOADS = 2
MAX_DAMAGED = 3
# A blob that makes no progress for this long against server errors ends the whole
# batch's uploads: the next blob would meet the same server. Without it a backlog of
# scans spent its retry budget once per blob (48 minutes for a batch of 200).
UPLOAD_GIVE_UP_S = 6.0


def blob_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / BLOB_DIR / sha256[:2] / sha256


@dataclass
class UploadStats:
    uploaded: int = 0
    bytes_sent: int = 0
    missing_locally: list[str] = field(default_factory=list)
    corrupt_locally: list[str] = field(default_factory=list)
    # Blobs the server (or a gateway before it: 413) would not take, with its reason.
    refused: dict[str, str] = field(default_factory=dict)


class _Slice:
    """The rest of a file from an offset, with a length, so requests sends Content-Length.

    Only for bodies bigger than one send block; a smaller one goes as bytes, which
    requests and http.client pass to the socket without the per-request checks
    a file-like body costs (a scan is a couple of hundred kilobytes).
    """

    def __init__(self, handle: BinaryIO, length: int, on_read: Callable[[int], None]) -> None:
        self.handle = handle
        self.remaining = length
        self.on_read = on_read

    def __len__(self) -> int:
        return self.remaining

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        if size < 0 or size > self.remaining:
            size = self.remaining
        chunk = self.handle.read(size)
        self.remaining -= len(chunk)
        self.on_read(len(chunk))
        return chunk


def local_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class BlobUploader:
    """Sends blobs with as few round trips as the protocol allows.

    A blob the server has never seen goes up in ONE request (tus
    creation-with-upload); one it has half of (the query says where) continues
    with PATCH at that offset; after a cut, HEAD asks where the server got to.
    Several blobs go up side by side on separate connections (``parallel``), so
    one upload's wait for the server's disk flush overlaps another's transfer —
    what a browser does with its six connections, for the same reason.
    """

    def __init__(
        self,
        connection: ServerConnection,
        policy: RetryPolicy,
        data_dir: Path,
        parallel: int = PARALLEL_UPLOADS,
    ) -> None:
        self.connection = connection
        self.policy = policy
        self.data_dir = data_dir
        self.parallel = max(1, parallel)
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._clones: list[ServerConnection] = []
        self._clones_lock = threading.Lock()
        self._halt = threading.Event()
        # The province's receipts by hash (docs/protocol.md, "Receipts"): those the
        # caller kept, and those the uploads brought, which ``take_receipts`` hands over.
        self._receipts: dict[str, str] = {}
        self._fresh: dict[str, str] = {}
        self._receipts_lock = threading.Lock()

    def query(self, hashes: Sequence[str]) -> protocol.BlobQueryResponse:
        body = protocol.BlobQuery(sha256=list(hashes), receipts=self.shown(hashes))
        # Without receipts, the body an older server knows.
        exclude = None if body.receipts else {"receipts"}

        def ask() -> protocol.BlobQueryResponse:
            response = self.connection.call(
                "POST", "blobs/query", json=body.model_dump(exclude=exclude)
            )
            return protocol.BlobQueryResponse.model_validate_json(response.content)

        return self.policy.run(ask)

    def shown(self, hashes: Sequence[str]) -> dict[str, str]:
        """The receipts held for any of ``hashes``, to show with them."""
        with self._receipts_lock:
            return {h: self._receipts[h] for h in hashes if h in self._receipts}

    def remember(self, receipts: Mapping[str, str]) -> None:
        """Receipts kept from an earlier sync, to show with their hashes."""
        with self._receipts_lock:
            self._receipts.update(receipts)

    def take_receipts(self) -> dict[str, str]:
        """The receipts uploads brought since the last call, for the caller to keep."""
        with self._receipts_lock:
            fresh, self._fresh = self._fresh, {}
        return fresh

    def forget(self, hashes: Sequence[str]) -> None:
        """Receipts a push showed: the province holds them for this unit now."""
        with self._receipts_lock:
            for sha256 in hashes:
                self._receipts.pop(sha256, None)

    def upload_missing(self, hashes: Sequence[str]) -> UploadStats:
        """Send the blobs among ``hashes`` that the server lacks.

        A blob the server refuses is listed in ``refused`` and the others go on;
        a server that keeps failing ends the batch with ``Unreachable`` as soon as
        one blob has spent its budget, the blobs not yet started left for next time.
        """
        stats = UploadStats()
        if not hashes:
            return stats
        answer = self.query(hashes)
        jobs: list[tuple[str, Path, int | None]] = []
        for sha256 in answer.missing:
            path = blob_path(self.data_dir, sha256)
            if path.is_file():
                jobs.append((sha256, path, answer.offsets.get(sha256)))
            else:
                stats.missing_locally.append(sha256)
        self._halt = threading.Event()
        try:
            if self.parallel == 1 or len(jobs) < 2:
                for sha256, path, offset in jobs:
                    self._count(stats, sha256, partial(self.upload, sha256, path, offset))
                return stats
            pool = self._pool()
            futures = [(job[0], pool.submit(self._upload_on_own_connection, *job)) for job in jobs]
            try:
                for sha256, future in futures:
                    self._count(stats, sha256, future.result)
            finally:
                self._halt.set()  # whatever ended the loop early, nothing else is started
                for _, future in futures:
                    future.cancel()
                wait([f for _, f in futures])
        except Unreachable as exc:
            left = len(jobs) - stats.uploaded - len(stats.refused) - len(stats.corrupt_locally)
            raise Unreachable(
                f"{exc} Đã dừng gửi tệp đính kèm của lượt này ({left} tệp chưa gửi được); "
                "chúng sẽ được gửi ở lần đồng bộ sau."
            ) from exc.__cause__ or exc
        return stats

    def _pool(self) -> ThreadPoolExecutor:
        """Upload threads kept for the whole sync, each with a connection of its own."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.parallel, thread_name_prefix="blob-upload")
        return self._executor

    def _upload_on_own_connection(self, sha256: str, path: Path, offset: int | None) -> int:
        connection: ServerConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.connection.clone()
            self._local.connection = connection
            with self._clones_lock:
                self._clones.append(connection)
        return self.upload(sha256, path, offset, connection=connection)

    def close(self) -> None:
        """Stop the upload threads and close their connections."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        with self._clones_lock:
            clones, self._clones = self._clones, []
        for clone in clones:
            clone.close()

    @staticmethod
    def _count(stats: UploadStats, sha256: str, upload: Callable[[], int]) -> None:
        try:
            stats.bytes_sent += upload()
        except RequestRejected as exc:
            if exc.code == protocol.ERR_CHECKSUM_MISMATCH:
                stats.corrupt_locally.append(sha256)
            else:
                stats.refused[sha256] = str(exc)
            return
        stats.uploaded += 1

    def offset(self, sha256: str, connection: ServerConnection | None = None) -> int | None:
        """Where the server's copy stands (HEAD); None when it has no upload at all."""
        via = connection or self.connection
        return self.policy.run(partial(self._ask_offset, sha256, via))

    @staticmethod
    def _ask_offset(sha256: str, connection: ServerConnection) -> int | None:
        """One HEAD, not retried (``upload`` retries it within its own budget)."""
        head = connection.call("HEAD", f"blobs/{sha256}", ok=(404,))
        if head.status_code == 404:
            return None
        return int(head.headers[protocol.UPLOAD_OFFSET])

    def _send(
        self,
        connection: ServerConnection,
        sha256: str,
        path: Path,
        length: int,
        offset: int | None,
        count: Callable[[int], None],
    ) -> int:
        """One request: create-with-upload when ``offset`` is None, else PATCH at it."""
        start = offset or 0
        with path.open("rb") as handle:
            handle.seek(start)
            body: bytes | _Slice
            if length - start <= SEND_BLOCK:
                body = handle.read(length - start)
            else:
                body = _Slice(handle, length - start, count)
            if offset is None:
                method = "POST"
                headers = {protocol.UPLOAD_LENGTH: str(length)}
            else:
                method = "PATCH"
                headers = {protocol.UPLOAD_OFFSET: str(offset)}
            headers[protocol.TUS_RESUMABLE] = protocol.TUS_VERSION
            headers[protocol.UPLOAD_RECEIPT] = "1"
            headers["Content-Type"] = protocol.OFFSET_CONTENT_TYPE
            response = connection.call(
                method, f"blobs/{sha256}", ok=(409,), data=body, headers=headers,
                timeout=UPLOAD_TIMEOUT,
            )  # fmt: skip
        with response:
            if isinstance(body, bytes) and response.status_code != 409:
                count(len(body))
            receipt = response.headers.get(protocol.UPLOAD_RECEIPT)
            if receipt:
                with self._receipts_lock:
                    self._receipts[sha256] = self._fresh[sha256] = receipt
            return int(response.headers[protocol.UPLOAD_OFFSET])

    def upload(
        self,
        sha256: str,
        path: Path,
        offset: int | None = None,
        connection: ServerConnection | None = None,
    ) -> int:
        """Send what the server lacks of one blob; returns the bytes sent (resumed or not)."""
        via = connection or self.connection
        length = path.stat().st_size
        sent = 0

        def count(n: int) -> None:
            nonlocal sent
            sent += n

        tries = Attempts(
            self.policy,
            deadline_s=min(self.policy.deadline_s, UPLOAD_GIVE_UP_S),
            halt=self._halt,
        )
        reached = offset or 0
        damaged = 0
        ask = False  # after a failure, the server's offset (HEAD) says where to go on
        restarted = False
        while ask or offset is None or offset < length:
            if self._halt.is_set():
                raise Unreachable("Đã dừng gửi tệp đính kèm vì một tệp khác không gửi được.")
            try:
                if ask:
                    offset = self._ask_offset(sha256, via)
                    ask = False
                else:
                    offset = self._send(via, sha256, path, length, offset, count)
            except RequestRejected as exc:
                if exc.code == protocol.ERR_NO_UPLOAD and offset is not None and not restarted:
                    # The server expired the upload (or lost it) since it told us the offset.
                    restarted, offset = True, None
                    continue
                sound = exc.code == protocol.ERR_CHECKSUM_MISMATCH and local_sha256(path) == sha256
                damaged += 1
                if not sound or damaged > MAX_DAMAGED:
                    raise
                offset = None  # damaged on the way: send it all again
                continue
            except Transient as exc:
                tries.wait(exc)
                # Some bytes may have landed before the cut: the server's offset says how many.
                ask = True
                continue
            if offset is not None and offset > reached:
                tries.reset()  # progress since the last failure earns a fresh budget
                reached = offset
        return sent
