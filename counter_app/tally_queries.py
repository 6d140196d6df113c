"""The SQL behind the tallies (``counter_app.tallies``): few statements, each one pass.

Dossiers received in the period come from ``ix_dossier_received_at``. One
pass over the events since the period's start (``ix_dossier_event_at``; a materialised
CTE, read once, each event joined to its dossier once) yields both what
happened in the period and the dossiers that closed after it began; with the
open dossiers of ``ix_dossier_status_due`` those are every dossier that can
have been open at the period's start or end. The payments of the period are
read once too (``ix_fee_payment_collected_at``). Every statement returns rows
per procedure, receiving clerk, channel and acting clerk (a "cube" of a few
thousand cells at most), which ``counter_app.tallies`` sums into its three views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    case,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from counter_app.fees import EXEMPT, FeeTotal
from counter_app.lifecycle import OPEN_STATUSES, Status
from counter_app.models import Dossier, DossierEvent, FeePayment

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
# Events after which a dossier is no longer open: exactly one per closed dossier.
CLOSING = ("rejected", "result_ready", "stopped", "withdrawn")
# How far back a period may start for its events to be read through the time index
# (measured on bench.tallies' million dossiers: a month 0.1 s of SQLite, a year back 5 s).
INDEXED_REACH = dt.timedelta(days=92)
ACTIVITY = ("rejected", "result_ready", "returned", "stopped", "supplement_requested", "withdrawn")
WAITING = Status.SUPPLEMENT_REQUESTED.value
# Ranges up to this many days are charted day by day; longer ones month by month.
DAILY_CHART_DAYS = 62

# (procedure, receiving clerk, channel, acting clerk or None) → figures
Key = tuple[str, str, str, str | None]
Cube = dict[Key, dict[str, int]]


def count_when(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def timeline_unit(first: dt.date, last: dt.date) -> str:
    if first == last:
        return "hour"
    return "day" if (last - first).days < DAILY_CHART_DAYS else "month"


def bucket(at: Any, first: dt.date, last: dt.date) -> Any:
    unit = timeline_unit(first, last)
    if unit == "hour":
        return func.strftime("%H", at)
    return func.date(at) if unit == "day" else func.strftime("%Y-%m", at)


def event_statement(
    unit_code: str, start: dt.datetime, end: dt.datetime, now: dt.datetime, bucket_of: Any
) -> Select[Any]:
    """One statement, one pass over the events: activity (a), state (s) and chart (t) rows.

    The events that matter (those of the period, and the closing ones after its
    start) are read once with their dossier's figures into ``ev``; each branch
    then reads that, so no dossier is looked up twice. Every row is
    (part, k1, k2, k3, k4, n1 … n7); see ``_fold_events`` for the meaning.
    """
    ref = min(end, now)  # the state "at the end" of a period not over yet is the state now
    d, e = Dossier, DossierEvent
    # Events since the start through their time index; from a start long past that is
    # most of the table, which a scan in file order reads several times faster ("+").
    at = e.at if now - start <= INDEXED_REACH else literal_column("+dossier_event.at", DateTime)
    ev = (
        select(
            e.dossier_id.label("id"),
            e.kind,
            e.at,
            e.actor,
            d.procedure_code.label("p"),
            d.received_by.label("c"),
            d.channel.label("ch"),
            d.due_at.label("due"),
            d.first_due_at.label("first_due"),
            d.received_at.label("received"),
        )
        # "+": the events drive and each finds its dossier by key; never the other way
        # round, walking a million dossiers to look for their events.
        .join(d, d.id == literal_column("+dossier_event.dossier_id"))
        .where(
            e.kind.in_(ACTIVITY),
            at >= start,
            or_(e.at < end, e.kind.in_(CLOSING)),
            d.receiving_unit_code == unit_code,
        )
        .cte("ev")
        .prefix_with("MATERIALIZED")
    )
    ready = ev.c.kind == "result_ready"
    in_time = and_(ready, ev.c.at <= ev.c.due)
    early = func.date(ev.c.at) < func.date(ev.c.due)
    actor = case((ev.c.kind == "returned", ev.c.actor), else_=null())
    activity = (
        select(
            literal("a"),
            ev.c.p,
            ev.c.c,
            ev.c.ch,
            actor,
            count_when(and_(in_time, early)),
            count_when(and_(in_time, ~early)),
            count_when(and_(ready, ev.c.at > ev.c.due)),
            count_when(ev.c.kind == "returned"),
            count_when(ev.c.kind == "rejected"),
            count_when(ev.c.kind.in_(("withdrawn", "stopped"))),
            count_when(ev.c.kind == "supplement_requested"),
        )
        .where(ev.c.at < end)
        .group_by(ev.c.p, ev.c.c, ev.c.ch, actor)
    )
    candidates = union_all(
        select(
            ev.c.id,
            ev.c.p,
            ev.c.c,
            ev.c.ch,
            ev.c.due,
            ev.c.received,
            ev.c.at.label("closed_at"),
            null().label("status_now"),
            ev.c.first_due,
        ).where(ev.c.kind.in_(CLOSING)),
        select(
            d.id,
            d.procedure_code,
            d.received_by,
            d.channel,
            d.due_at,
            d.received_at,
            null(),
            d.status,
            d.first_due_at,
        ).where(d.status.in_(OPEN), d.receiving_unit_code == unit_code),
    ).cte("candidate")
    later = aliased(DossierEvent)
    status_at_ref = (
        select(later.status_after)
        .where(later.dossier_id == candidates.c.id, later.at < ref)
        .order_by(later.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    closed_at, received = candidates.c.closed_at, candidates.c.received
    due, first_due = candidates.c.due, candidates.c.first_due
    # The appointment in force at the period's end: a supplement received after it moved
    # ``due_at`` since (Decree 297/2025 art. 6(4)(a)); before it, the newest restart's or the
    # first. Looked up only for dossiers whose appointment ever moved; written in the
    # columns' own text form, so that it compares with them to the microsecond.
    restart = aliased(DossierEvent)
    restarted_due = (
        select(
            func.strftime("%Y-%m-%d %H:%M:%S.000000", func.json_extract(restart.data, "$.due_at"))
        )
        .where(
            restart.dossier_id == candidates.c.id,
            restart.kind == "supplement_received",
            restart.at < ref,
        )
        .order_by(restart.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    due_at_ref = case(
        (or_(first_due.is_(None), first_due == due), due),
        else_=func.coalesce(restarted_due, first_due),
    )

    def open_at(moment: dt.datetime) -> ColumnElement[bool]:
        return and_(received < moment, or_(closed_at.is_(None), closed_at >= moment))

    per = (
        select(
            candidates.c.p,
            candidates.c.c,
            candidates.c.ch,
            case((open_at(start), 1), else_=0).label("carried"),
            # Only dossiers open at the end have their status then looked up (CASE is lazy).
            case(
                (open_at(ref), func.coalesce(status_at_ref, Status.RECEIVED.value)), else_=null()
            ).label("state"),
            # Only for dossiers open at the end, which alone are counted by it (CASE is lazy).
            case((open_at(ref), case((due_at_ref < ref, 1), else_=0)), else_=0).label("due_passed"),
            # Overdue now: open, its time limit running (not waiting for a supplement:
            # Decree 297/2025 art. 6(4)(a)) and past its appointment.
            case(
                (
                    and_(
                        closed_at.is_(None),
                        candidates.c.status_now != WAITING,
                        due < now,
                    ),
                    1,
                ),
                else_=0,
            ).label("overdue_now"),
        )
        .where(received.is_not(None))
        .cte("per")
        .prefix_with("MATERIALIZED")
    )
    working = and_(per.c.state.is_not(None), per.c.state != WAITING)
    state = select(
        literal("s"),
        per.c.p,
        per.c.c,
        per.c.ch,
        null(),
        func.sum(per.c.carried),
        count_when(and_(working, per.c.due_passed == 0)),
        count_when(and_(working, per.c.due_passed == 1)),
        count_when(per.c.state == WAITING),
        func.sum(per.c.overdue_now),
        literal(0),
        literal(0),
    ).group_by(per.c.p, per.c.c, per.c.ch)
    bucket = bucket_of(ev.c.at)
    chart = (
        select(
            literal("t"),
            bucket,
            ev.c.kind,
            null(),
            null(),
            func.count(),
            *(literal(0) for _ in range(6)),
        )
        .where(ev.c.at < end, ev.c.kind.in_(("result_ready", "returned")))
        .group_by(bucket, ev.c.kind)
    )
    return union_all(activity, state, chart)  # type: ignore[return-value]


_ACTIVITY_FIELDS = (
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "refused",
    "withdrawn",
    "supplement_requested",
)
_STATE_FIELDS = (
    "carried_over",
    "in_progress_not_due",
    "in_progress_overdue",
    "waiting_supplement",
    "overdue_now",
)


def add_to(cube: Cube, key: Key, names: Iterable[str], values: Iterable[Any]) -> None:
    cell = cube[key]
    for name, number in zip(names, values, strict=False):
        cell[name] = cell.get(name, 0) + int(number or 0)


def fold_events(
    rows: Iterable[tuple[Any, ...]], cube: Cube, chart: dict[str, dict[str, int]]
) -> None:
    for part, k1, k2, k3, k4, *numbers in rows:
        if part == "t":
            chart[str(k1)]["resolved" if k2 == "result_ready" else "returned"] += int(numbers[0])
            continue
        key: Key = (k1, k2 or "", k3, k4)
        add_to(cube, key, _ACTIVITY_FIELDS if part == "a" else _STATE_FIELDS, numbers)


def fee_statement(unit_code: str, start: dt.datetime, end: dt.datetime) -> Select[Any]:
    """The period's payments read once: per (procedure, clerk, channel, collector, method)
    rows (f) for the views, per (day, method) rows (d) for the fees table."""
    d, fee = Dossier, FeePayment
    paid = (
        select(
            d.procedure_code.label("p"),
            d.received_by.label("c"),
            d.channel.label("ch"),
            fee.collected_by.label("who"),
            fee.method.label("method"),
            fee.amount_vnd.label("amount"),
            func.date(fee.collected_at).label("day"),
        )
        # "+": the period's payments drive and each finds its dossier by key; without it
        # SQLite could walk every dossier of the unit looking for payments.
        .join(d, d.id == literal_column("+fee_payment.dossier_id"))
        .where(
            fee.collected_at >= start, fee.collected_at < end, d.receiving_unit_code == unit_code
        )
        .cte("paid")
        .prefix_with("MATERIALIZED")
    )
    count, amount = func.count(), func.sum(paid.c.amount)
    people = select(
        literal("f"), paid.c.p, paid.c.c, paid.c.ch, paid.c.who, paid.c.method, count, amount
    ).group_by(paid.c.p, paid.c.c, paid.c.ch, paid.c.who, paid.c.method)
    days = select(
        literal("d"), paid.c.day, null(), null(), null(), paid.c.method, count, amount
    ).group_by(paid.c.day, paid.c.method)
    return union_all(people, days)  # type: ignore[return-value]


def fold_fees(rows: Iterable[tuple[Any, ...]], cube: Cube) -> tuple[FeeTotal, ...]:
    daily = []
    for part, k1, k2, k3, k4, method, number, amount in rows:
        if part == "d":
            daily.append(FeeTotal(dt.date.fromisoformat(str(k1)), method, number, amount or 0))
        elif method == EXEMPT:
            add_to(cube, (k1, k2 or "", k3, k4), ("exemptions",), (number,))
        else:
            money = "fees_transfer_vnd" if method == "transfer" else "fees_cash_vnd"
            add_to(cube, (k1, k2 or "", k3, k4), (money, "fee_payments"), (amount, number))
    return tuple(sorted(daily, key=lambda total: (total.day, total.method)))
