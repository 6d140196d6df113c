"""One sync at a time per data directory: refused at once, freed when its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sync.client.errors import SyncBusy
from sync.client.lock import SyncLock

ROOT = Path(__file__).resolve().parents[1]
HOLD = """
import sys, time
from pathlib import Path
from sync.client.lock import SyncLock
lock = SyncLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_lock_is_refused_until_the_first_is_released(tmp_path: Path) -> None:
    first = SyncLock(tmp_path)
    with first:
        with pytest.raises(SyncBusy, match="đang chạy"), SyncLock(tmp_path):
            pass
        if os.name == "posix":
            assert (first.path.stat().st_mode & 0o777) == 0o600
    with SyncLock(tmp_path):
        pass  # free again


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX's")
def test_a_sync_killed_mid_way_leaves_the_lock_free(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SyncBusy), SyncLock(tmp_path):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()

    with SyncLock(tmp_path):
        pass  # no stale lock file stands in the way
