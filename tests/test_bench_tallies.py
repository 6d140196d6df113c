"""The tallies benchmark still runs end to end on a small store, so it cannot rot between uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LABELS = (
    "tally of a month (Oct 2026)",
    "day's report: tally + PDF",
    "tally of a month a year back",
    "floor: sqlite3 counts the month's events by index",
    "return one result with its fee",
)


@pytest.mark.slow
def test_tallies_benchmark_runs_on_a_small_store(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.tallies", "--dossiers", "2000", "--repeat", "1",
         "--data-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for label in LABELS:
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout}"
    assert "fee payments:" in done.stdout
