"""Liveness and readiness, for the service manager and the reverse proxy in front.

``GET /healthz`` answers as long as the process serves HTTP at all: a supervisor
restarts a process that stops answering it. ``GET /readyz`` answers 200 only when
this process can do its work: the database answers, its schema is at the
migrations' head (a worker started before ``province-server migrate`` ran, or on a
database another version migrated, must get no traffic), and the blob store takes
a file. A load balancer sends requests only to ready processes.

Both live outside ``/api/v1``: they belong to the deployment, not to the sync
protocol, and need no device token. Neither says more than which check failed and
why, which a person reading it needs and an outsider learns nothing from.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from sync.server.blobs import BlobStore
from sync.server.db import Database, alembic_config

OK = "ok"
PROBE_PREFIX = ".readyz-"


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class ReadyChecks(BaseModel):
    """Each check: ``ok``, or a sentence saying what is wrong."""

    database: str
    migrations: str
    blob_store: str


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: ReadyChecks


class ReadinessCheck:
    """The three checks of ``/readyz`` on one database and one blob store.

    ``blob_probe`` answers OK or what is wrong with the store: a directory is
    written to (``directory_probe``), a bucket asked for a key (``store_probe``).
    """

    def __init__(self, database: Database, blob_probe: Callable[[], str]) -> None:
        self.database = database
        self.blob_probe = blob_probe
        script = ScriptDirectory.from_config(alembic_config(database.engine))
        self.heads = frozenset(script.get_heads())

    def run(self) -> Readiness:
        database, migrations = self._database()
        checks = ReadyChecks(database=database, migrations=migrations, blob_store=self.blob_probe())
        ready = all(value == OK for value in checks.model_dump().values())
        return Readiness(status="ready" if ready else "not_ready", checks=checks)

    def _database(self) -> tuple[str, str]:
        try:
            with self.database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                current = frozenset(MigrationContext.configure(connection).get_current_heads())
        except Exception as exc:  # whatever the driver raises, the answer is "not ready"
            reason = f"database unreachable: {type(exc).__name__}"
            return reason, "unknown: the database is unreachable"
        if current == self.heads:
            return OK, OK
        have = ", ".join(sorted(current)) or "none"
        want = ", ".join(sorted(self.heads))
        return OK, f"schema at {have}, code expects {want}: run province-server migrate"


def directory_probe(blob_dir: Path) -> Callable[[], str]:
    def probe() -> str:
        """Write, sync and delete a small file where blobs are written."""
        try:
            handle, name = tempfile.mkstemp(prefix=PROBE_PREFIX, dir=blob_dir)
            try:
                os.write(handle, b"readyz")
                os.fsync(handle)
            finally:
                os.close(handle)
                os.unlink(name)
        except OSError as exc:
            return f"blob store not writable: {exc.strerror or type(exc).__name__}"
        return OK

    return probe


def store_probe(files: BlobStore) -> Callable[[], str]:
    def probe() -> str:
        """Ask the store for a blob no scan has: an unreachable bucket raises."""
        try:
            files.has("0" * 64)
        except Exception as exc:  # whatever the client raises, the answer is "not ready"
            return f"blob store unreachable: {type(exc).__name__}"
        return OK

    return probe


def add_health_routes(app: FastAPI, check: ReadinessCheck) -> None:
    """``GET /healthz`` and ``GET /readyz`` on ``app``."""

    @app.get("/healthz", tags=["deployment"])
    def healthz() -> Liveness:
        """The process serves HTTP; nothing else is checked."""
        return Liveness()

    @app.get(
        "/readyz",
        tags=["deployment"],
        responses={
            200: {"model": Readiness, "description": "Ready for traffic."},
            503: {"model": Readiness, "description": "A check failed; see `checks`."},
        },
    )
    def readyz() -> Response:
        """The database answers, its schema is at head, and the blob store takes a file."""
        readiness = check.run()
        status = 200 if readiness.status == "ready" else 503
        return JSONResponse(
            readiness.model_dump(), status_code=status, headers={"Cache-Control": "no-store"}
        )
