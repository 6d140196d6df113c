"""Attachments travel by SHA-256, resumably, before the dossiers that name them."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import requests

from sync import protocol
from sync.server import admin, blob_files
from sync.server.blob_files import DirectoryBlobs
from sync.server.blobs import BlobError, UploadState
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import durable, headers, receive_with_attachments

pytest_plugins = ["tests.support.sync_fixtures"]


def test_attachments_go_up_once_before_their_dossiers(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    shared = os.urandom(300_000)
    first = receive_with_attachments(counter, [shared, os.urandom(1000)])
    second = receive_with_attachments(counter, [shared, b"%PDF-1.7 small"])
    counter.enrol(province)

    report = counter.sync()

    assert report.complete
    assert report.blobs_uploaded == 3, "the shared scan travels once"
    assert report.blob_bytes == 300_000 + 1000 + len(b"%PDF-1.7 small")
    stored = [p for p in province.blob_dir.glob("??/*") if p.is_file()]
    assert len(stored) == 3
    for path in stored:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    assert not list((province.blob_dir / ".uploads").rglob("*.part")), "none open"
    assert {r["code"] for r in admin.list_dossiers(province.database)} == {first, second}
    assert counter.sync().blobs_uploaded == 0


def test_upload_resumes_at_the_servers_offset_and_is_checked_by_hash(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    auth = headers(counter)
    content = os.urandom(200_000)
    sha256 = hashlib.sha256(content).hexdigest()
    url = f"{province.url}/api/v1/blobs/{sha256}"
    tus = {**auth, "Content-Type": protocol.OFFSET_CONTENT_TYPE, "Tus-Resumable": "1.0.0"}
    with requests.Session() as http:
        created = http.post(url, headers={**tus, "Upload-Length": "200000"})
        assert created.status_code == 201
        assert created.headers["Upload-Offset"] == "0"
        half = http.patch(url, data=content[:70_000], headers={**tus, "Upload-Offset": "0"})
        assert half.headers["Upload-Offset"] == "70000"
        head = http.head(url, headers=auth)
        assert (head.headers["Upload-Offset"], head.headers["Upload-Length"]) == ("70000", "200000")
        query = http.post(
            f"{province.url}/api/v1/blobs/query", json={"sha256": [sha256]}, headers=auth
        )
        assert query.json() == {"missing": [sha256], "offsets": {sha256: 70_000}}
        stale = http.patch(url, data=content[:10], headers={**tus, "Upload-Offset": "0"})
        assert stale.status_code == 409 and stale.headers["Upload-Offset"] == "70000"
        again = http.post(url, data=content, headers={**tus, "Upload-Length": "200000"})
        assert again.status_code == 409, "creation does not restart an upload under way"
        rest = http.patch(url, data=content[70_000:], headers={**tus, "Upload-Offset": "70000"})
        assert rest.status_code == 204 and rest.headers["Upload-Offset"] == "200000"
        assert durable(province, sha256).read_bytes() == content

        forged = hashlib.sha256(b"something else").hexdigest()
        wrong = http.post(
            f"{province.url}/api/v1/blobs/{forged}",
            data=b"12345",
            headers={**tus, "Upload-Length": "5"},
        )
        assert wrong.status_code == 460
        assert wrong.json()["code"] == protocol.ERR_CHECKSUM_MISMATCH
        assert not (province.blob_dir / forged[:2] / forged).exists()
        query = http.post(
            f"{province.url}/api/v1/blobs/query", json={"sha256": [sha256, forged]}, headers=auth
        )
        assert query.json()["missing"] == [forged]
        one_go = os.urandom(50_000)
        single = http.post(
            f"{province.url}/api/v1/blobs/{hashlib.sha256(one_go).hexdigest()}",
            data=one_go,
            headers={**tus, "Upload-Length": "50000"},
        )
        assert single.status_code == 201 and single.headers["Upload-Offset"] == "50000"


def test_a_dossier_whose_scan_is_lost_is_refused_alone(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    lost = receive_with_attachments(counter, [b"scan that will be lost"])
    fine = receive_with_attachments(counter, [b"scan that stays"])
    sha256 = hashlib.sha256(b"scan that will be lost").hexdigest()
    (counter.data_dir / "blobs" / sha256[:2] / sha256).unlink()
    counter.enrol(province)

    report = counter.sync()

    assert any("Không tìm thấy tệp đính kèm" in w for w in report.warnings)
    [problem] = report.problems
    assert problem.dossier_code == lost
    assert "tệp đính kèm" in problem.reason
    assert [r["code"] for r in admin.list_dossiers(province.database)] == [fine]


def test_a_complete_upload_left_by_a_crash_is_kept_if_it_is_the_blob(tmp_path: Path) -> None:
    """A crash between a blob's check and its rename: the bytes decide, hashed again at start."""
    uploads = tmp_path / ".uploads"
    scan = os.urandom(50_000)
    sha256 = hashlib.sha256(scan).hexdigest()
    garbage_sha = hashlib.sha256(b"what was sent").hexdigest()
    half = hashlib.sha256(b"half").hexdigest()
    partials = {
        uploads / sha256[:2] / f"{sha256}-{len(scan)}.part": scan,
        uploads / garbage_sha[:2] / f"{garbage_sha}-13.part": b"\0" * 13,  # never synced: zeros
        uploads / f"{half}-8.part": b"half",  # where earlier versions kept every upload
    }
    for path, content in partials.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    files = DirectoryBlobs(tmp_path)

    assert (tmp_path / sha256[:2] / sha256).read_bytes() == scan
    assert files.durable(sha256) and files.state(sha256) == UploadState(len(scan), len(scan))
    assert files.state(garbage_sha) is None, "not the blob: forgotten, the counter sends it again"
    assert files.state(half) == UploadState(4, 8), "an upload under way goes on"
    left = [p.relative_to(uploads) for p in uploads.rglob("*.part")]
    assert left == [Path(half[:2], f"{half}-8.part")], "moved into its own directory"


