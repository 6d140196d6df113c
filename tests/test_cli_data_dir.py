"""The command line as the README describes it: --data-dir anywhere, plain words on mistakes."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app import cli as counter_cli
from counter_app.models import Dossier
from counter_app.store import Store

ROOT = Path(__file__).resolve().parents[1]
COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
SEED = str(ROOT / "resources" / "catalog" / "seed_catalog.json")
CODE = "000.00.11.H57-261116-1001"
NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"]
# Every command with the least it needs; a command added later must be added here.
COMMANDS: dict[str, list[str]] = {
    "init": ["init", "--unit-code", "000.00.11.H57", "--unit-name", "UBND", "--device-slot", "1"],
    "user add": ["user", "add", "--username", "lan.nt", "--full-name", "Lan", "--role", "clerk"],
    "catalog import": ["catalog", "import", SEED],
    "catalog search": ["catalog", "search", "khai", "sinh"],
    "appointment": ["appointment", "1.001653", "--received-at", "2026-11-16 09:00"],
    "demo": ["demo"],
    "dossier show": ["dossier", "show", CODE, "--format", "json"],
    "attach": ["attach", CODE, "--document", "1", SEED],
    "digitize-result": ["digitize-result", CODE, SEED],
    "verify": ["verify"],
    "gc-blobs": ["gc-blobs"],
    "scan-batch": ["scan-batch", SEED],
    "sign": ["sign", CODE, "--document", "1"],
    "check-signature": ["check-signature", SEED],
    "backup": ["backup", "--to", "usb"],
    "restore": ["restore", "usb"],
    "gui": ["gui"],
    "print": ["print", "receipt", CODE, "--out", "x.pdf"],
    "report daily": ["report", "daily", "--date", "2026-11-16", "--out", "r.pdf"],
    "report range": ["report", "range", *NOVEMBER, "--out", "r.pdf"],
    "report book": ["report", "book", *NOVEMBER, "--out", "b.pdf"],
    "report fees": ["report", "fees", *NOVEMBER],
    "report index": ["report", "index", "--from", "16/11/2026", "--to", "20/11/2026"],
    "enrol": ["enrol", "--server", "http://127.0.0.1:9", "--code", "AAAA-BBBB-CCCC"],
    "sync": ["sync"],
    "setup": ["setup", "--config", "province.toml"],
    "doctor": ["doctor"],
}  # fmt: skip
# The commands that set a data directory up (restore too: a new PC from a backup),
# and the window (which asks in a dialog).
CREATING = {"init", "demo", "gui", "restore", "setup"}
# The preflight check reports a data directory never set up as a failed item and
# writes nothing (tests/test_doctor.py).
REPORTING = {"doctor"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COUNTER_APP, *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> set[str]:
    nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not nested:
        return {" ".join(path)}
    return {
        leaf
        for action in nested
        for name, child in action.choices.items()
        for leaf in leaves(child, (*path, name))
    }


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_every_command_takes_data_dir_after_its_name(tmp_path: Path) -> None:
    parser, _ = counter_cli.build_parser()
    assert leaves(parser) == set(COMMANDS), "every command is in the table above"
    for name, argv in COMMANDS.items():
        after = parser.parse_args([*argv, "--data-dir", str(tmp_path)])
        assert after.data_dir == str(tmp_path), name
        before = parser.parse_args(["--data-dir", str(tmp_path), *argv])
        assert before.data_dir == str(tmp_path), f"{name}: before the command still works"


def test_the_readme_examples_with_data_dir_after_the_command(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    demo = run("demo", "--data-dir", data)
    assert demo.returncode == 0, demo.stderr
    found = run("catalog", "search", "giay", "khai", "sinh", "--data-dir", data)
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[0].endswith("\tĐăng ký khai sinh")
    fees = run("report", "fees", "--from", "2026-01-01", "--to", "2026-12-31", "--data-dir", data)
    assert fees.returncode == 0, fees.stderr
    assert "Cộng đã thu" in fees.stdout
    sync = run("sync", "--data-dir", data)
    assert sync.returncode == 2 and "chưa đăng ký" in sync.stderr


def test_print_into_a_folder_that_does_not_exist_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("demo", "--data-dir", str(data)).returncode == 0
    store = Store.open(data, create=False)
    with store.read() as session:
        code = session.scalars(select(Dossier.code).where(Dossier.code.is_not(None))).first()
    store.close()
    assert code is not None
    target = tmp_path / "missing" / "x.pdf"

    done = run("print", "receipt", code, "--out", str(target), "--data-dir", str(data))

    assert done.returncode == 2
    assert "--out" in done.stderr and "Không ghi được tệp" in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.parent.exists()


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - CREATING - REPORTING))
@pytest.mark.parametrize("exists", [False, True], ids=["missing", "empty"])
def test_a_data_directory_never_set_up_is_named_and_left_as_it_was(
    name: str,
    exists: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COUNTER_USER_PASSWORD", "mat-khau-lan")
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "never"
    if exists:
        data.mkdir()
    before = listing(tmp_path)

    status = counter_cli.main([*COMMANDS[name], "--data-dir", str(data)])

    err = capsys.readouterr().err
    assert status == 2, err
    assert "chưa được khởi tạo" in err and "counter-app init" in err
    assert listing(tmp_path) == before, "nothing created"


def test_the_window_on_a_data_directory_never_set_up_creates_nothing(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """Until setup is confirmed: the window offers it (tests/test_setup_dialog.py)."""
    from counter_app.errors import NotInitialised
    from ui.launcher import first_run, prepare

    with pytest.raises(NotInitialised, match="chưa được khởi tạo"):
        prepare(str(tmp_path / "never"))
    setup = first_run(str(tmp_path / "never"))
    qtbot.addWidget(setup)
    setup.reject()
    assert listing(tmp_path) == []
