"""The server answers every request within its documented responses, and no more generously.

Bodies are bounded before they are read, out-of-range numbers and text the
database cannot hold are refused with 4xx (never a 500), and a revoked token
stops working on its very next request (an upload's bytes within a bounded few
seconds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from counter_app import sync_outbox
from counter_app.models import Dossier
from sync import protocol
from sync.client.errors import AuthRequired
from sync.server import admin
from sync.server.cli import build_parser, serve_limits
from sync.server.settings import KIB, MIB, ServerLimits
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import headers

pytest_plugins = ["tests.support.sync_fixtures"]


def status_of_unread_body(url: str, path: str, declared: int) -> bytes:
    """Declare a large body, send 64 KB of it, and read the status line the server answers."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        )
        connection.sendall(head.encode() + b"{" + b" " * (64 * KIB))
        return connection.recv(200).split(b"\r\n")[0]


def test_an_anonymous_enrolment_body_is_refused_before_it_is_read(
    province: ThreadedServer,
) -> None:
    status = status_of_unread_body(province.url, "/api/v1/enrol", 40_000_000)
    assert status == b"HTTP/1.1 413 Request Entity Too Large"

    chunked = requests.post(
        f"{province.url}/api/v1/enrol", data=iter([b" " * 8 * KIB] * 4), timeout=10
    )
    assert chunked.status_code == 413
    assert chunked.json()["code"] == protocol.ERR_TOO_LARGE


def test_push_and_blob_bodies_are_bounded_by_the_servers_settings(
    province_db_url: str, tmp_path: Path, make_counter: CounterFactory
) -> None:
    limits = ServerLimits(push_bytes=64 * KIB, blob_bytes=100_000)
    province = ThreadedServer(province_db_url, tmp_path / "blobs", limits)
    try:
        counter = make_counter("a")
        counter.enrol(province)
        auth = headers(counter)
        mutation: dict[str, Any] = {
            "mutation_id": str(uuid.uuid4()),
            "entity": "dossier",
            "entity_id": str(uuid.uuid4()),
            "operation": "receive",
            "payload": {"note": "x" * 70 * KIB},
        }
        push = requests.post(
            f"{province.url}/api/v1/push", json={"mutations": [mutation]}, headers=auth, timeout=10
        )
        assert push.status_code == 413 and push.json()["code"] == protocol.ERR_TOO_LARGE

        tus = {**auth, "Content-Type": protocol.OFFSET_CONTENT_TYPE, "Tus-Resumable": "1.0.0"}
        blob = f"{province.url}/api/v1/blobs/{'ab' * 32}"
        big = requests.post(blob, headers={**tus, "Upload-Length": "100001"}, timeout=10)
        assert big.status_code == 413 and big.json()["code"] == protocol.ERR_TOO_LARGE
        longer = requests.post(
            blob, data=b"x" * 2000, headers={**tus, "Upload-Length": "1000"}, timeout=10
        )
        assert longer.status_code == 400 and longer.json()["code"] == "too_long"
        assert not list((province.blob_dir / ".uploads").rglob("*.part"))
    finally:
        province.stop()


def test_changes_since_a_number_beyond_64_bits_is_a_4xx(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    for since in (2**63, 2**70):
        answer = requests.get(
            f"{province.url}/api/v1/changes",
            params={"since": since},
            headers=headers(counter),
            timeout=10,
        )
        assert answer.status_code == 422, (since, answer.status_code)
    highest = requests.get(
        f"{province.url}/api/v1/changes",
        params={"since": 2**63 - 1},
        headers=headers(counter),
        timeout=10,
    )
    assert highest.status_code == 200 and highest.json()["changes"] == []


def envelope(**fields: Any) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": "dossier",
        "entity_id": str(uuid.uuid4()),
        "operation": "receive",
        "payload": {},
        **fields,
    }


