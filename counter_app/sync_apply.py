"""Applying what the provincial server sends: dossiers, events, the catalog and the calendar.

Each page of pulled changes is applied together with the cursor that follows
it, in the caller's one transaction, so a crash anywhere leaves either the page
and its cursor or neither, and the next pull starts where the store really is.

Applying is idempotent: a dossier or event the counter already has only gets
its server number. Events are append-only, so they never conflict; the status
shown follows the newest event the server numbered, unless a local change is
still waiting to be pushed (see ``sync_outbox.refresh_status``). Fee payments
are append-only too. A document's scan and a result's scan are the fields
that are overwritten, so a pulled one is skipped while this counter's own
change of that document (or result) is still on its way. A pulled link keeps
the time it was made on its counter (``attached_at``, ``digitized_at``), not
the time it arrived here.

A change this counter cannot store (an id another record has, a status or
event data it does not know, text too long) is set aside, not retried for
ever: it is kept in ``sync_setaside`` with the reason, shown in the sync
problems list, reported to the province, and tried again at every sync; the
cursor moves past it and the rest of its page is applied. Most are caught by
``screen`` before anything is written; one that fails only in the database
makes the page be applied again change by change, each in a SAVEPOINT.

This module speaks no HTTP: ``sync.client`` validates the server's answers
with the protocol models and hands them over as plain dictionaries.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from counter_app import appointments, catalog, limits
from counter_app.calendar_source import declare_day
from counter_app.event_data import event_data_error
from counter_app.id_lists import among, each
from counter_app.installation import ensure_unit
from counter_app.lifecycle import TRANSITIONS, Status
from counter_app.models import (
    Applicant,
    Base,
    CalendarDay,
    Dossier,
    DossierDocument,
    DossierEvent,
    FeePayment,
    OutboxEntry,
    Procedure,
    Requirement,
    SetAsideChange,
    SyncCursor,
    Unit,
    new_id,
)
from counter_app.outbox import PENDING
from counter_app.sync_outbox import REJECTED, SENT, bulk_update, refresh_status
from counter_app.text import fold, nfc
from counter_app.workdays import WORKING_DAY

CHANGES = "changes"
_EVENTS = Base.metadata.tables[DossierEvent.__tablename__]
CATALOG = "catalog"
HOLIDAYS = "holidays"
UNITS = "units"
PROVINCE = "province"
_CLOCK_KINDS = frozenset({appointments.SUPPLEMENT_RECEIVED, appointments.EXTENDED})


@dataclass(frozen=True)
class Cursor:
    value: int
    epoch: str | None


@dataclass(frozen=True)
class PageApplied:
    dossiers_added: int
    events_added: int
    confirmed: int
    skipped: int
    fees_added: int = 0
    documents_changed: int = 0
    set_aside: int = 0

    def __add__(self, other: PageApplied) -> PageApplied:
        return PageApplied(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(PageApplied))
        )


# A change that could not be stored, and why (in the clerk's words).
Refused = tuple[Mapping[str, Any], str]
# What applying a change may raise when its data is not what this counter can store;
# a locked or lost database (OperationalError) is no change's fault and is raised on.
_STATUSES = frozenset(s.value for s in Status)
# A dict, the usual case, is matched before the abstract class's slower check.
_MAPPING = (dict, Mapping)
_STORE_ERRORS = (SQLAlchemyError, ValueError, TypeError, KeyError, OverflowError)
log = logging.getLogger(__name__)


def _not_stored(exc: Exception) -> str:
    """Why a change was set aside, for the clerk and the province's staff.

    The exception's class and the database's own message go to the log only.
    """
    why = (
        "nó trùng hoặc mâu thuẫn với dữ liệu đã có trên máy này"
        if isinstance(exc, IntegrityError)
        else "cơ sở dữ liệu của máy này từ chối ghi"
        if isinstance(exc, SQLAlchemyError)
        else "dữ liệu của thay đổi không đúng dạng phần mềm này đọc được (có thể máy chủ tỉnh "
        "dùng phiên bản mới hơn)"
    )
    return f"Máy này không ghi được thay đổi này: {why}."


def cursor(session: Session) -> Cursor:
    row = session.get(SyncCursor, CHANGES)
    if row is None:
        return Cursor(0, None)
    return Cursor(int(row.value or 0), row.server_epoch)


def _set_cursor(session: Session, value: int, epoch: str, at: dt.datetime) -> None:
    row = session.get(SyncCursor, CHANGES) or SyncCursor(name=CHANGES)
    row.value, row.server_epoch, row.updated_at = str(value), epoch, at
    session.add(row)


def reset_for_new_epoch(session: Session, epoch: str, at: dt.datetime) -> int:
    """The server was restored or replaced: send everything again and pull from the start.

    Server numbers of the old epoch mean nothing in the new one, so they are
    dropped; the re-push and the pull give the events their new numbers.
    Returns how many entries are queued again.
    """
    requeued = (
        session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == SENT)
        )
        or 0
    )
    session.execute(update(OutboxEntry).where(OutboxEntry.state == SENT).values(state=PENDING))
    session.execute(update(DossierEvent).values(server_seq=None))
    session.execute(delete(SyncCursor).where(SyncCursor.name.in_((CATALOG, HOLIDAYS, UNITS))))
    _set_cursor(session, 0, epoch, at)
    return requeued


def apply_changes(
    session: Session,
    changes: Sequence[Mapping[str, Any]],
    *,
    next_cursor: int,
    epoch: str,
    at: dt.datetime,
    unreadable: Sequence[Refused] = (),
    nul_free: bool = False,
) -> PageApplied:
    """Apply one page of changes (``protocol.Change`` as dicts) and move the cursor past it.

    ``unreadable`` are the page's changes the client could not even read; they
    are set aside with the ones found here that cannot be stored. ``nul_free``:
    the caller saw no NUL anywhere in the page's bytes, so no string is searched
    for one (a fifth of a 100,000-change catch-up's time).
    """
    usable, refused = screen(session, changes, nul_free=nul_free)
    refused.extend(unreadable)
    applied = _apply_guarded(session, usable, refused, at)
    set_aside(session, refused, at)
    _set_cursor(session, next_cursor, epoch, at)
    return applied + PageApplied(0, 0, 0, 0, set_aside=len(refused))


def retry_set_aside(session: Session, changes: Sequence[Mapping[str, Any]], at: dt.datetime) -> int:
    """Try the set-aside ``changes`` (as read back by the client) again; returns how many stored.

    Those stored leave the list; the others keep their place with today's reason.
    """
    usable, refused = screen(session, changes)
    _apply_guarded(session, usable, refused, at)
    still = {int(change["seq"]) for change, _ in refused}
    stored = [int(c["seq"]) for c in changes if int(c["seq"]) not in still]
    if stored:
        session.execute(delete(SetAsideChange).where(SetAsideChange.seq.in_(stored)))
    for change, reason in refused:
        row = session.get(SetAsideChange, int(change["seq"]))
        if row is not None:
            row.reason = reason
    return len(stored)


def set_aside(session: Session, refused: Iterable[Refused], at: dt.datetime) -> None:
    for change, reason in refused:
        seq = int(change.get("seq") or 0)
        if session.get(SetAsideChange, seq) is not None:
            continue
        body = json.loads(json.dumps(change, default=_jsonable))
        session.add(
            SetAsideChange(
                seq=seq,
                kind=str(change.get("kind") or "")[:16],
                dossier_id=str(change.get("dossier_id") or ""),
                body=body,
                reason=reason,
                at=at,
            )
        )
    session.flush()


def unreported(session: Session, limit: int) -> list[SetAsideChange]:
    """Set-aside changes the province has not been told of yet."""
    query = select(SetAsideChange).where(SetAsideChange.reported_at.is_(None))
    return list(session.scalars(query.order_by(SetAsideChange.seq).limit(limit)))


def mark_reported(session: Session, seqs: Sequence[int], at: dt.datetime) -> None:
    session.execute(
        update(SetAsideChange).where(SetAsideChange.seq.in_(seqs)).values(reported_at=at)
    )


def _jsonable(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)


def _apply_guarded(
    session: Session,
    changes: Sequence[Mapping[str, Any]],
    refused: list[Refused],
    at: dt.datetime,
) -> PageApplied:
    """The page in one SAVEPOINT; if the database refuses it, change by change."""
    if not changes:
        return PageApplied(0, 0, 0, 0)
    try:
        with session.begin_nested():
            return _apply_page(session, changes, at)
    except OperationalError:
        raise
    except _STORE_ERRORS:
        pass
    total = PageApplied(0, 0, 0, 0)
    for change in changes:
        try:
            with session.begin_nested():
                total += _apply_page(session, [change], at)
        except OperationalError:
            raise
        except _STORE_ERRORS as exc:
            log.warning("change %s set aside: %r", change.get("seq"), exc)
            refused.append((change, _not_stored(exc)))
    return total


def _apply_page(
    session: Session, changes: Sequence[Mapping[str, Any]], at: dt.datetime
) -> PageApplied:
    dossier_ids = {c["dossier_id"] for c in changes}
    known = set(session.scalars(select(Dossier.id).where(among(Dossier.id, dossier_ids))))
    event_ids = [c["event"]["id"] for c in changes if c.get("event")]
    for change in changes:
        if change.get("dossier"):
            event_ids.extend(e["id"] for e in change["dossier"]["events"])
    have = dict(
        session.execute(
            select(DossierEvent.id, DossierEvent.server_seq).where(
                among(DossierEvent.id, event_ids)
            )
        ).all()
    )
    # Each dossier's last number from the (dossier_id, seq) index, not all its events read.
    ids = each(known)
    last = select(func.max(DossierEvent.seq)).where(DossierEvent.dossier_id == ids.c.value)
    last_seq = {
        dossier_id: seq
        for dossier_id, seq in session.execute(select(ids.c.value, last.scalar_subquery()))
        if seq is not None
    }
    confirm: dict[str, int] = {}
    new_events: list[Mapping[str, Any]] = []
    new_seqs: list[int] = []
    added = skipped = 0
    touched: set[str] = set()
    clocked: set[str] = set()  # dossiers stored by this page whose appointments an event moved
    # Events this page appends to dossiers already here that move their appointments, in order.
    appended: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    later: list[Mapping[str, Any]] = []
    for change in changes:
        dossier_id = change["dossier_id"]
        kind = change.get("kind")
        if kind in ("fee_payment", "document", "result"):
            later.append(change)  # after this page's dossiers exist
            continue
        if kind != "event" and kind != "dossier":
            skipped += 1  # a kind a newer server sends; this counter has no use for it yet
            continue
        if change.get("dossier"):
            data = change["dossier"]
            if dossier_id not in known:
                _insert_dossier(session, data, at)
                known.add(dossier_id)
                last_seq[dossier_id] = len(data["events"])
                added += 1
                for event in data["events"]:
                    have[event["id"]] = event.get("server_seq")
                    if event["kind"] in _CLOCK_KINDS:
                        clocked.add(dossier_id)
            else:
                for event in data["events"]:
                    if event["id"] in have and have[event["id"]] is None:
                        confirm[event["id"]] = event["server_seq"]
            touched.add(dossier_id)
            continue
        event = change["event"]
        event_id = event["id"]
        if event_id in have:
            if have[event_id] is None:
                confirm[event_id] = event["server_seq"]
        elif dossier_id not in known:
            skipped += 1  # addressed to us before its dossier was: nothing to hang it on
            continue
        else:
            seq = last_seq[dossier_id] = last_seq.get(dossier_id, 0) + 1
            new_events.append(event)
            new_seqs.append(seq)
            have[event_id] = event["server_seq"]
            if event["kind"] in _CLOCK_KINDS:
                appended.setdefault(dossier_id, []).append((event["kind"], event.get("data") or {}))
        touched.add(dossier_id)
    session.flush()
    if new_events:
        _insert_events(session, new_events, new_seqs)
    if confirm:
        bulk_update(session, DossierEvent, [{"id": k, "server_seq": v} for k, v in confirm.items()])
    refresh_status(session, touched)
    # The same projection as the counter that recorded them (counter_app.appointments).
    appointments.refresh_many(session, clocked)
    _advance_appointments(session, {k: v for k, v in appended.items() if k not in clocked})
    fees = _apply_fees(session, [c["fee_payment"] for c in later if c.get("fee_payment")], known)
    documents = _apply_documents(session, [c["document"] for c in later if c.get("document")])
    documents += _apply_results(session, [c["result"] for c in later if c.get("result")])
    return PageApplied(added, len(new_events), len(confirm), skipped, fees, documents)


def _advance_appointments(
    session: Session, appended: Mapping[str, Sequence[tuple[str, Mapping[str, Any]]]]
) -> None:
    """Carry the stored appointments of dossiers already here through events just appended.

    A pulled event is numbered after every event its dossier holds, so the
    stored columns (the projection of those, ``counter_app.appointments``) are
    where its own fold starts: a catch-up of many changes to the same dossiers
    reads none of their earlier events, which ``refresh_many`` would read
    again page after page, and no ORM object is loaded for them.
    """
    if not appended:
        return
    rows = session.execute(
        select(Dossier.id, Dossier.first_due_at, Dossier.due_at, Dossier.extended_due_at).where(
            among(Dossier.id, appended)
        )
    )
    changed = []
    for dossier_id, first, due, extended in rows:
        result = appointments.project(due, appended[dossier_id], extended)
        if (result.due_at, result.extended_due_at) != (due, extended) or first is None:
            changed.append(
                {
                    "id": dossier_id,
                    # A bulk-loaded row holds only due_at: it is the first appointment.
                    "first_due_at": due if first is None else first,
                    "due_at": result.due_at,
                    "extended_due_at": result.extended_due_at,
                }
            )
    if changed:
        bulk_update(session, Dossier, changed)


def screen(
    session: Session, changes: Sequence[Mapping[str, Any]], *, nul_free: bool = False
) -> tuple[list[Mapping[str, Any]], list[Refused]]:
    """Split a page into the changes this counter can store and those it cannot, with why.

    Checks what would fail or be stored wrong: NUL characters, malformed or
    repeated ids, ids another dossier here already has, a dossier code another
    dossier has, a kind of event or a status this counter does not know, event
    data its forms could not read. A newer server's new kinds of change pass:
    they are skipped, as before.
    """
    new_dossiers = [
        c["dossier"]
        for c in changes
        if c.get("kind") == "dossier" and isinstance(c.get("dossier"), Mapping)
    ]
    ids = {str(d.get("id")) for d in new_dossiers}
    known = set(session.scalars(select(Dossier.id).where(among(Dossier.id, ids)))) if ids else set()
    fresh = [d for d in new_dossiers if d.get("id") not in known]
    wanted = [str(d.get("code")) for d in fresh]
    codes = {
        str(row.code): row.id
        for row in session.execute(
            select(Dossier.code, Dossier.id).where(among(Dossier.code, wanted))
        )
    }
    document_ids = [str(x.get("id")) for d in fresh for x in d.get("documents") or []]
    event_ids = [str(e.get("id")) for d in fresh for e in d.get("events") or []]
    event_ids.extend(
        str(c["event"].get("id")) for c in changes if isinstance(c.get("event"), _MAPPING)
    )
    owners = dict(
        session.execute(
            select(DossierDocument.id, DossierDocument.dossier_id).where(
                among(DossierDocument.id, document_ids)
            )
        ).all()
    )
    owners.update(
        session.execute(
            select(DossierEvent.id, DossierEvent.dossier_id).where(
                among(DossierEvent.id, event_ids)
            )
        ).all()
    )
    # A dossier set aside here takes the changes that follow it aside too: applied
    # without it they would be skipped and lost once the cursor moved past them.
    aside = set(
        session.scalars(select(SetAsideChange.dossier_id).where(SetAsideChange.kind == "dossier"))
    )
    usable: list[Mapping[str, Any]] = []
    refused: list[Refused] = []
    for change in changes:
        problem = _problem(change, codes, owners, known, nul_free)
        dossier_id = str(change.get("dossier_id") or "")
        is_dossier = change.get("kind") == "dossier"
        waits = not is_dossier and dossier_id in aside and dossier_id not in known
        if problem is None and waits:
            problem = "Hồ sơ của thay đổi này đang để riêng trên máy này; thay đổi chờ hồ sơ."
        if is_dossier:
            (aside.discard if problem is None else aside.add)(dossier_id)
        if problem is None:
            usable.append(change)
            dossier = change.get("dossier")
            if isinstance(dossier, _MAPPING) and dossier.get("id") not in known:
                known.add(str(dossier.get("id")))
                codes[str(dossier.get("code"))] = str(dossier.get("id"))
                for record in [*(dossier.get("documents") or []), *(dossier.get("events") or [])]:
                    owners[str(record.get("id"))] = str(dossier.get("id"))
        else:
            refused.append((change, problem))
    return usable, refused


def _problem(
    change: Mapping[str, Any],
    codes: dict[str, str],
    owners: dict[str, str],
    known: set[str],
    nul_free: bool = False,
) -> str | None:
    if not nul_free and limits.has_nul(change):
        where = next(limits.nul_paths(change), "?")
        return f"Trường {where} chứa ký tự NUL (không in được)."
    kind = change.get("kind")
    if kind == "dossier":
        return _dossier_problem(change.get("dossier") or {}, codes, owners, known)
    if kind == "event":
        event = change.get("event") or {}
        owner = owners.get(str(event.get("id")))
        if owner is not None and owner != event.get("dossier_id"):
            return f"Mã thao tác {event.get('id')} đã thuộc hồ sơ khác trên máy này."
        return _event_problem(event)
    return None


def _dossier_problem(
    data: Mapping[str, Any], codes: dict[str, str], owners: dict[str, str], known: set[str]
) -> str | None:
    dossier_id, code = str(data.get("id")), str(data.get("code"))
    documents = data.get("documents") or []
    events = data.get("events") or []
    records = [data.get("applicant") or {}, *documents, *events]
    if not limits.is_id(dossier_id) or not all(limits.is_id(r.get("id")) for r in records):
        return f"Hồ sơ {code} có mã bản ghi không đúng dạng."
    for what, items in (("giấy tờ", documents), ("thao tác", events)):
        item_ids = [str(i.get("id")) for i in items]
        if len(set(item_ids)) != len(item_ids):
            return f"Hồ sơ {code} có hai {what} cùng mã."
    for event in events:
        if (problem := _event_problem(event)) is not None:
            return problem
    if dossier_id in known:
        return None  # only its events' numbers are taken from it
    if codes.get(code, dossier_id) != dossier_id:
        return f"Mã hồ sơ {code} đã là của một hồ sơ khác trên máy này."
    for record in [*documents, *events]:
        owner = owners.get(str(record.get("id")))
        if owner is not None and owner != dossier_id:
            return f"Hồ sơ {code}: mã bản ghi {record.get('id')} đã thuộc hồ sơ khác trên máy này."
    return None


def _event_problem(event: Mapping[str, Any]) -> str | None:
    kind = str(event.get("kind"))
    if kind not in TRANSITIONS:
        return f"Máy này không biết thao tác '{kind[:40]}'."
    status = str(event.get("status_after"))
    if status not in _STATUSES:
        return f"Máy này không biết trạng thái '{status[:40]}' (thao tác '{kind}')."
    if not limits.is_id(event.get("id")) or not limits.is_id(event.get("dossier_id")):
        return f"Thao tác '{kind}' có mã bản ghi không đúng dạng."
    problem = event_data_error(kind, event.get("data") or {})
    return None if problem is None else f"Thao tác '{kind}': {problem}."


_RECEIPT_FIELDS = ("receipt_form", "receipt_series", "receipt_number")


def _apply_fees(session: Session, payments: Sequence[Mapping[str, Any]], known: set[str]) -> int:
    """Add the payments this counter lacks (another counter of the unit took them).

    A payment already here takes the receipt it carries on the province, oldest
    change first: a receipt spoiled and renumbered at another counter
    (``reissue_receipt``) must not stay shown here under its cancelled number.
    Not while this counter's own change of that payment is still to reach the
    province (pending, or held behind a refusal): what the clerk did here stands.
    """
    ids = [p["id"] for p in payments]
    have = {
        row.id: row for row in session.scalars(select(FeePayment).where(among(FeePayment.id, ids)))
    }
    own = set(
        session.scalars(
            select(OutboxEntry.entity_id).where(
                OutboxEntry.state.in_((PENDING, REJECTED)),
                OutboxEntry.entity == "fee_payment",
                among(OutboxEntry.entity_id, have),
            )
        )
    )
    added = 0
    for payment in payments:
        here = have.get(payment["id"])
        if here is not None:
            if here.id not in own and payment.get("receipt_number") is not None:
                for field in _RECEIPT_FIELDS:
                    setattr(here, field, payment.get(field))
            continue
        if payment["dossier_id"] not in known:
            continue
        here = FeePayment(
            id=payment["id"],
            dossier_id=payment["dossier_id"],
            amount_vnd=payment["amount_vnd"],
            method=payment["method"],
            reference=payment.get("reference"),
            exemption_reason=payment.get("exemption_reason"),
            stage=payment["stage"],
            collected_at=payment["collected_at"],
            collected_by=payment["collected_by"],
            pages=payment.get("pages"),
            receipt_form=payment.get("receipt_form"),
            receipt_series=payment.get("receipt_series"),
            receipt_number=payment.get("receipt_number"),
            e_receipt_number=payment.get("e_receipt_number"),
            e_receipt_lookup=payment.get("e_receipt_lookup"),
        )
        session.add(here)
        have[here.id] = here
        added += 1
    session.flush()
    return added


def _pending_own(session: Session, entity: str, dossier_ids: Iterable[str]) -> list[OutboxEntry]:
    """This counter's changes of ``entity`` for these dossiers still on their way."""
    return list(
        session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.state == PENDING,
                OutboxEntry.entity == entity,
                among(OutboxEntry.entity_id, set(dossier_ids)),
            )
        )
    )


