"""Upload receipts: the push that shows one notes the holder; nothing else stands in for it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import partial

import pytest
import requests
from fastapi import Request, Response
from sqlalchemy import select

from counter_app.models import BlobReceipt
from sync import protocol
from sync.client.errors import Unreachable
from sync.server import admin, receipts
from sync.server.blobs import UploadState, Verified
from sync.server.devices import DeviceIdentity
from sync.server.models import BlobUpload
from sync.server.routes import uploads as upload_routes
from sync.server.routes.caller import holders_of
from tests.support.counters import OTHER_UNIT, Counter, CounterFactory, fast_policy
from tests.support.fault_proxy import Fault, FaultProxy
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import (
    TUS,
    forged_attachment,
    headers,
    query,
    receive_with_attachments,
    sha,
)

pytest_plugins = ["tests.support.sync_fixtures"]


def upload(
    province: ThreadedServer, counter: Counter, content: bytes, *, receipt: bool
) -> requests.Response:
    wanted = {protocol.UPLOAD_RECEIPT: "1"} if receipt else {}
    answer = requests.post(
        f"{province.url}/api/v1/blobs/{sha(content)}",
        data=content,
        headers={**headers(counter), **TUS, "Upload-Length": str(len(content)), **wanted},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return answer


def holders(province: ThreadedServer, sha256: str) -> list[str]:
    with province.database.read() as session:
        return list(
            session.scalars(select(BlobUpload.unit_code).where(BlobUpload.sha256 == sha256))
        )


def push(
    counter: Counter, mutation: protocol.Mutation, shown: dict[str, str]
) -> protocol.MutationResult:
    body = protocol.PushRequest(mutations=[mutation], receipts=shown).model_dump(mode="json")
    with counter.connection() as connection:
        answer = connection.call("POST", "push", json=body)
    [result] = protocol.PushResponse.model_validate_json(answer.content).results
    return result


def test_a_receipt_stands_for_the_holder_until_the_push_that_shows_it_notes_it(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    scan, older = os.urandom(40_000), os.urandom(30_000)
    mutation = forged_attachment(counter, sha(scan))  # a dossier of the unit's, synced

    answer = upload(province, counter, scan, receipt=True)
    receipt = answer.headers[protocol.UPLOAD_RECEIPT]
    assert receipt.startswith("r1.") and len(receipt) <= 64
    assert holders(province, sha(scan)) == [], "no commit on the upload's path"
    assert query(province, counter, [sha(scan)]).json()["missing"] == [sha(scan)]
    shown = requests.post(
        f"{province.url}/api/v1/blobs/query",
        json={"sha256": [sha(scan)], "receipts": {sha(scan): receipt}},
        headers=headers(counter),
        timeout=10,
    )
    assert shown.json()["missing"] == [], "the receipt counts as holding it"

    refused = push(counter, mutation, {})
    assert (refused.outcome, refused.reason_code) == ("rejected", "missing_blob")
    applied = push(
        counter,
        mutation.model_copy(update={"mutation_id": str(uuid.uuid4())}),
        {sha(scan): receipt},
    )
    assert applied.outcome == "applied", applied
    assert holders(province, sha(scan)) == [counter.unit_code]
    assert query(province, counter, [sha(scan)]).json()["missing"] == []

    # A counter that asks for no receipt (an older one) is noted at upload, as before.
    plain = upload(province, counter, older, receipt=False)
    assert protocol.UPLOAD_RECEIPT not in plain.headers
    assert holders(province, sha(older)) == [counter.unit_code]
    again = receipts.open_book(province.database)  # another process reads the same key
    with province.database.read() as session:
        device_id = session.scalars(
            select(BlobUpload.device_id).where(BlobUpload.sha256 == sha(scan))
        ).one()
    assert again.valid(receipt, sha(scan), device_id, counter.unit_code)


def test_a_receipt_counts_only_for_its_device_and_its_hash(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    owner = make_counter("a")
    other = make_counter("b", unit_code=OTHER_UNIT)
    owner.enrol(province)
    other.enrol(province)
    scan, second = os.urandom(20_000), os.urandom(20_000)
    receipt = upload(province, owner, scan, receipt=True).headers[protocol.UPLOAD_RECEIPT]
    upload(province, owner, second, receipt=True)
    tampered = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")

    def missing(counter: Counter, shown: dict[str, str]) -> list[str]:
        answer = requests.post(
            f"{province.url}/api/v1/blobs/query",
            json={"sha256": list(shown), "receipts": shown},
            headers=headers(counter),
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        missing: list[str] = answer.json()["missing"]
        return missing

    assert missing(other, {sha(scan): receipt}) == [sha(scan)], "another unit's receipt"
    assert missing(owner, {sha(scan): tampered}) == [sha(scan)]
    assert missing(owner, {sha(second): receipt}) == [sha(second)], "another hash's receipt"
    assert missing(owner, {sha(scan): "not a receipt"}) == [sha(scan)]
    mutation = forged_attachment(other, sha(scan))
    result = push(other, mutation, {sha(scan): receipt})
    assert (result.outcome, result.reason_code) == ("rejected", "missing_blob")
    assert holders(province, sha(scan)) == []


@pytest.fixture
def proxy(province: ThreadedServer) -> Iterator[FaultProxy]:
    faulty = FaultProxy(province.port)
    yield faulty
    faulty.close()


def kept(counter: Counter) -> set[str]:
    with counter.store.read() as session:
        return set(session.scalars(select(BlobReceipt.sha256)))


def test_a_push_cut_after_its_uploads_sends_no_scan_again(
    province: ThreadedServer, make_counter: CounterFactory, proxy: FaultProxy
) -> None:
    counter = make_counter("a")
    scans = [os.urandom(50_000), os.urandom(60_000), os.urandom(70_000)]
    code = receive_with_attachments(counter, scans)
    counter.enrol(province, url=proxy.url)
    cut = proxy.add(Fault("POST", "/api/v1/push", "respond", status=503, times=1000))

    with pytest.raises(Unreachable):
        counter.sync(policy=fast_policy(deadline_s=1.0))

    sent = [sha(s) for s in scans]
    assert sorted(p.rsplit("/", 1)[1] for p in uploads(proxy)) == sorted(sent), "all went up"
    assert kept(counter) == {sha(s) for s in scans}, "kept as they came"
    assert all(holders(province, sha(s)) == [] for s in scans)
    cut.times = 0
    sent_before = len(uploads(proxy))

    second = counter.sync()

    assert second.complete and second.pushed >= 1, second
    assert second.blobs_uploaded == 0 and len(uploads(proxy)) == sent_before, "none sent again"
    assert all(holders(province, sha(s)) == [counter.unit_code] for s in scans)
    assert kept(counter) == set(), "shown once, then dropped"
    assert code in {r["code"] for r in admin.list_dossiers(province.database)}


def uploads(proxy: FaultProxy) -> list[str]:
    return [
        r.path
        for r in proxy.requests("POST", "/api/v1/blobs/")
        if r.path.endswith("query") is False
    ]


def test_a_server_that_gives_no_receipts_is_synced_with_as_before(
    province: ThreadedServer, make_counter: CounterFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older server: the holder noted at upload, no receipt answered, none kept or shown."""

    def noted_at_upload(request: Request, caller: DeviceIdentity, sha256: str) -> Verified:
        holder = (sha256, caller.id, caller.unit_code)
        return partial(upload_routes.record_holder, holders_of(request), holder)

    def without_receipt(
        request: Request, caller: DeviceIdentity, sha256: str, state: UploadState, status: int
    ) -> Response:
        return upload_routes.tus(state, status, Location=f"{upload_routes.P}/blobs/{sha256}")

    monkeypatch.setattr(upload_routes, "on_verified", noted_at_upload)
    monkeypatch.setattr(upload_routes, "stored", without_receipt)
    shown: list[dict[str, str]] = []
    book = province.app.state.receipts
    real_vouched: Callable[[dict[str, str], str, str], set[str]] = book.vouched

    def vouched(receipts: dict[str, str], device_id: str, unit_code: str) -> set[str]:
        shown.append(dict(receipts))
        return real_vouched(receipts, device_id, unit_code)

    monkeypatch.setattr(book, "vouched", vouched)
    counter = make_counter("a")
    scans = [os.urandom(30_000), os.urandom(40_000)]
    code = receive_with_attachments(counter, scans)
    counter.enrol(province)

    report = counter.sync()

    assert report.complete and report.blobs_uploaded == 2, report
    assert all(holders(province, sha(s)) == [counter.unit_code] for s in scans)
    assert kept(counter) == set() and shown and not any(shown), "no receipt shown"
    assert code in {r["code"] for r in admin.list_dossiers(province.database)}
