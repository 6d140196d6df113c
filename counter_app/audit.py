"""The audit trail: one row per thing a person did, in the same transaction as the deed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.models import AuditEntry, Device

# Who a deed is recorded under when no person did it (a migration, a test fixture).
SYSTEM = "system"


def record(
    session: Session,
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    device_id: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=at,
            actor=actor[:64],
            action=action,
            entity=entity,
            entity_id=entity_id,
            device_id=device_id,
            detail=detail or {},
        )
    )


def this_device(session: Session) -> str | None:
    """This PC's device id, for deeds done where the caller holds no ``CounterContext``."""
    return session.scalar(select(Device.id).where(Device.is_this_device.is_(True)))
