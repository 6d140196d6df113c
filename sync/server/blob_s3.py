"""Blobs in an S3-compatible bucket, by SHA-256: ``<prefix><sha[:2]>/<sha>``, as on disk.

The bucket is reached through boto3; its endpoint and keys come from the
environment (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION``), as for any boto3 program.

An upload under way lives in the bucket too, under
``<prefix>.uploads/<sha>-<length>/``, so every server process sees it:

- ``manifest.json``: the acknowledged offset, the multipart upload's id and the
  parts sent so far (number, ETag, size), and the key of the *tail*. Written
  last, it is the upload's commit point: bytes count once a manifest names them.
- the multipart upload of ``assembled``: parts of ``PART_BYTES`` (S3 wants at
  least 5 MiB for every part but the last), sent as the bytes arrive.
- ``tail-<offset>``: the bytes past the last whole part (tus requests may be any
  size), kept as an object of their own and read back by the request that goes on.

A request writes a part, or at its end its tail, then the manifest, then
answers: the offset it acknowledges is in the bucket. A process killed
mid-request loses only what no manifest names yet; a part it sent is sent again
under the same number, which replaces it.

A blob becomes visible only once its whole content matches its SHA-256: a blob
received in one request is hashed as it arrives and, if it fits in one part,
written to its final key only after the check; otherwise the parts are
assembled into ``assembled``, which is hashed (read back if the upload was
resumed) and copied to the final key only if it is the blob.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import ClientDisconnect
from starlette.responses import Response, StreamingResponse

from sync.server.blobs import (
    READ_CHUNK,
    BlobStore,
    UploadState,
    Verified,
    checksum_mismatch,
    is_sha256,
    off_loop,
    offset_mismatch,
    too_long,
)
from sync.server.upload_locks import FileLocks, HashLocks

MIB = 1 << 20
PART_BYTES = 8 * MIB
UPLOADS = ".uploads/"
MANIFEST = "manifest.json"
ASSEMBLED = "assembled"


@dataclass
class Manifest:
    offset: int = 0
    upload_id: str | None = None
    parts: list[tuple[int, str, int]] = field(default_factory=list)
    tail: str | None = None

    @property
    def parts_bytes(self) -> int:
        return sum(size for _, _, size in self.parts)

    def dump(self) -> bytes:
        return json.dumps(
            {
                "offset": self.offset,
                "upload_id": self.upload_id,
                "parts": self.parts,
                "tail": self.tail,
            }
        ).encode()

    @classmethod
    def load(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        return cls(
            offset=int(raw["offset"]),
            upload_id=raw["upload_id"],
            parts=[(int(n), str(etag), int(size)) for n, etag, size in raw["parts"]],
            tail=raw["tail"],
        )


def _noted(verified: Verified) -> None:
    """Note the holder and wait for it (the blob is in place already: nothing to overlap)."""
    verified()()


def _missing(exc: Exception) -> bool:
    response: dict[str, Any] = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound", "NoSuchUpload")


class S3Blobs(BlobStore):
    """One bucket (and key prefix), shared by every server process on every host."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        locks: HashLocks | None = None,
        max_age: dt.timedelta = dt.timedelta(days=2),
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        if locks is None:  # no shared database: the processes of one host
            locks = FileLocks(Path(tempfile.gettempdir()) / "ward-counter-blob-locks" / bucket)
        super().__init__(locks, max_age)
        self.sweep()

    @classmethod
    def from_url(
        cls, url: str, locks: HashLocks | None, max_age: dt.timedelta = dt.timedelta(days=2)
    ) -> S3Blobs:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError

        cls.unavailable = (BotoCoreError, ClientError)
        parts = urlsplit(url)
        prefix = parts.path.strip("/")
        return cls(boto3.client("s3"), parts.netloc, f"{prefix}/" if prefix else "", locks, max_age)

    # Keys ----------------------------------------------------------------------

    def final_key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def _staging(self, sha256: str, length: int) -> str:
        return f"{self.prefix}{UPLOADS}{sha256}-{length}/"

    def _uploads_of(self, sha256: str) -> list[tuple[int, float]]:
        """The blob's uploads under way: declared length, and when their manifest was written."""
        listed = self.client.list_objects_v2(
            Bucket=self.bucket, Prefix=f"{self.prefix}{UPLOADS}{sha256}-"
        )
        found = []
        for item in listed.get("Contents", []):
            key: str = item["Key"]
            if not key.endswith(f"/{MANIFEST}"):
                continue
            length = key.rsplit("/", 2)[-2].partition("-")[2]
            if length.isdigit() and length.isascii():
                found.append((int(length), item["LastModified"].timestamp()))
        return found

    def _manifest(self, sha256: str, length: int) -> Manifest | None:
        try:
            answer = self.client.get_object(
                Bucket=self.bucket, Key=self._staging(sha256, length) + MANIFEST
            )
        except Exception as exc:
            if _missing(exc):
                return None
            raise
        return Manifest.load(answer["Body"].read())

    def _write_manifest(self, sha256: str, length: int, manifest: Manifest) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self._staging(sha256, length) + MANIFEST, Body=manifest.dump()
        )

    # Reading -------------------------------------------------------------------

    def _size(self, key: str) -> int | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if _missing(exc):
                return None
            raise
        return int(head["ContentLength"])

    def has(self, sha256: str) -> bool:
        return is_sha256(sha256) and self._size(self.final_key(sha256)) is not None

    def state(self, sha256: str, *, stored: bool = True) -> UploadState | None:
        if not is_sha256(sha256):
            return None
        if stored:
            size = self._size(self.final_key(sha256))
            if size is not None:
                return UploadState(size, size)
        for length, written in self._uploads_of(sha256):
            if self._expired(written):
                self._discard_if_free(sha256, length)
                continue
            manifest = self._manifest(sha256, length)
            if manifest is not None and manifest.offset < length:
                return UploadState(manifest.offset, length)
        if stored:
            size = self._size(self.final_key(sha256))
            if size is not None:
                return UploadState(size, size)
        return None

    def response(self, sha256: str) -> Response:
        answer = self.client.get_object(Bucket=self.bucket, Key=self.final_key(sha256))
        body = answer["Body"]

        def chunks() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(READ_CHUNK)
            finally:
                body.close()

        return StreamingResponse(
            chunks(),
            media_type="application/pdf",
            headers={
                "Cache-Control": "no-store",
                "Content-Length": str(answer["ContentLength"]),
            },
        )

    # Writing (with the hash's lock held) ----------------------------------------

    def create(
        self, sha256: str, length: int, *, empty: bool = True, stored: bool = True
    ) -> UploadState:
        if stored and self.has(sha256):
            return UploadState(length, length)
        self.sweep_now_and_then()
        under_way = None
        for declared, written in self._uploads_of(sha256):
            manifest = self._manifest(sha256, declared)
            if (
                declared == length
                and manifest is not None
                and manifest.offset < length
                and not self._expired(written)
            ):
                under_way = UploadState(manifest.offset, length)
            else:
                self._discard(sha256, declared)  # another length, or expired: start afresh
        if under_way is not None:
            return under_way
        if empty:
            self._write_manifest(sha256, length, Manifest())
        return UploadState(0, length)

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
        manifest = await off_loop(self._manifest, sha256, length)
        if manifest is None:
            if not creating:
                raise self.no_upload()
            manifest = Manifest()
        if offset != manifest.offset:
            raise offset_mismatch(manifest.offset, offset)
        buffer = bytearray()
        if manifest.tail is not None:
            buffer += await off_loop(self._read, manifest.tail)
        hasher = hashlib.sha256() if offset == 0 else None
        current = offset
        try:
            async for chunk in body:
                if current + len(chunk) > length:
                    raise too_long(current)
                buffer += chunk
                if hasher is not None:
                    hasher.update(chunk)
                current += len(chunk)
                # A whole part, and more bytes to come: the last part may be small.
                while len(buffer) >= PART_BYTES and current < length:
                    piece = bytes(buffer[:PART_BYTES])
                    del buffer[:PART_BYTES]
                    await off_loop(self._add_part, sha256, length, manifest, piece)
        except ClientDisconnect:
            pass  # no answer goes out: what is kept below counts
        if current < length:
            await off_loop(self._keep_tail, sha256, length, manifest, bytes(buffer))
            return UploadState(current, length)
        await off_loop(self._finish, sha256, length, manifest, bytes(buffer), hasher)
        if verified is not None:
            await off_loop(_noted, verified)
        return UploadState(length, length)

    def _read(self, key: str) -> bytes:
        data: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return data

    def _add_part(self, sha256: str, length: int, manifest: Manifest, piece: bytes) -> None:
        """Send one whole part and commit it (the manifest), dropping the tail it took in."""
        staging = self._staging(sha256, length)
        if manifest.upload_id is None:
            started = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=staging + ASSEMBLED
            )
            manifest.upload_id = started["UploadId"]
        number = len(manifest.parts) + 1
        sent = self.client.upload_part(
            Bucket=self.bucket,
            Key=staging + ASSEMBLED,
            UploadId=manifest.upload_id,
            PartNumber=number,
            Body=piece,
        )
        manifest.parts.append((number, sent["ETag"], len(piece)))
        manifest.offset = manifest.parts_bytes
        old_tail, manifest.tail = manifest.tail, None
        self._write_manifest(sha256, length, manifest)
        if old_tail is not None:
            self.client.delete_object(Bucket=self.bucket, Key=old_tail)

    def _keep_tail(self, sha256: str, length: int, manifest: Manifest, tail: bytes) -> None:
        """Commit the bytes past the last part: a new tail object, then the manifest naming it."""
        offset = manifest.parts_bytes + len(tail)
        if offset == manifest.offset:
            return  # nothing new
        old_tail = manifest.tail
        manifest.tail = None
        if tail:
            manifest.tail = f"{self._staging(sha256, length)}tail-{offset}"
            self.client.put_object(Bucket=self.bucket, Key=manifest.tail, Body=tail)
        manifest.offset = offset
        self._write_manifest(sha256, length, manifest)
        if old_tail is not None and old_tail != manifest.tail:
            self.client.delete_object(Bucket=self.bucket, Key=old_tail)

    def _finish(
        self, sha256: str, length: int, manifest: Manifest, rest: bytes, hasher: Any
    ) -> None:
        """Check the whole blob against its hash; only then give it its final key."""
        staging = self._staging(sha256, length)
        if manifest.upload_id is None:  # the whole blob is in ``rest``
            if hashlib.sha256(rest).hexdigest() != sha256:
                self._discard(sha256, length)
                raise checksum_mismatch()
            self.client.put_object(Bucket=self.bucket, Key=self.final_key(sha256), Body=rest)
            self._discard(sha256, length)
            return
        parts = list(manifest.parts)
        if rest:
            number = len(parts) + 1
            sent = self.client.upload_part(
                Bucket=self.bucket,
                Key=staging + ASSEMBLED,
                UploadId=manifest.upload_id,
                PartNumber=number,
                Body=rest,
            )
            parts.append((number, sent["ETag"], len(rest)))
        self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=staging + ASSEMBLED,
            UploadId=manifest.upload_id,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etag} for n, etag, _ in parts]},
        )
        if hasher is None:  # resumed: the bytes of earlier requests are read back
            hasher = hashlib.sha256()
            body = self.client.get_object(Bucket=self.bucket, Key=staging + ASSEMBLED)["Body"]
            for chunk in body.iter_chunks(READ_CHUNK):
                hasher.update(chunk)
        if hasher.hexdigest() != sha256:
            self._discard(sha256, length)
            raise checksum_mismatch()
        self.client.copy_object(
            Bucket=self.bucket,
            Key=self.final_key(sha256),
            CopySource={"Bucket": self.bucket, "Key": staging + ASSEMBLED},
        )
        self._discard(sha256, length)

    def _discard(self, sha256: str, length: int) -> None:
        """Everything of one upload: its multipart upload, its objects, its manifest last."""
        staging = self._staging(sha256, length)
        manifest = self._manifest(sha256, length)
        if manifest is not None and manifest.upload_id is not None:
            try:
                self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=staging + ASSEMBLED, UploadId=manifest.upload_id
                )
            except Exception as exc:
                if not _missing(exc):
                    raise
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=staging)
        keys = sorted(
            (item["Key"] for item in listed.get("Contents", [])),
            key=lambda key: key.endswith(MANIFEST),
        )
        for key in keys:
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def _discard_if_free(self, sha256: str, length: int) -> None:
        release = self.locks.shared.try_acquire(sha256)
        if release is not None:
            try:
                self._discard(sha256, length)
            finally:
                release()

    def expire(self, sha256: str) -> None:
        for length, written in self._uploads_of(sha256):
            if self._expired(written):
                self._discard(sha256, length)

    def sweep(self) -> list[str]:
        """Also aborts multipart uploads no manifest ever named (a process killed first)."""
        expired = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}{UPLOADS}"):
            for item in page.get("Contents", []):
                key: str = item["Key"]
                if not key.endswith(f"/{MANIFEST}"):
                    continue
                sha256, _, length = key.rsplit("/", 2)[-2].partition("-")
                if not (is_sha256(sha256) and length.isdigit()):
                    continue
                if self._expired(item["LastModified"].timestamp()):
                    self._discard_if_free(sha256, int(length))
                    expired.append(sha256)
        cutoff = time.time() - self.max_age_s
        listed = self.client.list_multipart_uploads(
            Bucket=self.bucket, Prefix=f"{self.prefix}{UPLOADS}"
        )
        for upload in listed.get("Uploads", []):
            if upload["Initiated"].timestamp() >= cutoff:
                continue
            sha256, _, length = upload["Key"].rsplit("/", 2)[-2].partition("-")
            if is_sha256(sha256) and length.isdigit():
                manifest = self._manifest(sha256, int(length))
                if manifest is not None and manifest.upload_id == upload["UploadId"]:
                    continue  # a long upload still going on
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
            )
        return expired

    def close(self) -> None:
        self.client.close()
