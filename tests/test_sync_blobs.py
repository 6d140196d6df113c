"""Attachments travel by SHA-256, resumably, before the dossiers that name them."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import requests

from sync import protocol
from sync.server import admin
from sync.server.blob_files import DirectoryBlobs
from sync.server.blobs import UploadState
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
