"""The transactional outbox: what this counter still owes the provincial server.

A service that changes domain rows calls ``enqueue`` inside the same write
transaction, so a change is either both stored and queued, or neither.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.models import OutboxEntry, new_id

PAYLOAD_SCHEMA_VERSION = 1
PENDING = "pending"


def enqueue(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    operation: str,
    payload: dict[str, Any],
    at: dt.datetime,
) -> str:
    """Queue one mutation; returns its id, which the server uses to apply it only once."""
    mutation_id = new_id()
    session.add(
        OutboxEntry(
            mutation_id=mutation_id,
            entity=entity,
            entity_id=entity_id,
            operation=operation,
            payload=payload,
            schema_version=PAYLOAD_SCHEMA_VERSION,
            state=PENDING,
            created_at=at,
        )
    )
    return mutation_id


def pending_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == PENDING)
        )
        or 0
    )
