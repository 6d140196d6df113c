"""Cold start to the log-in dialog: a new interpreter, imports, the store, the dialog shown.

Run: ``python -m bench.cold_start [--runs N] [--data-dir DIR]``. Each run is a
fresh process (offscreen Qt, as on CI); the clock starts before the process
is spawned and stops when the child reports the dialog painted. The floor is
a bare interpreter that imports PySide6 and shows an empty dialog.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0

CHILD = """
import sys
from ui.launcher import prepare
app, services, login = prepare(sys.argv[1])
login.show()
app.processEvents()
print("ready", flush=True)
"""

FLOOR = """
from PySide6.QtWidgets import QApplication, QDialog
app = QApplication([])
dialog = QDialog()
dialog.show()
app.processEvents()
print("ready", flush=True)
"""


def time_child(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.stdout.close()
    child.wait(timeout=30)
    if line.strip() != "ready":
        raise RuntimeError(f"the child did not reach the dialog (exit {child.returncode})")
    return elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--data-dir", help="a counter data directory (default: fresh demo data)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or str(Path(scratch) / "counter")
        if not args.data_dir:
            subprocess.run(
                [sys.executable, "-m", "counter_app.cli", "--data-dir", data_dir, "demo"],
                check=True,
                capture_output=True,
            )
        time_child(CHILD, data_dir)  # the first run warms the OS file cache
        runs = [time_child(CHILD, data_dir) for _ in range(args.runs)]
        floor = [time_child(FLOOR) for _ in range(args.runs)]
    median, p95 = statistics.median(runs), percentile(runs, 0.95)
    print(f"{'figure':38} {'median s':>9} {'p95 s':>8} {'n':>4}   target     result")
    print(f"{'cold start to log-in dialog':38} {median:9.3f} {p95:8.3f} {len(runs):4}"
          f"   p95 < {TARGET_S:.0f} s   {'PASS' if p95 < TARGET_S else 'MISS'}")  # fmt: skip
    print(f"{'floor: PySide6 empty dialog':38} {statistics.median(floor):9.3f}"
          f" {percentile(floor, 0.95):8.3f} {len(floor):4}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
