"""Signed digitized copies: signing a document's or a result's PDF here, keeping what
signatures proved.

One service for the window, the CLI and the tests. Signing reads the stored
PDF of a document (or of the dossier's result, ``counter_app.result_scans``),
signs it on the token (``counter_app.signing``) and attaches the signed bytes
as a new blob, through the same attach path as a scan (audited as
``document.sign`` or ``result.sign``, queued for the province): the unsigned
copy stays in the blob store for whoever else names it, and the dedupe by
hash holds since the signed PDF is other bytes. The signed copy is the same
paper, so the time the scan counts from stays.

Every signed PDF the counter takes in — one a person attaches, one signed
here, one fetched from the province — is checked and its ``SignatureStatus``
kept by hash (``scan_signature``). A broken signature is recorded and shown,
never silently accepted; nothing stored is thrown away for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.assembly import AssembledPdf, PageRef, assemble, pages_of
from counter_app.attachments import AttachmentService, DossierTarget, inspect_files
from counter_app.blobs import BlobStore, sha256_of
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import CounterError, NotAllowed, NotFound
from counter_app.fetched_scans import FetchedScan
from counter_app.installation import load_context
from counter_app.intake import IncomingFile
from counter_app.models import ScanSignature
from counter_app.ocr import OcrIndex
from counter_app.result_scans import ResultScan, ResultScanService
from counter_app.roles import Role, StaffIdentity
from counter_app.signing import (
    NO_SIGNATURE,
    SignatureStatus,
    SigningSettings,
    SigningUnavailable,
    has_signature,
    library_installed,
    load_trust_roots,
    sign_with_token,
    token_ready,
    verify_pdf,
    why_unavailable,
)

# Who may sign a copy as the centre's: not a postal agent, who digitizes drafts only.
SIGNING_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class SignedResult:
    scan: ResultScan
    sha256: str
    size: int
    status: SignatureStatus


@dataclass(frozen=True)
class SignedCopy:
    target: DossierTarget
    number: int
    sha256: str
    size: int
    status: SignatureStatus


def check_pdf(content: bytes, settings: SigningSettings) -> SignatureStatus:
    """The PDF's signatures checked against the configured trust roots (none: no signature)."""
    if not has_signature(content):
        return NO_SIGNATURE
    roots = load_trust_roots(settings.trust_roots) if library_installed() else []
    return verify_pdf(content, roots)


def check_files(
    files: Sequence[IncomingFile], settings: SigningSettings
) -> dict[str, SignatureStatus]:
    """Per file name, the status of each given PDF that carries a signature."""
    return {
        f.name: check_pdf(f.content, settings)
        for f in files
        if f.kind == "pdf" and has_signature(f.content)
    }


def given_whole(pages: Sequence[PageRef]) -> AssembledPdf | None:
    """A signed PDF given alone, every page in order and unturned: its own bytes.

    Assembling rewrites a PDF, which would break its signature; such a file is
    what its signer made, so it is stored as it came.
    """
    if not pages:
        return None
    source = pages[0].source
    whole = (
        source.kind == "pdf"
        and has_signature(source.content)
        and all(ref.source is source for ref in pages)
        and [ref.index for ref in pages] == list(range(len(source.pages)))
        and not any(ref.rotation for ref in pages)
    )
    if not whole:
        return None
    count = len(source.pages)
    return AssembledPdf(source.content, count, sha256_of(source.content), count, 0)


def record(session: Session, sha256: str, status: SignatureStatus, at: dt.datetime) -> None:
    """Keep what the scan's signatures proved; a scan with none keeps no row."""
    if status.kind == "none":
        return
    row = session.get(ScanSignature, sha256)
    if row is None:
        row = ScanSignature(sha256=sha256)
        session.add(row)
    row.status = status.kind
    row.signer = status.signer[:300]
    row.signed_at = status.signed_at
    row.why = status.why[:500]
    row.checked_at = at


def statuses(session: Session, hashes: Iterable[str]) -> dict[str, SignatureStatus]:
    """The kept status of each of these scans that carries a signature."""
    wanted = [h for h in hashes if h]
    if not wanted:
        return {}
    rows = session.scalars(select(ScanSignature).where(ScanSignature.sha256.in_(wanted)))
    return {
        row.sha256: SignatureStatus(row.status, row.signer, row.signed_at, row.why)  # type: ignore[arg-type]
        for row in rows
    }


