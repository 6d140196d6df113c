"""The foundation benchmark still runs end to end, so it cannot rot between uses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bench import ROOT, run_bench

# Every figure the benchmark prints; written out here, not imported, so a figure that
# disappears from the script fails this test instead of silently leaving the report.
LABELS = (
    "build store",
    "receive one dossier",
    "first reception after start",
    "catalog search per keystroke",
    "dossier by code (get_by_code)",
    "floor: sqlite3 dossier by code",
    "applicant by CCCD (find_by_cccd)",
    "floor: sqlite3 applicant by CCCD",
    "store size on disk",
)


@pytest.mark.slow
def test_foundation_benchmark_runs_on_a_small_store(tmp_path: Path) -> None:
    done = run_bench("bench.foundation", "--dossiers", "3000", "--data-dir", tmp_path)
    for label in LABELS:
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout}"
    assert "3,000 dossiers" in done.stdout


@pytest.mark.slow
def test_receive_and_print_benchmark_runs_on_a_small_store(tmp_path: Path) -> None:
    done = run_bench("bench.receive_print", "--dossiers", "500", "--data-dir", tmp_path)
    assert "receive and print (receipt PDF ready)" in done.stdout
    assert "floor: receive only" in done.stdout


@pytest.mark.slow
def test_cold_start_benchmark_reaches_the_dialog() -> None:
    done = run_bench("bench.cold_start", "--runs", "1")
    assert "counter-app to log-in window painted" in done.stdout
    assert "print receipt / floor (medians)" in done.stdout


@pytest.mark.slow
def test_receipt_preview_benchmark_reaches_the_painted_preview(tmp_path: Path) -> None:
    done = run_bench(
        "bench.receipt_preview", "--runs", "2", "--dossiers", "300", "--data-dir", tmp_path
    )
    for label in (
        "Ctrl+Enter to receipt preview painted",
        "of which: receipt PDF ready (formReady)",
        "of which: preview shown (formReady to paint)",
        "floor: the PDF rendered at screen dpi",
        "peak extra memory per preview (MB)",
        "includes:",
        "leaves out:",
    ):
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout}"


@pytest.mark.slow
def test_catalog_search_benchmark_runs_on_a_small_catalog() -> None:
    done = run_bench("bench.catalog_search", "--procedures", "300", "--rounds", "1")
    for label in (
        "catalog: 300 procedures",
        "import catalog + rebuild FTS5 index",
        "catalog search per keystroke (CatalogService.search): p50",
        "floor: sqlite3 FTS5 MATCH",
        "includes:",
        "leaves out:",
    ):
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout}"
    assert "RANKING" not in done.stdout, "the issue's queries rank the right procedure first"


@pytest.mark.slow
def test_fault_run_loses_nothing_duplicates_nothing_and_lets_no_hostile_change_in() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.fault_run", "--rounds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,  # kills and restarts a server and three sync clients: longer than others
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^server processes killed with SIGKILL\s+[1-9]", done.stdout, re.M)
    for label in (
        "lost (received, not on the server)",
        "duplicated on the server",
        "hostile mutations not refused",
        "hostile dossiers stored / seen at a counter",
        "tracebacks in captured stderr",
    ):
        figure = rf"^{re.escape(label)}\s+0\s+ok$"
        assert re.search(figure, done.stdout, re.M), f"{label!r} not 0 in:\n{done.stdout}"
    assert "fault run: all checks passed" in done.stdout
