"""A dossier's life as append-only events (DESIGN.md, "Dossier life").

received → in processing → (supplement requested → received again) → result
ready → returned; or rejected, withdrawn. Each event names the status it
leads to; the dossier's ``status`` column is only a cached copy of the last
event's, rewritten in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from counter_app.errors import NotAllowed

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from counter_app.models import Dossier, DossierEvent


class Status(StrEnum):
    DRAFT = "draft"
    RECEIVED = "received"
    IN_PROCESSING = "in_processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"


STATUS_LABELS = {
    Status.DRAFT: "Hồ sơ nháp",
    Status.RECEIVED: "Đã tiếp nhận",
    Status.IN_PROCESSING: "Đang giải quyết",
    Status.SUPPLEMENT_REQUESTED: "Chờ bổ sung",
    Status.RESULT_READY: "Có kết quả",
    Status.RETURNED: "Đã trả kết quả",
    Status.REJECTED: "Từ chối",
    Status.WITHDRAWN: "Rút hồ sơ",
    Status.STOPPED: "Dừng giải quyết",
}

# Statuses in which the dossier is still being worked on, so it can fall overdue.
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROCESSING, Status.SUPPLEMENT_REQUESTED})
# Open statuses whose time limit runs. A dossier waiting for the citizen's supplement is
# neither running nor overdue: its clock restarts when the supplement comes (Decree
# 297/2025 art. 6(4)(a)).
RUNNING_STATUSES = OPEN_STATUSES - {Status.SUPPLEMENT_REQUESTED}
# Statuses in which the dossier has a result, which can then be digitized.
RESULT_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED})


@dataclass(frozen=True)
class Transition:
    """Which statuses an event may follow, and the one it leads to (None: unchanged)."""

    allowed_from: frozenset[Status | None]
    status_after: Status | None


TRANSITIONS: dict[str, Transition] = {
    "drafted": Transition(frozenset({None}), Status.DRAFT),
    "received": Transition(frozenset({None, Status.DRAFT}), Status.RECEIVED),
    "processing_started": Transition(frozenset({Status.RECEIVED}), Status.IN_PROCESSING),
    "supplement_requested": Transition(OPEN_STATUSES, Status.SUPPLEMENT_REQUESTED),
    "supplement_received": Transition(frozenset({Status.SUPPLEMENT_REQUESTED}), Status.RECEIVED),
    "result_ready": Transition(
        frozenset({Status.RECEIVED, Status.IN_PROCESSING}), Status.RESULT_READY
    ),
    "returned": Transition(frozenset({Status.RESULT_READY}), Status.RETURNED),
    "rejected": Transition(OPEN_STATUSES, Status.REJECTED),
    "withdrawn": Transition(OPEN_STATUSES, Status.WITHDRAWN),
    "stopped": Transition(OPEN_STATUSES, Status.STOPPED),
    # The apology and new appointment (form 04): the dossier stays where it is, and
    # its original due date stays too, since the province counts it late all the same.
    "extended": Transition(OPEN_STATUSES, None),
}


def derive_status(kinds: list[str]) -> Status | None:
    """The status a sequence of event kinds leads to, checking each step is allowed."""
    status: Status | None = None
    for kind in kinds:
        transition = TRANSITIONS[kind]
        if status not in transition.allowed_from:
            raise NotAllowed(f"event {kind!r} cannot follow status {status!r}")
        status = transition.status_after or status
    return status


def statuses_after(kinds: list[str]) -> list[Status] | None:
    """The status each event of a history leads to; None if a kind is unknown or out of place.

    What an event says its status is comes from whoever sent it; this is what
    the kinds themselves lead to, which is what both ends store.
    """
    status: Status | None = None
    statuses: list[Status] = []
    for kind in kinds:
        transition = TRANSITIONS.get(kind)
        if transition is None or status not in transition.allowed_from:
            return None
        status = transition.status_after or status
        assert status is not None  # no transition from "no status" keeps it
        statuses.append(status)
    return statuses


def check_transition(dossier: Dossier, kind: str) -> Status:
    """The status ``kind`` leaves the dossier in, or NotAllowed when its status forbids it.

    Callers with rules of their own (the apology's deadline) ask this first, so a
    clerk is told the dossier's state rather than a rule that no longer applies.
    """
    transition = TRANSITIONS.get(kind)
    if transition is None:
        raise NotAllowed(f"Không có thao tác {kind!r} trên hồ sơ.")
    current = Status(dossier.status) if dossier.status else None
    if current not in transition.allowed_from:
        label = STATUS_LABELS[current] if current else "chưa có"
        raise NotAllowed(f"Hồ sơ đang ở trạng thái '{label}', không thể thực hiện thao tác này.")
    status_after = transition.status_after or current
    assert status_after is not None
    return status_after


def append_event(
    session: Session,
    dossier: Dossier,
    kind: str,
    *,
    at: dt.datetime,
    actor: str,
    unit_code: str,
    device_id: str | None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append ``kind`` to the events and move the status, in the caller's transaction."""
    # Imported here: the statuses and their labels above serve a dossier's read view, which
    # a printing command takes without the models.
    from counter_app.models import DossierEvent

    status_after = check_transition(dossier, kind)
    event = DossierEvent(
        dossier_id=dossier.id,
        seq=len(dossier.events) + 1,
        kind=kind,
        status_after=status_after.value,
        at=at,
        actor=actor,
        unit_code=unit_code,
        device_id=device_id,
        note=note,
        data=data or {},
    )
    dossier.events.append(event)
    dossier.status = status_after.value
    session.add(dossier)
    return event


def event_payload(event: DossierEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "dossier_id": event.dossier_id,
        "seq": event.seq,
        "kind": event.kind,
        "status_after": event.status_after,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "unit_code": event.unit_code,
        "device_id": event.device_id,
        "note": event.note,
        "data": event.data,
    }
