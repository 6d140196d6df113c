"""Applying the mutations that follow a reception: a fee taken, a scan attached later.

Both belong to the receiving unit, as the dossier does. A fee is pulled back
only by that unit's counters (it is that unit's money and receipt book); a
document's scan goes to the competent unit as well, since that unit processes
the dossier from it.

A dossier's fee is taken once. Two counters of a unit that were both offline
may each have taken it; the first to reach the province is kept and the second
is refused with the first one's time and clerk, so the clerk refunds it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sync import protocol
from sync.server.changes import ChangeLog, Numbered
from sync.server.devices import DeviceIdentity
from sync.server.models import BlobRef, ServerDossier, ServerFeePayment, SetAsideReport
from sync.server.rejection import Rejected

METHOD_WORDS = {"cash": "thu tiền mặt", "transfer": "thu chuyển khoản", "exempt": "miễn thu"}


def record_fee(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    data: protocol.FeePaymentData,
    earlier: ServerFeePayment | None,
    *,
    device_id: str,
    now: dt.datetime,
) -> tuple[ServerFeePayment, Numbered]:
    """Store the payment of ``dossier``, unless ``earlier`` (another payment of it) was stored."""
    if earlier is not None:
        raise Rejected(
            "fee_already_taken",
            f"Phí, lệ phí của hồ sơ {dossier.code} đã được {METHOD_WORDS.get(earlier.method, '')} "
            f"lúc {earlier.collected_at:%H:%M %d/%m/%Y} (cán bộ {earlier.collected_by}, máy "
            "khác của đơn vị); khoản thu này không được ghi nhận, hãy hoàn lại cho công dân "
            "và hủy biên lai.",
        )
    payment = ServerFeePayment(
        id=data.id,
        dossier_id=dossier.id,
        unit_code=data.unit_code,
        device_id=device_id,
        amount_vnd=data.amount_vnd,
        method=data.method,
        stage=data.stage,
        collected_at=data.collected_at,
        collected_by=data.collected_by,
        payload=data.model_dump(mode="json"),
        stored_at=now,
    )
    session.add(payment)
    body = protocol.Change(seq=0, kind="fee_payment", dossier_id=dossier.id, fee_payment=data)
    numbered = log.add(
        "fee_payment", dossier.id, {dossier.receiving_unit_code}, body.model_dump(mode="json"), []
    )
    return payment, numbered


def attach_document(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    data: protocol.DocumentAttachment,
    *,
    blob_stored: bool,
) -> Numbered:
    """Point one document of ``dossier`` at a scan (or at none) and tell both units."""
    documents: list[dict[str, Any]] = [dict(d) for d in dossier.payload.get("documents") or []]
    found = next((d for d in documents if d.get("id") == data.document_id), None)
    if found is None:
        raise Rejected(
            "unknown_document",
            f"Hồ sơ {dossier.code} trên máy chủ tỉnh không có giấy tờ này; "
            "hãy báo quản trị để kiểm tra.",
        )
    sha256 = data.attachment_sha256
    if sha256 is not None and not blob_stored:
        raise Rejected(
            "missing_blob",
            f"Máy chủ tỉnh chưa nhận đủ tệp đính kèm '{found.get('name', '')}' "
            f"của hồ sơ {dossier.code}.",
        )
    found["attachment_sha256"] = sha256
    # A new dict, so the JSON column is seen as changed.
    dossier.payload = {**dossier.payload, "documents": documents}
    if sha256 is not None and session.get(BlobRef, (sha256, dossier.id)) is None:
        session.add(BlobRef(sha256=sha256, dossier_id=dossier.id))
    body = protocol.Change(seq=0, kind="document", dossier_id=dossier.id, document=data)
    audience = {dossier.receiving_unit_code, dossier.competent_unit_code}
    return log.add("document", dossier.id, audience, body.model_dump(mode="json"), [])


def record_set_aside(
    session: Session,
    device: DeviceIdentity,
    changes: list[protocol.SetAsideChange],
    now: dt.datetime,
) -> None:
    """Keep what a counter could not store from its pull, for the administrator to put right."""
    known = set(
        session.scalars(
            select(SetAsideReport.seq).where(
                SetAsideReport.device_id == device.id,
                SetAsideReport.seq.in_([c.seq for c in changes]),
            )
        )
    )
    for change in changes:
        if change.seq in known or "\x00" in change.reason + change.dossier_id + change.kind:
            continue
        known.add(change.seq)
        session.add(
            SetAsideReport(
                device_id=device.id,
                seq=change.seq,
                unit_code=device.unit_code,
                kind=change.kind,
                dossier_id=change.dossier_id,
                reason=change.reason,
                reported_at=now,
            )
        )


def unit_may_read_blob(session: Session, sha256: str, unit_code: str) -> bool:
    """A unit may download a scan named by a dossier it sees (received, or competent for)."""
    found = session.scalar(
        select(BlobRef.dossier_id)
        .join(ServerDossier, ServerDossier.id == BlobRef.dossier_id)
        .where(
            BlobRef.sha256 == sha256,
            or_(
                ServerDossier.receiving_unit_code == unit_code,
                ServerDossier.competent_unit_code == unit_code,
            ),
        )
        .limit(1)
    )
    return found is not None
