"""A PC set up from the province's config file: ``counter-app setup --config`` and first start.

Real TOML/JSON files, the real command in a subprocess, the real reference
server on loopback for the enrolment, the real setup dialog.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from counter_app import auth
from counter_app.clock import SystemClock
from counter_app.digitize_settings import load_digitize_settings
from counter_app.installation import load_context
from counter_app.settings import load_settings
from counter_app.store import Store
from sync.client import credentials
from sync.server import admin as server_admin
from tests.support.server import ThreadedServer, free_port
from ui import launcher

pytest_plugins = ["tests.support.sync_fixtures"]

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
PASSWORD = "mat-khau-quan-tri"
UNIT = "000.00.11.H57"
BY_HAND = """
[counter]
unit_code = "000.00.11.H57"
unit_name = "UBND phường Hạc Thành"

[admin]
username = "quantri"
full_name = "Lê Văn Quản"

[settings]
paper = "A4"
place_name = "Hạc Thành"
parent_agency = "UBND TỈNH THANH HÓA"

[digitize]
scanner_folder = "{scans}"
"""


def setup_command(
    *args: str, env: dict[str, str] | None = None, password: str | None = PASSWORD
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("COUNTER_ADMIN_PASSWORD", "COUNTER_CONFIG")
    }
    if password is not None:
        environment["COUNTER_ADMIN_PASSWORD"] = password
    return subprocess.run(
        [COUNTER_APP, "setup", *args],
        capture_output=True,
        text=True,
        env=environment | (env or {}),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def context_of(data_dir: Path) -> tuple[str, str, int]:
    store = Store.open(data_dir, create=False)
    try:
        with store.read() as session:
            context = load_context(session)
    finally:
        store.close()
    return context.unit_code, context.unit_name, context.slot


def test_a_pc_is_set_up_by_hand_from_a_toml_file(tmp_path: Path) -> None:
    scans = tmp_path / "may-quet"
    config = tmp_path / "province.toml"
    config.write_text(BY_HAND.format(scans=scans), encoding="utf-8")
    data = tmp_path / "counter"

    done = setup_command("--config", str(config), "--device-slot", "4", "--data-dir", str(data))

    assert done.returncode == 0, done.stderr
    assert "máy số 4" in done.stdout and "thiết lập bằng tay" in done.stdout
    assert context_of(data) == (UNIT, "UBND phường Hạc Thành", 4)
    settings = load_settings(data)
    assert (settings.paper, settings.place_name) == ("A4", "Hạc Thành")
    assert settings.parent_agency == "UBND TỈNH THANH HÓA"
    assert load_digitize_settings(data).scanner_folder == str(scans)
    assert scans.is_dir(), "the scanner folder is made"
    store = Store.open(data, create=False)
    try:
        admin = auth.log_in(store, "quantri", PASSWORD, UNIT, SystemClock().now())
    finally:
        store.close()
    assert admin.full_name == "Lê Văn Quản" and admin.role == auth.Role.ADMIN

    # The same script run again changes the settings only, and says so.
    config.write_text(
        BY_HAND.format(scans=scans).replace('paper = "A4"', 'paper = "A5"'), encoding="utf-8"
    )
    again = setup_command("--config", str(config), "--device-slot", "4", "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    assert "đã được thiết lập trước đó" in again.stdout
    assert load_settings(data).paper == "A5"
    assert context_of(data) == (UNIT, "UBND phường Hạc Thành", 4)


def test_every_mistake_is_named_by_its_key_and_nothing_is_made(tmp_path: Path) -> None:
    config = tmp_path / "province.toml"
    config.write_text(
        """
[counter]
unit_code = "H57"
unit_name = "UBND phường Hạc Thành"
device_slot = "2"

[admin]
password = "khong-ghi-o-day"

[settings]
paper = "A3"
idle_lock_minutes = "10"
colour = "xanh"

[digitize]
scanner_folder = "may-quet"

