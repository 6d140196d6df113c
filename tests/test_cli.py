"""The ``counter-app`` command, run as a user runs it: the installed console script."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.clock import FixedClock
from counter_app.installation import seed_catalog_text
from counter_app.lifecycle import derive_status
from counter_app.models import Dossier, DossierEvent, Procedure
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.cli import COUNTER_APP, run
from tests.support.cli import INIT_ADMIN_PASSWORD as ADMIN_PASSWORD


def test_init_twice_is_refused_and_keeps_the_store(initialised: Path) -> None:
    again = run(
        "--data-dir", str(initialised), "init", "--unit-code", "000.00.11.H57",
        "--unit-name", "Khác", "--device-slot", "3",
        env={"COUNTER_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )  # fmt: skip
    assert again.returncode == 2
    assert "đã được khởi tạo" in again.stderr


def test_init_without_password_says_how_to_give_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COUNTER_ADMIN_PASSWORD"}
    done = subprocess.run(
        [COUNTER_APP, "--data-dir", str(tmp_path), "init", "--unit-code", "000.00.11.H57",
         "--unit-name", "X", "--device-slot", "1"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "COUNTER_ADMIN_PASSWORD" in done.stderr


def test_bad_unit_code_and_slot_are_named(tmp_path: Path) -> None:
    done = run(
        "--data-dir", str(tmp_path), "init", "--unit-code", "H57", "--unit-name", "X",
        "--device-slot", "12", env={"COUNTER_ADMIN_PASSWORD": "quan-tri-123"},
    )  # fmt: skip
    assert done.returncode == 2
    assert "unit_code" in done.stderr and "device_slot" in done.stderr


def test_user_add_and_catalog_search(initialised: Path) -> None:
    added = run(
        "--data-dir", str(initialised), "user", "add", "--username", "lan.nt",
        "--full-name", "Nguyễn Thị Lan", "--role", "clerk", "--user", "admin",
        env={"COUNTER_USER_PASSWORD": "mat-khau-lan", "COUNTER_PASSWORD": ADMIN_PASSWORD},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "lan.nt" in added.stdout

    found = run("--data-dir", str(initialised), "catalog", "search", "dang", "ky", "khai", "sinh")
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[0] == "1.001193\tĐăng ký khai sinh"

    nothing = run("--data-dir", str(initialised), "catalog", "search", "xyzzy")
    assert nothing.returncode == 1 and nothing.stdout == ""


def test_catalog_import_from_file(initialised: Path, tmp_path: Path) -> None:
    data = json.loads(seed_catalog_text())
    data["version"] = "2027.1"
    data["procedures"] = data["procedures"][:5]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = run(
        "--data-dir", str(initialised), "catalog", "import", str(path), "--user", "admin",
        env={"COUNTER_PASSWORD": ADMIN_PASSWORD},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "thêm 0, cập nhật 5" in done.stdout

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    failed = run("--data-dir", str(initialised), "catalog", "import", str(broken))
    assert failed.returncode == 2
    assert str(broken) in failed.stderr


def test_commands_on_a_directory_never_initialised_say_what_to_do(tmp_path: Path) -> None:
    done = run("--data-dir", str(tmp_path / "empty"), "catalog", "import", "x.json")
    assert done.returncode == 2
    done = run(
        "--data-dir", str(tmp_path / "empty"), "user", "add", "--username", "a",
        "--full-name", "A", "--role", "clerk", env={"COUNTER_USER_PASSWORD": "12345678"},
    )  # fmt: skip
    assert done.returncode == 2
    assert "counter-app init" in done.stderr


def test_demo_fills_a_few_days_consistently_and_only_once(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    first = run("--data-dir", str(data), "demo")
    assert first.returncode == 0, first.stderr
    assert "demo1234" in first.stdout
    store = Store.open(data)
    with store.read() as session:
        dossiers = session.scalars(select(Dossier)).all()
        assert len(dossiers) >= 20
        statuses = {d.status for d in dossiers}
        assert {"received", "returned", "draft"} <= statuses
        for dossier in dossiers:
            kinds = session.scalars(
                select(DossierEvent.kind)
                .where(DossierEvent.dossier_id == dossier.id)
                .order_by(DossierEvent.seq)
            ).all()
            assert derive_status(list(kinds)) == dossier.status
        count = session.scalar(select(func.count()).select_from(Dossier))
    store.close()
    second = run("--data-dir", str(data), "demo")
    assert second.returncode == 0
    assert "đã có hồ sơ" in second.stdout
    store = Store.open(data)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == count
    store.close()


def store_dump(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "counter.sqlite3") as connection:
        return list(connection.iterdump())


def appointment(data_dir: Path, code: str, received_at: str) -> subprocess.CompletedProcess[str]:
    return run("--data-dir", str(data_dir), "appointment", code, "--received-at", received_at)


@pytest.mark.parametrize(
    ("code", "received_at", "due", "counted"),
    [
        # Temporary residence, 3 working days. Mon 31/08/2026 is the day off swapped with Sat
        # 22/08, and 01-02/09 are National Day (LEGAL-2025.md, "Working days 2026", [S]).
        pytest.param(
            "1.004194",
            "2026-08-28 09:00",
            "09:00 Thứ Hai 07/09/2026",
            "(3): Thứ Năm 03/09/2026, Thứ Sáu 04/09/2026, Thứ Hai 07/09/2026",
            id="over-31-aug-to-2-sep",
        ),
        # Sat 22/08/2026 is a make-up working day: the third working day after Wed 19/08.
        pytest.param(
            "1.004194",
            "2026-08-19 09:00",
            "09:00 Thứ Bảy 22/08/2026",
            "(3): Thứ Năm 20/08/2026, Thứ Sáu 21/08/2026, Thứ Bảy 22/08/2026",
            id="landing-on-sat-22-aug",
        ),
        # 2.000913 is same-day before 15:00 (Decision 3152/QĐ-BTP, 2025); 15:00 is not after it.
        pytest.param(
            "2.000913", "2026-11-16 15:00", "17:00 Thứ Hai 16/11/2026", "(1)", id="at-15-00"
        ),
        pytest.param(
            "2.000913", "2026-11-16 15:01", "17:00 Thứ Ba 17/11/2026", "(1)", id="at-15-01"
        ),
    ],
)
def test_appointment_prints_what_reception_would_give_and_writes_nothing(
    initialised: Path, code: str, received_at: str, due: str, counted: str
) -> None:
    before = store_dump(initialised)
    done = appointment(initialised, code, received_at)
    assert done.returncode == 0, done.stderr
    assert f"Ngày hẹn trả kết quả: {due}\n" in done.stdout
    assert f"Ngày làm việc được tính {counted}" in done.stdout
    assert store_dump(initialised) == before

    at = dt.datetime.strptime(received_at, "%Y-%m-%d %H:%M")
    store = Store.open(initialised)
    try:
        expected = ReceptionService(store, FixedClock(at)).appointment(code, at)
    finally:
        store.close()
    assert f"{expected:%H:%M} " in done.stdout and f"{expected:%d/%m/%Y}\n" in done.stdout


def test_appointment_names_the_skipped_days_and_the_unconfirmed_ones(initialised: Path) -> None:
    done = appointment(initialised, "1.004194", "2026-11-23 09:00")
    assert done.returncode == 0, done.stderr
    # "Vietnam Cultural Day" 24/11/2026 is decided in principle only (LEGAL-2025.md, [U]).
    assert "Thứ Ba 24/11/2026: Ngày Văn hóa Việt Nam — chưa được xác nhận" in done.stdout


@pytest.mark.parametrize(
    ("code", "received_at", "said"),
    [
        pytest.param("9.999999", "2026-11-16 09:00", "Không có thủ tục mã 9.999999", id="code"),
        pytest.param("1.004194", "16/11/2026", "--received-at", id="time"),
    ],
)
def test_appointment_refuses_bad_input_plainly(
    initialised: Path, code: str, received_at: str, said: str
) -> None:
    done = appointment(initialised, code, received_at)
    assert done.returncode == 2
    assert said in done.stderr and "Traceback" not in done.stderr


def test_appointment_refuses_a_retired_procedure_as_reception_does(initialised: Path) -> None:
    store = Store.open(initialised)
    try:
        with store.write() as session:
            retired = session.get(Procedure, "1.004194")
            assert retired is not None
            retired.active = False
    finally:
        store.close()
    done = appointment(initialised, "1.004194", "2026-11-16 09:00")
    assert done.returncode == 2
    assert "1.004194" in done.stderr and "đang áp dụng" in done.stderr


def test_version_says_the_version_the_program_was_installed_as() -> None:
    """What an update is compared with, and what IT staff read on a counter PC."""
    from importlib.metadata import version

    done = run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"counter-app {version('ward-counter')}"
    assert "xem phiên bản chương trình rồi thoát" in run("--help").stdout
