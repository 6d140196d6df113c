"""The content-addressed blob store: digitized documents kept by their SHA-256.

A file is named by its hash, never by what someone called it, so the same scan
attached to two dossiers is stored once and a damaged file is recognised the
moment it is read. A blob is written to a temporary file in its final folder,
flushed to disk and renamed, so a crash never leaves half a blob under a real
name. Nothing here deletes a blob on its own: ``remove`` is called only by the
explicit garbage collection, which knows what the database still references.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from counter_app import private
from counter_app.errors import CounterError
from counter_app.paths import BLOB_DIR

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20
TEMP_PREFIX = ".tmp-"


class BlobMissing(CounterError):
    """A blob the database names is not on this PC."""


class BlobCorrupt(CounterError):
    """A blob's content no longer matches its hash: the disk or a person changed it."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_sha256(value: str) -> str:
    """The hash itself, once it is known to be 64 lower-case hex digits (it becomes a path)."""
    if not _SHA256.fullmatch(value):
        raise CounterError(f"Mã băm tệp không hợp lệ: {value!r}.")
    return value


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; not every platform lets a folder be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


class BlobStore:
    """The folder ``<data dir>/blobs/<first 2 hex>/<sha256>``, shared with the sync client."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / BLOB_DIR

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, content: bytes) -> StoredBlob:
        """Store ``content`` once; an intact copy already there is kept, a damaged one replaced."""
        sha256 = sha256_of(content)
        target = self.path(sha256)
        if target.is_file() and self.intact(sha256):
            return StoredBlob(sha256, len(content))
        private.make_dir(self.root)
        private.make_dir(target.parent)
        temporary = target.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        try:
            with open(private.open_new(temporary), "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return StoredBlob(sha256, len(content))

    def read(self, sha256: str) -> bytes:
        """The blob's content, checked against its name before anyone trusts it."""
        path = self.path(sha256)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise BlobMissing(
                f"Không tìm thấy tệp đính kèm {sha256[:12]}… trên máy này; "
                "hãy đồng bộ lại hoặc số hóa lại giấy tờ."
            ) from None
        if sha256_of(content) != sha256:
            raise BlobCorrupt(
                f"Tệp đính kèm {sha256[:12]}… đã bị hỏng (nội dung không khớp mã băm); "
                "hãy số hóa lại giấy tờ này."
            )
        return content

    def hash_file(self, sha256: str) -> str | None:
        """The actual hash of the stored file, read in chunks; None when it is missing."""
        digest = hashlib.sha256()
        try:
            with self.path(sha256).open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        return digest.hexdigest()

    def intact(self, sha256: str) -> bool:
        return self.hash_file(sha256) == sha256

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def all_hashes(self) -> Iterator[str]:
        """Every blob on disk, by name; temporary files and strangers are skipped."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir() or len(folder.name) != 2:
                continue
            for entry in sorted(folder.iterdir()):
                if _SHA256.fullmatch(entry.name) and entry.name[:2] == folder.name:
                    yield entry.name

    def leftovers(self) -> Iterator[Path]:
        """Temporary files a crash left behind mid-write."""
        if self.root.is_dir():
            yield from self.root.glob(f"*/{TEMP_PREFIX}*")

    def remove(self, sha256: str) -> int:
        """Delete one blob; returns the bytes freed. Only garbage collection calls this."""
        path = self.path(sha256)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size
