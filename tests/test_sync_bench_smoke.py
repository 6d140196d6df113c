"""The sync benchmarks still run end to end on tiny inputs, so they cannot rot between uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(module: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
def test_sync_benchmarks_run_on_tiny_inputs(tmp_path: Path) -> None:
    push = run("bench.sync_push", "--dossiers", "12", "--blob-mb", "1", "--data-dir", str(tmp_path))
    for label in ("backlog:", "push (dossiers):", "upload (blobs):", "interleaved", "ratio"):
        assert label in push, push
    pull = run("bench.sync_pull", "--dossiers", "10", "--changes", "200")
    assert "pull: 200 status changes" in pull, pull
    many = run(
        "bench.sync_concurrency",
        "--counters",
        "4",
        "--dossiers",
        "2",
        "--processes",
        "2",
        "--database-url",
        f"sqlite:///{tmp_path / 'many.sqlite3'}",
    )
    assert "errors: 0; server holds 8 dossiers" in many, many
    assert "p99" in many


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("PROVINCE_TEST_DATABASE_URL"), reason="the replay runs on PostgreSQL"
)
def test_the_replay_benchmark_runs_against_two_workers() -> None:
    replay = run(
        "bench.sync_replay",
        "--steps",
        "1,3",
        "--dossiers",
        "2",
        "--database-url",
        os.environ["PROVINCE_TEST_DATABASE_URL"],
    )
    assert "recorded: one real counter's sync with 2 dossiers waiting" in replay, replay
    for step in ("    1 counters:", "    3 counters:"):
        line = next(line for line in replay.splitlines() if line.startswith(step))
        assert "errors 0" in line and "each once" in line, replay
    assert replay.count("workers' CPU:") == 2 and "memory:" in replay
