"""Dossiers received for the backup tests."""

from __future__ import annotations

from sqlalchemy import select

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.models import Dossier
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.reception import request


def dossier_codes(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(c for c in session.scalars(select(Dossier.code)) if c)


def receive(store: Store, clock: FixedClock, clerk: StaffIdentity, count: int) -> list[str]:
    service = ReceptionService(store, clock)
    codes = []
    for _ in range(count):
        codes.append(service.receive(request(store), clerk).code)
        clock.advance(minutes=2)
    return codes
