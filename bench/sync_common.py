"""What the sync benchmarks share: real counters, the real server in its own process, timers.

The server runs in a child process, as it does in production, so the counter's
Python and the server's Python do not share one interpreter lock: on the 2-core
machines this project runs on, that is the difference between measuring the
protocol and measuring the GIL. The child is the real ``create_app`` plus one
pair of routes of the benchmark's own: ``PUT /bench/durable/{name}`` streams a
body to a new file, ``fdatasync``s it and syncs its directory before answering —
the floor a resumable, hash-checked upload is compared against, since the
province answers an upload only once its blob would survive a power cut — and
``PUT /bench/plain/{name}`` streams it to a file and answers, leaving it in the
page cache (context only).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import multiprocessing
import os
import socket
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import requests
from fastapi import Request, Response

from counter_app.applicants import ApplicantInput
from counter_app.auth import Role, StaffIdentity
from counter_app.cli_auth import ENV_PASSWORD
from counter_app.clock import FixedClock
from counter_app.installation import initialise
from counter_app.models import Procedure
from counter_app.reception import DocumentCheck, ReceptionRequest, ReceptionService
from counter_app.store import Store
from sync.client.cli import cmd_enrol
from sync.client.http import ServerConnection
from sync.server import admin
from sync.server.db import Database

UNIT_CODE = "000.00.11.H57"
UNIT_NAME = "UBND phường Hạc Thành"
PROCEDURE = "1.001193"
START = dt.datetime(2026, 11, 16, 7, 30)
ADMIN_PASSWORD = "mat-khau-quan-tri"


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(database_url: str, blob_dir: str, port: int, pool_size: int) -> None:
    import uvicorn
    from anyio import to_thread

    from sync.server.app import create_app
    from sync.server.blob_files import sync_directory

    database = Database.open(database_url, pool_size=pool_size, max_overflow=pool_size)
    app = create_app(database, Path(blob_dir))
    plain_dir = Path(blob_dir) / "plain"
    plain_dir.mkdir(parents=True, exist_ok=True)
    durable_dir = Path(blob_dir) / "durable"

    @app.put("/bench/plain/{name}")
    async def plain(name: str, request: Request) -> Response:
        with (plain_dir / name).open("wb") as handle:
            async for chunk in request.stream():
                handle.write(chunk)
        return Response(status_code=204)

    @app.put("/bench/durable/{name}")
    async def durable(name: str, request: Request) -> Response:
        """Written as the blob store writes, less the hashing, the resuming and the rename."""
        directory = durable_dir / name[:2]
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / name).open("wb") as handle:
            async for chunk in request.stream():
                handle.write(chunk)
            handle.flush()
            await to_thread.run_sync(getattr(os, "fdatasync", os.fsync), handle.fileno())
        await to_thread.run_sync(sync_directory, directory)
        return Response(status_code=204)

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


class ServerProcess:
    """The provincial server (plus the plain-upload route) in a child process."""

    def __init__(self, database_url: str, blob_dir: Path, pool_size: int = 10) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        context = multiprocessing.get_context("spawn")
        self.process = context.Process(
            target=_serve,
            args=(database_url, str(blob_dir), self.port, pool_size),
            daemon=True,
        )
        self.process.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with requests.get(f"{self.url}/api/v1/health", timeout=1) as answer:
                    if answer.ok:
                        return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the provincial server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(30)


def new_counter(data_dir: Path, *, unit_code: str = UNIT_CODE, slot: int = 1) -> Store:
    store = Store.open(data_dir)
    initialise(
        store,
        unit_code=unit_code,
        unit_name=UNIT_NAME,
        slot=slot,
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
        admin_full_name="Quản trị",
        at=START,
    )
    return store


def receive(store: Store, count: int, *, seed: int = 0) -> list[str]:
    """``count`` receptions through the real service, a citizen each, a minute apart."""
    clock = FixedClock(START)
    service = ReceptionService(store, clock)
    clerk = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)
    with store.read() as session:
        procedure = session.get(Procedure, PROCEDURE)
        assert procedure is not None
        documents = tuple(DocumentCheck(r.id) for r in procedure.requirements if r.active)
    codes = []
    for n in range(count):
        person = ApplicantInput(
            full_name=f"Người nộp {seed}-{n}",
            address="Phường Hạc Thành",
            cccd=f"001090{(seed * 1_000_000 + n) % 1_000_000:06d}",
            date_of_birth=dt.date(1990, 1, 1),
            sex="male",
        )
        codes.append(service.receive(ReceptionRequest(PROCEDURE, person, documents), clerk).code)
        clock.advance(minutes=1)
        if clock.now().hour >= 17:  # a day's slot holds 999 numbers: next day, early
            clock.at = clock.now().replace(hour=7, minute=30) + dt.timedelta(days=1)
    return codes


def enrol(
    database: Database, data_dir: Path, server_url: str, *, unit_code: str, slot: int
) -> None:
    code = admin.enrol(database, unit_code=unit_code, unit_name=UNIT_NAME, slot=slot)
    args = argparse.Namespace(data_dir=str(data_dir), server=server_url, code=code, user="admin")
    with (
        contextlib.redirect_stdout(io.StringIO()),
        mock.patch.dict(os.environ, {ENV_PASSWORD: ADMIN_PASSWORD}),
    ):
        status = cmd_enrol(args)
    if status != 0:
        raise RuntimeError("enrolment failed")


class TimedConnection(ServerConnection):
    """Records how long each request took, by endpoint, for the figures."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timings: list[tuple[str, float]] = []

    def call(self, method: str, name: str, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            return super().call(method, name, **kwargs)
        finally:
            label = name.split("/")[0] if not name.startswith("blobs/query") else "blobs/query"
            self.timings.append((f"{method} {label}", time.perf_counter() - started))

    def seconds(self, predicate: Callable[[str], bool]) -> float:
        return sum(t for label, t in self.timings if predicate(label))


def scratch_schema(base_url: str) -> tuple[str, Callable[[], None]]:
    """A PostgreSQL schema of its own for one run, and the function that drops it."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(base_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")

    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}", drop
