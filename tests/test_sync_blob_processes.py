"""Two server processes on one database and one blob store: an upload goes on through either.

Run with each blob store (a directory, a bucket) on each database (SQLite and,
when configured, PostgreSQL).
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from sync import protocol
from sync.server.blob_s3 import PART_BYTES
from sync.server.db import Database
from tests.support.blob_stores import StoreUnderTest
from tests.support.counters import CounterFactory
from tests.support.server import ServerProcess

pytest_plugins = ["tests.support.sync_fixtures"]

TUS = {"Content-Type": protocol.OFFSET_CONTENT_TYPE, "Tus-Resumable": protocol.TUS_VERSION}
SIZE = PART_BYTES + 3_000_000  # over one S3 part: a part is kept as soon as it is whole


@pytest.fixture
def two_servers(
    province_db_url: str, blob_store: StoreUnderTest
) -> Iterator[tuple[ServerProcess, ...]]:
    Database.open(province_db_url).close()  # migrated once, before both start
    servers = tuple(ServerProcess(province_db_url, blob_store.spec) for _ in range(2))
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def token_for(make_counter: CounterFactory, database_url: str, url: str) -> dict[str, str]:
    counter = make_counter("a")
    database = Database.open(database_url)
    try:
        counter.enrol_at(database, url)
    finally:
        database.close()
    with counter.connection() as connection:
        return {"Authorization": f"Bearer {connection.token}"}


def offset_at(url: str, auth: dict[str, str]) -> int | None:
    head = requests.head(url, headers=auth, timeout=10)
    if head.status_code == 404:
        return None
    assert head.status_code == 200, head.status_code
    return int(head.headers["Upload-Offset"])


def visible(server: ServerProcess, auth: dict[str, str], sha256: str) -> bool:
    answer = requests.post(
        f"{server.url}/api/v1/blobs/query", json={"sha256": [sha256]}, headers=auth, timeout=10
    )
    return sha256 not in answer.json()["missing"]


def test_an_upload_started_on_one_process_goes_on_through_the_other(
    two_servers: tuple[ServerProcess, ServerProcess],
    make_counter: CounterFactory,
    province_db_url: str,
    blob_store: StoreUnderTest,
) -> None:
    first, second = two_servers
    auth = token_for(make_counter, province_db_url, first.url)
    scan = os.urandom(SIZE)
    sha256 = hashlib.sha256(scan).hexdigest()
    path = f"/api/v1/blobs/{sha256}"

    created = requests.post(
        first.url + path,
        data=scan[:1_000_000],
        headers={**auth, **TUS, "Upload-Length": str(SIZE)},
        timeout=30,
    )
    assert (created.status_code, created.headers["Upload-Offset"]) == (201, "1000000")
    assert offset_at(second.url + path, auth) == 1_000_000, "the other process sees it"
    stale = requests.patch(
        second.url + path, data=b"x", headers={**auth, **TUS, "Upload-Offset": "0"}, timeout=30
    )
    assert (stale.status_code, stale.headers["Upload-Offset"]) == (409, "1000000")
    more = requests.patch(
        second.url + path,
        data=scan[1_000_000:2_000_000],
        headers={**auth, **TUS, "Upload-Offset": "1000000"},
        timeout=30,
    )
    assert (more.status_code, more.headers["Upload-Offset"]) == (204, "2000000")
    assert not visible(first, auth, sha256), "not a blob before its last byte"
    rest = requests.patch(
        first.url + path,
        data=scan[2_000_000:],
        headers={**auth, **TUS, "Upload-Offset": "2000000"},
        timeout=30,
    )
    assert (rest.status_code, rest.headers["Upload-Offset"]) == (204, str(SIZE))
    assert visible(second, auth, sha256) and visible(first, auth, sha256)
    assert blob_store.stored(sha256) == scan
    assert blob_store.staging_left() == []


def test_a_process_killed_mid_upload_leaves_it_to_the_other(
    two_servers: tuple[ServerProcess, ServerProcess],
    make_counter: CounterFactory,
    province_db_url: str,
    blob_store: StoreUnderTest,
) -> None:
    doomed, survivor = two_servers
    auth = token_for(make_counter, province_db_url, survivor.url)
    scan = os.urandom(SIZE)
    sha256 = hashlib.sha256(scan).hexdigest()
    path = f"/api/v1/blobs/{sha256}"
    sent = PART_BYTES + 1_000_000
    # What the other process sees of bytes still arriving: on disk all of them, in a
    # bucket the whole parts (the rest is kept when the request ends, and lost if killed).
    kept = sent if blob_store.kind == "directory" else PART_BYTES
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {auth['Authorization']}\r\n"
        f"Content-Type: {protocol.OFFSET_CONTENT_TYPE}\r\nTus-Resumable: 1.0.0\r\n"
        f"Upload-Length: {SIZE}\r\nContent-Length: {SIZE}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", doomed.port)) as raw:
        raw.sendall(request + scan[:sent])
        deadline = time.monotonic() + 20
        reached = None
        while time.monotonic() < deadline:
            reached = offset_at(survivor.url + path, auth)
            if reached == kept:
                break
            time.sleep(0.05)
        assert reached == kept, "the bytes kept by one process are seen by the other"
        doomed.kill()  # SIGKILL, mid-request: the upload's lock dies with it

    assert not visible(survivor, auth, sha256)
    assert offset_at(survivor.url + path, auth) == kept
    wrong = requests.patch(
        survivor.url + path,
        data=b"\0" * (SIZE - kept),
        headers={**auth, **TUS, "Upload-Offset": str(kept)},
        timeout=30,
    )
    assert (wrong.status_code, wrong.json()["code"]) == (460, protocol.ERR_CHECKSUM_MISMATCH)
    assert not visible(survivor, auth, sha256), "bytes that are not the blob never are"
    assert offset_at(survivor.url + path, auth) is None

    again = requests.post(
        survivor.url + path,
        data=scan[:sent],
        headers={**auth, **TUS, "Upload-Length": str(SIZE)},
        timeout=30,
    )
    assert again.headers["Upload-Offset"] == str(sent)
    done = requests.patch(
        survivor.url + path,
        data=scan[sent:],
        headers={**auth, **TUS, "Upload-Offset": str(sent)},
        timeout=30,
    )
    assert (done.status_code, done.headers["Upload-Offset"]) == (204, str(SIZE))
    assert visible(survivor, auth, sha256)
    assert blob_store.stored(sha256) == scan
    assert blob_store.staging_left() == []
