"""The plain sqlite3 read a printing command takes instead of opening the store with SQLAlchemy."""

from __future__ import annotations

import importlib.metadata
import sqlite3
from pathlib import Path

import pytest

from counter_app.errors import NotInitialised, StoreUnusable
from counter_app.paths import database_path
from counter_app.plugins import GROUP, command_plugins
from counter_app.store_read import reading
from tests.support.counter_store import open_counter


def test_a_directory_never_set_up_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    data_dir = tmp_path / "typo"
    with pytest.raises(NotInitialised, match="chưa được khởi tạo"), reading(data_dir):
        pass
    assert not data_dir.exists()


def test_the_read_writes_nothing(tmp_path: Path) -> None:
    open_counter(tmp_path / "counter").close()
    with (
        reading(tmp_path / "counter") as db,
        pytest.raises(sqlite3.OperationalError, match="readonly"),
    ):
        db.execute("DELETE FROM unit")
    with sqlite3.connect(database_path(tmp_path / "counter")) as db:
        assert db.execute("SELECT count(*) FROM unit").fetchone()[0] > 0


def test_a_damaged_file_is_explained_not_a_traceback(tmp_path: Path) -> None:
    data_dir = tmp_path / "counter"
    data_dir.mkdir()
    database_path(data_dir).write_bytes(b"not a database, just text" * 200)
    with pytest.raises(StoreUnusable, match="bị hỏng hoặc không phải dữ liệu"), reading(data_dir):
        pass


def test_a_store_of_another_schema_goes_through_the_full_open(tmp_path: Path) -> None:
    """Stamped with a revision these scripts do not know: refused as Store.open refuses it."""
    data_dir = tmp_path / "counter"
    open_counter(data_dir).close()
    with sqlite3.connect(database_path(data_dir)) as db:
        db.execute("UPDATE alembic_version SET version_num = 'from_a_newer_version'")
    with pytest.raises(StoreUnusable, match="mới hơn"), reading(data_dir):
        pass


def test_the_command_plugins_are_importlib_metadatas_entry_points() -> None:
    found = importlib.metadata.entry_points(group=GROUP)
    assert sorted((p.name, p.value) for p in command_plugins()) == sorted(
        (e.name, e.value) for e in found
    )
    assert {p.name for p in command_plugins()} >= {"gui", "print", "report", "sync", "digitize"}
    by_name = {p.name: p for p in command_plugins()}
    assert by_name["print"].load() is found["print"].load()
