"""The command lines: ``province-server …`` for the administrator, ``counter-app enrol/sync``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app import cli as counter_cli
from counter_app.cli_auth import ENV_PASSWORD
from counter_app.models import AuditEntry
from sync.client import credentials
from sync.client.lock import SyncLock
from sync.server import admin
from sync.server import cli as server_cli
from tests.support.counter_store import ADMIN_PASSWORD, UNIT_CODE
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer, free_port

pytest_plugins = ["tests.support.sync_fixtures"]

ROOT = Path(__file__).resolve().parents[1]


def test_province_server_commands_end_to_end(tmp_path: Path) -> None:
    """The console scripts as installed, in a child process, on a fresh SQLite database."""
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    script = Path(sys.executable).with_name("province-server")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *args, "--database-url", url],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )

    enrol = run("enrol", "--unit-code", UNIT_CODE, "--unit-name", "UBND", "--device-slot", "1")
    assert enrol.returncode == 0, enrol.stderr
    code = enrol.stdout.strip().splitlines()[-1]
    assert len(code.replace("-", "")) == 12, "the last line is the code alone"
    listed = run("dossiers", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
    bad = run("dossier", "set-status", "000.00.11.H57-261116-1001", "result_ready")
    assert bad.returncode == 2
    assert "Không có hồ sơ" in bad.stderr


def test_catalog_and_holidays_publishing_refuses_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    seed = ROOT / "resources" / "catalog" / "seed_catalog.json"
    assert server_cli.main(["catalog", "publish", str(seed), "--database-url", url]) == 0
    assert "đã công bố" in capsys.readouterr().out
    assert server_cli.main(["catalog", "publish", str(seed), "--database-url", url]) == 0
    assert "không đổi" in capsys.readouterr().out, "same content, same ETag"

    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"schema": "ward-counter.catalog/1", "procedures": [{}]}))
    assert server_cli.main(["catalog", "publish", str(broken), "--database-url", url]) == 2
    assert "thiếu mã thủ tục" in capsys.readouterr().err, "the counters' own check, by name"

    days = tmp_path / "days.json"
    days.write_text(json.dumps({"version": "2027", "days": [{"day": "2027-01-02", "kind": "x"}]}))
    assert server_cli.main(["holidays", "publish", str(days), "--database-url", url]) == 2
    assert "ngày nghỉ không hợp lệ" in capsys.readouterr().err


def test_counter_enrols_and_syncs_from_the_command_line(
    province: ThreadedServer,
    make_counter: CounterFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = make_counter("a")
    counter.receive(2)
    code = admin.enrol(province.database, unit_code=UNIT_CODE, unit_name="UBND", slot=1)
    data_dir = str(counter.data_dir)
    enrol = ["enrol", "--data-dir", data_dir, "--server", province.url, "--code", code]
    assert counter_cli.main(enrol) == 2, "an administrator enrols the counter"
    assert "--user" in capsys.readouterr().err
    assert credentials.load(counter.data_dir) is None
    enrol += ["--user", "admin"]
    monkeypatch.setenv(ENV_PASSWORD, ADMIN_PASSWORD)
    assert counter_cli.main(enrol) == 0
    assert "Đã đăng ký máy số 1" in capsys.readouterr().out
    assert counter_cli.main(["sync", "--data-dir", data_dir]) == 0
    assert "gửi 2 thay đổi" in capsys.readouterr().out
    assert counter_cli.main(["--data-dir", data_dir, "sync"]) == 0, "--data-dir before works too"
    assert "Còn chờ gửi: 0" in capsys.readouterr().out
    assert counter_cli.main(enrol) == 2, "the code was for one use"
    assert "đã dùng" in capsys.readouterr().err
    with counter.store.read() as session:
        enrolled = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "device.enrol")
        ).all()
    assert enrolled == ["admin"]


def test_sync_says_plainly_when_the_server_cannot_be_reached(
    province: ThreadedServer, make_counter: CounterFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    counter.receive(1)
    enrolment = credentials.load(counter.data_dir)
    assert enrolment is not None
    dead = f"http://127.0.0.1:{free_port()}"
    credentials.save(
        counter.data_dir,
        credentials.Enrolment(dead, enrolment.device_token, UNIT_CODE, 1, ""),
    )
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 3
    err = capsys.readouterr().err
    assert "Không kết nối được máy chủ tỉnh" in err
    assert "vẫn được giữ" in err


def test_a_revoked_device_is_told_to_enrol_again(
    province: ThreadedServer, make_counter: CounterFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 0
    # The PC was replaced: the slot is enrolled again, which revokes the old token.
    replacement = make_counter("replacement")
    replacement.enrol(province)
    counter.receive(1)
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 2
    err = capsys.readouterr().err
    assert "thu hồi quyền đồng bộ" in err
    assert "counter-app enrol" in err
    assert "vẫn được giữ" in err


def test_unenrolled_and_concurrent_syncs_are_refused(
    province: ThreadedServer, make_counter: CounterFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = make_counter("a")
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 2
    assert "chưa đăng ký" in capsys.readouterr().err
    counter.enrol(province)
    with SyncLock(counter.data_dir):
        assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 2
        assert "đang chạy" in capsys.readouterr().err
    assert counter_cli.main(["sync", "--data-dir", str(counter.data_dir)]) == 0