def check_fetched(
    blobs: BlobStore, scans: Sequence[FetchedScan], settings: SigningSettings
) -> dict[str, SignatureStatus]:
    """The status of each signed scan just fetched from the province (read from the blob
    store, checked outside any transaction: a check takes a moment, the write lock none)."""
    found: dict[str, SignatureStatus] = {}
    for scan in scans:
        content = blobs.read(scan.sha256)
        if has_signature(content):
            found[scan.sha256] = check_pdf(content, settings)
    return found


def record_all(session: Session, found: dict[str, SignatureStatus], at: dt.datetime) -> None:
    for sha256, status in found.items():
        record(session, sha256, status, at)


class InvalidSignature(CounterError):
    """A given PDF's signature is broken; the person decides whether to attach it all the same."""

    def __init__(self, statuses: dict[str, SignatureStatus]) -> None:
        self.statuses = statuses
        sentences = " ".join(status.describe(name) for name, status in statuses.items())
        super().__init__(
            f"{sentences} Chưa đính kèm gì; nếu vẫn muốn đính kèm tệp này, hãy chọn "
            "đính kèm dù chữ ký không hợp lệ (chữ ký hỏng sẽ được ghi lại và hiển thị)."
        )


@dataclass(frozen=True)
class CheckedDocument:
    """The PDF to attach, the status of each signed file given, and that of the stored bytes."""

    pdf: AssembledPdf
    signatures: dict[str, SignatureStatus]
    kept: SignatureStatus

    def lost_signatures(self) -> list[str]:
        """Signed files whose signature does not survive because they were assembled with more."""
        if self.kept.signed:
            return []
        return [name for name, status in self.signatures.items() if status.signed]


def assemble_checked(
    pages: Sequence[PageRef],
    settings: DigitizeSettings,
    signing: SigningSettings,
    *,
    keep_invalid: bool = False,
) -> CheckedDocument:
    """Check the given PDFs' signatures, then make the document's PDF.

    A broken signature stops here (``InvalidSignature``, nothing stored) unless
    the person chose to keep the file all the same. A signed PDF given whole is
    kept byte for byte, so its signature stays; pages of it assembled with
    others lose it, and ``lost_signatures`` names those files.
    """
    sources: dict[int, IncomingFile] = {}
    for ref in pages:
        sources.setdefault(id(ref.source), ref.source)
    signatures = check_files(list(sources.values()), signing)
    broken = {name: s for name, s in signatures.items() if s.kind == "invalid"}
    if broken and not keep_invalid:
        raise InvalidSignature(broken)
    whole = given_whole(pages)
    if whole is not None:
        return CheckedDocument(whole, signatures, signatures[pages[0].source.name])
    return CheckedDocument(assemble(pages, settings), signatures, NO_SIGNATURE)


def assemble_files_checked(
    paths: Sequence[Path],
    settings: DigitizeSettings,
    signing: SigningSettings,
    *,
    keep_invalid: bool = False,
) -> CheckedDocument:
    """``assemble_checked`` of the pages of files on disk, each file checked first."""
    files = inspect_files(paths, settings)
    return assemble_checked(pages_of(files), settings, signing, keep_invalid=keep_invalid)


def record_checked(service: AttachmentService, checked: CheckedDocument) -> None:
    """Keep the stored PDF's signature status once it is attached."""
    if checked.kept.signed:
        with service.store.write() as session:
            record(session, checked.pdf.sha256, checked.kept, service.clock.now())


def attach_checked(
    service: AttachmentService,
    code_or_id: str,
    number: int,
    paths: Sequence[Path],
    actor: StaffIdentity,
    settings: DigitizeSettings,
    signing: SigningSettings,
    *,
    keep_invalid: bool = False,
) -> tuple[DossierTarget, CheckedDocument]:
    """``attach_files`` with the given PDFs' signatures checked and the kept one recorded."""
    target = service.open(code_or_id)
    slot = target.slot(number)
    checked = assemble_files_checked(paths, settings, signing, keep_invalid=keep_invalid)
    attached = service.attach(target.id, slot.document_id, checked.pdf, actor)
    record_checked(service, checked)
    return attached, checked


def attach_result_checked(
    service: ResultScanService,
    code: str,
    paths: Sequence[Path],
    actor: StaffIdentity,
    settings: DigitizeSettings,
    signing: SigningSettings,
    *,
    keep_invalid: bool = False,
) -> tuple[ResultScan, CheckedDocument]:
    """The result's scan from files, as ``attach_checked`` makes a document's."""
    checked = check_result_files(
        service, code, paths, actor, settings, signing, keep_invalid=keep_invalid
    )
    return store_result(service, code, checked, actor), checked


