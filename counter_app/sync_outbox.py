"""The outbox as a sync sees it: what to send next, what the server said, what is stuck.

An entry is ``pending`` until the server has it (then ``sent``) or refused it
(then ``rejected``, with the server's reason for the clerk). A rejection holds
back only the later entries of the same dossier: the server would judge them
against a history it never accepted. Sent entries are kept, because after a
restore of the server from backup (a new server epoch) they are sent again.

This module speaks no HTTP; ``sync.client`` calls it with what it got back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from counter_app.id_lists import among, each
from counter_app.models import (
    Base,
    Dossier,
    DossierEvent,
    FeePayment,
    OutboxEntry,
    SetAsideChange,
    SyncCursor,
)
from counter_app.outbox import PENDING

SENT = "sent"
REJECTED = "rejected"
# Refused, then put right at the counter so it is never to be sent (a refunded fee).
SETTLED = "settled"
LAST_SYNC = "last_sync"
# A change pulled from the province that this counter set aside (sync_apply).
PULLED = "pull"
# What each kind of change is, in the clerk's words (danh sách lỗi đồng bộ).
OPERATION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "append_event": "Thao tác trên hồ sơ",
    "collect": "Thu phí, lệ phí",
    "reissue_receipt": "Hủy biên lai, cấp số mới",
    "attach": "Bổ sung/gỡ giấy tờ số hóa",
    "attach_result": "Số hóa/gỡ bản số hóa kết quả",
    PULLED: "Nhận thay đổi từ tỉnh (máy này không ghi được)",
}


@dataclass(frozen=True)
class PushOutcome:
    """The server's answer about one mutation, as the client received it."""

    mutation_id: str
    outcome: str  # applied, duplicate, rejected or deferred
    server_seq: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class SyncProblem:
    """A change the server refused, for the clerk's "sync problems" list."""

    dossier_id: str
    dossier_code: str | None
    operation: str
    reason: str
    queued_at: dt.datetime
    entity_id: str = ""  # what was refused: the dossier, or a fee payment of it

    @property
    def operation_label(self) -> str:
        return OPERATION_LABELS.get(self.operation, self.operation)


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    problems: tuple[SyncProblem, ...]
    last_success: dt.datetime | None


def next_batch(session: Session, limit: int) -> list[OutboxEntry]:
    """The oldest pending entries that no rejection holds back, in the order they were made."""
    held = select(OutboxEntry.entity_id).where(OutboxEntry.state == REJECTED)
    query = (
        select(OutboxEntry)
        .where(OutboxEntry.state == PENDING, OutboxEntry.entity_id.not_in(held))
        .order_by(OutboxEntry.id)
        .limit(limit)
    )
    return list(session.scalars(query))


# The payload keys that name a blob: a document's scan, a result's scan.
BLOB_KEYS = frozenset({"attachment_sha256", "result_sha256"})


def referenced_blobs(payloads: Iterable[dict[str, Any]]) -> list[str]:
    """SHA-256 of every scan the payloads mention, each once, in first-seen order.

    Looks everywhere in a payload, so a future operation that carries attachments
    elsewhere is covered; only containers are descended into, which keeps a
    backlog of thousands of receptions cheap to scan.
    """
    found: dict[str, None] = {}

    def walk(value: dict[str, Any] | list[Any]) -> None:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if key in BLOB_KEYS:
                if isinstance(item, str):
                    found.setdefault(item)
            elif isinstance(item, dict | list):
                walk(item)

    for payload in payloads:
        walk(payload)
    return list(found)


def _event_ids(entry: OutboxEntry) -> Iterator[str]:
    """The events a mutation carries: a reception's history, or the one event appended."""
    if entry.operation == "append_event":
        yield str(entry.payload["id"])
    for event in entry.payload.get("events", []) if entry.operation == "receive" else []:
        yield str(event["id"])


def record_push_results(session: Session, outcomes: Sequence[PushOutcome]) -> dict[str, int]:
    """Mark entries sent or rejected, and give sent events their server number; returns counts."""
    entries = {
        e.mutation_id: e
        for e in session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.mutation_id.in_([o.mutation_id for o in outcomes])
            )
        )
    }
    counts = {"applied": 0, "duplicate": 0, "rejected": 0, "deferred": 0}
    numbered: list[dict[str, Any]] = []
    rejected_dossiers: set[str] = set()
    for outcome in outcomes:
        entry = entries.get(outcome.mutation_id)
        if entry is None:
            continue
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
        if outcome.outcome in ("applied", "duplicate"):
            entry.state, entry.last_error = SENT, None
            if outcome.server_seq is not None:
                numbered.extend(
                    {"id": event_id, "server_seq": outcome.server_seq}
                    for event_id in _event_ids(entry)
                )
        elif outcome.outcome == "rejected":
            entry.state = REJECTED
            entry.attempts += 1
            entry.last_error = outcome.reason or "Máy chủ tỉnh từ chối thay đổi này."
            rejected_dossiers.add(entry.entity_id)
        else:
            entry.attempts += 1
    session.flush()
    if numbered:
        bulk_update(session, DossierEvent, numbered)
    refresh_status(session, rejected_dossiers)
    return counts


