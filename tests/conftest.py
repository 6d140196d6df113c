"""Shared fixtures: a real SQLite store in a temporary data directory, a settable clock."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Device tokens of test counters never land in a developer's own keyring.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.store import Store
from tests.support.cli import INIT_ADMIN_PASSWORD, run
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, open_counter


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_MORNING)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    counter = open_counter(tmp_path / "counter")
    yield counter
    counter.close()


@pytest.fixture
def clerk() -> StaffIdentity:
    return StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)


@pytest.fixture(autouse=True)
def _log_handlers_taken_out() -> Iterator[None]:
    """A command run in-process sets up the log; the next test must not write to its file."""
    yield
    from counter_app import logs

    logs.reset()


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    """A data directory ``counter-app init`` set up, as a child process."""
    data = tmp_path / "data"
    done = run(
        "--data-dir", str(data), "init",
        "--unit-code", "000.00.11.H57", "--unit-name", "UBND phường Hạc Thành",
        "--device-slot", "2",
        env={"COUNTER_ADMIN_PASSWORD": INIT_ADMIN_PASSWORD},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "máy số 2" in done.stdout
    return data
