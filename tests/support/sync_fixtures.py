"""Fixtures of the sync tests: the real provincial server and real counters.

The server runs on SQLite, and on PostgreSQL too when PROVINCE_TEST_DATABASE_URL
is set (CI sets it): each test then gets a schema of its own, dropped after it.
Test modules load this file with ``pytest_plugins = ["tests.support.sync_fixtures"]``
(and import helpers from ``tests.sync_support``, never from here).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support.blob_stores import S3Server, StoreUnderTest
from tests.support.counter_store import UNIT_CODE, UNIT_NAME
from tests.support.counters import Counter, CounterFactory
from tests.support.server import ThreadedServer

ENV_PG = "PROVINCE_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"] if os.environ.get(ENV_PG) else ["sqlite"]


def postgres_schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


def _pg(base: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(params=BACKENDS)
def province_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty server database URL: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'province.sqlite3'}"
        return
    base = os.environ[ENV_PG]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _pg(base, f"CREATE SCHEMA {schema}")
    try:
        yield postgres_schema_url(base, schema)
    finally:
        _pg(base, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One S3-compatible server for the session; each test gets a bucket of its own."""
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture(params=["directory", "s3"])
def blob_store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> StoreUnderTest:
    """Each blob store the server can keep scans in: a directory, and a bucket.

    For the bucket, the endpoint and keys are in the environment, as a province
    sets them, so server processes started by the test inherit them.
    """
    if request.param == "directory":
        return StoreUnderTest(str(tmp_path / "province-blobs"))
    s3: S3Server = request.getfixturevalue("s3_server")
    for name, value in s3.environment().items():
        monkeypatch.setenv(name, value)
    return StoreUnderTest(f"s3://{s3.new_bucket()}", s3)


@pytest.fixture
def province(province_db_url: str, tmp_path: Path) -> Iterator[ThreadedServer]:
    server = ThreadedServer(province_db_url, tmp_path / "province-blobs")
    yield server
    server.stop()


@pytest.fixture
def make_counter(tmp_path: Path) -> Iterator[CounterFactory]:
    """Builds counters: ``make_counter("a", slot=2, unit_code=OTHER_UNIT)``."""
    made: list[Counter] = []

    def build(
        name: str, *, slot: int = 1, unit_code: str = UNIT_CODE, unit_name: str = UNIT_NAME
    ) -> Counter:
        counter = Counter(tmp_path / f"counter-{name}", unit_code, unit_name, slot)
        made.append(counter)
        return counter

    yield build
    for counter in made:
        counter.close()