def _apply_documents(session: Session, changes: Sequence[Mapping[str, Any]]) -> int:
    """Point documents at the scans the province has for them, oldest change first.

    Counted only when it changed something; a document with this counter's own
    change still pending keeps what the clerk did here.
    """
    if not changes:
        return 0
    dossier_ids = {c["dossier_id"] for c in changes}
    own = {
        str(entry.payload.get("document_id"))
        for entry in _pending_own(session, "dossier_document", dossier_ids)
    }
    documents = {
        d.id: d
        for d in session.scalars(
            select(DossierDocument).where(
                DossierDocument.id.in_([c["document_id"] for c in changes])
            )
        )
    }
    changed = 0
    for change in changes:
        document = documents.get(change["document_id"])
        if document is None or document.id in own or document.dossier_id != change["dossier_id"]:
            continue
        sha256 = change.get("attachment_sha256")
        if document.attachment_sha256 != sha256:
            document.attachment_sha256 = sha256
            document.attached_at = (change.get("attached_at") or change["at"]) if sha256 else None
            changed += 1
    session.flush()
    return changed


def _apply_results(session: Session, changes: Sequence[Mapping[str, Any]]) -> int:
    """Point dossiers' results at the scans the province has for them, oldest change first.

    As for documents: counted only when it changed something, and a result
    with this counter's own change still pending keeps what was done here.
    """
    if not changes:
        return 0
    dossier_ids = {c["dossier_id"] for c in changes}
    own = {entry.entity_id for entry in _pending_own(session, "dossier_result", dossier_ids)}
    dossiers = {
        d.id: d for d in session.scalars(select(Dossier).where(among(Dossier.id, dossier_ids)))
    }
    changed = 0
    for change in changes:
        dossier = dossiers.get(change["dossier_id"])
        if dossier is None or dossier.id in own:
            continue
        sha256 = change.get("result_sha256")
        digitized_at = (change.get("digitized_at") or change["at"]) if sha256 else None
        if (dossier.result_sha256, dossier.result_digitized_at) != (sha256, digitized_at):
            dossier.result_sha256 = sha256
            dossier.result_digitized_at = digitized_at
            dossier.result_digitized_by = change.get("actor") if sha256 else None
            changed += 1
    session.flush()
    return changed


