"""What follows a reception reaches the province too: fees taken, scans attached later,
and the scans themselves reach the counters that see the dossier."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from counter_app.attachments import AttachmentService
from counter_app.auth import Role, StaffIdentity
from counter_app.errors import NotAllowed
from counter_app.fee_refunds import RefundService
from counter_app.fees import CASH, RECEPTION, TRANSFER, FeeInput, FeeService
from counter_app.fetched_scans import FETCHED_BY
from counter_app.models import (
    Attachment,
    Dossier,
    DossierDocument,
    FeePayment,
    OutboxEntry,
    new_id,
)
from counter_app.reception import ReceptionRequest
from sync import protocol
from sync.client.commands import print_report
from sync.client.engine import SyncReport
from sync.server import admin
from sync.server.models import BlobRef, ServerDossier, ServerFeePayment
from tests.support.counter_store import applicant
from tests.support.counters import BIRTH_REGISTRATION, OTHER_UNIT, Counter, CounterFactory
from tests.support.scans import made_pdf
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

THIRD_UNIT = "000.00.13.H57"


def dossier_id(counter: Counter, code: str) -> str:
    with counter.store.read() as session:
        found = session.scalar(select(Dossier.id).where(Dossier.code == code))
        assert found is not None, f"{code} is not at this counter"
        return found


def fees_at(counter: Counter, code: str) -> list[tuple[str, int, str]]:
    with counter.store.read() as session:
        rows = session.execute(
            select(FeePayment.id, FeePayment.amount_vnd, FeePayment.method)
            .join(Dossier, Dossier.id == FeePayment.dossier_id)
            .where(Dossier.code == code)
            .order_by(FeePayment.collected_at)
        ).all()
        return [tuple(row) for row in rows]


def server_fees(province: ThreadedServer) -> list[tuple[str, str, int]]:
    with province.database.read() as session:
        rows = session.execute(
            select(ServerFeePayment.id, ServerFeePayment.dossier_id, ServerFeePayment.amount_vnd)
        ).all()
        return [tuple(row) for row in rows]


def documents_at(counter: Counter, code: str) -> dict[str, str | None]:
    with counter.store.read() as session:
        rows = session.execute(
            select(DossierDocument.id, DossierDocument.attachment_sha256)
            .join(Dossier, Dossier.id == DossierDocument.dossier_id)
            .where(Dossier.code == code)
        ).all()
        return {row.id: row.attachment_sha256 for row in rows}


def first_document(counter: Counter, code: str) -> str:
    with counter.store.read() as session:
        found = session.scalar(
            select(DossierDocument.id)
            .join(Dossier, Dossier.id == DossierDocument.dossier_id)
            .where(Dossier.code == code)
            .order_by(DossierDocument.position)
        )
        assert found is not None
        return found


def test_a_fee_taken_at_one_counter_reaches_the_province_and_the_units_other_counter(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    for counter in (first, second):
        counter.enrol(province)
    [receipt] = first.receive(1)
    taken = FeeService(first.store, first.clock).collect(
        receipt.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, first.clerk
    )

    report = first.sync()

    assert report.complete, report.problems
    assert server_fees(province) == [(taken.id, dossier_id(first, receipt.code), taken.amount_vnd)]
    second.sync()
    assert fees_at(second, receipt.code) == [(taken.id, taken.amount_vnd, CASH)]
    assert FeeService(second.store, second.clock).status(receipt.code).settled
    [listed] = admin.list_dossiers(province.database)
    assert listed["fee"] == {
        "amount_vnd": 8_000,
        "method": CASH,
        "collected_at": taken.collected_at.isoformat(),
        "collected_by": first.clerk.username,
        "receipt_form": None,
        "receipt_series": None,
        "receipt_number": None,
        "e_receipt_number": None,
    }
    again = first.sync()
    assert again.complete and fees_at(first, receipt.code) == [(taken.id, taken.amount_vnd, CASH)]


def test_a_fee_taken_twice_offline_keeps_the_first_and_tells_the_second_clerk_to_refund(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    for counter in (first, second):
        counter.enrol(province)
    [receipt] = first.receive(1)
    first.sync()
    second.sync()  # both counters know the dossier; then the link goes down
    kept = FeeService(first.store, first.clock).collect(
        receipt.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, first.clerk
    )
    refused = FeeService(second.store, second.clock).collect(
        receipt.code,
        FeeInput(TRANSFER, amount_vnd=8_000, reference="FT2611230001"),
        RECEPTION,
        second.clerk,
    )
    [later] = second.receive(1)  # the second counter's other work must still flow

    first.sync()
    report = second.sync()

    assert [fee[0] for fee in server_fees(province)] == [kept.id]
    [problem] = report.problems
    assert problem.operation == "collect" and problem.dossier_code == receipt.code
    assert "hoàn lại" in problem.reason and first.clerk.username in problem.reason
    assert report.pushed == 1 and dossier_id(second, later.code)
    with province.database.read() as session:
        assert session.scalar(select(ServerDossier.code).where(ServerDossier.code == later.code))
    methods = {fee[2] for fee in fees_at(second, receipt.code)}
    assert methods == {CASH, TRANSFER}, "both receipts were issued here until one is refunded"
    assert refused.id in {fee[0] for fee in fees_at(second, receipt.code)}

    refunds = RefundService(second.store, second.clock)
    agent = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, second.unit_code)
    with pytest.raises(NotAllowed):
        refunds.refund_refused(refused.id, agent)
    with pytest.raises(NotAllowed, match="đang chờ gửi hoặc đã được tỉnh ghi nhận"):
        refunds.refund_refused(kept.id, second.clerk)  # not this counter's refused one
    refunds.refund_refused(refused.id, second.clerk, note="Đã trả lại tiền mặt")
    assert fees_at(second, receipt.code) == [(kept.id, 8_000, CASH)]
    after = second.sync()
    assert after.complete and not after.problems, "nothing left for the clerk"
    assert [fee[0] for fee in server_fees(province)] == [kept.id]


def test_a_scan_attached_after_reception_reaches_the_competent_unit_with_its_bytes(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    receiving = make_counter("a")
    competent = make_counter("b", unit_code=OTHER_UNIT)
    [receipt] = receiving.receive(1, competent_unit_code=OTHER_UNIT)
    for counter in (receiving, competent):
        counter.enrol(province)
        counter.sync()
    document = first_document(receiving, receipt.code)
    pdf = made_pdf(7)
    attachments = AttachmentService(receiving.store, receiving.clock)
    attachments.attach(dossier_id(receiving, receipt.code), document, pdf, receiving.clerk)

    sent = receiving.sync()
    pulled = competent.sync()

    assert sent.complete and sent.blobs_uploaded == 1
    with province.database.read() as session:
        stored = session.scalar(select(ServerDossier).where(ServerDossier.code == receipt.code))
        assert stored is not None
        named = {d["id"]: d["attachment_sha256"] for d in stored.payload["documents"]}
        assert named[document] == pdf.sha256
        assert session.get(BlobRef, (pdf.sha256, stored.id)) is not None
    assert [d["scans"] for d in admin.list_dossiers(province.database)] == [1]
    assert documents_at(competent, receipt.code)[document] == pdf.sha256
    assert (pulled.documents_changed, pulled.scans_downloaded) == (1, 1)
    assert pulled.download_bytes == len(pdf.content)
    fetched = AttachmentService(competent.store, competent.clock)
    assert fetched.read_pdf(pdf.sha256) == pdf.content, "checked by hash on reading"
    with competent.store.read() as session:
        row = session.get(Attachment, pdf.sha256)
        assert row is not None and row.created_by == FETCHED_BY
        assert (row.size, row.page_count) == (len(pdf.content), pdf.page_count)
    assert competent.sync().scans_downloaded == 0, "fetched once"

    attachments.detach(dossier_id(receiving, receipt.code), document, receiving.clerk)
    receiving.sync()
    competent.sync()
    assert documents_at(competent, receipt.code)[document] is None


def test_only_the_receiving_unit_amends_documents_and_only_units_that_see_a_scan_fetch_it(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    receiving = make_counter("a")
    competent = make_counter("b", unit_code=OTHER_UNIT)
    stranger = make_counter("c", unit_code=THIRD_UNIT)
    [receipt] = receiving.receive(1, competent_unit_code=OTHER_UNIT)
    document = first_document(receiving, receipt.code)
    pdf = made_pdf(8)
    AttachmentService(receiving.store, receiving.clock).attach(
        dossier_id(receiving, receipt.code), document, pdf, receiving.clerk
    )
    for counter in (receiving, competent, stranger):
        counter.enrol(province)
        counter.sync()

    clerk_b = StaffIdentity("binh.tv", "Trần Văn Bình", Role.CLERK, OTHER_UNIT)
    with pytest.raises(NotAllowed, match=receiving.unit_code):
        AttachmentService(competent.store, competent.clock).detach(
            dossier_id(competent, receipt.code), document, clerk_b
        )
    forged = protocol.Mutation(
        mutation_id=new_id(),
        entity="dossier_document",
        entity_id=dossier_id(competent, receipt.code),
        operation="attach",
        payload={
            "dossier_id": dossier_id(competent, receipt.code),
            "document_id": document,
            "attachment_sha256": None,
            "at": "2026-11-23T09:00:00",
            "actor": clerk_b.username,
            "unit_code": OTHER_UNIT,
        },
    )
    with competent.connection() as connection:
        answer = connection.call(
            "POST", "push", json=protocol.PushRequest(mutations=[forged]).model_dump(mode="json")
        )
        [result] = protocol.PushResponse.model_validate_json(answer.content).results
        assert (result.outcome, result.reason_code) == ("rejected", "wrong_unit")
        assert connection.call("GET", f"blobs/{pdf.sha256}").content == pdf.content
    with stranger.connection() as connection:
        refused = connection.call("GET", f"blobs/{pdf.sha256}", ok=(404,))
        assert refused.status_code == 404, "a unit that does not see the dossier gets nothing"
        unknown = hashlib.sha256(b"nothing").hexdigest()
        assert connection.call("GET", f"blobs/{unknown}", ok=(404,)).status_code == 404


def test_attaching_to_a_received_dossier_is_queued_and_to_a_draft_is_not(
    make_counter: CounterFactory,
) -> None:
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    agent = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, counter.unit_code)
    draft_id = counter.reception.save_draft(
        ReceptionRequest(BIRTH_REGISTRATION, applicant()), agent
    )
    service = AttachmentService(counter.store, counter.clock)
    draft = service.open(draft_id)
    service.attach(draft_id, draft.slot(1).document_id, made_pdf(10), agent)
    received = dossier_id(counter, receipt.code)
    scan = made_pdf(9)
    service.attach(received, first_document(counter, receipt.code), scan, counter.clerk)

    with counter.store.read() as session:
        queued = [
            (e.operation, e.entity_id, e.payload["attachment_sha256"])
            for e in session.scalars(
                select(OutboxEntry).where(OutboxEntry.entity == "dossier_document")
            )
        ]
    assert queued == [("attach", received, scan.sha256)]


def test_the_sync_command_says_how_many_scans_it_fetched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_report(SyncReport(pulled=3, scans_downloaded=2, download_bytes=3_400_000))
    line = capsys.readouterr().out
    assert "nhận 3 thay đổi, tải về 2 tệp đính kèm (3.4 MB)" in line
