"""Cold start as the user runs it: the real ``counter-app`` command to the log-in window.

Run: ``python -m bench.cold_start [--runs N] [--data-dir DIR] [--platform NAME] [--part P]``.

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

Both parts run the code of the checkout this bench belongs to: its root goes
first on the children's PYTHONPATH, ahead of whatever the installed script would
import (an editable install of another checkout). Children write and reuse
bytecode (in a scratch PYTHONPYCACHEPREFIX, even under PYTHONDONTWRITEBYTECODE),
as an installed program does; the warm-up run compiles it, for the floor too,
and leaves the parsed fonts beside it (``printing/font_cache.py``), as a
counter's first print after installation does for every later one.
After the timings, one more run of each CLI command under ``-X importtime``
prints its import self-time by top-level package: where the time above the
floor goes (that log's own overhead included).

Offscreen Qt by default (as on CI); ``--platform xcb`` times the real window.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from counter_app.paths import database_path

ROOT = Path(__file__).resolve().parents[1]
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


def time_to_exit(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time to exit, and the child's CPU time (user + system), which a busy
    machine inflates far less than the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def import_breakdown(command: list[str], env: dict[str, str], top: int = 8) -> str:
    """Self import time of one run by top-level package, largest first, in ms."""
    script = command[1:] if command[0] == sys.executable else command
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *script], capture_output=True, text=True, env=env
    )
    totals: dict[str, int] = {}
    for row in done.stderr.splitlines():
        if not row.startswith("import time:") or "|" not in row:
            continue
        own, _, name = row.removeprefix("import time:").split("|")
        if own.strip().isdigit():
            package = name.strip().split(".")[0]
            totals[package] = totals.get(package, 0) + int(own)
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    shown = ", ".join(f"{name} {us / 1000:.0f}" for name, us in ranked[:top])
    return f"total {sum(totals.values()) / 1000:.0f} ms: {shown}"


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
    parser.add_argument("--part", choices=("gui", "cli", "both"), default="both")
    args = parser.parse_args(argv)
    command = counter_app_command()
    with tempfile.TemporaryDirectory() as scratch:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            QT_QPA_PLATFORM=args.platform,
            COUNTER_APP_STARTUP_MARK="1",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            PYTHONPYCACHEPREFIX=str(Path(scratch) / "pycache"),
        )
        data_dir = args.data_dir or str(Path(scratch) / "counter")
        if not args.data_dir:
            subprocess.run(
                [*command, "--data-dir", data_dir, "demo"], check=True, capture_output=True, env=env
            )
        runs: list[float] = []
        floor: list[float] = []
        if args.part in ("gui", "both"):
            gui = [*command, "--data-dir", data_dir]
            floor_gui = [sys.executable, "-c", FLOOR_GUI]
            time_until_marker(gui, env)  # the first run compiles and warms the OS file cache
            time_until_marker(floor_gui, env)
            for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
                runs.append(time_until_marker(gui, env))
                floor.append(time_until_marker(floor_gui, env))

        cli_runs: list[float] = []
        cli_floor: list[float] = []
        cli_cpu: list[float] = []
        floor_cpu: list[float] = []
        if args.part in ("cli", "both"):
            out = str(Path(scratch) / "receipt.pdf")
            code = first_dossier_code(data_dir)
            cli = [*command, "--data-dir", data_dir, "print", "receipt", code, "--out", out]
            floor_cli = [sys.executable, "-c", FLOOR_CLI, str(Path(scratch) / "floor.pdf")]
            time_to_exit(cli, env)
            time_to_exit(floor_cli, env)
            for _ in range(args.runs):
                for into, cpu_into, timed in (
                    (cli_runs, cli_cpu, cli),
                    (cli_floor, floor_cpu, floor_cli),
                ):
                    wall, cpu = time_to_exit(timed, env)
                    into.append(wall)
                    cpu_into.append(cpu)
            cli_imports = import_breakdown(cli, env)
            floor_imports = import_breakdown(floor_cli, env)

    print(f"platform {args.platform}; command {command[0]}; code from {ROOT}")
    print(f"{'figure':44} {'median s':>9} {'p95 s':>8} {'n':>4}")
    if runs:
        print(line("counter-app to log-in window painted", runs))
        print(line("floor: QApplication + one QDialog painted", floor))
    if cli_runs:
        print(line("counter-app print receipt (to exit)", cli_runs))
        print(line("floor: reportlab one-page PDF (to exit)", cli_floor))
        print(line("counter-app print receipt, CPU time", cli_cpu))
        print(line("floor: reportlab one-page PDF, CPU time", floor_cpu))
    if runs:
        print(verdict("cold start / floor (medians)", runs, floor, GUI_TARGET))
    if cli_runs:
        print(verdict("print receipt / floor (medians)", cli_runs, cli_floor, CLI_TARGET))
        print(verdict("the same in CPU time (medians)", cli_cpu, floor_cpu, CLI_TARGET))
        print(f"imports, print receipt: {cli_imports}")
        print(f"imports, floor:         {floor_imports}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
