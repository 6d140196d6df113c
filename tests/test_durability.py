"""Power loss: what the counter printed survives a power cut (the store syncs every commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.reception import request

ROOT = Path(__file__).resolve().parent.parent


def test_a_reception_is_committed_with_synchronous_full(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    """The commit that gives a dossier its code is synced before the receipt can print.

    With synchronous=NORMAL in WAL mode SQLite may roll back committed transactions
    after a power cut, and a code already on a citizen's receipt would be issued again.
    """
    seen: list[int] = []

    def before_commit(connection: Any) -> None:
        seen.append(connection.exec_driver_sql("PRAGMA synchronous").scalar())

    event.listen(store.engine, "commit", before_commit)
    receipt = ReceptionService(store, clock).receive(request(store), clerk)
    assert receipt.code
    assert seen, "the reception committed through the store's engine"
    assert set(seen) == {2}, "2 is FULL; 1 (NORMAL) may lose the commit in a power cut"
    with store.read() as session:
        journal = session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
    assert journal == "wal", "FULL is the durable setting in WAL mode, not a rollback journal"


@pytest.mark.slow
def test_durability_benchmark_prints_both_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.durability", "--dossiers", "500", "--samples", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "receive one dossier, synchronous=NORMAL" in done.stdout
    assert "receive one dossier, synchronous=FULL" in done.stdout
    assert "FULL costs" in done.stdout
