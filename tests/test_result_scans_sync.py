"""A result's scan travels like a document's: up with its bytes, down to the unit's other
counters and the competent unit; only the unit holding the dossier writes it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from counter_app.attachments import AttachmentService
from counter_app.auth import Role, StaffIdentity
from counter_app.digitization_index import DAY, compute_index
from counter_app.fetched_scans import FETCHED_BY
from counter_app.models import Attachment, Dossier, DossierDocument, new_id
from counter_app.result_scans import ResultScanService
from sync import protocol
from sync.server.models import BlobRef, ServerDossier
from tests.support.counters import OTHER_UNIT, Counter, CounterFactory
from tests.support.scans import made_pdf
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import durable

pytest_plugins = ["tests.support.sync_fixtures"]


def result_at(counter: Counter, code: str) -> tuple[str | None, dt.datetime | None]:
    with counter.store.read() as session:
        row = session.execute(
            select(Dossier.result_sha256, Dossier.result_digitized_at).where(Dossier.code == code)
        ).one()
        return row[0], row[1]


def push_taken_off(
    counter: Counter, dossier_id: str, actor: StaffIdentity
) -> protocol.MutationResult:
    """Push, straight to the server, "the result's scan taken off" as ``actor`` of ``counter``."""
    mutation = protocol.Mutation(
        mutation_id=new_id(),
        entity="dossier_result",
        entity_id=dossier_id,
        operation="attach_result",
        payload={
            "dossier_id": dossier_id,
            "result_sha256": None,
            "at": "2026-11-23T09:00:00",
            "actor": actor.username,
            "unit_code": actor.unit_code,
        },
    )
    with counter.connection() as connection:
        answer = connection.call(
            "POST", "push", json=protocol.PushRequest(mutations=[mutation]).model_dump(mode="json")
        )
    [result] = protocol.PushResponse.model_validate_json(answer.content).results
    return result


def test_a_result_scan_reaches_the_province_and_the_units_other_counter(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    competent = make_counter("c", unit_code=OTHER_UNIT)
    [receipt] = first.receive(1, competent_unit_code=OTHER_UNIT)
    code = receipt.code
    # A document scanned after reception: its link keeps the time it was made, everywhere.
    first.clock.advance(minutes=30)
    linked_at = first.clock.now()
    attachments = AttachmentService(first.store, first.clock)
    target = attachments.open(code)
    attachments.attach(target.id, target.documents[0].document_id, made_pdf(21), first.clerk)
    first.clock.advance(hours=2)
    first.record(code, "processing_started")
    first.clock.advance(hours=1)
    first.record(code, "result_ready")
    first.clock.advance(minutes=20)
    scanned_at = first.clock.now()
    pdf = made_pdf(22, 23)
    results = ResultScanService(first.store, first.clock)
    results.attach(code, pdf, first.clerk)

    for counter in (first, second, competent):
        counter.enrol(province)
    sent = first.sync()
    assert sent.complete and not sent.problems, sent
    assert durable(province, pdf.sha256).read_bytes() == pdf.content
    with province.database.read() as session:
        stored = session.scalar(select(ServerDossier).where(ServerDossier.code == code))
        assert stored is not None
        assert (stored.result_sha256, stored.result_digitized_at) == (pdf.sha256, scanned_at)
        assert session.get(BlobRef, (pdf.sha256, stored.id)) is not None

    for counter in (second, competent):
        pulled = counter.sync()
        assert pulled.complete and pulled.scans_downloaded == 2, pulled
        assert result_at(counter, code) == (pdf.sha256, scanned_at)
        with counter.store.read() as session:
            row = session.get(Attachment, pdf.sha256)
            assert row is not None and row.created_by == FETCHED_BY
            assert row.page_count == 2
            assert (
                session.scalar(
                    select(DossierDocument.attached_at)
                    .join(Dossier, Dossier.id == DossierDocument.dossier_id)
                    .where(Dossier.code == code, DossierDocument.attachment_sha256.is_not(None))
                )
                == linked_at
            )
        assert ResultScanService(counter.store, counter.clock).read_pdf(pdf.sha256) == pdf.content
    with second.store.read() as session:
        day = scanned_at.date()
        index = compute_index(session, first.unit_code, day, day, scanned_at, DAY)
    assert (index.total.resolved, index.total.results_digitized) == (1, 1)

    # Only the unit that received the dossier writes its result's scan.
    clerk_c = StaffIdentity("binh.tv", "Trần Văn Bình", Role.CLERK, OTHER_UNIT)
    with competent.store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == code))
    assert dossier_id is not None
    refused = push_taken_off(competent, dossier_id, clerk_c)
    assert (refused.outcome, refused.reason_code) == ("rejected", "wrong_unit")

    results.detach(code, first.clerk)
    assert first.sync().complete
    second.sync()
    assert result_at(second, code) == (None, None)


def test_a_result_scan_before_the_province_knows_the_result_is_refused(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    counter.enrol(province)
    assert counter.sync().complete
    with counter.store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == receipt.code))
    assert dossier_id is not None
    refused = push_taken_off(counter, dossier_id, counter.clerk)
    assert (refused.outcome, refused.reason_code) == ("rejected", "no_result")
    assert refused.reason is not None and receipt.code in refused.reason
