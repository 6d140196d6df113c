"""A form's data for a dossier in the store: what the window and the CLI both print from.

Forms 02-05 are printed from the event that recorded their action (its note
is the reason, its data the items or the new date), so a form can be printed
again later and always says what was recorded, never what was retyped.

A form is dated by the act it records, not by the day it is printed (the 2025
forms, MOH 3621/QĐ-BYT): the receipt and the control slip by the reception (the
receipt after a supplement by the supplement's reception, which restarted the
clock), forms 02-05 by their event, with the appointment in force then. A
reprint a week later is the same paper.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from counter_app import appointments
from counter_app.dossier_view import DossierView, EventLine, load_dossier_view
from counter_app.errors import NotFound
from counter_app.settings import Settings
from printing.form_data import (
    ControlSlipForm,
    ExtensionForm,
    ReceiptForm,
    RefusalForm,
    StopForm,
    SupplementForm,
    handover_rows,
)
from printing.forms import render
from printing.paper import Paper
from printing.wording import place_from_unit

if TYPE_CHECKING:
    from counter_app.guidance import GuidanceRecord
    from counter_app.store import Store

# The event each action form is printed from, and what to say when there is none.
log = logging.getLogger(__name__)
SOURCE_EVENTS = {
    "supplement": ("supplement_requested", "Hồ sơ chưa có yêu cầu bổ sung nào để in."),
    "refusal": ("rejected", "Hồ sơ chưa bị từ chối, nên chưa có phiếu từ chối để in."),
    "extension": ("extended", "Hồ sơ chưa có văn bản xin lỗi, hẹn lại nào để in."),
    "stop": ("stopped", "Hồ sơ chưa có thông báo dừng giải quyết để in."),
}


def _last(view: DossierView, form_id: str) -> EventLine:
    kind, missing = SOURCE_EVENTS[form_id]
    for event in reversed(view.events):
        if event.kind == kind:
            return event
    raise NotFound(missing)


def _as_recorded(view: DossierView, event: EventLine) -> DossierView:
    """The view with the appointment in force when ``event`` was recorded: a supplement
    received later moved it (Decree 297/2025 art. 6(4)(a)), not what the form said."""
    before = [(e.kind, e.data) for e in view.events if e.seq < event.seq]
    due = appointments.project(view.first_due_at or view.due_at, before).due_at
    return replace(view, due_at=due) if due is not None else view


def form_data(form_id: str, view: DossierView, settings: Settings) -> Any:
    """The data class of ``form_id`` filled for ``view``; NotFound when its action is missing."""
    common: dict[str, Any] = {
        "view": view,
        "place_name": settings.place_name or place_from_unit(view.receiving_unit.name),
        "parent_agency": settings.parent_agency,
    }
    if form_id == "receipt":
        return ReceiptForm(**common, printed_at=view.supplement_received_at or view.received_at)
    if form_id == "control":
        return ControlSlipForm(**common, printed_at=view.received_at, rows=handover_rows(view))
    if form_id not in SOURCE_EVENTS:
        raise NotFound(f"Không có mẫu in {form_id!r}.")
    event = _last(view, form_id)
    common["printed_at"] = event.at
    common["view"] = _as_recorded(view, event)
    if form_id == "supplement":
        return SupplementForm(
            **common,
            items=tuple(event.data.get("items", ())),
            reason=event.note,
            officer_name=event.actor_name,
        )
    if form_id == "refusal":
        return RefusalForm(**common, reason=event.note, officer_name=event.actor_name)
    if form_id == "extension":
        new_due = dt.datetime.fromisoformat(str(event.data["new_due_at"]))
        return ExtensionForm(**common, reason=event.note, new_due_at=new_due)
    return StopForm(**common, reason=event.note)


def guidance_form_data(record: GuidanceRecord, settings: Settings) -> Any:
    """Form 02 or 03 for a dossier turned away at the counter before reception.

    No code: the 2025 form reads "Mã hồ sơ (nếu có)" (Đồng Tháp 138/2025/QĐ-UBND),
    and the form is dated by the visit, as recorded.
    """
    from counter_app.guidance import SUPPLEMENT

    view = record.view
    common: dict[str, Any] = {
        "view": view,
        "place_name": settings.place_name or place_from_unit(view.receiving_unit.name),
        "parent_agency": settings.parent_agency,
        "printed_at": record.at,
        "reason": record.reason,
        "officer_name": record.actor_name,
    }
    if record.kind == SUPPLEMENT:
        return SupplementForm(**common, items=record.items)
    return RefusalForm(**common)


def render_guidance(store: Store, guidance_id: str, settings: Settings) -> bytes:
    """The PDF of the form 02 or 03 recorded as ``guidance_id``, on the settings' paper."""
    # Imported here: the guidance records are read on the models, which printing a
    # dossier's form (``render_view``) does without.
    from counter_app.guidance import load_guidance

    with store.read() as session:
        record = load_guidance(session, guidance_id)
    if record is None:
        raise NotFound("Không tìm thấy phiếu hướng dẫn hoặc từ chối tiếp nhận này.")
    paper: Paper = "A4" if settings.paper == "A4" else "A5"
    return _logged(
        lambda: render(record.form_id, guidance_form_data(record, settings), paper),
        record.form_id,
        guidance_id,
        paper,
    )


def render_for_code(store: Store, form_id: str, code: str, settings: Settings) -> bytes:
    """The PDF of ``form_id`` for the dossier ``code``, on the paper the settings choose."""
    with store.read() as session:
        view = load_dossier_view(session, code)
    return render_view(form_id, view, settings)


def render_view(form_id: str, view: DossierView, settings: Settings) -> bytes:
    """The PDF of ``form_id`` for a dossier already read, on the paper the settings choose."""
    paper: Paper = "A4" if settings.paper == "A4" else "A5"
    return _logged(
        lambda: render(form_id, form_data(form_id, view, settings), paper),
        form_id,
        view.code or "",
        paper,
    )


def _logged(make: Callable[[], bytes], form_id: str, subject: str, paper: str) -> bytes:
    """Render, saying in the log what was printed for whom, or why it could not be."""
    try:
        pdf = make()
    except Exception as exc:
        log.warning("Không in được %s cho %s (%s): %s", form_id, subject, paper, exc)
        raise
    log.info("Đã dựng %s cho %s (%s, %d byte)", form_id, subject, paper, len(pdf))
    return pdf