def _insert_events(
    session: Session, events: Sequence[Mapping[str, Any]], seqs: Sequence[int]
) -> None:
    """INSERT events (``protocol.EventData`` as dicts) numbered ``seqs`` in their dossiers.

    A catch-up inserts tens of thousands of events, and building and processing
    each row's parameters, in SQLAlchemy's executemany or in a loop here, took
    longer than SQLite took to store them. So the values are gathered a column
    at a time, only the columns whose type converts values (dates, JSON) pass
    through that column's own bind processor, looked up once, and the driver's
    executemany gets the rows zipped together: stored as SQLAlchemy stores them.
    """
    columns: dict[str, Iterable[Any]] = {
        "id": [e["id"] for e in events],
        "dossier_id": [e["dossier_id"] for e in events],
        "seq": seqs,
        "kind": [e["kind"] for e in events],
        "status_after": [e["status_after"] for e in events],
        "at": [e["at"] for e in events],
        "actor": [e["actor"] for e in events],
        "unit_code": [e["unit_code"] for e in events],
        "device_id": [e.get("device_id") for e in events],
        "note": [e.get("note") or "" for e in events],
        "data": [e.get("data") or {} for e in events],
        "server_seq": [e.get("server_seq") for e in events],
    }
    connection = session.connection()
    dialect = connection.dialect
    for name, values in columns.items():
        process = _EVENTS.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            columns[name] = map(process, values)
    sql = str(insert(_EVENTS).compile(dialect=dialect, column_keys=list(columns)))
    connection.exec_driver_sql(sql, list(zip(*columns.values(), strict=True)))


