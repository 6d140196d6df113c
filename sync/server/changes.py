"""The change log: every change a counter may pull, numbered so a pull never skips one.

A counter pulls "everything after my cursor", so a change must never appear
below a number a counter has already passed. Numbering alone cannot promise
that on PostgreSQL, where pushes commit side by side: a transaction that took 10
can commit after one that took 11. Numbering under one row lock held until
commit (the old ``seq_counter``) made whoever numbered second commit second, but
it queued every push of the province behind that row.

So on PostgreSQL numbers come from a sequence, and a pull is cut at the
*settled head* instead: the highest number below which no transaction can still
commit. Each change row stores ``horizon``, a transaction id above every one
the server's writers held when its numbers had been drawn; a writer holds its
transaction id before it draws numbers (``_draw_postgres``). Any writer with a
lower number drew it earlier, so its transaction id is below that horizon. A
pull first bounds the oldest of the server's writers still running (its
connections carry ``application_name`` ``province-server``, db.py), then keeps
the rows whose horizon is under that bound: every lower number is then
committed and visible, or rolled back for good. Other work on the cluster
does not hold pulls back. The full argument is in docs/protocol.md.

SQLite has one writer at a time (``BEGIN IMMEDIATE``), so there the counter row
is no contention: it keeps numbering under the write lock, and its value is the
settled head.

The pull bodies are rendered beforehand with the number left blank, and
numbering fills them in just before the bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sync.server.db import APPLICATION_NAME, CHANGE_SEQ
from sync.server.models import ChangeAudience, ChangeRow, SeqCounter, ServerEvent

_EVENT_TABLE = ServerEvent.metadata.tables[ServerEvent.__tablename__]
# PostgreSQL's transaction ids as bigint: xid8 has no cast to it but through text.
# A snapshot's xmax is one past the latest transaction *ended*, not the next to start.
_NEXT_XID = "pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
# The server's own transactions holding an id, in this database: only they number changes.
_OUR_WRITERS = (
    "backend_xid IS NOT NULL AND application_name = :name"
    " AND datid = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
# The oldest id among them still running, widened to 64 bits against the snapshot's
# xmax (a 32-bit id lies within 2^31 of it); the xmax itself when none runs.
_OLDEST_OF_OURS = (
    "SELECT least(x.xmax, min(x.xmax + ((backend_xid::text::bigint - x.xmax % 4294967296"
    " + 6442450944) % 4294967296) - 2147483648))"
    f" FROM (SELECT {_NEXT_XID} AS xmax, pg_stat_clear_snapshot()) x"
    f" LEFT JOIN pg_stat_get_activity(NULL) a ON {_OUR_WRITERS}"
    " GROUP BY x.xmax"
)
SEQUENCE = "change_seq"


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _draw_postgres(session: Session, count: int) -> tuple[list[int], int]:
    """``count`` numbers from the sequence, and the horizon of the changes they number.

    The transaction takes its own id first: a pull bounds a writer by its id, and a
    transaction that had written nothing yet would get one only at the insert. The
    horizon is read after the numbers were drawn, in statements of their own.
    """
    # Also drops any pg_stat_activity this transaction read before: PostgreSQL keeps
    # the first one read until the transaction ends, and the horizon needs a fresh one.
    session.execute(text("SELECT pg_current_xact_id(), pg_stat_clear_snapshot()"))
    rows = session.execute(
        text(f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, :count)"), {"count": count}
    )
    seqs = sorted(int(seq) for seq in rows.scalars())
    # Past every transaction id running now: pg_stat_activity lists each backend's id
    # (32 bits; age() measures it from our own, which the full 64-bit id anchors).
    running = session.execute(
        text(
            "SELECT pg_current_xact_id()::text::bigint - min(age(backend_xid)) + 1"
            f" FROM pg_stat_get_activity(NULL) WHERE {_OUR_WRITERS}"
        ),
        {"name": APPLICATION_NAME},
    ).scalar_one()
    # Past every transaction that ended before that: a fresh snapshot's xmax.
    horizon = session.execute(
        text(f"SELECT greatest(:running, {_NEXT_XID})"), {"running": int(running)}
    ).scalar_one()
    return seqs, int(horizon)


def _draw_counter(session: Session, count: int) -> list[int]:
    """``count`` numbers from the counter row (SQLite: the write lock is already ours)."""
    last = session.execute(
        update(SeqCounter)
        .where(SeqCounter.name == CHANGE_SEQ)
        .values(value=SeqCounter.value + count)
        .returning(SeqCounter.value)
    ).scalar_one()
    return list(range(last - count + 1, last + 1))


@dataclass
class Numbered:
    """Where a change's number lands once the log has numbered it."""

    seq: int | None = None