class NoteLog:
    """A ``verified`` note that records when it is sent and when its commit is collected."""

    def __init__(self, events: list[str], files: DirectoryBlobs, sha256: str) -> None:
        self.events = events
        self.files = files
        self.sha256 = sha256

    def __call__(self) -> Callable[[], None]:
        self.events.append("note sent")

        def collected() -> None:
            placed = " (blob in place)" if self.files.has(self.sha256) else ""
            self.events.append(f"note collected{placed}")

        return collected


async def _body(content: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(content), 64_000):
        yield content[start : start + 64_000]


def _receive(files: DirectoryBlobs, sha256: str, content: bytes, note: NoteLog) -> UploadState:
    return asyncio.run(
        files.receive(sha256, len(content), 0, _body(content), creating=True, verified=note)
    )


@pytest.mark.parametrize(
    ("size", "order"),
    [
        # hashed in a thread of its own while the upload's thread waits on the disk
        (blob_files.INLINE_HASH_BYTES + 1, ["sync started", "note sent", "sync done"]),
        # a small scan hashes faster than another thread would start
        (200_000, ["note sent", "sync started", "sync done"]),
    ],
)
def test_the_uploaders_note_goes_out_while_the_blob_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, order: list[str]
) -> None:
    """The database's commit runs beside the disk's flush; collected once the blob is placed."""
    events: list[str] = []
    real_sync = blob_files._sync_data

    def slow_disk(fd: int) -> None:
        events.append("sync started")
        time.sleep(0.2)  # a slow disk: the hash and the note are done long before
        real_sync(fd)
        events.append("sync done")

    monkeypatch.setattr(blob_files, "_sync_data", slow_disk)
    files = DirectoryBlobs(tmp_path)
    scan = os.urandom(size)
    sha256 = hashlib.sha256(scan).hexdigest()

    state = _receive(files, sha256, scan, NoteLog(events, files, sha256))

    assert state == UploadState(len(scan), len(scan))
    assert events == [*order, "note collected (blob in place)"]
    assert files.final_path(sha256).read_bytes() == scan


def test_bytes_that_are_not_the_blob_send_no_note(tmp_path: Path) -> None:
    events: list[str] = []
    files = DirectoryBlobs(tmp_path)
    claimed = hashlib.sha256(b"the scan the counter meant").hexdigest()

    with pytest.raises(BlobError) as refused:
        _receive(files, claimed, b"something else", NoteLog(events, files, claimed))

    assert refused.value.status == 460
    assert events == [], "no unit may name a blob it did not send"
    assert not files.has(claimed) and files.state(claimed) is None


def test_a_disk_that_fails_its_flush_stores_nothing_and_collects_the_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note's connection is not left waiting; the blob is not placed; the error is raised."""
    events: list[str] = []

    def failing_disk(fd: int) -> None:
        time.sleep(0.05)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(blob_files, "_sync_data", failing_disk)
    files = DirectoryBlobs(tmp_path)
    scan = os.urandom(10_000)
    sha256 = hashlib.sha256(scan).hexdigest()

    with pytest.raises(OSError, match="Input/output"):
        _receive(files, sha256, scan, NoteLog(events, files, sha256))

    assert events == ["note sent", "note collected"]
    assert not files.has(sha256), "not acknowledged, not visible: the counter sends it again"
    assert not files.final_path(sha256).exists(), "written in place: nothing left to settle"


def test_a_request_cancelled_while_its_blob_is_synced_leaves_the_thread_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread owns the file descriptor: a cancelled request (at shutdown) cannot close it."""
    events: list[str] = []
    real_sync = blob_files._sync_data

    def slow_disk(fd: int) -> None:
        time.sleep(0.2)
        os.fstat(fd)  # EBADF, or another file's, had the request closed it
        real_sync(fd)
        events.append("synced")

    monkeypatch.setattr(blob_files, "_sync_data", slow_disk)
    files = DirectoryBlobs(tmp_path)
    scan = os.urandom(100_000)
    sha256 = hashlib.sha256(scan).hexdigest()

    async def cancelled_request() -> None:
        note = NoteLog(events, files, sha256)
        upload = asyncio.create_task(
            files.receive(sha256, len(scan), 0, _body(scan), creating=True, verified=note)
        )
        await asyncio.sleep(0.05)
        upload.cancel()
        with pytest.raises(asyncio.CancelledError):
            await upload

    asyncio.run(cancelled_request())
    deadline = time.monotonic() + 5
    while "note collected (blob in place)" not in events and time.monotonic() < deadline:
        time.sleep(0.01)

    assert events == ["note sent", "synced", "note collected (blob in place)"]
    assert files.final_path(sha256).read_bytes() == scan
