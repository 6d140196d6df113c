"""The digitization index benchmark still runs end to end on a small store, so it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LABELS = (
    "index of a month, by day (Oct 2026)",
    "index of a quarter, by month",
    "month's index as XLSX with chart",
    "month's index as printed PDF",
    "floor: sqlite3 counts the month per day and PC",
)


@pytest.mark.slow
def test_index_benchmark_runs_on_a_small_store(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.index_report", "--dossiers", "2000", "--repeat", "1",
         "--data-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for label in LABELS:
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout}"
    assert "October 2026: received " in done.stdout and "digitized at reception" in done.stdout