@dataclass
class _Pending:
    kind: str
    dossier_id: str
    audience: frozenset[str]
    body: dict[str, Any]
    events: list[ServerEvent]
    numbered: Numbered


@dataclass
class ChangeLog:
    """Changes gathered during one write transaction, numbered and written by ``commit``."""

    pending: list[_Pending] = field(default_factory=list)

    def add(
        self,
        kind: str,
        dossier_id: str,
        audience: Iterable[str],
        body: dict[str, Any],
        events: list[ServerEvent],
    ) -> Numbered:
        """Queue a change whose pull ``body`` (a ``protocol.Change`` as JSON) lacks its number.

        The ``events`` it carries get the change's number as their ``server_seq``,
        in the body and in the database.
        """
        numbered = Numbered()
        self.pending.append(_Pending(kind, dossier_id, frozenset(audience), body, events, numbered))
        return numbered

    def commit(self, session: Session, now: dt.datetime) -> None:
        """Number the queued changes and write them; call last, just before the commit."""
        if not self.pending:
            return
        session.flush()  # every other write of the transaction, before numbering
        count = len(self.pending)
        postgres = _is_postgres(session)
        if postgres:
            seqs, horizon = _draw_postgres(session, count)
        else:
            seqs, horizon = _draw_counter(session, count), 0
        changes: list[dict[str, Any]] = []
        audience: list[dict[str, Any]] = []
        numbers: list[dict[str, Any]] = []
        for seq, item in zip(seqs, self.pending, strict=True):
            item.numbered.seq = seq
            item.body["seq"] = seq
            for event_body in _carried_events(item):
                event_body["server_seq"] = seq
            for event in item.events:
                set_committed_value(event, "server_seq", seq)
                numbers.append({"event_id": event.id, "seq": seq})
            changes.append(
                {
                    "seq": seq,
                    "kind": item.kind,
                    "dossier_id": item.dossier_id,
                    "body": json.dumps(item.body, ensure_ascii=False, separators=(",", ":")),
                    "committed_at": now,
                    "horizon": horizon,
                }
            )
            audience.extend({"unit_code": unit, "seq": seq} for unit in item.audience)
        session.execute(insert(ChangeRow), changes)
        session.execute(insert(ChangeAudience), audience)
        if numbers:
            session.connection().execute(
                update(_EVENT_TABLE)
                .where(_EVENT_TABLE.c.id == bindparam("event_id"))
                .values(server_seq=bindparam("seq")),
                numbers,
            )
        self.pending.clear()


def _carried_events(item: _Pending) -> list[dict[str, Any]]:
    """The event bodies a change carries, which take its number as their ``server_seq``."""
    if item.kind == "event":
        return [item.body["event"]]
    if item.kind == "dossier":
        events: list[dict[str, Any]] = item.body["dossier"]["events"]
        return events
    return []


def head(session: Session) -> int:
    """The settled head: no change numbered at or below it can still appear.

    Monotonic (the oldest running transaction only moves forward), so a counter's
    cursor, always at most a head it was given, never exceeds a later head.
    """
    if not _is_postgres(session):
        return session.scalar(select(SeqCounter.value).where(SeqCounter.name == CHANGE_SEQ)) or 0
    # Running writers first, then (a later statement, a later snapshot) the rows: a
    # writer that ended between the two has its rows in that snapshot.
    oldest = session.execute(text(_OLDEST_OF_OURS), {"name": APPLICATION_NAME}).scalar_one()
    # Walks the primary key down from the top; under load the newest few rows are
    # still unsettled, so it reads a handful of rows.
    settled = session.scalar(
        text("SELECT seq FROM change WHERE horizon <= :oldest ORDER BY seq DESC LIMIT 1"),
        {"oldest": int(oldest)},
    )
    return int(settled or 0)


def page(
    session: Session, unit_code: str, since: int, limit: int, settled: int
) -> list[tuple[int, str]]:
    """(seq, JSON body) of the changes ``unit_code`` may see in (``since``, ``settled``]."""
    rows = session.execute(
        select(ChangeRow.seq, ChangeRow.body)
        .join(ChangeAudience, ChangeAudience.seq == ChangeRow.seq)
        .where(
            ChangeAudience.unit_code == unit_code,
            ChangeAudience.seq > since,
            ChangeAudience.seq <= settled,
        )
        .order_by(ChangeAudience.seq)
        .limit(limit)
    ).all()
    return [(row.seq, row.body) for row in rows]