def pending_dossiers(session: Session, dossier_ids: Iterable[str]) -> set[str]:
    """The dossiers among ``dossier_ids`` with a local change still on its way to the server.

    A change held behind a refused one is not on its way: that dossier's local
    history was refused, so the server's word is what the clerk should see.
    """
    ids = list(dossier_ids)
    if not ids:
        return set()
    held = select(OutboxEntry.entity_id).where(OutboxEntry.state == REJECTED)
    return set(
        session.scalars(
            select(OutboxEntry.entity_id)
            .where(
                OutboxEntry.state == PENDING,
                among(OutboxEntry.entity_id, ids),
                OutboxEntry.entity_id.not_in(held),
            )
            .distinct()
        )
    )


def refresh_status(session: Session, dossier_ids: Iterable[str]) -> None:
    """Set each dossier's status from the newest event the server has numbered.

    Skipped for a dossier with a pending local change: a pull never overwrites
    what the clerk has done and the server has not heard of yet. A rejected local
    event has no server number, so its dossier goes back to the server's status.
    """
    ids = set(dossier_ids) - pending_dossiers(session, dossier_ids)
    if not ids:
        return
    # Each dossier's top number from the (dossier_id, server_seq) index; MAX skips NULL.
    listed = each(ids)
    top = select(func.max(DossierEvent.server_seq)).where(DossierEvent.dossier_id == listed.c.value)
    newest = select(
        listed.c.value.label("dossier_id"), top.scalar_subquery().label("top")
    ).subquery()
    rows = session.execute(
        select(DossierEvent.dossier_id, DossierEvent.status_after).join(
            newest,
            and_(
                DossierEvent.dossier_id == newest.c.dossier_id,
                DossierEvent.server_seq == newest.c.top,
            ),
        )
    ).all()
    statuses = {row.dossier_id: row.status_after for row in rows}
    current = dict(
        session.execute(select(Dossier.id, Dossier.status).where(among(Dossier.id, statuses))).all()
    )
    changed = [{"id": d, "status": s} for d, s in statuses.items() if current.get(d) != s]
    if changed:
        bulk_update(session, Dossier, changed)


def bulk_update(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """UPDATE many rows by id in one executemany, keeping loaded objects honest.

    Neither the ORM's bulk update nor Core's executemany: a catch-up updates
    tens of thousands of rows, and their per-row bookkeeping and parameter
    processing cost more than SQLite itself. The statement is compiled once;
    each column's values pass through that column's own bind processor, if its
    type has one, so what is stored is what SQLAlchemy would have written.
    """
    table = Base.metadata.tables[model.__tablename__]
    columns = [name for name in rows[0] if name != "id"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({name: bindparam(name) for name in columns})
    )
    connection = session.connection()
    dialect = connection.dialect
    compiled = statement.compile(dialect=dialect)
    values: dict[str, Iterable[Any]] = {"_id": [row["id"] for row in rows]}
    values.update((name, [row[name] for row in rows]) for name in columns)
    order = compiled.positiontup or []
    if sorted(order) != sorted(values):
        # Not plain positional binds of these values (a column default, another dialect).
        connection.execute(
            statement, [{"_id": row["id"], **{c: row[c] for c in columns}} for row in rows]
        )
    else:
        for name, listed in values.items():
            column = table.c.id if name == "_id" else table.c[name]
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                values[name] = map(process, listed)
        parameters = list(zip(*(values[name] for name in order), strict=True))
        connection.exec_driver_sql(str(compiled), parameters)
    keys = {row["id"] for row in rows}
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and getattr(obj, "id", None) in keys:
            session.expire(obj)


def retry_rejected(session: Session) -> int:
    """Queue the refused changes again (after the clerk or the province fixed the cause)."""
    entries = list(session.scalars(select(OutboxEntry).where(OutboxEntry.state == REJECTED)))
    for entry in entries:
        entry.state = PENDING
    return len(entries)


def record_progress(session: Session, at: dt.datetime) -> None:
    row = session.get(SyncCursor, LAST_SYNC) or SyncCursor(name=LAST_SYNC, value="")
    row.updated_at = at
    session.add(row)


def state(session: Session) -> OutboxState:
    """What the status bar shows: changes waiting, refused changes and when sync last worked."""
    waiting = (
        session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == PENDING)
        )
        or 0
    )
    # A fee payment is an entity of its own; the clerk needs its dossier all the same.
    dossier_id = func.coalesce(FeePayment.dossier_id, OutboxEntry.entity_id)
    rows = session.execute(
        select(OutboxEntry, dossier_id, Dossier.code)
        .outerjoin(FeePayment, FeePayment.id == OutboxEntry.entity_id)
        .outerjoin(Dossier, Dossier.id == dossier_id)
        .where(OutboxEntry.state == REJECTED)
        .order_by(OutboxEntry.id)
    ).all()
    problems = tuple(
        SyncProblem(
            dossier_id=owner,
            dossier_code=code,
            operation=entry.operation,
            reason=entry.last_error or "",
            queued_at=entry.created_at,
            entity_id=entry.entity_id,
        )
        for entry, owner, code in rows
    )
    pulled = session.execute(
        select(SetAsideChange, Dossier.code)
        .outerjoin(Dossier, Dossier.id == SetAsideChange.dossier_id)
        .order_by(SetAsideChange.seq)
    ).all()
    problems += tuple(
        SyncProblem(
            dossier_id=row.dossier_id,
            dossier_code=code,
            operation=PULLED,
            reason=row.reason,
            queued_at=row.at,
            entity_id=str(row.seq),
        )
        for row, code in pulled
    )
    last = session.get(SyncCursor, LAST_SYNC)
    return OutboxState(waiting, problems, last.updated_at if last else None)