[printer]
name = "HP"
""",
        encoding="utf-8",
    )
    data = tmp_path / "counter"
    done = setup_command("--config", str(config), "--data-dir", str(data))

    assert done.returncode == 2
    for key in (
        "counter.unit_code",
        "counter.device_slot",
        "admin.password",
        "settings.paper",
        "settings.idle_lock_minutes",
        "settings.colour",
        "digitize.scanner_folder",
        "printer",
    ):
        assert f"province.toml: {key}:" in done.stderr, key
    assert "COUNTER_ADMIN_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr
    assert not data.exists(), "nothing made"


def test_a_broken_file_a_json_file_and_a_missing_password(tmp_path: Path) -> None:
    broken = tmp_path / "province.toml"
    broken.write_text('[counter\nunit_code = "x"\n', encoding="utf-8")
    done = setup_command("--config", str(broken), "--data-dir", str(tmp_path / "a"))
    assert done.returncode == 2 and "không đúng cú pháp TOML" in done.stderr
    assert str(broken) in done.stderr

    as_json = tmp_path / "province.json"
    as_json.write_text(
        json.dumps(
            {
                "counter": {"unit_code": UNIT, "unit_name": "UBND xã Hòa Bình", "device_slot": 3},
                "settings": {"paper": "A5"},
            }
        ),
        encoding="utf-8",
    )
    refused = setup_command(
        "--config", str(as_json), "--data-dir", str(tmp_path / "b"), password=None
    )
    assert refused.returncode == 2 and "COUNTER_ADMIN_PASSWORD" in refused.stderr
    assert not (tmp_path / "b").exists()
    short = setup_command("--config", str(as_json), "--data-dir", str(tmp_path / "b"), password="x")
    assert short.returncode == 2 and "COUNTER_ADMIN_PASSWORD" in short.stderr
    made = setup_command("--config", str(as_json), "--data-dir", str(tmp_path / "b"))
    assert made.returncode == 0, made.stderr
    assert context_of(tmp_path / "b") == (UNIT, "UBND xã Hòa Bình", 3)


def test_the_file_is_found_at_the_documented_places(tmp_path: Path) -> None:
    config_home = tmp_path / "config"
    (config_home / "WardCounter").mkdir(parents=True)
    (config_home / "WardCounter" / "counter-app.toml").write_text(
        BY_HAND.format(scans=tmp_path / "scans").replace("[admin]", "device_slot = 5\n\n[admin]"),
        encoding="utf-8",
    )
    done = setup_command(
        "--data-dir", str(tmp_path / "a"), env={"XDG_CONFIG_HOME": str(config_home)}
    )
    assert done.returncode == 0, done.stderr
    assert context_of(tmp_path / "a")[2] == 5

    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(
        BY_HAND.format(scans=tmp_path / "scans").replace("[admin]", "device_slot = 6\n\n[admin]"),
        encoding="utf-8",
    )
    chosen = setup_command(
        "--data-dir", str(tmp_path / "b"), env={"COUNTER_CONFIG": str(elsewhere)}
    )
    assert chosen.returncode == 0, chosen.stderr
    assert context_of(tmp_path / "b")[2] == 6

    none = setup_command(
        "--data-dir", str(tmp_path / "c"), env={"XDG_CONFIG_HOME": str(tmp_path / "empty")}
    )
    assert none.returncode == 2 and "counter-app.toml" in none.stderr


def test_a_pc_is_enrolled_from_the_file_with_its_own_code(
    tmp_path: Path, province: ThreadedServer
) -> None:
    code = server_admin.enrol(
        province.database, unit_code="H57.123.45", unit_name="UBND xã Hòa Bình", slot=2
    )
    config = tmp_path / "province.toml"
    config.write_text(
        f'[server]\nurl = "{province.url}"\n\n[settings]\npaper = "A4"\n', encoding="utf-8"
    )
    data = tmp_path / "counter"

    wrong = setup_command(
        "--config", str(config), "--code", "AAAA-BBBB-CCCC", "--data-dir", str(data)
    )
    assert wrong.returncode == 2 and "Mã đăng ký không đúng" in wrong.stderr
    assert not (data / "counter.sqlite3").exists()

    done = setup_command(
        "--config", str(config), "--data-dir", str(data), env={"COUNTER_ENROL_CODE": code}
    )
    assert done.returncode == 0, done.stderr
    assert "đăng ký với máy chủ tỉnh" in done.stdout
    assert context_of(data) == ("H57.123.45", "UBND xã Hòa Bình", 2)
    enrolment = credentials.load(data)
    assert enrolment is not None and enrolment.server_url == province.url
    assert load_settings(data).paper == "A4"

    # Unit and slot come from the province: the file may not say otherwise.
    config.write_text(
        f'[server]\nurl = "{province.url}"\n\n[counter]\ndevice_slot = 3\n', encoding="utf-8"
    )
    mixed = setup_command(
        "--config", str(config), "--code", code, "--data-dir", str(tmp_path / "x")
    )
    assert mixed.returncode == 2 and "province.toml: counter.device_slot" in mixed.stderr


def test_an_unreachable_server_leaves_nothing(tmp_path: Path) -> None:
    config = tmp_path / "province.toml"
    config.write_text(f'[server]\nurl = "http://127.0.0.1:{free_port()}"\n', encoding="utf-8")
    data = tmp_path / "counter"
    done = setup_command(
        "--config", str(config), "--code", "ABCD-EFGH-JKLM", "--data-dir", str(data)
    )
    assert done.returncode == 3, done.stderr
    assert "hãy chạy lại khi có mạng" in done.stderr
    assert not (data / "counter.sqlite3").exists()


def test_the_first_start_fills_the_setup_dialog_from_the_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans = tmp_path / "scans"
    config_home = tmp_path / "config"
    (config_home / "WardCounter").mkdir(parents=True)
    config = config_home / "WardCounter" / "counter-app.toml"
    config.write_text(
        BY_HAND.format(scans=scans).replace("[admin]", "device_slot = 7\n\n[admin]"),
        encoding="utf-8",
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    data = tmp_path / "counter"

    dialog = launcher.first_run(str(data))
    qtbot.addWidget(dialog)
    assert dialog.unit_code.text() == UNIT
    assert dialog.unit_name.text() == "UBND phường Hạc Thành"
    assert dialog.slot.value() == 7
    assert str(config) in dialog.config_note.text()
    page = dialog.tabs.widget(0)
    qtbot.keyClicks(page.findChild(QLineEdit, "adminPassword"), PASSWORD)
    qtbot.keyClicks(page.findChild(QLineEdit, "adminPasswordAgain"), PASSWORD)
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=30_000)

    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    assert context_of(data) == (UNIT, "UBND phường Hạc Thành", 7)
    assert load_settings(data).paper == "A4"
    assert load_digitize_settings(data).scanner_folder == str(scans)

    # A wrong file is said, by key, and the dialog is still there to type into.
    config.write_text('[settings]\npaper = "A3"\n', encoding="utf-8")
    refused = launcher.first_run(str(tmp_path / "other"))
    qtbot.addWidget(refused)
    assert "settings.paper" in refused.error.text()
    assert refused.unit_code.text() == ""
