"""``/healthz`` and ``/readyz`` over HTTP, and ``province-server migrate``.

Readiness is broken for real, one check at a time: the schema's recorded
revision moved back, the blob directory replaced by a file, a database that
cannot be opened.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import uvicorn
from alembic.script import ScriptDirectory
from sqlalchemy import text

from sync.server.app import create_app
from sync.server.cli import main as server_main
from sync.server.db import Database, alembic_config, make_engine
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]


def readyz(url: str) -> tuple[int, dict[str, object]]:
    answer = requests.get(f"{url}/readyz", timeout=10)
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.status_code, answer.json()


def test_a_running_server_is_alive_and_ready(province: ThreadedServer) -> None:
    alive = requests.get(f"{province.url}/healthz", timeout=10)
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    status, body = readyz(province.url)
    assert status == 200
    assert body == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "blob_store": "ok"},
    }
    assert not list(province.blob_dir.glob(".readyz-*")), "the probe file is removed"


def test_a_schema_behind_the_code_is_not_ready(province: ThreadedServer) -> None:
    with province.database.engine.begin() as connection:
        (head,) = connection.execute(text("SELECT version_num FROM alembic_version")).one()
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        status, body = readyz(province.url)
        assert status == 503
        assert body["status"] == "not_ready"
        checks = body["checks"]
        assert isinstance(checks, dict)
        assert checks["database"] == "ok"
        assert checks["migrations"] == (
            f"schema at 0001, code expects {head}: run province-server migrate"
        )
        assert requests.get(f"{province.url}/healthz", timeout=10).status_code == 200
    finally:
        with province.database.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert readyz(province.url)[0] == 200


def test_a_blob_store_that_takes_no_file_is_not_ready(province: ThreadedServer) -> None:
    aside = province.blob_dir.with_name("blobs-aside")
    province.blob_dir.rename(aside)
    province.blob_dir.write_bytes(b"not a directory")
    try:
        status, body = readyz(province.url)
        assert status == 503
        checks = body["checks"]
        assert isinstance(checks, dict)
        assert checks["database"] == checks["migrations"] == "ok"
        assert str(checks["blob_store"]).startswith("blob store not writable: ")
    finally:
        province.blob_dir.unlink()
        aside.rename(province.blob_dir)
    assert readyz(province.url)[0] == 200


@contextmanager
def served(database: Database, blob_dir: Path) -> Iterator[str]:
    """``create_app`` on ``database`` served on loopback, whatever state the database is in."""
    app = create_app(database, blob_dir)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
        database.close()


def test_a_database_that_does_not_answer_is_not_ready(tmp_path: Path) -> None:
    gone = Database(make_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'province.sqlite3'}"))
    with served(gone, tmp_path / "blobs") as url:
        assert requests.get(f"{url}/healthz", timeout=10).status_code == 200
        status, body = readyz(url)
    assert status == 503
    assert body["checks"] == {
        "database": "database unreachable: OperationalError",
        "migrations": "unknown: the database is unreachable",
        "blob_store": "ok",
    }


def test_migrate_brings_a_new_database_to_head_and_the_server_is_then_ready(
    province_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server_main(["migrate", "--database-url", province_db_url]) == 0
    engine = make_engine(province_db_url)
    try:
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    finally:
        engine.dispose()
    assert capsys.readouterr().out.strip() == (
        f"Lược đồ cơ sở dữ liệu đã ở phiên bản mới nhất: {head}"
    )
    with served(Database(make_engine(province_db_url)), tmp_path / "blobs") as url:
        assert readyz(url)[0] == 200
