"""Finding dossiers and recording what happens to them after reception."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, outbox
from counter_app.auth import StaffIdentity
from counter_app.clock import Clock
from counter_app.errors import NotFound
from counter_app.installation import load_context
from counter_app.lifecycle import append_event, event_payload
from counter_app.models import Dossier
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
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            dossier = get_by_code(session, code)
            event = append_event(
                session,
                dossier,
                kind,
                at=now,
                actor=actor.username,
                unit_code=context.unit_code,
                device_id=context.device_id,
                note=nfc(note),
                data=data,
            )
            session.flush()
            outbox.enqueue(
                session,
                entity="dossier_event",
                entity_id=dossier.id,
                operation="append_event",
                payload=event_payload(event),
                at=now,
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
