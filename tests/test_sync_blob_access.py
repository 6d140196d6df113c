"""A scan is taken only by units entitled to it: a hash alone uploads, names and opens nothing."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import requests
from sqlalchemy import select

from counter_app.attachments import AttachmentService
from counter_app.models import Dossier, DossierDocument
from sync import protocol
from sync.client.blobs import BlobUploader
from sync.server import admin
from sync.server.blob_files import DirectoryBlobs
from sync.server.settings import ServerLimits
from tests.support.counters import OTHER_UNIT, CounterFactory, fast_policy
from tests.support.scans import made_pdf
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import (
    TUS,
    durable,
    forged_attachment,
    headers,
    query,
    receive_with_attachments,
    sha,
)

pytest_plugins = ["tests.support.sync_fixtures"]


def test_an_empty_upload_is_refused_unless_the_hash_is_that_of_no_bytes(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    victim = make_counter("a")
    attacker = make_counter("b", unit_code=OTHER_UNIT)
    scan = os.urandom(20_000)
    code = receive_with_attachments(victim, [scan])
    for counter in (victim, attacker):
        counter.enrol(province)

    forged = requests.post(
        f"{province.url}/api/v1/blobs/{sha(scan)}",
        headers={**headers(attacker), **TUS, "Upload-Length": "0"},
        timeout=10,
    )

    assert forged.status_code == 460, "no bytes do not have this hash"
    assert forged.json()["code"] == protocol.ERR_CHECKSUM_MISMATCH
    assert query(province, victim, [sha(scan)]).json()["missing"] == [sha(scan)]
    report = victim.sync()
    assert report.complete and not report.problems
    assert report.blobs_uploaded == 1, "the victim's upload was not skipped"
    assert [r["code"] for r in admin.list_dossiers(province.database)] == [code]

    empty = requests.post(
        f"{province.url}/api/v1/blobs/{sha(b'')}",
        headers={**headers(attacker), **TUS, "Upload-Length": "0"},
        timeout=10,
    )
    assert (empty.status_code, empty.headers["Upload-Offset"]) == (201, "0")
    assert durable(province, sha(b"")).read_bytes() == b""


def test_a_unit_cannot_name_a_scan_it_never_uploaded_nor_then_download_it(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    owner = make_counter("a")
    thief = make_counter("b", unit_code=OTHER_UNIT)
    scan = os.urandom(30_000)
    receive_with_attachments(owner, [scan])
    owner.enrol(province)
    assert owner.sync().complete
    stolen = receive_with_attachments(thief, [scan])
    (thief.data_dir / "blobs" / sha(scan)[:2] / sha(scan)).unlink()  # it knows the hash only
    thief.enrol(province)

    assert query(province, thief, [sha(scan)]).json()["missing"] == [sha(scan)], (
        "another unit's scan is not reported as stored"
    )
    report = thief.sync()

    [problem] = report.problems
    assert problem.dossier_code == stolen and "tệp đính kèm" in problem.reason
    assert stolen not in {r["code"] for r in admin.list_dossiers(province.database)}
    with thief.connection() as connection:
        refused = connection.call("GET", f"blobs/{sha(scan)}", ok=(404,))
        assert refused.status_code == 404
        document = forged_attachment(thief, sha(scan))
        answer = connection.call(
            "POST", "push", json=protocol.PushRequest(mutations=[document]).model_dump(mode="json")
        )
    [result] = protocol.PushResponse.model_validate_json(answer.content).results
    assert (result.outcome, result.reason_code) == ("rejected", "missing_blob"), (
        "naming a hash after reception is refused too, with its own reason"
    )


def test_a_unit_holding_the_bytes_proves_it_by_uploading_them_and_may_name_them(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first = make_counter("a")
    second = make_counter("b", unit_code=OTHER_UNIT)
    scan = os.urandom(30_000)  # e.g. one citizen's paper, scanned at both units
    receive_with_attachments(first, [scan])
    code = receive_with_attachments(second, [scan])
    for counter in (first, second):
        counter.enrol(province)
    assert first.sync().blobs_uploaded == 1

    report = second.sync()

    assert report.complete and not report.problems
    assert report.blobs_uploaded == 1, "stored already, but not for this unit: sent again"
    assert code in {r["code"] for r in admin.list_dossiers(province.database)}
    with second.connection() as connection:
        assert connection.call("GET", f"blobs/{sha(scan)}").content == scan
    assert second.sync().blobs_uploaded == 0


def test_blob_query_and_paths_take_nothing_but_a_sha256(
    province: ThreadedServer, make_counter: CounterFactory, tmp_path: Path
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    (province.blob_dir.parent / "secret").write_bytes(b"12345")
    bad = [
        "../../etc/passwd",
        "../secret",
        "0" * 63 + "\x00",
        "A" * 64,
        "abc",
        "0" * 64 + "\n",
        "0" * 65,
    ]
    for name in bad:
        answer = query(province, counter, [name])
        assert answer.status_code == 422, (name, answer.status_code, answer.text)
    newline = f"{province.url}/api/v1/blobs/{'0' * 64}%0A"
    auth = headers(counter)
    assert requests.head(newline, headers=auth, timeout=10).status_code == 422
    created = requests.post(newline, headers={**auth, **TUS, "Upload-Length": "1"}, timeout=10)
    assert created.status_code == 422
    assert not list((province.blob_dir / ".uploads").rglob("*\n*"))

    # The store itself never looks a non-hash up on disk.
    (tmp_path / "x").write_bytes(b"12345")
    files = DirectoryBlobs(tmp_path / "a" / "blobs")
    assert files.state("../x") is None


def test_an_upload_left_unfinished_expires_and_the_counter_starts_it_again(
    province_db_url: str, tmp_path: Path, make_counter: CounterFactory
) -> None:
    max_age = dt.timedelta(hours=1)
    limits = ServerLimits(upload_max_age=max_age)
    province = ThreadedServer(province_db_url, tmp_path / "blobs", limits)
    try:
        counter = make_counter("a")
        counter.enrol(province)
        auth = headers(counter)
        scans = [os.urandom(200_000), os.urandom(200_000)]
        with requests.Session() as http:
            for scan in scans:
                url = f"{province.url}/api/v1/blobs/{sha(scan)}"
                http.post(url, headers={**auth, **TUS, "Upload-Length": "200000"})
                half = http.patch(
                    url, data=scan[:70_000], headers={**auth, **TUS, "Upload-Offset": "0"}
                )
                assert half.headers["Upload-Offset"] == "70000"
            partials = list((province.blob_dir / ".uploads").rglob("*.part"))
            assert len(partials) == 2
            long_ago = time.time() - 2 * max_age.total_seconds()
            for partial in partials:
                os.utime(partial, (long_ago, long_ago))

            first = f"{province.url}/api/v1/blobs/{sha(scans[0])}"
            assert http.head(first, headers=auth).status_code == 404
            assert query(province, counter, [sha(scans[0])]).json() == {
                "missing": [sha(scans[0])],
                "offsets": {},
            }
            stale = http.patch(
                f"{province.url}/api/v1/blobs/{sha(scans[1])}",
                data=scans[1][70_000:],
                headers={**auth, **TUS, "Upload-Offset": "70000"},
            )
            assert (stale.status_code, stale.json()["code"]) == (404, protocol.ERR_NO_UPLOAD)
            assert not any(partial.exists() for partial in partials)

        for scan in scans:  # the counter, told the offset 70000 before, copes
            path = counter.data_dir / "blobs" / sha(scan)[:2] / sha(scan)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(scan)
            with counter.connection() as connection:
                uploader = BlobUploader(connection, fast_policy(), counter.data_dir)
                uploader.upload(sha(scan), path, 70_000)
            assert durable(province, sha(scan)).read_bytes() == scan
    finally:
        province.stop()


def test_unfinished_uploads_older_than_the_limit_are_deleted_at_start(tmp_path: Path) -> None:
    uploads = tmp_path / ".uploads"
    old, fresh = sha(b"old upload"), sha(b"fresh upload")
    for name in (old, fresh):
        partial = uploads / name[:2] / f"{name}-100.part"
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(b"half")
    long_ago = time.time() - 3 * 3600
    os.utime(uploads / old[:2] / f"{old}-100.part", (long_ago, long_ago))

    files = DirectoryBlobs(tmp_path, max_age=dt.timedelta(hours=2))

    assert files.state(old) is None and not (uploads / old[:2] / f"{old}-100.part").exists()
    assert files.state(fresh) is not None


def test_a_unit_that_already_sees_a_scan_names_it_without_sending_it_again(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    receiving = make_counter("a")
    competent = make_counter("b", unit_code=OTHER_UNIT)
    [receipt] = receiving.receive(1, competent_unit_code=OTHER_UNIT)
    pdf = made_pdf(3)
    with receiving.store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == receipt.code))
        document_id = session.scalar(
            select(DossierDocument.id).where(DossierDocument.dossier_id == dossier_id)
        )
    assert dossier_id and document_id
    AttachmentService(receiving.store, receiving.clock).attach(
        dossier_id, document_id, pdf, receiving.clerk
    )
    for counter in (receiving, competent):
        counter.enrol(province)
        assert counter.sync().complete
    own = receive_with_attachments(competent, [pdf.content])  # the scan it fetched

    report = competent.sync()

    assert report.complete and not report.problems
    assert report.blobs_uploaded == 0, "its unit holds the scan already"
    assert own in {r["code"] for r in admin.list_dossiers(province.database)}
