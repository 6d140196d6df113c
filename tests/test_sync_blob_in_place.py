"""A whole scan written straight into its place: never a blob before it is checked and durable.

The directory store writes a new upload of up to ``IN_PLACE_BYTES`` that arrives
whole where its blob will be, marked with the sticky bit, so that its flush
also writes its directory entry and no rename dirties a second directory. These
tests hold it to the rules of the partial file it replaces: nothing visible
before the hash has matched and the disk has the bytes, a cut keeps what
arrived, and whatever a dead process or a power cut leaves is decided by its
bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.requests import ClientDisconnect

from sync.server import blob_files
from sync.server.blob_files import DirectoryBlobs
from sync.server.blobs import UploadState

CHUNK = 64_000


async def _body(content: bytes, cut_after: int | None = None) -> AsyncIterator[bytes]:
    for number, start in enumerate(range(0, len(content), CHUNK)):
        if number == cut_after:
            raise ClientDisconnect()
        yield content[start : start + CHUNK]


def _receive(
    files: DirectoryBlobs,
    sha256: str,
    content: bytes,
    offset: int = 0,
    cut_after: int | None = None,
) -> UploadState:
    body = _body(content[offset:], cut_after)
    return asyncio.run(files.receive(sha256, len(content), offset, body, creating=not offset))


def _marked(path: Path) -> bool:
    return bool(path.stat().st_mode & stat.S_ISVTX)


def _scan(size: int) -> tuple[bytes, str]:
    content = os.urandom(size)
    return content, hashlib.sha256(content).hexdigest()


def test_a_whole_scan_is_no_blob_until_it_is_checked_and_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(200_000)
    final = files.final_path(sha256)
    seen: list[tuple[str, bool, bool, UploadState | None]] = []
    real_sync, real_directory_sync = blob_files._sync_data, blob_files.sync_directory
    renamed: list[str] = []
    real_replace = os.replace

    def look(step: str) -> None:
        seen.append((step, files.has(sha256), _marked(final), files.state(sha256)))

    def sync_data(fd: int) -> None:
        look("data")
        real_sync(fd)

    def sync_directory(directory: Path) -> None:
        look("directory")
        real_directory_sync(directory)

    def replace(source: str | Path, target: str | Path) -> None:
        renamed.append(str(target))
        real_replace(source, target)

    monkeypatch.setattr(blob_files, "_sync_data", sync_data)
    monkeypatch.setattr(blob_files, "sync_directory", sync_directory)
    monkeypatch.setattr(os, "replace", replace)

    assert _receive(files, sha256, scan) == UploadState(len(scan), len(scan))

    assert seen == [("data", False, True, None), ("directory", False, True, None)]
    assert files.has(sha256) and not _marked(final) and final.read_bytes() == scan
    assert files.state(sha256) == UploadState(len(scan), len(scan))
    assert renamed == [], "no partial file renamed: one directory written, in the data's flush"
    assert not list(files.uploads.rglob("*.part")) and not files.unchecked(sha256)


def test_wrong_bytes_leave_nothing_in_the_blobs_place(tmp_path: Path) -> None:
    files = DirectoryBlobs(tmp_path)
    claimed = hashlib.sha256(b"the scan the counter meant").hexdigest()

    with pytest.raises(Exception, match="SHA-256"):
        _receive(files, claimed, b"something else")

    assert not files.final_path(claimed).exists() and files.state(claimed) is None


def test_a_scan_cut_on_the_way_keeps_what_arrived_as_an_upload_under_way(
    tmp_path: Path,
) -> None:
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(300_000)

    cut = _receive(files, sha256, scan, cut_after=2)

    assert cut == UploadState(2 * CHUNK, len(scan))
    assert files.state(sha256) == UploadState(2 * CHUNK, len(scan)), "any process sees it"
    assert not files.final_path(sha256).exists() and not files.unchecked(sha256)
    [partial] = files.uploads.rglob("*.part")
    assert not _marked(partial), "unmarked: it becomes the blob by a rename, as a partial does"

    assert _receive(files, sha256, scan, offset=2 * CHUNK) == UploadState(len(scan), len(scan))
    assert files.has(sha256) and files.final_path(sha256).read_bytes() == scan
    assert not _marked(files.final_path(sha256)) and not list(files.uploads.rglob("*.part"))


def test_a_bigger_upload_counts_its_bytes_as_they_arrive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over ``IN_PLACE_BYTES`` the partial file serves, seen by every process as it grows."""
    monkeypatch.setattr(blob_files, "IN_PLACE_BYTES", 100_000)
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(100_001)
    seen: list[tuple[int, bool]] = []
    real_sync = blob_files._sync_data

    def sync_data(fd: int) -> None:
        seen.append((len(list(files.uploads.rglob("*.part"))), files.final_path(sha256).exists()))
        real_sync(fd)

    monkeypatch.setattr(blob_files, "_sync_data", sync_data)

    assert _receive(files, sha256, scan) == UploadState(len(scan), len(scan))

    assert seen == [(1, False)], "synced as its partial file, nothing yet in the blob's place"
    assert files.has(sha256) and files.final_path(sha256).read_bytes() == scan


