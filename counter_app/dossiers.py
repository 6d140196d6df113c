"""Finding dossiers and recording what happens to them after reception."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, limits, outbox
from counter_app.auth import StaffIdentity
from counter_app.clock import Clock
from counter_app.errors import NotFound, ValidationError
from counter_app.installation import CounterContext, load_context
from counter_app.lifecycle import append_event, event_payload
from counter_app.limits import length_error
from counter_app.models import Dossier, DossierEvent
from counter_app.text import nfc


@dataclass(frozen=True)
class EventRecorded:
    dossier_id: str
    code: str
    status: str


def get_by_code(session: Session, code: str) -> Dossier:
    dossier = session.scalar(select(Dossier).where(Dossier.code == code.strip().upper()))
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code.strip()}.")
    return dossier


def record_event(
    session: Session,
    dossier: Dossier,
    kind: str,
    *,
    at: dt.datetime,
    actor: str,
    context: CounterContext,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append an event at this counter and queue it for the province, in one transaction."""
    event = append_event(
        session,
        dossier,
        kind,
        at=at,
        actor=actor,
        unit_code=context.unit_code,
        device_id=context.device_id,
        note=note,
        data=data,
    )
    session.flush()
    outbox.enqueue(
        session,
        entity="dossier_event",
        entity_id=dossier.id,
        operation="append_event",
        payload=event_payload(event),
        at=at,
    )
    return event


class DossierService:
    """Records the events of a dossier's life, each with its outbox and audit rows."""

    def __init__(self, store: Any, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def record(
        self,
        code: str,
        kind: str,
        actor: StaffIdentity,
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> EventRecorded:
        if message := length_error("Nội dung", nfc(note), limits.NOTE):
            raise ValidationError({"reason": message})
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            dossier = get_by_code(session, code)
            record_event(
                session,
                dossier,
                kind,
                at=now,
                actor=actor.username,
                context=context,
                note=nfc(note),
                data=data,
            )
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action=f"dossier.{kind}",
                entity="dossier",
                entity_id=dossier.id,
                device_id=context.device_id,
                detail={"code": dossier.code, "note": note} if note else {"code": dossier.code},
            )
            assert dossier.code is not None
            return EventRecorded(dossier.id, dossier.code, dossier.status)

    # The actions that print a form (forms 02-05) ------------------------------

    def request_supplement(
        self, code: str, items: list[str], reason: str, actor: StaffIdentity
    ) -> EventRecorded:
        """Ask for missing or incomplete papers (form 02); the dossier waits for them."""
        wanted = [nfc(item) for item in items if item.strip()]
        errors = {}
        if not wanted:
            errors["items"] = "Chưa nêu giấy tờ cần bổ sung, hoàn thiện."
        if not reason.strip():
            errors["reason"] = "Chưa nêu lý do yêu cầu bổ sung."
        if len(wanted) > limits.EVENT_ITEMS:
            errors["items"] = f"Nêu không quá {limits.EVENT_ITEMS} giấy tờ cần bổ sung."
        elif message := next(
            (m for item in wanted if (m := length_error("Một giấy tờ", item, limits.NOTE))), None
        ):
            errors["items"] = message
        if errors:
            raise ValidationError(errors)
        return self.record(code, "supplement_requested", actor, reason, {"items": wanted})

    def refuse(self, code: str, reason: str, actor: StaffIdentity) -> EventRecorded:
        """Refuse the dossier (form 03), saying why."""
        _require_reason(reason, "từ chối")
        return self.record(code, "rejected", actor, reason)

    def extend(
        self, code: str, new_due_at: dt.datetime, reason: str, actor: StaffIdentity
    ) -> EventRecorded:
        """Apologise and set a new appointment (form 04) for a dossier that will be late."""
        _require_reason(reason, "xin gia hạn")
        with self.store.read() as session:
            due = get_by_code(session, code).due_at
        if due is not None and new_due_at <= due:
            raise ValidationError(
                {"new_due_at": f"Ngày hẹn mới phải sau ngày hẹn cũ ({due:%H:%M %d/%m/%Y})."}
            )
        return self.record(code, "extended", actor, reason, {"new_due_at": new_due_at.isoformat()})

    def stop(self, code: str, reason: str, actor: StaffIdentity) -> EventRecorded:
        """Stop processing the dossier (form 05), saying why."""
        _require_reason(reason, "dừng giải quyết")
        return self.record(code, "stopped", actor, reason)


def _require_reason(reason: str, what: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": f"Chưa nêu lý do {what}."})
