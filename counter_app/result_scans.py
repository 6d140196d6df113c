"""Scans of results (kết quả giải quyết): the paper the citizen takes home, digitized.

The province is scored on results digitized as well as on dossiers, so the
counter keeps one scan per dossier of the result it hands over: stored in the
blob store with its ``attachment`` row exactly as a document's scan is
(``counter_app.attachments.keep_scan``), named by ``dossier.result_sha256``.
A scan may be replaced (a better one, or a copy signed here) or taken off.

Who and when:

- only once the result exists: the dossier is "result ready" or "returned"
  (a result scanned after it left the counter is still worth keeping);
- only at the unit that received the dossier, which holds the result and
  hands it over (``require_received_here``, as for returns and fees);
- by those who hand results over at the counter: clerks, the supervisor,
  the administrator (``RETURNING_ROLES``). Not a postal agent: the
  digitizing rule of ``AttachmentService`` lets an agent attach scans to
  drafts only, and a dossier with a result was received long before.

``result_digitized_at`` is since when the result counts as digitized: the
time its scan was stored here, kept when the scan is replaced by a copy of it
signed here (the same paper), cleared when the scan is taken off. The
digitization index judges "results digitized" on it.

Every change is audited ("result.attach", "result.sign", "result.detach")
and queued for the province as a ``dossier_result`` change of its dossier
(``attach_result``), so it travels behind the events it follows and reaches
the unit's other counters and the competent unit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from counter_app import audit, outbox
from counter_app.assembly import AssembledPdf
from counter_app.attachments import AttachmentService, keep_scan
from counter_app.blobs import BlobStore
from counter_app.clock import Clock
from counter_app.dossiers import get_by_code
from counter_app.errors import NotAllowed, NotFound
from counter_app.fees import require_received_here
from counter_app.installation import load_context
from counter_app.lifecycle import RESULT_STATUSES, STATUS_LABELS, Status
from counter_app.models import Attachment, Dossier
from counter_app.returns import RETURNING_ROLES
from counter_app.roles import Role, StaffIdentity
from counter_app.store import Store

log = logging.getLogger(__name__)

RESULT_SCAN_ROLES = RETURNING_ROLES
OUTBOX_ENTITY = "dossier_result"
OUTBOX_OPERATION = "attach_result"


def may_digitize_results(role: Role) -> bool:
    """Whether this role digitizes results at all (the window hides the action otherwise)."""
    return role in RESULT_SCAN_ROLES


@dataclass(frozen=True)
class ResultScan:
    """A dossier's result and its scan, if it has one, as the screens and the CLI show it."""

    dossier_id: str
    code: str
    status: str
    sha256: str | None
    digitized_at: dt.datetime | None
    digitized_by: str | None
    page_count: int | None  # None: named, but not (yet) fetched from the province
    size: int | None

    @property
    def digitized(self) -> bool:
        return self.sha256 is not None


def result_scan(session: Session, dossier: Dossier) -> ResultScan:
    row = session.get(Attachment, dossier.result_sha256) if dossier.result_sha256 else None
    assert dossier.code is not None  # a dossier with a result was received
    return ResultScan(
        dossier_id=dossier.id,
        code=dossier.code,
        status=dossier.status,
        sha256=dossier.result_sha256,
        digitized_at=dossier.result_digitized_at if dossier.result_sha256 else None,
        digitized_by=dossier.result_digitized_by if dossier.result_sha256 else None,
        page_count=row.page_count if row else None,
        size=row.size if row else None,
    )


