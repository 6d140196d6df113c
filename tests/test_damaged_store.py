"""Damaged or hostile stores end in a plain message, and are left exactly as they were found.

Each case is made for real on a real data directory (bytes overwritten, a schema
from a future version, an immutable file, a file-size limit standing for a full
disk, a write lock held by another connection, a broken ``sync-device.json``),
then the installed ``counter-app`` runs on it as a user would.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_app import cli as counter_cli
from counter_app import store as store_module
from counter_app.errors import CounterError
from counter_app.paths import database_path
from sync.client import credentials
from tests.support.counter_store import ADMIN_PASSWORD, UNIT_CODE, open_counter
from tests.support.server import free_port

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
DEAD_SERVER = f"http://127.0.0.1:{free_port()}"
COMMANDS = {
    "report daily": ["report", "daily", "--date", "2026-11-16", "--out", "{tmp}/r.pdf"],
    "verify": ["verify"],
    "sync": ["sync"],
}


def run(data_dir: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def file_size_limit() -> None:
        if limit is not None:  # what a full disk does to a write: it fails (EFBIG here)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [COUNTER_APP, *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "COUNTER_USER_PASSWORD": "mat-khau-moi",
            "COUNTER_PASSWORD": ADMIN_PASSWORD,
        },
        stdin=subprocess.DEVNULL,
        preexec_fn=file_size_limit,
        timeout=120,
        check=False,
    )


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """The bytes of the store and the enrolment: what must not change."""
    files = (database_path(data_dir), credentials.credentials_path(data_dir))
    return {p.name: p.read_bytes() for p in files if p.exists()}


def overwrite_header(data_dir: Path) -> None:
    path = database_path(data_dir)
    content = bytearray(path.read_bytes())
    content[:100] = b"\x00" * 100
    path.write_bytes(bytes(content))


def not_sqlite(data_dir: Path) -> None:
    database_path(data_dir).write_text("Biên bản bàn giao quầy\n", encoding="utf-8")


def newer_schema(data_dir: Path) -> None:
    db = sqlite3.connect(database_path(data_dir))
    try:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        db.commit()
    finally:
        db.close()  # the last connection out folds the WAL into the file


def _immutable(paths: list[Path], on: bool) -> None:
    if os.geteuid() == 0:  # root writes through permissions; the immutable flag stops it
        done = subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], check=False)
        if done.returncode != 0:
            pytest.skip("chattr cannot make a file read-only here")
        return
    for path in paths:
        path.chmod((0o555 if path.is_dir() else 0o444) if on else 0o755)


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "damaged header": (overwrite_header, "bị hỏng hoặc không phải dữ liệu"),
    "not a database": (not_sqlite, "bị hỏng hoặc không phải dữ liệu"),
    "newer schema": (newer_schema, "phiên bản phần mềm quầy mới hơn"),
    "read-only disk": (lambda d: None, "chỉ đọc"),  # made read-only by the fixture
}


@pytest.fixture
def counter_dir(tmp_path: Path) -> Path:
    """An initialised, enrolled counter (its server is down; no case gets that far)."""
    data_dir = tmp_path / "counter"
    open_counter(data_dir).close()
    credentials.save(
        data_dir, credentials.Enrolment(DEAD_SERVER, "jeton-thiet-bi", UNIT_CODE, 1, "")
    )
    return data_dir


@pytest.fixture(params=list(CASES))
def damaged(request: pytest.FixtureRequest, counter_dir: Path) -> Iterator[tuple[Path, str]]:
    damage, words = CASES[request.param]
    damage(counter_dir)
    frozen = [database_path(counter_dir), counter_dir]
    if request.param == "read-only disk":
        _immutable(frozen, True)
    try:
        yield counter_dir, words
    finally:
        if request.param == "read-only disk":
            _immutable(frozen, False)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_store_gets_a_plain_message_and_is_left_alone(
    damaged: tuple[Path, str], command: str, tmp_path: Path
) -> None:
    data_dir, words = damaged
    before = snapshot(data_dir)
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]

    done = run(data_dir, *args)

    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("Lỗi: "), done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(data_dir) == before


def test_the_window_refuses_a_damaged_store_before_the_log_in(
    damaged: tuple[Path, str],
) -> None:
    from ui.launcher import prepare

    data_dir, words = damaged
    before = snapshot(data_dir)
    with pytest.raises(CounterError, match=words):
        prepare(str(data_dir))
    assert snapshot(data_dir) == before


def test_a_full_disk_loses_the_change_whole_and_says_so(counter_dir: Path) -> None:
    before = snapshot(counter_dir)
    args = ["user", "add", "--username", "hoa.lt", "--full-name", "Lê Thị Hoa", "--role", "clerk",
            "--user", "admin"]  # fmt: skip

    done = run(counter_dir, *args, limit=16 * 1024)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "ổ đĩa đã đầy" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(counter_dir) == before
    again = run(counter_dir, *args)  # space freed: the same command goes through
    assert again.returncode == 0, again.stderr


def test_a_write_lock_held_past_the_timeout_is_explained(
    counter_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.3)
    monkeypatch.setenv("COUNTER_USER_PASSWORD", "mat-khau-moi")
    monkeypatch.setenv("COUNTER_PASSWORD", ADMIN_PASSWORD)
    holder = sqlite3.connect(database_path(counter_dir), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, and not letting go
    try:
        before = snapshot(counter_dir)
        status = counter_cli.main(
            ["user", "add", "--username", "hoa.lt", "--full-name", "Lê Thị Hoa",
             "--role", "clerk", "--user", "admin", "--data-dir", str(counter_dir)]
        )  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert status == 2
    assert "đang bị một chương trình khác giữ để ghi" in err
    assert snapshot(counter_dir) == before


@pytest.mark.parametrize(
    "content", ['{"server_url": "http://x", ', "[1, 2]", '{"server_url": "http://x"}', "\xff"]
)
def test_a_damaged_enrolment_file_asks_to_enrol_again(counter_dir: Path, content: str) -> None:
    credentials.credentials_path(counter_dir).write_text(content, encoding="latin-1")
    before = snapshot(counter_dir)

    done = run(counter_dir, "sync")

    assert done.returncode == 2, done.stdout + done.stderr
    assert "sync-device.json" in done.stderr and "bị hỏng" in done.stderr
    assert "counter-app enrol" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(counter_dir) == before
