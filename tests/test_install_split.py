"""A counter PC installs ``ward-counter`` without the provincial server's packages.

The counter's commands are run in a child process where FastAPI, uvicorn,
psycopg, starlette and anyio cannot be imported (a ``sitecustomize`` on
PYTHONPATH puts a finder in front of every other that refuses them, as on a PC
where they were never installed): each must still work, or fail in plain
Vietnamese, never with an ImportError. The package's built metadata is read
back to check that only the ``server`` extra asks for them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from email.parser import Parser
from pathlib import Path

import pytest

from sync.client import credentials
from sync.server import launcher
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[1]
UNIT = "000.00.11.H57"
ADMIN_PASSWORD = "quan-tri-123"
SERVER_ONLY = ("fastapi", "uvicorn", "psycopg", "psycopg_binary", "starlette", "anyio")
BLOCKER = f'''
"""Makes the provincial server's packages impossible to import, as on a counter PC."""
import sys

BLOCKED = {SERVER_ONLY!r}


class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
'''


@pytest.fixture
def counter_pc(tmp_path: Path) -> dict[str, str]:
    """The environment of a child process on a PC without the server's packages."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(blocker), str(ROOT)]),
        "QT_QPA_PLATFORM": "offscreen",
        "COUNTER_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "COUNTER_PASSWORD": ADMIN_PASSWORD,
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        timeout=180,
        check=False,
    )


def counter_app(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run(env, "-m", "counter_app.cli", *args)


def assert_plain(done: subprocess.CompletedProcess[str]) -> None:
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert "ModuleNotFoundError" not in output and "ImportError" not in output, output


def test_the_blocker_really_hides_the_servers_packages(counter_pc: dict[str, str]) -> None:
    for name in SERVER_ONLY[:3]:
        done = run(counter_pc, "-c", f"import {name}")
        assert done.returncode != 0
        assert f"No module named '{name}'" in done.stderr
    assert run(counter_pc, "-c", "import sqlalchemy, pydantic, requests").returncode == 0


def test_the_counters_commands_run_without_the_servers_packages(
    counter_pc: dict[str, str], tmp_path: Path
) -> None:
    real = tmp_path / "real"
    done = counter_app(
        counter_pc, "--data-dir", str(real), "init", "--unit-code", UNIT,
        "--unit-name", "UBND phường Hạc Thành", "--device-slot", "1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert_plain(done)

    demo = tmp_path / "demo"
    done = counter_app(counter_pc, "--data-dir", str(demo), "demo")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(demo / "counter.sqlite3") as db:
        (code,) = db.execute(
            "SELECT code FROM dossier WHERE code IS NOT NULL ORDER BY code LIMIT 1"
        ).fetchone()
    pdf = tmp_path / "receipt.pdf"
    done = counter_app(
        counter_pc, "--data-dir", str(demo), "print", "receipt", code, "--out", str(pdf)
    )
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    # Enrolling with, and syncing to, a server nobody answers at: plain words, exit 3.
    dead = f"http://127.0.0.1:{free_port()}"
    done = counter_app(
        counter_pc, "--data-dir", str(real), "enrol", "--server", dead,
        "--code", "ABCD-EFGH-JKLM", "--user", "admin",
    )  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Không kết nối được máy chủ tỉnh" in done.stderr
    assert_plain(done)
    credentials.save(real, credentials.Enrolment(dead, "token-of-this-pc", UNIT, 1, ""))
    done = counter_app(counter_pc, "--data-dir", str(real), "sync")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Không kết nối được máy chủ tỉnh" in done.stderr
    assert_plain(done)


def test_the_server_command_says_what_to_install(counter_pc: dict[str, str]) -> None:
    done = run(counter_pc, "-m", "sync.server.launcher", "serve")
    assert done.returncode == 2
    assert "pip install 'ward-counter[server]'" in done.stderr
    assert "chưa cài các gói của máy chủ tỉnh (fastapi, uvicorn, psycopg)" in done.stderr
    assert_plain(done)


def test_the_server_command_runs_where_the_server_is_installed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert launcher.missing_modules() == []
    with pytest.raises(SystemExit) as exit_:
        launcher.main(["--help"])
    assert exit_.value.code == 0
    assert "province-server" in capsys.readouterr().out


@pytest.mark.slow  # builds the package's metadata with setuptools: a few seconds
def test_only_the_server_extra_requires_the_servers_packages(tmp_path: Path) -> None:
    # setuptools' egg_info writes the requirements pip reads, by extra, without a wheel
    # (the venv's setuptools needs the ``wheel`` package for prepare_metadata_for_build_wheel).
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    out = tmp_path / "meta"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", "from setuptools import setup; setup()",
         "egg_info", "--egg-base", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (egg_info,) = out.glob("*.egg-info")
    extras = requirements_by_extra((egg_info / "requires.txt").read_text(encoding="utf-8"))
    plain, server, test = extras[""], extras["server"], extras["test"]
    for name in ("fastapi", "uvicorn", "psycopg"):
        assert not [r for r in plain if r.lower().startswith(name)], plain
        assert [r for r in server if r.lower().startswith(name)], server
    assert any(r.startswith("pydantic") for r in plain), "the counter's sync client needs it"
    assert any(r.startswith("sqlalchemy") for r in plain)
    assert "ward-counter[server]" in test
    info = Parser().parsestr((egg_info / "PKG-INFO").read_text(encoding="utf-8"))
    assert set(info.get_all("Provides-Extra") or []) >= {"server", "test"}


def requirements_by_extra(text: str) -> dict[str, list[str]]:
    """``requires.txt``: the plain requirements, then a ``[extra]`` section for each extra."""
    extras: dict[str, list[str]] = {"": []}
    section = ""
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        if line.startswith("["):
            section = line.strip("[]")
            extras.setdefault(section, [])
        else:
            extras[section].append(line)
    return extras