def _insert_dossier(session: Session, data: Mapping[str, Any], at: dt.datetime) -> None:
    """A dossier this counter did not receive: another counter of the unit, or another unit's
    boundary-free reception for which this unit is competent."""
    for code_key, name_key in (
        ("receiving_unit_code", "receiving_unit_name"),
        ("competent_unit_code", "competent_unit_name"),
    ):
        ensure_unit(session, data[code_key], data.get(name_key) or data[code_key])
    procedure = _procedure(session, data["procedure_code"])
    events = data["events"]
    received_at = data.get("received_at")
    dossier = Dossier(
        id=data["id"],
        code=data["code"],
        procedure_code=procedure.code,
        applicant_id=_applicant(session, data["applicant"], received_at or at),
        receiving_unit_code=data["receiving_unit_code"],
        competent_unit_code=data["competent_unit_code"],
        channel=data.get("channel") or "direct",
        return_method=data.get("return_method") or "counter",
        return_address=data.get("return_address"),
        sets_count=data.get("sets_count") or 1,
        status=events[-1]["status_after"] if events else "received",
        received_at=received_at,
        # The receive payload carries the first receipt's appointment; the events move it.
        due_at=data.get("due_at"),
        first_due_at=data.get("due_at"),
        received_by=data.get("received_by"),
        device_id=data.get("device_id"),
        note=data.get("note") or "",
        created_at=received_at or at,
    )
    # A newer counter's field, kept by the server's wire models: forms 01 and 03 print it.
    agent = data.get("representative")
    if isinstance(agent, Mapping) and agent.get("full_name"):
        dossier.representative_name = str(agent["full_name"])
        dossier.representative_cccd = agent.get("cccd") or None
        dossier.representative_relation = agent.get("relation") or None
    session.add(dossier)
    requirements = dict(
        session.execute(
            select(Requirement.position, Requirement.id).where(
                Requirement.procedure_code == procedure.code, Requirement.active.is_(True)
            )
        ).all()
    )
    for document in data.get("documents") or []:
        session.add(
            DossierDocument(
                id=document["id"],
                dossier_id=dossier.id,
                # Requirement ids are local row numbers; the position is what both ends share.
                requirement_id=requirements.get(document["position"]),
                position=document["position"],
                name=document["name"],
                form=document["form"],
                count=document.get("count") or 1,
                received=bool(document.get("received")),
                attachment_sha256=document.get("attachment_sha256"),
                # Linked on its counter before the reception that carried it, if not said.
                attached_at=(document.get("attached_at") or received_at)
                if document.get("attachment_sha256")
                else None,
            )
        )
    session.flush()
    if events:
        _insert_events(session, events, range(1, len(events) + 1))


