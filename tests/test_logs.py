"""The log file: in the data directory, size-limited, silent before the directory exists."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from counter_app import logs
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.reception import ReceptionService
from counter_app.settings import Settings
from printing.prepare import render_for_code
from tests.support.counter_store import open_counter
from tests.support.reception import request

ROOT = Path(__file__).resolve().parents[1]


def set_up_store_dir(data_dir: Path) -> None:
    """What the handler waits for before it writes: a data directory holding a store."""
    data_dir.mkdir(exist_ok=True)
    (data_dir / "counter.sqlite3").touch()


def test_records_go_to_the_data_directorys_log(tmp_path: Path) -> None:
    set_up_store_dir(tmp_path)
    path = logs.set_up(tmp_path)
    logging.getLogger("sync.client.worker").warning("máy chủ tỉnh không trả lời")

    assert path == tmp_path / "logs" / "counter.log" == logs.current_log_file()
    text = path.read_text(encoding="utf-8")
    assert "WARNING sync.client.worker" in text and "máy chủ tỉnh không trả lời" in text
    if os.name == "posix":
        assert (path.parent.stat().st_mode & 0o777) == 0o700


def test_the_log_rotates_and_keeps_a_few_old_files(tmp_path: Path) -> None:
    set_up_store_dir(tmp_path)
    path = logs.set_up(tmp_path, max_bytes=2_000, backup_count=2)
    assert path is not None
    log = logging.getLogger("counter_app.test")
    for n in range(200):
        log.info("dòng số %03d của nhật ký, đủ dài để lấp đầy tệp", n)

    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["counter.log", "counter.log.1", "counter.log.2"]
    assert all(p.stat().st_size <= 2_000 for p in path.parent.iterdir())
    assert "dòng số 199" in path.read_text(encoding="utf-8"), "the newest lines are in the file"
    assert "dòng số 000" not in "".join(
        p.read_text(encoding="utf-8") for p in path.parent.iterdir()
    ), "the oldest lines are gone: the folder does not grow without end"


def test_nothing_is_created_before_the_data_directory_holds_a_store(tmp_path: Path) -> None:
    missing, empty = tmp_path / "mistyped", tmp_path / "empty"
    empty.mkdir()
    for data_dir in (missing, empty):
        logs.set_up(data_dir)
        logging.getLogger("counter_app.test").error("lỗi")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
    assert list(empty.iterdir()) == []


def test_an_uncaught_error_on_a_thread_is_logged_with_its_traceback(tmp_path: Path) -> None:
    set_up_store_dir(tmp_path)
    path = logs.set_up(tmp_path)
    assert path is not None
    shown: list[tuple[str, str]] = []
    restore = logs.install_hooks(lambda summary, details: shown.append((summary, details)))
    try:

        def fail_in_thread() -> None:
            raise ValueError("tệp quét hỏng")

        worker = threading.Thread(target=fail_in_thread, name="ocr")
        worker.start()
        worker.join()
    finally:
        restore()

    assert shown and shown[0][0] == "ValueError: tệp quét hỏng"
    assert "fail_in_thread" in shown[0][1]
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL counter_app.logs" in text and "luồng ocr" in text
    assert "Traceback (most recent call last)" in text and "fail_in_thread" in text


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "counter_app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_verbose_prints_debug_records_on_stderr(tmp_path: Path) -> None:
    data_dir = tmp_path / "counter"
    open_counter(data_dir).close()

    quiet = run_cli("--data-dir", str(data_dir), "dossier", "show", "KHONG-CO")
    loud = run_cli("--data-dir", str(data_dir), "--verbose", "dossier", "show", "KHONG-CO")
    after = run_cli("dossier", "show", "KHONG-CO", "--data-dir", str(data_dir), "--verbose")

    assert quiet.returncode == loud.returncode == after.returncode == 2
    assert " DEBUG " not in quiet.stderr
    for run in (loud, after):
        assert " DEBUG counter_app.logs" in run.stderr, run.stderr
        assert "WARNING counter_app.cli" in run.stderr
    log_text = logs.log_path(data_dir).read_text(encoding="utf-8")
    assert log_text.count("Lệnh dossier không làm được") == 3, "every run logs why it failed"


def test_migrations_and_printing_say_what_they_did(
    tmp_path: Path, clock: FixedClock, clerk: StaffIdentity
) -> None:
    data_dir = tmp_path / "counter"
    logs.set_up(data_dir)
    store = open_counter(data_dir)
    try:
        receipt = ReceptionService(store, clock).receive(request(store), clerk)
        render_for_code(store, "receipt", receipt.code, Settings())
    finally:
        store.close()

    text = logs.log_path(data_dir).read_text(encoding="utf-8")
    assert "INFO counter_app.migrate" in text and "Đã nâng cấp lược đồ dữ liệu lên" in text
    assert f"INFO printing.prepare [MainThread] Đã dựng receipt cho {receipt.code} (A5" in text


def test_an_unexpected_error_of_a_command_is_a_sentence_and_a_logged_traceback(
    tmp_path: Path,
) -> None:
    set_up_store_dir(tmp_path)
    script = (
        "from pathlib import Path\nfrom counter_app import logs\n"
        f"logs.set_up(Path({str(tmp_path)!r}))\nlogs.install_hooks(logs.tell_stderr)\n"
        "def print_the_receipt():\n    raise RuntimeError('máy in không trả lời')\n"
        "print_the_receipt()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    log_file = logs.log_path(tmp_path)
    assert done.stderr.strip() == (
        "Lỗi không mong đợi: RuntimeError: máy in không trả lời. Chi tiết đã được ghi vào "
        f"nhật ký {log_file}; hãy gửi tệp đó cho quản trị hệ thống."
    )
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "print_the_receipt" in logged


@pytest.mark.parametrize("in_the_way", ["logs", "logs/counter.log"])
def test_a_log_that_cannot_be_written_goes_quiet(
    tmp_path: Path, in_the_way: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """As on a read-only disk: the command's own message must stand alone on stderr."""
    set_up_store_dir(tmp_path)
    blocker = tmp_path / in_the_way
    blocker.parent.mkdir(exist_ok=True)
    if in_the_way == "logs":
        blocker.write_text("not a folder")
    else:
        blocker.mkdir()  # a folder where the file should be
    logs.set_up(tmp_path)
    for _ in range(2):
        logging.getLogger("counter_app.test").error("lỗi")

    assert capsys.readouterr().err == ""
