"""Dossiers received, made ready and due, for the return tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from counter_app.auth import StaffIdentity, add_user
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService
from counter_app.models import Dossier
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.reception import full_checklist, request

TEMPORARY_RESIDENCE = "1.004194"  # lệ phí 15.000 đồng


BIRTH_REGISTRATION = "1.001193"  # free


APPLICANT_CCCD = "001190012345"


OTHER_CCCD = "038095001234"


def receive(store: Store, clock: FixedClock, clerk: StaffIdentity, **overrides: object) -> str:
    procedure = str(overrides.pop("procedure_code", TEMPORARY_RESIDENCE))
    values: dict[str, object] = {
        "procedure_code": procedure,
        "documents": full_checklist(store, procedure),
    }
    values.update(overrides)
    return ReceptionService(store, clock).receive(request(store, **values), clerk).code


def ready(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str, at: dt.datetime
) -> None:
    events = DossierService(store, clock)
    clock.at = at - dt.timedelta(hours=2)
    events.record(code, "processing_started", clerk)
    clock.at = at
    events.record(code, "result_ready", clerk)


def due_of(store: Store, code: str) -> dt.datetime:
    with store.read() as session:
        due = session.scalar(select(Dossier.due_at).where(Dossier.code == code))
    assert due is not None
    return due


def results_waiting(store: Store, clock: FixedClock, clerk: StaffIdentity) -> tuple[str, str]:
    """A temporary residence (15.000 đồng owed) and a free birth registration, both ready."""
    with store.write() as session:
        add_user(
            session,
            username=clerk.username,
            full_name=clerk.full_name,
            role=clerk.role,
            password="mat-khau-can-bo",
            unit_code=clerk.unit_code,
            at=clock.now(),
        )
    paying = receive(store, clock, clerk)
    free = receive(store, clock, clerk, procedure_code=BIRTH_REGISTRATION)
    for code in (paying, free):
        ready(store, clock, clerk, code, due_of(store, code).replace(hour=8))
    clock.advance(hours=2)
    return paying, free
