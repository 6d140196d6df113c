"""``province-server serve --workers N``: N processes on one address, sharing only the database.

The server runs as the real command in a child process; its workers are found
as that process's children, so the test can kill one and watch the other carry
on while uvicorn starts a replacement.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from sqlalchemy import func, select

from counter_app.models import Dossier
from sync.server.db import Database
from tests.support.counters import CounterFactory
from tests.support.server import ServerProcess

pytest_plugins = ["tests.support.sync_fixtures"]

RESTART_S = 60.0


def workers_of(server: ServerProcess) -> set[int]:
    """The pids of the worker processes uvicorn's supervisor (the command itself) runs."""
    assert server.process is not None
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = set()
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            workers.add(int(child))
    return workers


def wait_for_workers(server: ServerProcess, count: int, other_than: set[int]) -> set[int]:
    deadline = time.monotonic() + RESTART_S
    while True:
        workers = workers_of(server)
        if len(workers) == count and not workers & other_than:
            return workers
        assert time.monotonic() < deadline, f"workers now: {workers}"
        time.sleep(0.1)


def test_two_workers_serve_counters_and_one_killed_is_replaced(
    province_db_url: str, make_counter: CounterFactory, tmp_path: Path
) -> None:
    database = Database.open(province_db_url)
    # Two processes import the whole server each: slow on a loaded machine.
    server = ServerProcess(province_db_url, tmp_path / "blobs", workers=2, start_timeout=120)
    try:
        server.start()
        workers = wait_for_workers(server, 2, set())
        sender, receiver = make_counter("a"), make_counter("b", slot=2)
        codes = {r.code for r in sender.receive(4)}
        sender.enrol_at(database, server.url)
        receiver.enrol_at(database, server.url)
        assert sender.sync().complete

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        report = receiver.sync()

        assert report.complete and report.dossiers_added == len(codes)
        with receiver.store.read() as session:
            assert set(session.scalars(select(Dossier.code))) == codes
            assert session.scalar(select(func.count()).select_from(Dossier)) == len(codes)
        wait_for_workers(server, 2, {victim})  # uvicorn's supervisor starts another
        assert receiver.sync().pulled == 0
    finally:
        server.stop()
        database.close()
