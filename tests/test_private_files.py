"""The data directory, the store and the scans are the owner's only (0700/0600) on POSIX."""

from __future__ import annotations

import stat
from pathlib import Path

from counter_app.paths import database_path
from counter_app.store import Store
from tests.support.counter_store import open_counter


def test_a_new_data_directory_is_born_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "new"
    open_counter(data_dir).close()
    database = database_path(data_dir)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_an_older_world_readable_data_directory_is_made_private_when_opened(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "old"
    store = open_counter(data_dir)
    store.close()
    scan = data_dir / "blobs" / "ab" / ("ab" * 32)
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"x")
    for path in (data_dir, data_dir / "blobs", scan.parent):
        path.chmod(0o755)
    for path in (scan, database_path(data_dir)):
        path.chmod(0o644)

    Store.open(data_dir).close()

    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(scan.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(scan.stat().st_mode) == 0o600
    assert stat.S_IMODE(database_path(data_dir).stat().st_mode) == 0o600


def test_the_settings_file_is_the_owners_only(tmp_path: Path) -> None:
    from counter_app.settings import Settings, save_settings, settings_path

    save_settings(tmp_path, Settings(place_name="Hạc Thành"))
    assert stat.S_IMODE(settings_path(tmp_path).stat().st_mode) == 0o600