def _procedure(session: Session, code: str) -> Procedure:
    """The procedure, or an inactive stand-in until the catalog that lists it arrives."""
    procedure = session.get(Procedure, code)
    if procedure is None:
        procedure = Procedure(
            code=code,
            name=code,
            search_key=fold(code),
            processing_amount=Decimal(0),
            processing_unit=WORKING_DAY,
            catalog_version="",
            active=False,
        )
        session.add(procedure)
        session.flush()
    return procedure


def _same_person(local: Applicant, data: Mapping[str, Any]) -> bool:
    """By citizen-ID where either side has one, else by name."""
    if local.cccd or data.get("cccd"):
        return local.cccd == data.get("cccd")
    return fold(local.full_name) == fold(str(data.get("full_name") or ""))


def _applicant(session: Session, data: Mapping[str, Any], at: dt.datetime) -> str:
    """The local applicant id: the same person found by id or citizen-ID, else a new row.

    A person this counter already knows keeps the data recorded here. An id
    this counter has for *another* person (another counter's bug, or a device
    pushing what it should not) is not followed: the pulled dossier gets a row
    of its own, so one citizen's dossier never shows another's name.
    """
    same_id = session.get(Applicant, data["id"])
    if same_id is not None and _same_person(same_id, data):
        return str(data["id"])
    if data.get("cccd"):
        local = session.scalar(select(Applicant.id).where(Applicant.cccd == data["cccd"]))
        if local is not None:
            return local
    row_id = str(data["id"]) if same_id is None else new_id()
    if same_id is not None:
        log.warning(
            "Người nộp mã %s của hồ sơ nhận về không phải người có mã ấy trên máy này; "
            "ghi thành người nộp mới %s",
            data["id"],
            row_id,
        )
    session.add(
        Applicant(
            id=row_id,
            cccd=data.get("cccd"),
            full_name=data["full_name"],
            date_of_birth=data.get("date_of_birth"),
            sex=data.get("sex"),
            address=data.get("address") or "",
            phone=data.get("phone"),
            email=data.get("email"),
            created_at=at,
            updated_at=at,
        )
    )
    session.flush()
    return row_id


