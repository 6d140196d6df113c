"""Digitized documents of a dossier: attach, reuse, detach, and keep the blob store honest.

The blob is written (and flushed) before the row that names it, so a crash
leaves at most a blob nobody names, which garbage collection removes later,
never a row naming a blob that is not there. Detaching only clears the link:
the same blob may serve another dossier of the same citizen, and old outbox
entries still mention it for a resync. Blobs go only through ``collect_garbage``,
which holds the write lock while it decides, so no attach slips in between.

Each link records when it was made (``DossierDocument.attached_at``), which
the digitization index judges "digitized at reception" on; a copy signed here
replaces its scan but keeps the link's time, since it is the same paper.

A draft's attachments reach the province with its reception (the reception
payload names every document's hash). A scan attached to, or taken off, a
dossier already received is queued for the province as a ``dossier_document``
change of that dossier, so it travels behind the reception it amends.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from counter_app import audit, outbox
from counter_app.assembly import AssembledPdf, assemble, pages_of
from counter_app.auth import Role, StaffIdentity
from counter_app.blobs import BlobCorrupt, BlobStore, StoredBlob
from counter_app.clock import Clock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import NotAllowed, NotFound
from counter_app.fees import require_received_here
from counter_app.installation import load_context
from counter_app.intake import BadFile, IncomingFile, inspect_path
from counter_app.lifecycle import OPEN_STATUSES, STATUS_LABELS, Status
from counter_app.models import Applicant, Attachment, Dossier, DossierDocument, OutboxEntry
from counter_app.ocr import OcrIndex
from counter_app.store import Store
from counter_app.sync_outbox import referenced_blobs
from counter_app.text import fold

log = logging.getLogger(__name__)

PDF = "application/pdf"
ATTACHABLE = frozenset({Status.DRAFT, *OPEN_STATUSES})
GC_GRACE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class AttachmentInfo:
    sha256: str
    size: int
    page_count: int
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class DocumentSlot:
    """One line of the dossier's checklist and the PDF attached to it, if any."""

    document_id: str
    number: int
    requirement_id: int | None
    name: str
    received: bool
    attachment_sha256: str | None
    attachment: AttachmentInfo | None


@dataclass(frozen=True)
class DossierTarget:
    """The dossier being digitized, as the screen and the CLI show it."""

    id: str
    code: str | None
    status: str
    procedure_name: str
    applicant_name: str
    applicant_cccd: str | None
    documents: tuple[DocumentSlot, ...]

    @property
    def label(self) -> str:
        return self.code or "Hồ sơ nháp"

    def slot(self, number: int) -> DocumentSlot:
        for slot in self.documents:
            if slot.number == number:
                return slot
        raise NotFound(
            f"Hồ sơ {self.label} không có giấy tờ số {number} "
            f"(danh mục có {len(self.documents)} giấy tờ)."
        )


@dataclass(frozen=True)
class ReuseOffer:
    """A PDF digitized for the same citizen in an earlier dossier, for the same kind of paper."""

    sha256: str
    page_count: int
    size: int
    created_at: dt.datetime
    dossier_label: str
    document_name: str


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    missing: dict[str, tuple[str, ...]]
    corrupt: dict[str, tuple[str, ...]]
    elsewhere: int
    unreferenced: int

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


@dataclass(frozen=True)
class GarbageReport:
    removed: tuple[str, ...]
    bytes_freed: int
    rows_removed: int
    kept_recent: int


def _slot(number: int, document: DossierDocument, row: Attachment | None) -> DocumentSlot:
    info = None
    if row is not None:
        info = AttachmentInfo(row.sha256, row.size, row.page_count, row.created_by, row.created_at)
    return DocumentSlot(
        document.id,
        number,
        document.requirement_id,
        document.name,
        document.received,
        document.attachment_sha256,
        info,
    )


def _dossier_label(dossier: Dossier) -> str:
    return dossier.code or f"nháp {dossier.created_at:%d/%m/%Y}"


def keep_scan(
    session: Session, stored: StoredBlob, page_count: int, actor: str, now: dt.datetime
) -> None:
    """The row of a blob just stored, unless an earlier scan of the same bytes has one.

    Called after ``BlobStore.put`` and before the row that names the blob, in the
    transaction that links it: a document's scan and a result's alike.
    """
    if session.get(Attachment, stored.sha256) is None:
        session.add(
            Attachment(
                sha256=stored.sha256,
                size=stored.size,
                page_count=page_count,
                media_type=PDF,
                created_by=actor,
                created_at=now,
            )
        )