def test_what_a_crash_left_in_a_blobs_place_is_decided_by_its_bytes(tmp_path: Path) -> None:
    files = DirectoryBlobs(tmp_path)
    acknowledged, whole = _scan(50_000)  # a power cut before its cleared mark reached the disk
    arriving, half = _scan(50_000)  # its process died as it came in
    for sha256, content in ((whole, acknowledged), (half, arriving[:20_000])):
        place = files.final_path(sha256)
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_bytes(content)
        place.chmod(0o644 | stat.S_ISVTX)

    for sha256 in (whole, half):
        assert files.unchecked(sha256) and not files.has(sha256)
        assert files.state(sha256) is None, "not a blob, not an upload under way"

    assert files.durable(whole), "a push or a download that needs it settles it"
    assert files.has(whole) and not _marked(files.final_path(whole))
    assert not files.durable(half)
    assert not files.final_path(half).exists(), "not all of the bytes: deleted"

    # The counter had no answer for it, so it sends it again: it goes into its place.
    assert _receive(files, half, arriving) == UploadState(len(arriving), len(arriving))
    assert files.has(half)


def test_a_marked_file_is_settled_by_the_next_upload_of_its_hash(tmp_path: Path) -> None:
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(40_000)
    place = files.final_path(sha256)
    place.parent.mkdir(parents=True, exist_ok=True)
    place.write_bytes(scan[:1000])
    place.chmod(0o644 | stat.S_ISVTX)

    assert files.create(sha256, len(scan), empty=False, stored=False) == UploadState(0, len(scan))

    assert not place.exists()
    assert _receive(files, sha256, scan) == UploadState(len(scan), len(scan))
    assert files.has(sha256) and place.read_bytes() == scan


def test_a_stored_blob_proven_again_goes_through_a_partial_file(tmp_path: Path) -> None:
    """Another unit sends bytes the store has: they never touch the stored blob until checked."""
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(30_000)
    _receive(files, sha256, scan)
    stored = files.final_path(sha256).stat().st_ino

    assert _receive(files, sha256, scan) == UploadState(len(scan), len(scan))
    with pytest.raises(Exception, match="SHA-256"):
        _receive(files, sha256, scan[:-1] + b"!")

    assert files.has(sha256) and files.final_path(sha256).read_bytes() == scan
    assert files.final_path(sha256).stat().st_ino != stored, "replaced by the checked copy"
    assert not list(files.uploads.rglob("*.part"))


def test_a_filesystem_that_drops_the_mark_gets_partial_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[Path] = []

    def unmarked(path: Path) -> int:
        created.append(path)
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)

    monkeypatch.setattr(blob_files, "_create_marked", unmarked)
    files = DirectoryBlobs(tmp_path)
    first, first_sha = _scan(20_000)
    second, second_sha = _scan(20_000)

    assert _receive(files, first_sha, first) == UploadState(len(first), len(first))
    assert _receive(files, second_sha, second) == UploadState(len(second), len(second))

    assert created == [files.final_path(first_sha)], "tried once, then not again"
    assert files.has(first_sha) and files.final_path(first_sha).read_bytes() == first
    assert files.has(second_sha) and files.final_path(second_sha).read_bytes() == second


@pytest.mark.parametrize(
    ("size", "read_back"),
    [(blob_files.INLINE_HASH_BYTES, 0), (blob_files.INLINE_HASH_BYTES + 1, 1)],
)
def test_a_small_scan_is_hashed_as_it_arrives_and_never_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, read_back: int
) -> None:
    """A bigger one is read back by another thread, beside its flush."""
    hashed: list[Path] = []
    real_hash = blob_files._file_sha256

    def file_sha256(path: Path) -> str:
        hashed.append(path)
        return real_hash(path)

    monkeypatch.setattr(blob_files, "_file_sha256", file_sha256)
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(size)
    wrong = hashlib.sha256(b"not these bytes").hexdigest()

    assert _receive(files, sha256, scan) == UploadState(size, size)
    with pytest.raises(Exception, match="SHA-256"):
        _receive(files, wrong, scan)

    assert len(hashed) == 2 * read_back
    assert files.has(sha256) and not files.has(wrong) and not files.final_path(wrong).exists()


def test_a_creation_without_a_body_leaves_nothing_once_the_scan_comes_whole(
    tmp_path: Path,
) -> None:
    files = DirectoryBlobs(tmp_path)
    scan, sha256 = _scan(10_000)

    assert files.create(sha256, len(scan)) == UploadState(0, len(scan))
    assert len(list(files.uploads.rglob("*.part"))) == 1, "created empty, as tus allows"
    assert files.create(sha256, len(scan), empty=False) == UploadState(0, len(scan))
    assert _receive(files, sha256, scan) == UploadState(len(scan), len(scan))

    assert files.has(sha256) and not list(files.uploads.rglob("*.part"))
