"""Finding dossiers and recording what happens to them after reception."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import appointments, audit, limits, outbox
from counter_app.auth import Role, StaffIdentity
from counter_app.calendar_source import CalendarSource
from counter_app.clock import Clock
from counter_app.errors import NotAllowed, NotFound, ValidationError
from counter_app.installation import CounterContext, load_context
from counter_app.lifecycle import append_event, check_transition, event_payload
from counter_app.limits import length_error
from counter_app.models import Dossier, DossierEvent
from counter_app.text import nfc

if TYPE_CHECKING:
    from counter_app.store import Store

# Who may still issue an apology past its deadline, giving a reason.
OVERRIDING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})

# Fills in an event's data and the audit's extra detail inside the write transaction,
# raising when the action is not allowed: (session, dossier, now) -> (data, audit detail).
Prepare = Callable[[Session, Dossier, dt.datetime], tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class EventRecorded:
    dossier_id: str
    code: str
    status: str
    due_at: dt.datetime | None = None


def get_by_code(session: Session, code: str) -> Dossier:
    dossier = session.scalar(select(Dossier).where(Dossier.code == code.strip().upper()))
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code.strip()}.")
    return dossier


def record_event(
    session: Session,
    dossier: Dossier,
    kind: str,
    *,
    at: dt.datetime,
    actor: str,
    context: CounterContext,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append an event at this counter and queue it for the province, in one transaction."""
    event = append_event(
        session,
        dossier,
        kind,
        at=at,
        actor=actor,
        unit_code=context.unit_code,
        device_id=context.device_id,
        note=note,
        data=data,
    )
    appointments.refresh(dossier)
    session.flush()
    outbox.enqueue(
        session,
        entity="dossier_event",
        entity_id=dossier.id,
        operation="append_event",
        payload=event_payload(event),
        at=at,
    )
    return event