def _queue_for_province(
    session: Session,
    dossier: Dossier,
    document: DossierDocument,
    actor: StaffIdentity,
    now: dt.datetime,
) -> None:
    """Queue the document's new scan (or none); a draft's goes with its reception instead."""
    if dossier.status == Status.DRAFT:
        return
    context = load_context(session)
    outbox.enqueue(
        session,
        entity="dossier_document",
        entity_id=dossier.id,
        operation="attach",
        payload={
            "dossier_id": dossier.id,
            "document_id": document.id,
            "attachment_sha256": document.attachment_sha256,
            "attached_at": document.attached_at.isoformat() if document.attached_at else None,
            "at": now.isoformat(),
            "actor": actor.username,
            "unit_code": context.unit_code,
            "device_id": context.device_id,
        },
        at=now,
    )


class AttachmentService:
    """Used alike by the digitizing screen, the CLI and the tests."""

    def __init__(self, store: Store, clock: Clock, blobs: BlobStore | None = None) -> None:
        if blobs is None:
            assert store.data_dir is not None, "the store was opened without a data directory"
            blobs = BlobStore(store.data_dir)
        self.store = store
        self.clock = clock
        self.blobs = blobs

    # Reading ---------------------------------------------------------------

    def open(self, code_or_id: str) -> DossierTarget:
        """The dossier with this code, or the draft with this id."""
        with self.store.read() as session:
            return self._target(session, self._find(session, code_or_id))

    def _find(self, session: Session, code_or_id: str) -> Dossier:
        text = code_or_id.strip()
        dossier = session.scalar(select(Dossier).where(Dossier.code == text.upper()))
        if dossier is None:
            dossier = session.get(Dossier, text)
        if dossier is None:
            raise NotFound(f"Không tìm thấy hồ sơ mã {text}; hãy kiểm tra lại mã trên phiếu hẹn.")
        return dossier

    def _target(self, session: Session, dossier: Dossier) -> DossierTarget:
        documents = sorted(dossier.documents, key=lambda d: d.position)
        hashes = {d.attachment_sha256 for d in documents if d.attachment_sha256}
        rows = {
            row.sha256: row
            for row in session.scalars(select(Attachment).where(Attachment.sha256.in_(hashes)))
        }
        slots = tuple(
            _slot(n, d, rows.get(d.attachment_sha256 or ""))
            for n, d in enumerate(documents, start=1)
        )
        return DossierTarget(
            id=dossier.id,
            code=dossier.code,
            status=dossier.status,
            procedure_name=dossier.procedure.name,
            applicant_name=dossier.applicant.full_name,
            applicant_cccd=dossier.applicant.cccd,
            documents=slots,
        )

    def reuse_offers(self, dossier_id: str) -> dict[str, list[ReuseOffer]]:
        """Per document id: the citizen's earlier PDFs for the same requirement or name."""
        with self.store.read() as session:
            dossier = session.get(Dossier, dossier_id)
            if dossier is None or not dossier.applicant.cccd:
                return {}
            rows = session.execute(
                select(DossierDocument, Dossier, Attachment)
                .join(Dossier, Dossier.id == DossierDocument.dossier_id)
                .join(Applicant, Applicant.id == Dossier.applicant_id)
                .join(Attachment, Attachment.sha256 == DossierDocument.attachment_sha256)
                .where(Applicant.cccd == dossier.applicant.cccd, Dossier.id != dossier_id)
                .order_by(Attachment.created_at.desc())
            ).all()
            offers: dict[str, list[ReuseOffer]] = {}
            for own in dossier.documents:
                seen = {own.attachment_sha256}
                for earlier, source, row in rows:
                    same_kind = (
                        own.requirement_id is not None
                        and earlier.requirement_id == own.requirement_id
                    ) or fold(earlier.name) == fold(own.name)
                    if not same_kind or row.sha256 in seen or not self.blobs.exists(row.sha256):
                        continue
                    seen.add(row.sha256)
                    offers.setdefault(own.id, []).append(
                        ReuseOffer(
                            row.sha256,
                            row.page_count,
                            row.size,
                            row.created_at,
                            _dossier_label(source),
                            earlier.name,
                        )
                    )
            return offers

    def read_pdf(self, sha256: str) -> bytes:
        """The PDF's bytes, checked against its hash."""
        return self.blobs.read(sha256)

    # Writing ---------------------------------------------------------------

    def attach(
        self,
        dossier_id: str,
        document_id: str,
        pdf: AssembledPdf,
        actor: StaffIdentity,
        *,
        action: str = "document.attach",
        same_scan: bool = False,
    ) -> DossierTarget:
        """Store the assembled PDF and make it the document's attachment.

        ``action`` names the deed in the audit log ("document.sign" for a copy
        signed here, which replaces the unsigned one as a new blob, and is
        ``same_scan``: the link keeps its time).
        """
        with self.store.read() as session:
            self._attachable(session, dossier_id, document_id, actor)
        stored = self.blobs.put(pdf.content)
        now = self.clock.now()
        with self.store.write() as session:
            dossier, document = self._attachable(session, dossier_id, document_id, actor)
            keep_scan(session, stored, pdf.page_count, actor.username, now)
            target = self._link(
                session,
                dossier,
                document,
                stored.sha256,
                actor,
                now,
                action=action,
                same_scan=same_scan,
            )
        log.info(
            "Đính kèm %d trang (%d byte, %s) vào hồ sơ %s, giấy tờ %s, bởi %s",
            pdf.page_count,
            stored.size,
            stored.sha256[:12],
            dossier_id,
            document_id,
            actor.username,
        )
        return target

    def reuse(
        self, dossier_id: str, document_id: str, sha256: str, actor: StaffIdentity
    ) -> DossierTarget:
        """Attach a PDF already in the store (an earlier dossier's) without copying it."""
        now = self.clock.now()
        with self.store.write() as session:
            dossier, document = self._attachable(session, dossier_id, document_id, actor)
            if session.get(Attachment, sha256) is None:
                raise NotFound("Tệp đính kèm này không còn trên máy; hãy số hóa lại giấy tờ.")
            if not self.blobs.intact(sha256):
                raise BlobCorrupt(
                    f"Tệp đính kèm {sha256[:12]}… bị thiếu hoặc hỏng nên không dùng lại được; "
                    "hãy số hóa lại giấy tờ."
                )
            return self._link(
                session, dossier, document, sha256, actor, now, action="document.reuse"
            )

    def detach(self, dossier_id: str, document_id: str, actor: StaffIdentity) -> DossierTarget:
        """Take the PDF off the document; the blob stays for whoever else uses it."""
        now = self.clock.now()
        with self.store.write() as session:
            dossier, document = self._attachable(session, dossier_id, document_id, actor)
            previous = document.attachment_sha256
            document.attachment_sha256 = None
            document.attached_at = None
            self._audit(session, dossier, actor, now, "document.detach", document, previous)
            _queue_for_province(session, dossier, document, actor, now)
            session.flush()
            return self._target(session, dossier)

    def _attachable(
        self, session: Session, dossier_id: str, document_id: str, actor: StaffIdentity
    ) -> tuple[Dossier, DossierDocument]:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            raise NotFound("Hồ sơ không còn trên máy này; hãy mở lại hồ sơ.")
        status = Status(dossier.status)
        if status not in ATTACHABLE:
            raise NotAllowed(
                f"Hồ sơ {_dossier_label(dossier)} đang ở trạng thái '{STATUS_LABELS[status]}', "
                "không đính kèm hay gỡ giấy tờ được nữa."
            )
        if status != Status.DRAFT:
            require_received_here(dossier, load_context(session), "bổ sung giấy tờ")
        if actor.role == Role.POSTAL_AGENT and status != Status.DRAFT:
            raise NotAllowed(
                "Nhân viên bưu điện chỉ đính kèm giấy tờ vào hồ sơ nháp; hồ sơ đã tiếp nhận "
                "do cán bộ một cửa bổ sung."
            )
        document = session.get(DossierDocument, document_id)
        if document is None or document.dossier_id != dossier.id:
            raise NotFound("Giấy tờ này không thuộc hồ sơ đang mở; hãy mở lại hồ sơ.")
        return dossier, document

    def _link(
        self,
        session: Session,
        dossier: Dossier,
        document: DossierDocument,
        sha256: str,
        actor: StaffIdentity,
        now: dt.datetime,
        *,
        action: str,
        same_scan: bool = False,
    ) -> DossierTarget:
        if not (same_scan and document.attachment_sha256 and document.attached_at):
            document.attached_at = now
        document.attachment_sha256 = sha256
        if dossier.status == Status.DRAFT:
            document.received = True  # the paper was in the agent's hands to be scanned
        self._audit(session, dossier, actor, now, action, document, sha256)
        _queue_for_province(session, dossier, document, actor, now)
        session.flush()
        return self._target(session, dossier)

    def _audit(
        self,
        session: Session,
        dossier: Dossier,
        actor: StaffIdentity,
        now: dt.datetime,
        action: str,
        document: DossierDocument,
        sha256: str | None,
    ) -> None:
        audit.record(
            session,
            at=now,
            actor=actor.username,
            action=action,
            entity="dossier",
            entity_id=dossier.id,
            device_id=load_context(session).device_id,
            detail={"code": dossier.code, "document": document.name, "sha256": sha256},
        )

    # The blob store as a whole -----------------------------------------------

    def _referenced(self, session: Session) -> dict[str, list[str]]:
        """Every hash a document or a result names, with the dossiers naming it."""
        users: dict[str, list[str]] = {}
        rows = session.execute(
            select(
                DossierDocument.attachment_sha256,
                DossierDocument.position,
                Dossier.code,
                Dossier.created_at,
            )
            .join(Dossier, Dossier.id == DossierDocument.dossier_id)
            .where(DossierDocument.attachment_sha256.is_not(None))
        )
        for sha256, position, code, created_at in rows:
            label = code or f"nháp {created_at:%d/%m/%Y}"
            users.setdefault(str(sha256), []).append(f"{label} (giấy tờ {position})")
        results = session.execute(
            select(Dossier.result_sha256, Dossier.code).where(Dossier.result_sha256.is_not(None))
        )
        for sha256, code in results:
            users.setdefault(str(sha256), []).append(f"{code} (kết quả)")
        return users

    def verify(self) -> VerifyReport:
        """Hash every blob this PC holds or promised to hold; missing and corrupt are named."""
        with self.store.read() as session:
            users = self._referenced(session)
            rows = {row.sha256: row.size for row in session.scalars(select(Attachment))}
        on_disk = set(self.blobs.all_hashes())
        missing: dict[str, tuple[str, ...]] = {}
        corrupt: dict[str, tuple[str, ...]] = {}
        for sha256 in sorted(set(rows) | on_disk):
            where = tuple(users.get(sha256, ()))
            if sha256 not in on_disk:
                missing[sha256] = where
            elif not self.blobs.intact(sha256):
                corrupt[sha256] = where
        # Dossiers pulled from the province may name scans kept only there.
        elsewhere = len(set(users) - set(rows) - on_disk)
        unreferenced = len(on_disk - set(users))
        return VerifyReport(len(set(rows) | on_disk), missing, corrupt, elsewhere, unreferenced)

    def collect_garbage(
        self, grace: dt.timedelta = GC_GRACE, *, actor: str = audit.SYSTEM
    ) -> GarbageReport:
        """Remove blobs (and their rows, and their recognised text) that nothing names.

        Blobs younger than ``grace`` stay: a screen may have written one and
        not yet committed the row that names it. What was removed is audited
        under ``actor``: deleting scans is a deed like any other.
        """
        cutoff = time.time() - grace.total_seconds()
        removed: list[str] = []
        freed = kept = 0
        with self.store.write() as session:
            wanted = set(self._referenced(session))
            payloads = session.scalars(select(OutboxEntry.payload)).yield_per(500)
            wanted.update(referenced_blobs(payloads))
            for sha256 in list(self.blobs.all_hashes()):
                if sha256 in wanted:
                    continue
                if self.blobs.path(sha256).stat().st_mtime > cutoff:
                    kept += 1
                    continue
                freed += self.blobs.remove(sha256)
                removed.append(sha256)
                OcrIndex(self.store).forget(session, sha256)
            present = set(self.blobs.all_hashes())
            stale = [
                sha
                for sha in session.scalars(select(Attachment.sha256))
                if sha not in wanted and sha not in present
            ]
            if stale:
                session.execute(delete(Attachment).where(Attachment.sha256.in_(stale)))
            for leftover in self.blobs.leftovers():
                if leftover.stat().st_mtime <= cutoff:
                    leftover.unlink(missing_ok=True)
            audit.record(
                session,
                at=self.clock.now(),
                actor=actor,
                action="blobs.gc",
                entity="blob_store",
                entity_id="blobs",
                device_id=audit.this_device(session),
                detail={"removed": removed, "bytes_freed": freed, "rows_dropped": len(stale)},
            )
        return GarbageReport(tuple(removed), freed, len(stale), kept)


class BadFiles(BadFile):
    """Several files refused at once; ``problems`` holds each one's own message."""

    def __init__(self, problems: Sequence[BadFile]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            ", ".join(p.file_name for p in problems), "\n".join(str(p) for p in problems)
        )


def inspect_files(paths: Sequence[Path], settings: DigitizeSettings) -> list[IncomingFile]:
    """Check every file first; all the bad ones are named together, and nothing is kept."""
    files: list[IncomingFile] = []
    bad: list[BadFile] = []
    for path in paths:
        try:
            files.append(inspect_path(path, settings))
        except BadFile as exc:
            bad.append(exc)
    if bad:
        raise BadFiles(bad)
    return files


def attach_files(
    service: AttachmentService,
    code_or_id: str,
    number: int,
    paths: Sequence[Path],
    actor: StaffIdentity,
    settings: DigitizeSettings,
) -> tuple[DossierTarget, AssembledPdf]:
    """The screen's path without the screen: check, assemble in the given order, attach."""
    target = service.open(code_or_id)
    slot = target.slot(number)
    files = inspect_files(paths, settings)
    pdf = assemble(pages_of(files), settings)
    return service.attach(target.id, slot.document_id, pdf, actor), pdf
