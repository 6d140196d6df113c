"""The preflight check (``counter-app doctor`` and Quản trị → "Kiểm tra máy").

Real data directories, the real command in a subprocess, the real reference
server on loopback. Only the printer list is a stand-in (no printer can run here);
the missing xcb library is a name the real dynamic loader really cannot find.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app import doctor
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings, save_digitize_settings
from counter_app.doctor import Finding, Level, Printer
from counter_app.store import Store
from sync.server import admin
from tests.support.admin_screen import admin_services
from tests.support.counters import Counter
from tests.support.server import ThreadedServer, free_port
from ui.admin_screen import AdminScreen
from ui.preflight import check_window_platform, run_preflight

pytest_plugins = ["tests.support.sync_fixtures"]

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
NO_PRINTER: list[Printer] = []


def doctor_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COUNTER_APP, "doctor", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def line_of(output: str, title: str) -> str:
    return next(line for line in output.splitlines() if f"] {title}:" in line)


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """A folder this account cannot write, root included (immutable for root)."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], check=False).returncode != 0:
            pytest.skip("this filesystem cannot make a folder immutable")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_fresh_data_dir_is_not_ready_and_nothing_is_made(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    done = doctor_command("--data-dir", str(fresh))

    assert done.returncode == 1, done.stdout + done.stderr
    assert "[Lỗi" in line_of(done.stdout, "Cơ sở dữ liệu quầy")
    assert "counter-app setup --config" in done.stdout
    assert "[Đạt" in line_of(done.stdout, "Thư mục dữ liệu")
    assert "[Đạt" in line_of(done.stdout, "Phông chữ in phiếu (Tinos)")
    assert "[Không kiểm tra" in line_of(done.stdout, "Kết nối máy chủ tỉnh")
    assert "mục bắt buộc chưa đạt" in done.stdout
    assert "Traceback" not in done.stderr
    assert not fresh.exists(), "the check writes nothing"


def test_a_set_up_counter_passes_and_strict_counts_the_warnings(tmp_path: Path) -> None:
    data = tmp_path / "counter"
    made = subprocess.run(
        [COUNTER_APP, "--data-dir", str(data), "init", "--unit-code", "000.00.11.H57",
         "--unit-name", "UBND phường Hạc Thành", "--device-slot", "2"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "COUNTER_ADMIN_PASSWORD": "quan-tri-123"},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    done = doctor_command("--data-dir", str(data))
    assert done.returncode == 0, done.stdout
    assert "máy số 2" in line_of(done.stdout, "Cơ sở dữ liệu quầy")
    assert "chỉ chủ tài khoản đọc được" in line_of(done.stdout, "Thư mục dữ liệu")
    # The tests' keyring is the failing one: the token would go to a file.
    assert "[Cảnh báo" in line_of(done.stdout, "Kho khóa của hệ điều hành (keyring)")
    assert "[Cảnh báo" in line_of(done.stdout, "Đăng ký với máy chủ tỉnh")
    assert doctor_command("--data-dir", str(data), "--strict").returncode == 1


def test_a_scanner_folder_that_cannot_be_written_fails(store: Store, tmp_path: Path) -> None:
    assert store.data_dir is not None
    folder = tmp_path / "scans"
    folder.mkdir()
    save_digitize_settings(store.data_dir, DigitizeSettings(scanner_folder=str(folder)))
    assert doctor.check_scanner_folder(store.data_dir).level is Level.OK

    with unwritable(folder):
        found = doctor.check_scanner_folder(store.data_dir)
        done = doctor_command("--data-dir", str(store.data_dir))
    assert found.level is Level.FAIL
    assert "không ghi được" in found.detail and str(folder) in found.detail
    assert "Cấp quyền ghi" in found.fix
    assert done.returncode == 1
    assert "[Lỗi" in line_of(done.stdout, "Thư mục máy quét")

    shutil.rmtree(folder)
    gone = doctor.check_scanner_folder(store.data_dir)
    assert gone.level is Level.FAIL and "không có" in gone.detail


def test_an_enrolled_counter_reaches_its_server_and_its_clock_is_right(
    province: ThreadedServer, make_counter: type[Counter]
) -> None:
    counter = make_counter("a")
    counter.enrol(province)

    report = run_preflight(counter.data_dir, printers=lambda: NO_PRINTER)
    assert report.by_key("enrolment").level is Level.OK
    assert province.url in report.by_key("enrolment").detail
    assert report.by_key("server").level is Level.OK
    assert report.by_key("clock").level is Level.OK
    assert report.exit_status() == 0, doctor.text_report(report)

    # This PC's clock ten minutes behind the province's: the receipts would print it.
    late = run_preflight(
        counter.data_dir, printers=lambda: NO_PRINTER, now=lambda: time.time() - 600
    )
    clock = late.by_key("clock")
    assert clock.level is Level.FAIL and "chậm 10 phút" in clock.detail
    assert "Sync now" in clock.fix
    assert late.exit_status() == 1


def test_a_revoked_counter_is_told_to_enrol_again(
    province: ThreadedServer, make_counter: type[Counter]
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    admin.revoke(province.database, unit_code=counter.unit_code, slot=counter.slot)

    report = run_preflight(counter.data_dir, printers=lambda: NO_PRINTER)
    assert report.by_key("server").level is Level.OK
    enrolment = report.by_key("enrolment")
    assert enrolment.level is Level.FAIL and "counter-app enrol" in enrolment.fix
    assert report.exit_status() == 1


def test_an_unreachable_server_fails_without_waiting_long(
    province: ThreadedServer, make_counter: type[Counter]
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    enrolment_file = counter.data_dir / "sync-device.json"
    record = json.loads(enrolment_file.read_text(encoding="utf-8"))
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    enrolment_file.write_text(json.dumps({**record, "server_url": closed}), encoding="utf-8")
    counter.close()

    started = time.monotonic()
    done = doctor_command("--data-dir", str(counter.data_dir))
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stdout
    server = line_of(done.stdout, "Kết nối máy chủ tỉnh")
    assert "[Lỗi" in server and closed in server
    assert "[Không kiểm tra" in line_of(done.stdout, "Đồng hồ máy so với máy chủ tỉnh")
    assert "Traceback" not in done.stderr

    # Before enrolment, an address to try is checked as well.
    ahead = doctor_command("--data-dir", str(counter.data_dir), "--server", province.url)
    assert "[Đạt" in line_of(ahead.stdout, "Kết nối máy chủ tỉnh")
    assert "[Đạt" in line_of(ahead.stdout, "Đồng hồ máy so với máy chủ tỉnh")


def test_a_missing_xcb_library_is_named_with_its_package(tmp_path: Path) -> None:
    absent = {"libward-absent.so.9": "libward-absent9", "libc.so.6": "libc6"}
    found = check_window_platform({"QT_QPA_PLATFORM": "xcb"}, absent, platform="linux")
    assert found.level is Level.FAIL
    assert "libward-absent.so.9 (gói libward-absent9)" in found.detail
    assert "libc6" not in found.detail, "a library that loads is not blamed"
    assert found.fix == "sudo apt install libward-absent9"

    offscreen = check_window_platform({"QT_QPA_PLATFORM": "offscreen"}, absent, platform="linux")
    assert offscreen.level is Level.OK

    report = run_preflight(
        tmp_path, environ={"QT_QPA_PLATFORM": "xcb"}, libraries=absent, printers=lambda: []
    )
    assert report.by_key("window_platform").level is Level.FAIL
    assert report.exit_status() == 1


def test_a_printer_that_takes_neither_paper_only_warns() -> None:
    assert doctor.check_printers([], "A5").level is Level.WARN
    a4_only = [Printer("Canon LBP2900", True, frozenset({"A4"}))]
    warned = doctor.check_printers(a4_only, "A5")
    assert warned.level is Level.WARN
    assert "Canon LBP2900" in warned.detail and "khổ A5" in warned.detail
    both = [
        Printer("Brother", False, frozenset({"A4"})),
        Printer("HP", True, frozenset({"A4", "A5"})),
    ]
    fine = doctor.check_printers(both, "A5")
    assert fine.level is Level.OK and "mặc định HP" in fine.detail


def test_too_little_free_disk_fails(tmp_path: Path) -> None:
    free = shutil.disk_usage(tmp_path).free
    assert doctor.check_disk_space(tmp_path, min_free=1, warn_free=2).level is Level.OK
    assert doctor.check_disk_space(tmp_path, min_free=1, warn_free=free * 2).level is Level.WARN
    failed = doctor.check_disk_space(tmp_path, min_free=free * 2, warn_free=free * 3)
    assert failed.level is Level.FAIL and "Giải phóng ổ đĩa" in failed.fix


def test_a_check_that_breaks_is_a_finding_and_the_others_still_run() -> None:
    def broken() -> Finding:
        raise RuntimeError("hỏng")

    report = doctor.run_checks(
        [
            ("broken", "Hỏng", broken),
            ("fine", "Được", lambda: Finding("fine", "Được", Level.OK, "ok")),
        ]
    )
    assert [f.level for f in report.findings] == [Level.FAIL, Level.OK]
    assert "hỏng" in report.by_key("broken").detail


def test_the_admin_screen_shows_the_check_in_a_table(
    qtbot: QtBot, store: Store, clock: FixedClock
) -> None:
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    qtbot.mouseClick(screen.preflight_button, Qt.MouseButton.LeftButton)
    dialog = screen.preflight_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert dialog.report is not None
    rows = {
        dialog.table.item(row, 0).text(): dialog.table.item(row, 1).text()
        for row in range(dialog.table.rowCount())
    }
    assert rows["Cơ sở dữ liệu quầy"] == "Đạt"
    assert rows["Thư mục dữ liệu"] == "Đạt"
    assert rows["Phông chữ in phiếu (Tinos)"] == "Đạt"
    assert rows["Đăng ký với máy chủ tỉnh"] == "Cảnh báo"
    assert len(rows) == len(dialog.report.findings) >= 13
    assert dialog.summary.text()

    # "Kiểm tra lại" runs it again and tells the table when done.
    with qtbot.waitSignal(dialog.checked, timeout=30_000):
        qtbot.mouseClick(dialog.again, Qt.MouseButton.LeftButton)
