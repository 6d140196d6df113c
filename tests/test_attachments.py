"""Attachments on a real store: linked by hash, reused for the same citizen, never lost."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.attachments import AttachmentService, BadFiles, attach_files
from counter_app.auth import StaffIdentity
from counter_app.blobs import BlobCorrupt
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.errors import NotAllowed, NotFound
from counter_app.models import Attachment, AuditEntry, OutboxEntry
from counter_app.reception import ReceptionRequest, ReceptionService
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.counter_store import applicant
from tests.support.reception import full_checklist, request
from tests.support.scans import AGENT, SETTINGS, made_pdf

COPY_OF_RECORD = "2.000635"  # its document 2 is the same ID paper as birth registration's 5


def blob_files(store: Store) -> list[Path]:
    assert store.data_dir is not None
    return sorted(p for p in (store.data_dir / "blobs").glob("*/*") if p.is_file())


def count(store: Store, model: type) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def service(store: Store, clock: FixedClock) -> AttachmentService:
    return AttachmentService(store, clock)


def test_attach_stores_the_pdf_by_hash_with_its_row_link_and_audit(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    receipt = ReceptionService(store, clock).receive(request(store), clerk)
    target = service.open(receipt.code)
    assert target.applicant_cccd == "001190012345"
    pdf = made_pdf(1, 2)

    after = service.attach(target.id, target.slot(1).document_id, pdf, clerk)

    slot = after.slot(1)
    assert slot.attachment_sha256 == pdf.sha256
    assert slot.attachment is not None
    assert (slot.attachment.size, slot.attachment.page_count) == (pdf.size, 2)
    assert (slot.attachment.created_by, slot.attachment.created_at) == ("lan.nt", clock.now())
    [path] = blob_files(store)
    assert path.name == pdf.sha256 and path.parent.name == pdf.sha256[:2]
    assert service.read_pdf(pdf.sha256) == pdf.content
    with store.read() as session:
        row = session.get(Attachment, pdf.sha256)
        assert row is not None and row.media_type == "application/pdf"
        view = load_dossier_view(session, receipt.code)
        assert view.documents[0].attachment_sha256 == pdf.sha256
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "document.attach" in actions


def test_a_draft_carries_its_attachments_to_the_reception_payload(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    reception = ReceptionService(store, clock)
    draft_id = reception.save_draft(ReceptionRequest("1.001193", applicant(), documents=()), AGENT)
    draft = service.open(draft_id)
    assert draft.code is None and draft.label == "Hồ sơ nháp"
    pdf = made_pdf(3)
    after = service.attach(draft.id, draft.slot(2).document_id, pdf, AGENT)
    assert after.slot(2).received, "the agent had the paper in hand"

    receipt = reception.receive(request(store, draft_id=draft_id), clerk)
    with store.read() as session:
        payload = session.scalars(
            select(OutboxEntry.payload).where(OutboxEntry.operation == "receive")
        ).one()
    assert receipt.dossier_id == draft_id
    assert payload["documents"][1]["attachment_sha256"] == pdf.sha256


def test_who_may_attach_and_when(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    receipt = ReceptionService(store, clock).receive(request(store), clerk)
    target = service.open(receipt.code)
    with pytest.raises(NotAllowed, match="chỉ đính kèm giấy tờ vào hồ sơ nháp"):
        service.attach(target.id, target.slot(1).document_id, made_pdf(1), AGENT)
    from counter_app.dossiers import DossierService

    DossierService(store, clock).refuse(receipt.code, "Hồ sơ giả mạo", clerk)
    with pytest.raises(NotAllowed, match="'Từ chối'"):
        service.attach(target.id, target.slot(1).document_id, made_pdf(1), clerk)
    with pytest.raises(NotFound, match="không có giấy tờ số 9"):
        target.slot(9)
    with pytest.raises(NotFound, match="Không tìm thấy hồ sơ mã XYZ"):
        service.open("XYZ")


def test_the_citizens_earlier_documents_are_offered_and_reused_without_a_copy(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    reception = ReceptionService(store, clock)
    first = service.open(reception.receive(request(store), clerk).code)
    form, id_paper = made_pdf(1), made_pdf(2)
    service.attach(first.id, first.slot(1).document_id, form, clerk)
    service.attach(first.id, first.slot(5).document_id, id_paper, clerk)
    someone_else = applicant(cccd="001090012345", full_name="Lê Văn An", sex="male",
                             date_of_birth=dt.date(1990, 1, 1))  # fmt: skip
    other = service.open(reception.receive(request(store, applicant=someone_else), clerk).code)
    clock.advance(days=1)

    again = service.open(reception.receive(request(store), clerk).code)
    offers = service.reuse_offers(again.id)
    assert [o.sha256 for o in offers[again.slot(1).document_id]] == [form.sha256]
    assert [o.sha256 for o in offers[again.slot(5).document_id]] == [id_paper.sha256]
    assert offers[again.slot(1).document_id][0].dossier_label == first.code
    assert service.reuse_offers(other.id) == {}, "another citizen's papers are never offered"

    # Another procedure, same paper by name: offered too.
    copy_request = request(
        store, procedure_code=COPY_OF_RECORD, documents=full_checklist(store, COPY_OF_RECORD)
    )
    copy = service.open(reception.receive(copy_request, clerk).code)
    copy_offers = service.reuse_offers(copy.id)
    assert [o.sha256 for o in copy_offers[copy.slot(2).document_id]] == [id_paper.sha256]

    before = blob_files(store)
    reused = service.reuse(again.id, again.slot(5).document_id, id_paper.sha256, clerk)
    assert reused.slot(5).attachment_sha256 == id_paper.sha256
    assert blob_files(store) == before, "the same blob, not a copy"
    assert again.slot(5).document_id not in service.reuse_offers(again.id)


def test_detach_and_garbage_collection_never_remove_what_is_used(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    reception = ReceptionService(store, clock)
    first = service.open(reception.receive(request(store), clerk).code)
    # A draft: what is replaced on it is owed to nobody (a received dossier's changes
    # are queued for the province, and the outbox keeps their blobs).
    second = service.open(reception.save_draft(ReceptionRequest("1.001193", applicant()), AGENT))
    shared, replaced, orphan = made_pdf(1), made_pdf(2), made_pdf(3)
    service.attach(first.id, first.slot(1).document_id, shared, clerk)
    service.reuse(second.id, second.slot(1).document_id, shared.sha256, AGENT)
    service.attach(second.id, second.slot(2).document_id, replaced, AGENT)
    service.attach(second.id, second.slot(2).document_id, orphan, AGENT)  # a page removed
    service.detach(second.id, second.slot(1).document_id, AGENT)
    assert len(blob_files(store)) == 3, "detaching and replacing delete nothing"

    assert service.collect_garbage().removed == (), "young blobs are left for a grace period"
    report = service.collect_garbage(grace=dt.timedelta(0))
    assert report.removed == (replaced.sha256,)
    assert report.rows_removed == 1
    assert service.read_pdf(shared.sha256) == shared.content, "still used by the first dossier"
    assert service.read_pdf(orphan.sha256) == orphan.content
    assert count(store, Attachment) == 2


def test_a_blob_named_in_the_outbox_survives_garbage_collection(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    reception = ReceptionService(store, clock)
    draft_id = reception.save_draft(ReceptionRequest("1.001193", applicant()), AGENT)
    pdf = made_pdf(4)
    draft = service.open(draft_id)
    service.attach(draft_id, draft.slot(1).document_id, pdf, AGENT)
    reception.receive(request(store, draft_id=draft_id), clerk)
    service.detach(draft_id, draft.slot(1).document_id, clerk)
    service.collect_garbage(grace=dt.timedelta(0))
    assert service.read_pdf(pdf.sha256) == pdf.content, "a resync may still send it"


def test_verify_names_missing_and_corrupt_blobs_with_their_dossiers(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    target = service.open(ReceptionService(store, clock).receive(request(store), clerk).code)
    good, damaged, lost = made_pdf(1), made_pdf(2), made_pdf(3)
    for number, pdf in ((1, good), (2, damaged), (3, lost)):
        service.attach(target.id, target.slot(number).document_id, pdf, clerk)
    assert service.verify().ok

    service.blobs.path(damaged.sha256).write_bytes(damaged.content[:-10] + b"0123456789")
    service.blobs.path(lost.sha256).unlink()
    report = service.verify()
    assert not report.ok
    assert report.corrupt == {damaged.sha256: (f"{target.code} (giấy tờ 2)",)}
    assert report.missing == {lost.sha256: (f"{target.code} (giấy tờ 3)",)}
    with pytest.raises(BlobCorrupt):
        service.read_pdf(damaged.sha256)
    with pytest.raises(BlobCorrupt, match="không dùng lại được"):
        service.reuse(target.id, target.slot(4).document_id, damaged.sha256, clerk)


def test_attach_files_stores_nothing_when_any_file_is_bad(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    service: AttachmentService,
) -> None:  # fmt: skip
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    good = files.write(tmp_path, "trang1.png", files.png())
    fake = files.write(tmp_path, "trang2.jpg", files.pdf(1))
    locked = files.write(tmp_path, "ban-sao.pdf", files.encrypted_pdf())
    with pytest.raises(BadFiles) as caught:
        attach_files(service, code, 1, [good, fake, locked], clerk, SETTINGS)
    assert [p.file_name for p in caught.value.problems] == ["trang2.jpg", "ban-sao.pdf"]
    assert blob_files(store) == [] and count(store, Attachment) == 0

    target, pdf = attach_files(service, code, 1, [good, good], clerk, SETTINGS)
    assert target.slot(1).attachment_sha256 == pdf.sha256 and pdf.page_count == 2
    os.remove(good)
    assert service.read_pdf(pdf.sha256) == pdf.content, "the store never depends on the source"