def check_result_files(
    service: ResultScanService,
    code: str,
    paths: Sequence[Path],
    actor: StaffIdentity,
    settings: DigitizeSettings,
    signing: SigningSettings,
    *,
    keep_invalid: bool = False,
) -> CheckedDocument:
    """The first half, CPU work that writes nothing: may the result be digitized, are the
    files good, their signatures, the PDF. A refusal or a bad file leaves the store as it was,
    and is said before any file is read when it is the dossier that is refused."""
    service.check(code, actor)
    return assemble_files_checked(paths, settings, signing, keep_invalid=keep_invalid)


def store_result(
    service: ResultScanService, code: str, checked: CheckedDocument, actor: StaffIdentity
) -> ResultScan:
    """The second half, on the store's writer: keep the PDF as the result's scan."""
    scan = service.attach(code, checked.pdf, actor)
    record_checked(service.attachments, checked)
    return scan


class SigningService:
    """Signs a document's digitized copy with the centre's token; keeps signature statuses."""

    def __init__(self, attachments: AttachmentService, settings: SigningSettings) -> None:
        self.attachments = attachments
        self.settings = settings

    @property
    def available(self) -> bool:
        """Whether signing is offered at all: hidden, not broken, without a token."""
        return token_ready(self.settings)

    def sign_document(
        self, code_or_id: str, number: int, pin: str, actor: StaffIdentity
    ) -> SignedCopy:
        """Sign document ``number``'s PDF with the token and attach the signed copy."""
        self._may_sign(actor)
        service = self.attachments
        target = service.open(code_or_id)
        slot = target.slot(number)
        if slot.attachment_sha256 is None or slot.attachment is None:
            raise NotFound(
                f"Giấy tờ {number} ({slot.name}) của hồ sơ {target.label} chưa có bản số hóa "
                "trên máy này; hãy số hóa giấy tờ trước rồi ký."
            )
        pdf, status = self._signed(slot.attachment_sha256, slot.attachment.page_count, pin)
        updated = service.attach(
            target.id, slot.document_id, pdf, actor, action="document.sign", same_scan=True
        )
        self._keep(slot.attachment_sha256, pdf.sha256, status)
        return SignedCopy(updated, number, pdf.sha256, pdf.size, status)

    def sign_result(self, code: str, pin: str, actor: StaffIdentity) -> SignedResult:
        """Sign the dossier's result scan with the token; the signed copy replaces it."""
        self._may_sign(actor)
        service = self.attachments
        results = ResultScanService(service.store, service.clock, service.blobs)
        scan = results.check(code, actor)
        if scan.sha256 is None or scan.page_count is None:
            raise NotFound(
                f"Kết quả của hồ sơ {scan.code} chưa có bản số hóa trên máy này; hãy số hóa "
                "kết quả trước rồi ký."
            )
        pdf, status = self._signed(scan.sha256, scan.page_count, pin)
        updated = results.attach(code, pdf, actor, action="result.sign", same_scan=True)
        self._keep(scan.sha256, pdf.sha256, status)
        return SignedResult(updated, pdf.sha256, pdf.size, status)

    def _may_sign(self, actor: StaffIdentity) -> None:
        if not self.available:
            raise SigningUnavailable(why_unavailable(self.settings))
        if actor.role not in SIGNING_ROLES:
            raise NotAllowed("Nhân viên bưu điện không ký số bản sao; hãy nhờ cán bộ một cửa ký.")

    def _signed(
        self, original: str, page_count: int, pin: str
    ) -> tuple[AssembledPdf, SignatureStatus]:
        """The stored scan ``original`` signed on the token, and what the signature proves."""
        service = self.attachments
        content = service.read_pdf(original)
        with service.store.read() as session:
            unit_name = load_context(session).unit_name
        signed = sign_with_token(content, self.settings, pin, location=unit_name)
        status = check_pdf(signed, self.settings)
        return AssembledPdf(signed, page_count, sha256_of(signed), 0, 0), status

    def _keep(self, original: str, copy: str, status: SignatureStatus) -> None:
        """Record the signed copy's status; its text is the unsigned scan's."""
        self.record(copy, status)
        if self.attachments.store.data_dir is not None:
            OcrIndex(self.attachments.store).carry_over(original, copy)

    def record(self, sha256: str, status: SignatureStatus) -> None:
        with self.attachments.store.write() as session:
            record(session, sha256, status, self.attachments.clock.now())

    def statuses(self, hashes: Iterable[str]) -> dict[str, SignatureStatus]:
        with self.attachments.store.read() as session:
            return statuses(session, hashes)
