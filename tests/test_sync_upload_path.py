"""What an upload's path relies on: one writer per hash, and a durable note of who sent it.

Run on each database (SQLite and, when configured, PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.server import records
from sync.server.blobs import Holder
from sync.server.db import Database, utcnow
from sync.server.upload_locks import FileLocks

pytest_plugins = ["tests.support.sync_fixtures"]

A, B = "ab" * 32, "cd" * 32
NOW = dt.datetime(2026, 11, 16, 7, 30)


def test_a_hash_has_one_holder_in_this_process_too_and_leaves_no_file_behind(
    tmp_path: Path,
) -> None:
    locks = FileLocks(tmp_path / "locks")
    release = locks.try_acquire(A)
    assert release is not None
    assert locks.try_acquire(A) is None, "another request of the same process waits"
    other = locks.try_acquire(B)
    assert other is not None, "another hash does not"
    release()
    again = locks.try_acquire(A)
    assert again is not None
    again()
    other()
    kept = list((tmp_path / "locks").iterdir())
    assert len(kept) <= 1, "no file per hash (a byte of one file where the kernel allows)"


@pytest.fixture
def database(province_db_url: str) -> Iterator[Database]:
    database = Database.open(province_db_url)
    try:
        yield database
    finally:
        database.close()


def holder_log(database: Database) -> records.HolderLog:
    def write(holders: list[Holder]) -> None:
        with database.write() as session:
            records.record_uploads(session, holders, utcnow())

    return records.HolderLog(database.engine, write)


def held(database: Database, sha256: str, unit_code: str) -> bool:
    with database.read() as session:
        return sha256 in records.blobs_held(session, [sha256], unit_code)


def test_a_note_is_committed_before_its_wait_returns_and_may_be_written_twice(
    database: Database,
) -> None:
    holders = holder_log(database)
    try:
        finish = holders.begin((A, "device-1", "000.00.11.H57"), NOW)
        finish()
        assert held(database, A, "000.00.11.H57")
        assert not held(database, A, "000.00.22.H57")
        holders.note((A, "device-1", "000.00.11.H57"), NOW)  # a retried upload
        holders.note((A, "device-2", "000.00.22.H57"), NOW)
        assert held(database, A, "000.00.22.H57")
    finally:
        holders.close()


def test_a_note_is_a_durable_commit_and_survives_a_broken_connection(
    database: Database,
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes every note through the pool")
    holders = holder_log(database)
    try:
        holders.note((A, "device-1", "000.00.11.H57"), NOW)
        [raw] = holders._idle
        setting = raw.driver_connection.execute("SHOW synchronous_commit").fetchone()
        assert setting is not None and setting[0] != "off", "a power cut must not lose it"

        raw.driver_connection.close()  # as a restarted PostgreSQL would leave it
        holders.note((B, "device-1", "000.00.11.H57"), NOW)
        assert held(database, B, "000.00.11.H57"), "written through the pool instead"
    finally:
        holders.close()