def test_a_push_of_what_the_database_cannot_hold_is_refused_mutation_by_mutation(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    [synced] = counter.receive(1)
    counter.enrol(province)
    assert counter.sync().complete
    [fresh] = counter.receive(1)
    with counter.store.read() as session:
        [entry] = sync_outbox.next_batch(session, 10)
        receive_id, receive_payload = entry.entity_id, dict(entry.payload)
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == synced.code))
    fee = {
        "id": str(uuid.uuid4()),
        "dossier_id": dossier_id,
        "code": synced.code,
        "amount_vnd": 2**70,  # SQLite: OverflowError; PostgreSQL: bigint out of range
        "method": "cash",
        "stage": "reception",
        "collected_at": "2026-11-23T09:00:00",
        "collected_by": counter.clerk.username,
        "unit_code": counter.unit_code,
    }
    unstorable = [
        envelope(mutation_id="a\x00b"),
        envelope(entity_id="\x00"),
        envelope(mutation_id="m" * 37),
        envelope(payload={"code": "\x00"}),
        envelope(entity="dossier_event", operation="append_event", payload={"id": "\x00"}),
        envelope(entity="fee_payment", operation="collect", payload={"dossier_id": "f\x00"}),
        # a hash the blob check would have put in a PostgreSQL IN list, failing the push
        envelope(
            entity="dossier_document", operation="attach", payload={"attachment_sha256": "a\x00"}
        ),
        envelope(entity="fee_payment", operation="collect", entity_id=fee["id"], payload=fee),
        envelope(
            entity_id=receive_id,
            payload={**receive_payload, "note": "ghi chú\x00"},  # PostgreSQL refused the text
        ),
    ]
    huge_version = envelope(schema_version=2**70)

    answer = requests.post(
        f"{province.url}/api/v1/push",
        json={"mutations": [*unstorable, huge_version]},
        headers=headers(counter),
        timeout=10,
    )

    assert answer.status_code == 200, answer.text
    results = protocol.PushResponse.model_validate(answer.json()).results
    assert [(r.outcome, r.reason_code) for r in results] == [
        *[("rejected", "invalid_payload")] * len(unstorable),
        ("rejected", "unsupported_version"),
    ]
    report = counter.sync()
    assert report.complete and report.pushed == 1, "the batch was not poisoned"
    assert {r["code"] for r in admin.list_dossiers(province.database)} == {
        synced.code,
        fresh.code,
    }


def test_a_revoked_token_is_refused_on_its_very_next_request(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    blob = f"blobs/{'cd' * 32}"
    with counter.connection() as connection:
        assert connection.call("GET", "changes").status_code == 200
        assert connection.call("HEAD", blob, ok=(404,)).status_code == 404

        assert admin.revoke(province.database, unit_code=counter.unit_code, slot=1) == 1

        for method, name in (("GET", "changes"), ("HEAD", blob)):
            with pytest.raises(AuthRequired) as refused:
                connection.call(method, name, ok=(404,))
            if method == "GET":
                assert refused.value.code == protocol.ERR_REVOKED_TOKEN


def test_a_revoked_device_stops_uploading_within_the_token_reuse_bound(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    """Only the requests carrying a scan's bytes may reuse a recent token check."""
    province.app.state.tokens.reuse_s = 0.5
    counter = make_counter("a")
    counter.enrol(province)
    auth = headers(counter)
    tus = {"Tus-Resumable": protocol.TUS_VERSION, "Content-Type": protocol.OFFSET_CONTENT_TYPE}

    def create(content: bytes) -> requests.Response:
        sha256 = hashlib.sha256(content).hexdigest()
        return requests.post(
            f"{province.url}/api/v1/blobs/{sha256}",
            data=content,
            headers={**auth, **tus, "Upload-Length": str(len(content))},
            timeout=10,
        )

    assert create(b"first scan").status_code == 201
    assert admin.revoke(province.database, unit_code=counter.unit_code, slot=1) == 1
    blob = f"{province.url}/api/v1/blobs/{'cd' * 32}"
    assert requests.head(blob, headers=auth, timeout=10).status_code == 401, "at once"
    assert create(b"within the bound").status_code == 201, "the check made 0.5 s ago"
    time.sleep(0.6)
    refused = create(b"after the bound")
    assert refused.status_code == 401
    assert refused.json()["code"] == protocol.ERR_REVOKED_TOKEN


def test_the_refusals_above_are_documented_responses(province: ThreadedServer) -> None:
    spec = requests.get(f"{province.url}/api/v1/openapi.json", timeout=10).json()["paths"]
    blob = spec["/api/v1/blobs/{sha256}"]
    documented = {
        ("post", "/api/v1/enrol"): {"400", "413", "422"},
        ("post", "/api/v1/push"): {"401", "413", "422", "503"},
        ("get", "/api/v1/changes"): {"401", "422"},
        ("post", "/api/v1/blobs/query"): {"401", "413", "422"},
    }
    for (method, path), statuses in documented.items():
        assert statuses <= set(spec[path][method]["responses"]), (method, path)
    assert {"400", "413", "422", "460"} <= set(blob["post"]["responses"])
    assert {"404", "422"} <= set(blob["head"]["responses"])
    assert {"404", "409", "413", "415"} <= set(blob["patch"]["responses"])
    assert {"404", "422"} <= set(blob["get"]["responses"])


def test_serve_takes_its_limits_from_the_command_line_with_sane_defaults() -> None:
    defaults = serve_limits(build_parser().parse_args(["serve"]))
    assert defaults == ServerLimits()
    given = serve_limits(
        build_parser().parse_args(
            [
                "serve",
                *("--max-enrol-kb", "4", "--max-push-mb", "8", "--max-request-kb", "512"),
                *("--max-blob-mb", "64", "--upload-max-age-hours", "6"),
            ]
        )
    )
    assert given == ServerLimits(
        enrol_bytes=4 * KIB,
        push_bytes=8 * MIB,
        other_bytes=512 * KIB,
        blob_bytes=64 * MIB,
        upload_max_age=dt.timedelta(hours=6),
    )
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--max-push-mb", "0"])
