"""A dossier's appointments: the one it is judged by, the first one, and the apology's.

Decree 297/2025 art. 6(4)(a): once a supplement makes the dossier complete, its
time limit "được tính lại từ đầu": the appointment is recomputed from the moment
the supplement is received, over the procedure's full time limit. That new
appointment is computed once, by the counter that receives the supplement, and
carried in the event's data (``due_at``), so every counter that pulls the event
derives the same date whatever its own calendar knows by then.

The dossier's three columns are a projection of its events, like its status:

- ``first_due_at``: the appointment of the first receipt (form 01), set at reception;
- ``due_at``: ``first_due_at``, or the appointment of the newest supplement received.
  Early, on time, late and overdue are judged against it;
- ``extended_due_at``: the new date of the apology (form 04), shown to people but
  never judged against, since the province counts a re-appointed dossier late all
  the same. A supplement received after it clears it: the new receipt's
  appointment is the one the citizen holds.

The apology itself is allowed once (Decree 297/2025 art. 6(5), "không quá 01
lần") and at the latest one working day before the appointment (Lai Châu
88/2025/QĐ-UBND, "chậm nhất 01 ngày trước ngày hết hạn"); after that only a
supervisor may still issue it, giving a reason the audit keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from counter_app.models import Dossier
    from counter_app.workdays import WorkingCalendar

SUPPLEMENT_RECEIVED = "supplement_received"
EXTENDED = "extended"


@dataclass(frozen=True)
class Appointments:
    due_at: dt.datetime | None
    extended_due_at: dt.datetime | None


def _moment(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def project(
    first_due_at: dt.datetime | None,
    events: Iterable[tuple[str, Mapping[str, Any]]],
    extended_due_at: dt.datetime | None = None,
) -> Appointments:
    """The appointments ``(kind, data)`` events in order lead to, from the first receipt's.

    Given the appointments some earlier events led to (``first_due_at`` then
    being that ``due_at``), it carries them on through the events that follow.
    """
    due, extended = first_due_at, extended_due_at
    for kind, data in events:
        if kind == SUPPLEMENT_RECEIVED and data.get("due_at"):
            due, extended = _moment(data["due_at"]), None
        elif kind == EXTENDED and data.get("new_due_at"):
            extended = _moment(data["new_due_at"])
    return Appointments(due, extended)


def _first(dossier: Dossier) -> dt.datetime | None:
    """The first appointment; a row written before it was kept (or not by the services, as
    the benchmarks' bulk data) has only ``due_at``, which no supplement has moved yet."""
    if dossier.first_due_at is None:
        dossier.first_due_at = dossier.due_at
    return dossier.first_due_at


def refresh(dossier: Dossier) -> None:
    """Set the dossier's appointments from its (loaded) events, in the caller's transaction."""
    ordered = sorted(dossier.events, key=lambda e: e.seq)
    result = project(_first(dossier), ((e.kind, e.data or {}) for e in ordered))
    dossier.due_at, dossier.extended_due_at = result.due_at, result.extended_due_at


def refresh_many(session: Session, dossier_ids: Iterable[str]) -> None:
    """``refresh`` for dossiers whose events a pull just added, reading their events once."""
    # Imported here: ``project`` serves the printed forms, which read no models.
    from sqlalchemy import select

    from counter_app.id_lists import among
    from counter_app.models import Dossier, DossierEvent

    ids = set(dossier_ids)
    if not ids:
        return
    events: dict[str, list[tuple[str, Mapping[str, Any]]]] = {i: [] for i in ids}
    for dossier_id, kind, data in session.execute(
        select(DossierEvent.dossier_id, DossierEvent.kind, DossierEvent.data)
        .where(
            among(DossierEvent.dossier_id, ids),
            DossierEvent.kind.in_((SUPPLEMENT_RECEIVED, EXTENDED)),
        )
        .order_by(DossierEvent.dossier_id, DossierEvent.seq)
    ):
        events[dossier_id].append((kind, data or {}))
    for dossier in session.scalars(select(Dossier).where(among(Dossier.id, ids))):
        result = project(_first(dossier), events[dossier.id])
        dossier.due_at, dossier.extended_due_at = result.due_at, result.extended_due_at
    session.flush()


def extension_deadline(calendar: WorkingCalendar, due_at: dt.datetime) -> dt.date:
    """The last day an apology may still be made: the working day before the appointment's.

    Lai Châu 88/2025/QĐ-UBND: "chậm nhất 01 ngày trước ngày hết hạn", read as one
    working day, so an appointment on Monday must be apologised for by Friday.
    """
    day = due_at.date() - dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day
