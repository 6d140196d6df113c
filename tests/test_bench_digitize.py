"""The digitizing benchmark still runs end to end and prints its figures."""

from __future__ import annotations

import pytest

from tests.support.bench import run_bench


@pytest.mark.slow
def test_digitize_benchmark_runs_on_two_pages() -> None:
    done = run_bench("bench.digitize", "--pages", "2", "--runs", "1")
    for label in (
        "PNG compact",
        "JPEG compact",
        "PNG lossless",
        "JPEG lossless",
        "assemble ms",
        "KB/page",
    ):
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout}"
    assert "MISS" not in done.stdout
