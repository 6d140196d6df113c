"""Counters for the sync tests: a real data directory, a clerk, a clock the test moves."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from sqlalchemy.orm import Session

from counter_app.auth import Role, StaffIdentity
from counter_app.cli_auth import ENV_PASSWORD
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService, EventRecorded
from counter_app.installation import ensure_unit, initialise
from counter_app.models import Attachment, Procedure
from counter_app.paths import BLOB_DIR
from counter_app.reception import DocumentCheck, Receipt, ReceptionRequest, ReceptionService
from counter_app.store import Store
from sync.client import credentials
from sync.client.backoff import RetryPolicy
from sync.client.cli import cmd_enrol
from sync.client.engine import SyncEngine, SyncReport, utc_now
from sync.client.http import ServerConnection
from sync.server import admin
from sync.server.db import Database
from tests.support.counter_store import (
    ADMIN_PASSWORD,
    MONDAY_MORNING,
    UNIT_CODE,
    UNIT_NAME,
    applicant,
)
from tests.support.server import ThreadedServer

OTHER_UNIT = "000.00.12.H57"
OTHER_UNIT_NAME = "UBND phường Quảng Phú"
BIRTH_REGISTRATION = "1.001193"


def fast_policy(deadline_s: float = 20.0) -> RetryPolicy:
    """Backoff scaled down for tests; the shape (full jitter, Retry-After) is the real one."""
    return RetryPolicy(base_s=0.05, cap_s=0.5, deadline_s=deadline_s)


class Counter:
    """A real counter data directory with a clerk at the desk and a clock the test moves."""

    def __init__(self, data_dir: Path, unit_code: str, unit_name: str, slot: int) -> None:
        self.data_dir = data_dir
        self.unit_code = unit_code
        self.slot = slot
        self.store = Store.open(data_dir)
        initialise(
            self.store,
            unit_code=unit_code,
            unit_name=unit_name,
            slot=slot,
            admin_username="admin",
            admin_password=ADMIN_PASSWORD,
            admin_full_name="Quản trị hệ thống",
            at=MONDAY_MORNING,
        )
        self.clock = FixedClock(MONDAY_MORNING)
        self.clerk = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, unit_code)
        self.reception = ReceptionService(self.store, self.clock)
        self.dossiers = DossierService(self.store, self.clock)
        with self.store.write() as session:
            for code, name in ((UNIT_CODE, UNIT_NAME), (OTHER_UNIT, OTHER_UNIT_NAME)):
                ensure_unit(session, code, name)

    def checklist(self, procedure_code: str = BIRTH_REGISTRATION) -> tuple[DocumentCheck, ...]:
        with self.store.read() as session:
            procedure = session.get(Procedure, procedure_code)
            assert procedure is not None
            return tuple(DocumentCheck(r.id) for r in procedure.requirements if r.active)

    def receive(self, count: int = 1, competent_unit_code: str | None = None) -> list[Receipt]:
        receipts = []
        documents = self.checklist()
        for _ in range(count):
            request = ReceptionRequest(
                procedure_code=BIRTH_REGISTRATION,
                applicant=applicant(),
                documents=documents,
                competent_unit_code=competent_unit_code,
            )
            receipts.append(self.reception.receive(request, self.clerk))
            self.clock.advance(minutes=3)
        return receipts

    def record(self, code: str, kind: str) -> EventRecorded:
        return self.dossiers.record(code, kind, self.clerk)

    def enrol(self, province: ThreadedServer, url: str | None = None) -> None:
        """Enrol with the server, reaching it at ``url`` (a fault proxy) if given."""
        self.enrol_at(province.database, url or province.url)

    def enrol_at(self, database: Database, url: str) -> None:
        code = admin.enrol(database, unit_code=self.unit_code, unit_name=UNIT_NAME, slot=self.slot)
        args = argparse.Namespace(data_dir=str(self.data_dir), server=url, code=code, user="admin")
        with mock.patch.dict(os.environ, {ENV_PASSWORD: ADMIN_PASSWORD}):
            assert cmd_enrol(args) == 0

    def engine(
        self,
        connection: ServerConnection,
        policy: RetryPolicy | None = None,
        utc_clock: Callable[[], dt.datetime] = utc_now,
    ) -> SyncEngine:
        return SyncEngine(
            self.store,
            connection,
            data_dir=self.data_dir,
            policy=policy or fast_policy(),
            utc_clock=utc_clock,
        )

    def connection(
        self, url: str | None = None, timeout: tuple[float, float] | None = None
    ) -> ServerConnection:
        enrolment = credentials.load(self.data_dir)
        assert enrolment is not None, "enrol the counter first"
        if timeout is None:
            return ServerConnection(url or enrolment.server_url, enrolment.device_token)
        return ServerConnection(
            url or enrolment.server_url, enrolment.device_token, timeout=timeout
        )

    def sync(
        self,
        url: str | None = None,
        policy: RetryPolicy | None = None,
        timeout: tuple[float, float] | None = None,
        **engine_options: int,
    ) -> SyncReport:
        with self.connection(url, timeout) as connection:
            engine = self.engine(connection, policy)
            for name, value in engine_options.items():
                setattr(engine, name, value)
            return engine.run_once()

    def close(self) -> None:
        self.store.close()


CounterFactory = Callable[..., Counter]


def write_blob(counter: Counter, session: Session, content: bytes) -> str:
    """Store ``content`` the way the counter's blob store will: by SHA-256, with its row."""
    sha256 = hashlib.sha256(content).hexdigest()
    path = counter.data_dir / BLOB_DIR / sha256[:2] / sha256
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if session.get(Attachment, sha256) is None:
        session.add(
            Attachment(
                sha256=sha256,
                size=len(content),
                page_count=1,
                created_by=counter.clerk.username,
                created_at=counter.clock.now(),
            )
        )
    return sha256