class DossierService:
    """Records the events of a dossier's life, each with its outbox and audit rows."""

    def __init__(self, store: Store, clock: Clock, calendar: CalendarSource | None = None) -> None:
        self.store = store
        self.clock = clock
        self.calendar = calendar or CalendarSource()

    def record(
        self,
        code: str,
        kind: str,
        actor: StaffIdentity,
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> EventRecorded:
        """Record ``kind``; the apology only through ``extend``, which holds its rules."""
        if kind == appointments.EXTENDED:
            raise NotAllowed("Xin lỗi, hẹn lại phải ghi qua văn bản xin lỗi kèm ngày hẹn mới.")
        prepare = self._supplement_received if kind == appointments.SUPPLEMENT_RECEIVED else None
        return self._record(code, kind, actor, note, data, prepare)

    def _record(
        self,
        code: str,
        kind: str,
        actor: StaffIdentity,
        note: str,
        data: dict[str, Any] | None,
        prepare: Prepare | None,
    ) -> EventRecorded:
        if message := length_error("Nội dung", nfc(note), limits.NOTE):
            raise ValidationError({"reason": message})
        now = self.clock.now()
        with self.store.write() as session:
            context = load_context(session)
            dossier = get_by_code(session, code)
            extra: dict[str, Any] = {}
            if prepare is not None:
                check_transition(dossier, kind)
                more, extra = prepare(session, dossier, now)
                data = {**(data or {}), **more}
            record_event(
                session,
                dossier,
                kind,
                at=now,
                actor=actor.username,
                context=context,
                note=nfc(note),
                data=data,
            )
            detail: dict[str, Any] = (
                {"code": dossier.code, "note": note} if note else {"code": dossier.code}
            )
            audit.record(
                session,
                at=now,
                actor=actor.username,
                action=f"dossier.{kind}",
                entity="dossier",
                entity_id=dossier.id,
                device_id=context.device_id,
                detail=detail | extra,
            )
            assert dossier.code is not None
            return EventRecorded(dossier.id, dossier.code, dossier.status, dossier.due_at)

    def _supplement_received(
        self, session: Session, dossier: Dossier, now: dt.datetime
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The appointment recomputed from now over the full time limit (Decree 297/2025
        art. 6(4)(a)), carried in the event so every counter derives the same date."""
        due = self.calendar.appointment(session, dossier.procedure, now)
        previous = dossier.due_at.isoformat() if dossier.due_at else None
        data = {"due_at": due.isoformat(), "previous_due_at": previous}
        return data, {"due_at": data["due_at"], "previous_due_at": previous}

    def receive_supplement(self, code: str, actor: StaffIdentity, note: str = "") -> EventRecorded:
        """The citizen brought what was asked for: the clock starts again (form 01 reprinted)."""
        return self.record(code, appointments.SUPPLEMENT_RECEIVED, actor, note)

    # The actions that print a form (forms 02-05) ------------------------------

    def request_supplement(
        self, code: str, items: list[str], reason: str, actor: StaffIdentity
    ) -> EventRecorded:
        """Ask for missing or incomplete papers (form 02); the dossier waits for them."""
        wanted = [nfc(item) for item in items if item.strip()]
        errors = {}
        if not wanted:
            errors["items"] = "Chưa nêu giấy tờ cần bổ sung, hoàn thiện."
        if not reason.strip():
            errors["reason"] = "Chưa nêu lý do yêu cầu bổ sung."
        if len(wanted) > limits.EVENT_ITEMS:
            errors["items"] = f"Nêu không quá {limits.EVENT_ITEMS} giấy tờ cần bổ sung."
        elif message := next(
            (m for item in wanted if (m := length_error("Một giấy tờ", item, limits.NOTE))), None
        ):
            errors["items"] = message
        if errors:
            raise ValidationError(errors)
        return self.record(code, "supplement_requested", actor, reason, {"items": wanted})

    def refuse(self, code: str, reason: str, actor: StaffIdentity) -> EventRecorded:
        """Refuse the dossier (form 03), saying why."""
        _require_reason(reason, "từ chối")
        return self.record(code, "rejected", actor, reason)

    def extend(
        self,
        code: str,
        new_due_at: dt.datetime,
        reason: str,
        actor: StaffIdentity,
        override_reason: str = "",
    ) -> EventRecorded:
        """Apologise and set a new appointment (form 04) for a dossier that will be late.

        Once only (Decree 297/2025 art. 6(5)), and at the latest one working day before
        the appointment (Lai Châu 88/2025/QĐ-UBND); later only with a supervisor's
        reason, which the audit keeps. The appointment judged stays the same.
        """
        _require_reason(reason, "xin gia hạn")

        def check(
            session: Session, dossier: Dossier, now: dt.datetime
        ) -> tuple[dict[str, Any], dict[str, Any]]:
            earlier = [e for e in dossier.events if e.kind == appointments.EXTENDED]
            if earlier:
                raise NotAllowed(
                    f"Hồ sơ đã được xin lỗi, hẹn lại ngày {earlier[-1].at:%d/%m/%Y}; mỗi hồ sơ "
                    "chỉ được hẹn lại không quá 01 lần."
                )
            due = dossier.due_at
            if due is not None and new_due_at <= due:
                raise ValidationError(
                    {"new_due_at": f"Ngày hẹn mới phải sau ngày hẹn cũ ({due:%H:%M %d/%m/%Y})."}
                )
            data: dict[str, Any] = {"new_due_at": new_due_at.isoformat()}
            if due is None:
                return data, data
            last_day = appointments.extension_deadline(self.calendar.get(session), due)
            if now.date() <= last_day:
                return data, data
            late = (
                f"Đã quá hạn xin lỗi, hẹn lại: chậm nhất ngày {last_day:%d/%m/%Y}, 01 ngày làm "
                f"việc trước ngày hẹn trả {due:%d/%m/%Y}."
            )
            if actor.role not in OVERRIDING_ROLES:
                raise NotAllowed(late + " Chỉ lãnh đạo trung tâm mới được cho phép, kèm lý do.")
            if not override_reason.strip():
                raise ValidationError(
                    {"override_reason": late + " Ghi lý do cho phép để vẫn hẹn lại."}
                )
            data["override_reason"] = nfc(override_reason.strip())
            data["deadline"] = last_day.isoformat()
            return data, data

        return self._record(code, appointments.EXTENDED, actor, reason, None, check)

    def stop(self, code: str, reason: str, actor: StaffIdentity) -> EventRecorded:
        """Stop processing the dossier (form 05), saying why."""
        _require_reason(reason, "dừng giải quyết")
        return self.record(code, "stopped", actor, reason)


def _require_reason(reason: str, what: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": f"Chưa nêu lý do {what}."})
