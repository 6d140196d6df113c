"""One dossier as JSON, for scripts and checks (``counter-app dossier show CODE --format json``).

Built from the same view as the dossier window (``dossier_view``) and the same
fee status as the fee dialog (``fees.fee_status``), so a script sees what a
clerk sees. The shape is documented in the README; ``SCHEMA`` names its version,
to be raised when a key changes meaning or goes away (adding keys does not).
Times are ISO 8601 in Vietnam local time without an offset, as stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.dossier_view import DossierView, load_dossier_view
from counter_app.dossiers import get_by_code
from counter_app.fees import fee_status
from counter_app.models import Attachment

SCHEMA = "ward-counter.dossier/1"


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def dossier_json(session: Session, code: str) -> dict[str, Any]:
    """The dossier with this code as plain JSON values; NotFound when there is none."""
    view = load_dossier_view(session, code)
    fees = fee_status(session, get_by_code(session, view.code))
    hashes = {line.attachment_sha256 for line in view.documents if line.attachment_sha256}
    attachments = {
        row.sha256: row
        for row in session.scalars(select(Attachment).where(Attachment.sha256.in_(hashes)))
    }
    documents = []
    for line in view.documents:
        stored = attachments.get(line.attachment_sha256 or "")
        documents.append(
            {
                "position": line.position,
                "name": line.name,
                "form": line.form,
                "form_label": line.form_label,
                "count": line.count,
                "received": line.received,
                "attachment": None
                if line.attachment_sha256 is None
                else {
                    "sha256": line.attachment_sha256,
                    "page_count": stored.page_count if stored else None,
                    "size": stored.size if stored else None,
                },
            }
        )
    return {
        "schema": SCHEMA,
        "code": view.code,
        "status": view.status,
        "status_label": view.status_label,
        "procedure": {
            "code": view.procedure_code,
            "name": view.procedure_name,
            "field": view.procedure_field,
            "processing": view.processing_label,
        },
        "applicant": {"full_name": view.applicant.full_name},
        "receiving_unit": {"code": view.receiving_unit.code, "name": view.receiving_unit.name},
        "competent_unit": {"code": view.competent_unit.code, "name": view.competent_unit.name},
        "channel": view.channel,
        "return_method": view.return_method,
        "received_at": _time(view.received_at),
        "received_by": view.received_by,
        "appointment": _appointment(view),
        "events": [
            {
                "seq": e.seq,
                "kind": e.kind,
                "label": e.label,
                "status_after": e.status_after,
                "at": _time(e.at),
                "actor": e.actor,
                "note": e.note,
                "data": dict(e.data),
            }
            for e in view.events
        ],
        "documents": documents,
        "fees": {
            "fee_vnd": fees.fee_vnd,
            "charge_vnd": fees.charge_vnd,
            "due_vnd": fees.due_vnd,
            "note": fees.fee_note,
            "collected_vnd": sum(p.amount_vnd for p in fees.payments if not p.exempt),
            "payments": [
                {
                    "amount_vnd": p.amount_vnd,
                    "method": p.method,
                    "reference": p.reference,
                    "exemption_reason": p.exemption_reason,
                    "stage": p.stage,
                    "collected_at": _time(p.collected_at),
                    "collected_by": p.collected_by,
                }
                for p in fees.payments
            ],
        },
    }


def _appointment(view: DossierView) -> dict[str, str | None]:
    """The date the result is due, with the first one given and the apology's, if any."""
    return {
        "due_at": _time(view.due_at),
        "first_due_at": _time(view.first_due_at),
        "extended_due_at": _time(view.extended_due_at),
        "supplement_received_at": _time(view.supplement_received_at),
    }


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The JSON's main facts as lines a person reads (the command's default output)."""
    lines = [
        f"{data['code']}\t{data['status_label']}",
        f"Thủ tục: {data['procedure']['code']} {data['procedure']['name']}",
        f"Tiếp nhận: {data['received_at']}\tHẹn trả: {data['appointment']['due_at']}",
    ]
    for document in data["documents"]:
        attached = document["attachment"]
        scan = f"\t{attached['sha256']} ({attached['page_count']} trang)" if attached else ""
        lines.append(f"Giấy tờ {document['position']}: {document['name']}{scan}")
    fees = data["fees"]
    lines.append(f"Phí, lệ phí: phải thu {fees['due_vnd']} đ, đã thu {fees['collected_vnd']} đ")
    lines.extend(f"{e['at']}\t{e['label']}" for e in data["events"])
    return lines
