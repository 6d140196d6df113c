"""Dossiers turned away at the counter before reception: form 02 or 03 without a code.

Since the 2025 forms (Đồng Tháp 138/2025/QĐ-UBND; MOH 3621/QĐ-BYT reproducing
forms BM.01-06), an incomplete dossier gets the request to supplement (form 02)
and one outside the centre's competence, or refused, the refusal slip (form 03)
*without being received*: form 03 reads "Mã hồ sơ (nếu có)". So such a visit
takes no dossier code and is not counted as received, yet the counter records
who gave which form, when, for which procedure and applicant, and why: the
form can be printed again, and the day's tally counts them as "hướng dẫn" and
"từ chối tiếp nhận".

These records stay on this counter: they are not pushed to the provincial
server (no dossier exists there to attach them to), so only this counter's
tally counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.catalog import procedure_info
from counter_app.dossier_view import (
    ApplicantView,
    DossierView,
    RepresentativeView,
    UnitView,
    procedure_fields,
)
from counter_app.models import CounterGuidance, StaffUser, Unit

SUPPLEMENT, REFUSAL = "supplement", "refusal"
GUIDANCE_KINDS = {SUPPLEMENT: "Hướng dẫn bổ sung", REFUSAL: "Từ chối tiếp nhận"}


@dataclass(frozen=True)
class Guidance:
    """What the clerk gets back: the record's id, to print its form from."""

    id: str
    kind: str  # "supplement" (form 02) or "refusal" (form 03)
    at: dt.datetime


@dataclass(frozen=True)
class GuidanceRecord:
    """A recorded guidance or refusal as its form prints it.

    ``view`` is the dossier as the forms read it, with no code ("Mã hồ sơ (nếu có)"
    left empty), no status and the visit's time as its reception time: nothing was
    received. Printed by ``printing.prepare.render_guidance``.
    """

    id: str
    kind: str
    at: dt.datetime
    actor: str
    actor_name: str
    items: tuple[str, ...]
    reason: str
    view: DossierView

    @property
    def form_id(self) -> str:
        return self.kind


def check_guidance(kind: str, items: Sequence[str], reason: str) -> dict[str, str]:
    """What is missing from a guidance: a reason always, the items for form 02."""
    errors: dict[str, str] = {}
    if kind not in GUIDANCE_KINDS:
        errors["kind"] = "Chỉ hướng dẫn bổ sung (mẫu 02) hoặc từ chối tiếp nhận (mẫu 03)."
    if not reason.strip():
        errors["reason"] = "Chưa nhập lý do."
    if kind == SUPPLEMENT and not any(item.strip() for item in items):
        errors["items"] = "Chưa nêu nội dung cần bổ sung, hoàn thiện."
    return errors


def _unit(session: Session, code: str) -> UnitView:
    unit = session.get(Unit, code)
    return UnitView(code, unit.name if unit else code)


def load_guidance(session: Session, guidance_id: str) -> GuidanceRecord | None:
    """The record with this id as its form prints it; None when there is none."""
    row = session.get(CounterGuidance, guidance_id)
    if row is None:
        return None
    actor_name = (
        session.scalar(select(StaffUser.full_name).where(StaffUser.username == row.actor))
        or row.actor
    )
    procedure = procedure_info(row.procedure)
    person = row.applicant
    representative = (
        RepresentativeView(
            row.representative_name, row.representative_cccd, row.representative_relation or ""
        )
        if row.representative_name
        else None
    )
    view = DossierView(
        id=row.id,
        code="",
        status="",
        **procedure_fields(procedure),
        receiving_unit=_unit(session, row.unit_code),
        competent_unit=_unit(session, row.competent_unit_code),
        channel="direct",
        return_method="counter",
        return_address=None,
        sets_count=1,
        received_at=row.at,
        due_at=row.at,
        received_by=row.actor,
        received_by_name=actor_name,
        applicant=ApplicantView(
            person.full_name,
            person.cccd,
            person.date_of_birth,
            person.sex,
            person.address,
            person.phone,
            person.email,
        ),
        documents=(),
        events=(),
        book_volume="",
        book_entry=0,
        note="",
        representative=representative,
    )
    return GuidanceRecord(
        id=row.id,
        kind=row.kind,
        at=row.at,
        actor=row.actor,
        actor_name=actor_name,
        items=tuple(str(item) for item in row.items or ()),
        reason=row.reason,
        view=view,
    )


def guidance_counts(
    session: Session, unit_code: str, start: dt.datetime, end: dt.datetime
) -> list[tuple[str, str, str, int]]:
    """(procedure, clerk, kind, number) of the unit's guidance records in [start, end)."""
    g = CounterGuidance
    rows = session.execute(
        select(g.procedure_code, g.actor, g.kind, func.count())
        .where(g.unit_code == unit_code, g.at >= start, g.at < end)
        .group_by(g.procedure_code, g.actor, g.kind)
    )
    return [(procedure, actor, kind, int(number)) for procedure, actor, kind, number in rows]