class ResultScanService:
    """Stores, replaces and takes off a dossier's result scan; the window, the CLI, the tests."""

    def __init__(self, store: Store, clock: Clock, blobs: BlobStore | None = None) -> None:
        self.attachments = AttachmentService(store, clock, blobs)
        self.store = store
        self.clock = clock
        self.blobs = self.attachments.blobs

    def open(self, code: str) -> ResultScan:
        with self.store.read() as session:
            return result_scan(session, get_by_code(session, code))

    def read_pdf(self, sha256: str) -> bytes:
        """The scan's bytes, checked against its hash."""
        return self.attachments.read_pdf(sha256)

    def check(self, code: str, actor: StaffIdentity) -> ResultScan:
        """Whether ``actor`` may digitize this dossier's result now; refused in Vietnamese.

        Asked before files are read and assembled, so a refusal costs nothing.
        """
        with self.store.read() as session:
            return result_scan(session, self._digitizable(session, code, actor))

    def attach(
        self,
        code: str,
        pdf: AssembledPdf,
        actor: StaffIdentity,
        *,
        action: str = "result.attach",
        same_scan: bool = False,
    ) -> ResultScan:
        """Store ``pdf`` and make it the result's scan (replacing any scan it had).

        ``same_scan``: the new bytes are the old scan signed here, so the time
        the result counts as digitized from stays.
        """
        self.check(code, actor)
        stored = self.blobs.put(pdf.content)  # before the row that names it
        now = self.clock.now()
        with self.store.write() as session:
            dossier = self._digitizable(session, code, actor)
            keep_scan(session, stored, pdf.page_count, actor.username, now)
            previous = dossier.result_sha256
            if not (same_scan and previous and dossier.result_digitized_at):
                dossier.result_digitized_at = now
                dossier.result_digitized_by = actor.username
            dossier.result_sha256 = stored.sha256
            self._record(session, dossier, actor, now, action, previous)
            scan = result_scan(session, dossier)
        log.info(
            "Số hóa kết quả hồ sơ %s: %d trang (%d byte, %s), bởi %s",
            code,
            pdf.page_count,
            stored.size,
            stored.sha256[:12],
            actor.username,
        )
        return scan

    def detach(self, code: str, actor: StaffIdentity) -> ResultScan:
        """Take the scan off the result; the blob stays for garbage collection to judge."""
        now = self.clock.now()
        with self.store.write() as session:
            dossier = self._digitizable(session, code, actor)
            previous = dossier.result_sha256
            if previous is None:
                raise NotFound(
                    f"Kết quả của hồ sơ {dossier.code} chưa được số hóa; không có gì để gỡ."
                )
            dossier.result_sha256 = None
            dossier.result_digitized_at = None
            dossier.result_digitized_by = None
            self._record(session, dossier, actor, now, "result.detach", previous)
            return result_scan(session, dossier)

    def _digitizable(self, session: Session, code: str, actor: StaffIdentity) -> Dossier:
        if not may_digitize_results(actor.role):
            raise NotAllowed(
                "Nhân viên bưu điện không số hóa kết quả giải quyết; hãy nhờ cán bộ một cửa "
                "số hóa khi nhận kết quả về."
            )
        dossier = get_by_code(session, code)
        status = Status(dossier.status)
        if status not in RESULT_STATUSES:
            raise NotAllowed(
                f"Hồ sơ {dossier.code} đang ở trạng thái '{STATUS_LABELS[status]}', chưa có "
                "kết quả giải quyết để số hóa; hãy số hóa sau khi hồ sơ có kết quả."
            )
        require_received_here(dossier, load_context(session), "số hóa kết quả")
        return dossier

    def _record(
        self,
        session: Session,
        dossier: Dossier,
        actor: StaffIdentity,
        now: dt.datetime,
        action: str,
        previous: str | None,
    ) -> None:
        context = load_context(session)
        audit.record(
            session,
            at=now,
            actor=actor.username,
            action=action,
            entity="dossier",
            entity_id=dossier.id,
            device_id=context.device_id,
            detail={"code": dossier.code, "sha256": dossier.result_sha256, "previous": previous},
        )
        digitized = dossier.result_digitized_at
        outbox.enqueue(
            session,
            entity=OUTBOX_ENTITY,
            entity_id=dossier.id,
            operation=OUTBOX_OPERATION,
            payload={
                "dossier_id": dossier.id,
                "result_sha256": dossier.result_sha256,
                "digitized_at": digitized.isoformat() if digitized else None,
                "at": now.isoformat(),
                "actor": actor.username,
                "unit_code": context.unit_code,
                "device_id": context.device_id,
            },
            at=now,
        )
        session.flush()
