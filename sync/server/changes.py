"""The change log: every change a counter may pull, numbered in commit order.

A sequence or autoincrement would hand out numbers in *insert* order: a
transaction that took 10 could commit after one that took 11, and a counter
that had already pulled 11 would never see 10. So numbers are taken at the very
end of the write transaction by ``UPDATE seq_counter … RETURNING``, whose row
lock is held until commit: whoever numbers second commits second.

That lock serializes every writer of the province for the time between the
UPDATE and the commit, so nothing slow happens in it: the pull bodies are
rendered beforehand with the number left blank, and the lock covers only filling
the numbers in and three bulk statements.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sync.server.db import CHANGE_SEQ
from sync.server.models import ChangeAudience, ChangeRow, SeqCounter, ServerEvent

_EVENT_TABLE = ServerEvent.metadata.tables[ServerEvent.__tablename__]


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
        session.flush()  # every other write of the transaction, before the lock is taken
        count = len(self.pending)
        last = session.execute(
            update(SeqCounter)
            .where(SeqCounter.name == CHANGE_SEQ)
            .values(value=SeqCounter.value + count)
            .returning(SeqCounter.value)
        ).scalar_one()
        changes: list[dict[str, Any]] = []
        audience: list[dict[str, Any]] = []
        numbers: list[dict[str, Any]] = []
        for seq, item in enumerate(self.pending, start=last - count + 1):
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
    return session.scalar(select(SeqCounter.value).where(SeqCounter.name == CHANGE_SEQ)) or 0


def page(session: Session, unit_code: str, since: int, limit: int) -> list[tuple[int, str]]:
    """(seq, JSON body) of the changes ``unit_code`` may see after ``since``, oldest first."""
    rows = session.execute(
        select(ChangeRow.seq, ChangeRow.body)
        .join(ChangeAudience, ChangeAudience.seq == ChangeRow.seq)
        .where(ChangeAudience.unit_code == unit_code, ChangeAudience.seq > since)
        .order_by(ChangeAudience.seq)
        .limit(limit)
    ).all()
    return [(row.seq, row.body) for row in rows]
