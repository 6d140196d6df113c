"""The same blob tests against each store the server can keep scans in: a directory, a bucket.

Every test runs on the real server over loopback HTTP, once with a directory and
once with a bucket of an S3-compatible server (moto's server mode, its own
process), on SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import time
from collections.abc import Iterator

import pytest
import requests

from counter_app.attachments import AttachmentService
from sync import protocol
from sync.server.blob_s3 import PART_BYTES
from sync.server.settings import ServerLimits
from tests.support.blob_stores import StoreUnderTest
from tests.support.counters import Counter, CounterFactory
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import headers, receive_with_attachments

pytest_plugins = ["tests.support.sync_fixtures"]

TUS = {"Content-Type": protocol.OFFSET_CONTENT_TYPE, "Tus-Resumable": protocol.TUS_VERSION}


@pytest.fixture
def served(province_db_url: str, blob_store: StoreUnderTest) -> Iterator[ThreadedServer]:
    server = ThreadedServer(province_db_url, blob_store.spec)
    yield server
    server.stop()


def missing(server: ThreadedServer, auth: dict[str, str], sha256: str) -> dict[str, object]:
    answer = requests.post(
        f"{server.url}/api/v1/blobs/query",
        json={"sha256": [sha256]},
        headers={"Authorization": auth["Authorization"]},
        timeout=30,
    )
    assert answer.status_code == 200
    result: dict[str, object] = answer.json()
    return result


def enrolled(
    make_counter: CounterFactory, server: ThreadedServer
) -> tuple[Counter, dict[str, str]]:
    counter = make_counter("a")
    counter.enrol(server)
    return counter, {**headers(counter), **TUS}


def test_scans_go_up_and_come_down_again(
    served: ThreadedServer, blob_store: StoreUnderTest, make_counter: CounterFactory
) -> None:
    sender, receiver = make_counter("a", slot=1), make_counter("b", slot=2)
    scans = [os.urandom(300_000), os.urandom(1000), b""]
    receive_with_attachments(sender, scans)
    sender.enrol(served)

    report = sender.sync()

    assert report.complete and report.blobs_uploaded == 3
    for scan in scans:
        assert blob_store.stored(hashlib.sha256(scan).hexdigest()) == scan
    assert blob_store.staging_left() == []
    receiver.enrol(served)
    fetched = receiver.sync()
    assert fetched.complete and fetched.scans_downloaded == 3, fetched
    attachments = AttachmentService(receiver.store, receiver.clock)
    for scan in scans:
        assert attachments.read_pdf(hashlib.sha256(scan).hexdigest()) == scan
    assert sender.sync().blobs_uploaded == 0


def test_an_upload_in_pieces_of_any_size_is_stored_only_when_whole_and_right(
    served: ThreadedServer, blob_store: StoreUnderTest, make_counter: CounterFactory
) -> None:
    """Pieces smaller and larger than an S3 part, resumed with HEAD, then checked by hash."""
    _, tus = enrolled(make_counter, served)
    size = 2 * PART_BYTES + 123_457
    scan = os.urandom(size)
    sha256 = hashlib.sha256(scan).hexdigest()
    url = f"{served.url}/api/v1/blobs/{sha256}"
    cuts = [0, 3_000_000, 3_000_001, PART_BYTES + 5, size]
    with requests.Session() as http:
        created = http.post(url, data=scan[: cuts[1]], headers={**tus, "Upload-Length": str(size)})
        assert (created.status_code, created.headers["Upload-Offset"]) == (201, str(cuts[1]))
        for start, end in itertools.pairwise(cuts[1:-1]):
            head = http.head(url, headers=tus)
            assert (head.headers["Upload-Offset"], head.headers["Upload-Length"]) == (
                str(start),
                str(size),
            )
            piece = http.patch(
                url, data=scan[start:end], headers={**tus, "Upload-Offset": str(start)}
            )
            assert (piece.status_code, piece.headers["Upload-Offset"]) == (204, str(end))
        assert missing(served, tus, sha256) == {"missing": [sha256], "offsets": {sha256: cuts[-2]}}
        assert blob_store.stored(sha256) is None, "nothing under its name before the last byte"
        stale = http.patch(url, data=b"x", headers={**tus, "Upload-Offset": "0"})
        assert (stale.status_code, stale.headers["Upload-Offset"]) == (409, str(cuts[-2]))

        wrong = http.patch(
            url,
            data=b"\0" * (size - cuts[-2]),
            headers={**tus, "Upload-Offset": str(cuts[-2])},
        )
        assert (wrong.status_code, wrong.json()["code"]) == (460, protocol.ERR_CHECKSUM_MISMATCH)
        assert blob_store.stored(sha256) is None and blob_store.staging_left() == []
        assert http.head(url, headers=tus).status_code == 404

        whole = http.post(url, data=scan, headers={**tus, "Upload-Length": str(size)})
        assert (whole.status_code, whole.headers["Upload-Offset"]) == (201, str(size))
    assert blob_store.stored(sha256) == scan
    assert missing(served, tus, sha256) == {"missing": [], "offsets": {}}
    assert blob_store.staging_left() == []


def test_another_length_starts_afresh_and_a_blob_stored_is_not_uploaded_again(
    served: ThreadedServer, blob_store: StoreUnderTest, make_counter: CounterFactory
) -> None:
    _, tus = enrolled(make_counter, served)
    scan = os.urandom(50_000)
    sha256 = hashlib.sha256(scan).hexdigest()
    url = f"{served.url}/api/v1/blobs/{sha256}"
    with requests.Session() as http:
        wrong_length = http.post(url, data=scan[:10], headers={**tus, "Upload-Length": "60000"})
        assert wrong_length.headers["Upload-Offset"] == "10"
        right = http.post(url, data=scan, headers={**tus, "Upload-Length": "50000"})
        assert (right.status_code, right.headers["Upload-Offset"]) == (201, "50000")
        assert blob_store.staging_left() == []
        again = http.post(url, data=scan, headers={**tus, "Upload-Length": "50000"})
        assert again.status_code == 200, "its unit holds it already"
        too_long = http.post(
            f"{served.url}/api/v1/blobs/{hashlib.sha256(b'ab').hexdigest()}",
            data=b"abc",
            headers={**tus, "Upload-Length": "2"},
        )
        assert too_long.status_code == 400
    assert blob_store.stored(sha256) == scan


def test_an_upload_left_unfinished_expires(
    province_db_url: str, blob_store: StoreUnderTest, make_counter: CounterFactory
) -> None:
    server = ThreadedServer(
        province_db_url, blob_store.spec, ServerLimits(upload_max_age=dt.timedelta(seconds=1))
    )
    try:
        _, tus = enrolled(make_counter, server)
        scan = os.urandom(100_000)
        url = f"{server.url}/api/v1/blobs/{hashlib.sha256(scan).hexdigest()}"
        half = requests.post(url, data=scan[:40_000], headers={**tus, "Upload-Length": "100000"})
        assert half.headers["Upload-Offset"] == "40000"
        time.sleep(1.5)
        assert requests.head(url, headers=tus, timeout=30).status_code == 404
        late = requests.patch(
            url, data=scan[40_000:], headers={**tus, "Upload-Offset": "40000"}, timeout=30
        )
        assert (late.status_code, late.json()["code"]) == (404, protocol.ERR_NO_UPLOAD)
        assert blob_store.staging_left() == []
    finally:
        server.stop()