# Reference data -----------------------------------------------------------------


def snapshot_etag(session: Session, name: str) -> str | None:
    row = session.get(SyncCursor, name)
    return row.value if row is not None and row.value else None


def _set_etag(session: Session, name: str, etag: str, at: dt.datetime) -> None:
    row = session.get(SyncCursor, name) or SyncCursor(name=name)
    row.value, row.updated_at = etag, at
    session.add(row)


def apply_catalog(
    session: Session, data: dict[str, Any], etag: str, at: dt.datetime
) -> catalog.ImportResult:
    """Replace the local catalog with the province's; raises ValidationError if it is bad."""
    result = catalog.import_catalog(session, data)
    _set_etag(session, CATALOG, etag, at)
    return result


def apply_holidays(
    session: Session, days: Sequence[Mapping[str, Any]], etag: str, at: dt.datetime
) -> int:
    """Replace the province's days off and make-up days with the published list.

    A day may be published unconfirmed (announced in principle): it counts as
    published and the supervisor's calendar shows it as awaiting confirmation.

    Days the province declared before but no longer lists are removed; days from
    another source (typed in at the counter) are left alone.
    """
    wanted = {d["day"] for d in days}
    session.execute(
        delete(CalendarDay).where(CalendarDay.source == PROVINCE, CalendarDay.day.not_in(wanted))
    )
    for day in days:
        declare_day(
            session,
            day["day"],
            day["kind"],
            day.get("name") or "",
            source=PROVINCE,
            basis=day.get("basis") or "",
            confirmed=day.get("confirmed", True) is not False,
        )
    _set_etag(session, HOLIDAYS, etag, at)
    return len(days)


def apply_units(
    session: Session, units: Sequence[Mapping[str, Any]], etag: str, at: dt.datetime
) -> int:
    """Add the province's units and take its names; returns how many were new here.

    None is removed: dossiers already received name their units.
    """
    known = {unit.code: unit for unit in session.scalars(select(Unit))}
    added = 0
    for data in units:
        unit = known.get(data["code"])
        if unit is None:
            session.add(Unit(code=data["code"], name=nfc(data["name"])))
            added += 1
        elif unit.name != nfc(data["name"]):
            unit.name = nfc(data["name"])
    _set_etag(session, UNITS, etag, at)
    return added
