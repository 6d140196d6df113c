"""Cold start as the user runs it: the real ``counter-app`` command to the log-in window.

Run: ``python -m bench.cold_start [--runs N] [--data-dir DIR] [--platform NAME]``.

GUI part: each run spawns the installed ``counter-app`` (its script beside this
interpreter) with ``COUNTER_APP_STARTUP_MARK`` set; the clock starts before the
spawn and stops when the process prints ``login-shown``, which the launcher does
once the log-in dialog has painted its first frame (``ui/startup_mark.py``). So
the figure holds the interpreter, the entry-point plugins, argparse, the store,
the translator and the first frame. The floor is a bare interpreter that creates
a QApplication and shows one QDialog with the same first-paint marker. Target:
median ≤ 8× the floor (issue 12 point 8).

CLI part: ``counter-app print receipt CODE --out x.pdf`` on the demo data dir
(interpreter, plugins, store, the dossier's read, the PDF written) against a bare
interpreter writing a one-page reportlab PDF. Target: median ≤ 3× that floor.

Offscreen Qt by default (as on CI); ``--platform xcb`` times the real window.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from counter_app.paths import database_path

GUI_TARGET = 8.0
CLI_TARGET = 3.0
MARKER = "login-shown"

FLOOR_GUI = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, report)
        return False

def report():
    print("login-shown", flush=True)
    dialog.reject()

app = QApplication([])
dialog = QDialog()
watcher = FirstPaint(dialog)
dialog.installEventFilter(watcher)
dialog.exec()
"""

FLOOR_CLI = """
import sys
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas
pdf = Canvas(sys.argv[1], pagesize=A5)
pdf.drawString(72, 500, "Giay tiep nhan ho so")
pdf.showPage()
pdf.save()
"""


def counter_app_command() -> list[str]:
    """The installed console script, as the user types it (beside this interpreter first)."""
    beside = Path(sys.executable).parent / "counter-app"
    found = str(beside) if beside.exists() else shutil.which("counter-app")
    if found is None:
        raise SystemExit("counter-app is not installed in this environment (pip install -e .)")
    return [found]


def time_until_marker(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert child.stdout is not None
    elapsed: float | None = None
    for line in child.stdout:
        if line.strip() == MARKER:
            elapsed = time.perf_counter() - start
            break
    child.stdout.close()
    child.wait(timeout=60)
    if elapsed is None:
        raise RuntimeError(f"{command[0]} never showed the log-in window (exit {child.returncode})")
    return elapsed


def time_to_exit(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def first_dossier_code(data_dir: str) -> str:
    with sqlite3.connect(database_path(Path(data_dir))) as db:
        row = db.execute(
            "SELECT code FROM dossier WHERE code IS NOT NULL ORDER BY code LIMIT 1"
        ).fetchone()
    if row is None:
        raise SystemExit(f"{data_dir} holds no dossier to print")
    return str(row[0])


def line(label: str, values: list[float]) -> str:
    return (
        f"{label:44} {statistics.median(values):9.3f} {percentile(values, 0.95):8.3f}"
        f" {len(values):4}"
    )


def verdict(label: str, runs: list[float], floor: list[float], target: float) -> str:
    ratio = statistics.median(runs) / statistics.median(floor)
    result = "PASS" if ratio <= target else "MISS"
    return f"{label:44} {ratio:9.1f}×  (target ≤ {target:.0f}×)   {result}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--data-dir", help="a counter data directory (default: fresh demo data)")
    parser.add_argument(
        "--platform", default="offscreen", help="QT_QPA_PLATFORM (default: offscreen)"
    )
    args = parser.parse_args(argv)
    command = counter_app_command()
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform, "COUNTER_APP_STARTUP_MARK": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or str(Path(scratch) / "counter")
        if not args.data_dir:
            subprocess.run(
                [*command, "--data-dir", data_dir, "demo"], check=True, capture_output=True, env=env
            )
        gui = [*command, "--data-dir", data_dir]
        floor_gui = [sys.executable, "-c", FLOOR_GUI]
        time_until_marker(gui, env)  # the first run warms the OS file cache
        time_until_marker(floor_gui, env)
        runs, floor = [], []
        for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
            runs.append(time_until_marker(gui, env))
            floor.append(time_until_marker(floor_gui, env))

        out = str(Path(scratch) / "receipt.pdf")
        code = first_dossier_code(data_dir)
        cli = [*command, "--data-dir", data_dir, "print", "receipt", code, "--out", out]
        floor_cli = [sys.executable, "-c", FLOOR_CLI, str(Path(scratch) / "floor.pdf")]
        time_to_exit(cli, env)
        time_to_exit(floor_cli, env)
        cli_runs, cli_floor = [], []
        for _ in range(args.runs):
            cli_runs.append(time_to_exit(cli, env))
            cli_floor.append(time_to_exit(floor_cli, env))

    print(f"platform {args.platform}; command {command[0]}")
    print(f"{'figure':44} {'median s':>9} {'p95 s':>8} {'n':>4}")
    print(line("counter-app to log-in window painted", runs))
    print(line("floor: QApplication + one QDialog painted", floor))
    print(line("counter-app print receipt (to exit)", cli_runs))
    print(line("floor: reportlab one-page PDF (to exit)", cli_floor))
    print(verdict("cold start / floor (medians)", runs, floor, GUI_TARGET))
    print(verdict("print receipt / floor (medians)", cli_runs, cli_floor, CLI_TARGET))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
