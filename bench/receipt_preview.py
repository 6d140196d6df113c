"""Receipt preview: from the clerk's Ctrl+Enter until the preview has painted its first page.

Run: ``python -m bench.receipt_preview [--runs N] [--dossiers N] [--data-dir DIR]``.
A real MainWindow (offscreen Qt) with a filled reception form gets the
Ctrl+Enter key press; each sample stops when the print preview's page
widget has been painted, so it includes the reception's transaction, the
receipt's PDF, opening the dialog and drawing the pages shown. It leaves out
the printer itself (nothing is printed) and the window's first paint before
the key. Memory is the peak resident set above the one before the key press
(VmHWM after a reset of /proc/self/clear_refs; without that reset, the
process-wide peak above the resident set before the first run).

The floor is the same receipt PDF opened and both pages rendered at screen
resolution, alone. Target: p95 < 300 ms and < 100 MB extra memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.foundation import CLERKS, UNIT_CODE, Figure, build_store, percentile
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.paths import database_path
from counter_app.reception import ReceptionRequest
from counter_app.store import Store

TARGET_MS = 300.0
TARGET_MB = 100.0


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where that is refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(data_dir: Path, runs: int, seed: int) -> tuple[list[Figure], list[float], bool]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QGraphicsView, QWidget

    from bench.foundation import BENCH_DAY, reception_requests
    from ui.main_window import MainWindow
    from ui.print_preview import load_pdf
    from ui.reception_screen import ReceptionScreen
    from ui.services import CounterServices

    app = QApplication.instance() or QApplication([])
    store = Store.open(data_dir)
    db = sqlite3.connect(database_path(data_dir))
    try:
        requests = reception_requests(store, db, random.Random(seed), runs + 2)
    finally:
        db.close()
    clock = FixedClock(dt.datetime.combine(BENCH_DAY, dt.time(7, 45)))
    services = CounterServices.open(store, clock)
    services.user = StaffIdentity(CLERKS[0][0], CLERKS[0][1], Role.CLERK, UNIT_CODE)
    window = MainWindow(services)
    window.resize(1280, 860)
    window.show()
    window.activateWindow()
    screen = window.pages["reception"]
    assert isinstance(screen, ReceptionScreen)
    pdfs: list[bytes] = []
    ready_at: list[float] = []

    def form_ready(_form: str, _code: str, pdf: bytes) -> None:
        ready_at.append(time.perf_counter())  # before the window opens the preview
        pdfs.append(pdf)

    window.formReady.connect(form_ready)

    class PagePainted(QObject):
        """Notes the first paint of a preview's page widget (ours, or Qt's preview view)."""

        def __init__(self) -> None:
            super().__init__()
            self.painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                top = watched.window()
                if isinstance(top, QDialog) and top.objectName() == "printPreview":
                    parent = watched.parentWidget()
                    if watched.objectName() == "previewPage" or isinstance(parent, QGraphicsView):
                        self.painted = True
            return False

    watcher = PagePainted()
    app.installEventFilter(watcher)

    def one_run(request: ReceptionRequest) -> tuple[float, float, float]:
        screen.open_request(request)
        clock.advance(seconds=30)
        window.activateWindow()  # the closed preview leaves no active window offscreen
        QTest.qWaitForWindowActive(window, 2000)
        field = screen.form.phone
        field.setFocus()
        app.processEvents()
        watcher.painted = False
        before = len(pdfs)
        base_kb = _status_kb("VmRSS")
        reset_peak()
        start = time.perf_counter()
        QTest.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        deadline = start + 60
        while not watcher.painted:
            app.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError("the preview did not paint within 60 s")
            if not watcher.painted:
                time.sleep(0.0005)
        done = time.perf_counter()
        peak_kb = _status_kb("VmHWM")
        if len(pdfs) != before + 1:
            raise RuntimeError("the key press did not print exactly one receipt")
        ready = ready_at[-1]
        for dialog in window.findChildren(QDialog, "printPreview"):
            dialog.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        return (done - start) * 1000, (ready - start) * 1000, max(0, peak_kb - base_kb) / 1024

    exact_peak = reset_peak()
    if not exact_peak:
        print("note: /proc/self/clear_refs refused; memory is the process-wide peak")
    one_run(requests[0])  # warms fonts, the calendar and Qt's PDF module, as a day's first does
    whole, to_pdf, memory = [], [], []
    for request in requests[1 : runs + 1]:
        total, ready, extra = one_run(request)
        whole.append(total)
        to_pdf.append(ready)
        memory.append(extra)

    # The floor: the very receipt, opened and both pages rendered at screen resolution.
    pdf = pdfs[-1]
    screen_dpi = QGuiApplication.primaryScreen().logicalDotsPerInch()
    floor = []
    for _ in range(runs):
        start = time.perf_counter()
        document = load_pdf(pdf)
        for page in range(document.pageCount()):
            size = document.pagePointSize(page) * (screen_dpi / 72)
            document.render(page, size.toSize())
        floor.append((time.perf_counter() - start) * 1000)
        document.deleteLater()
    window.close()
    services.runner.wait()
    store.close()
    figures = [
        Figure("Ctrl+Enter to receipt preview painted", whole, target_ms=TARGET_MS),
        Figure("of which: receipt PDF ready (formReady)", to_pdf),
        Figure(
            "of which: preview shown (formReady to paint)",
            [total - ready for total, ready in zip(whole, to_pdf, strict=True)],
        ),
        Figure("floor: the PDF rendered at screen dpi", floor),
    ]
    return figures, memory, exact_peak


def print_report(figures: Sequence[Figure], memory: Sequence[float], exact: bool) -> None:
    width = max(len(f.label) for f in figures) + 2
    header = f"{'figure':<{width}}{'median ms':>11}{'p95 ms':>10}{'n':>7}   {'target':<14}result"
    print(header)
    print("-" * len(header))
    for figure in figures:
        target = f"p95 < {figure.target_ms:g} ms" if figure.target_ms is not None else "-"
        verdict = "-"
        if figure.target_ms is not None:
            verdict = "PASS" if figure.p95 < figure.target_ms else "MISS"
        print(
            f"{figure.label:<{width}}{figure.median:>11.3f}{figure.p95:>10.3f}"
            f"{len(figure.samples_ms):>7}   {target:<14}{verdict}"
        )
    peak = max(memory)
    label = "peak extra memory per preview (MB)"
    kind = "VmHWM reset per run" if exact else "process-wide VmHWM"
    print(
        f"{label:<{width}}{percentile(memory, 50):>11.1f}{peak:>10.1f}{len(memory):>7}"
        f"   {f'max < {TARGET_MB:g} MB':<14}{'PASS' if peak < TARGET_MB else 'MISS'}  ({kind})"
    )
    print("includes: key press, reception transaction, receipt PDF, dialog shown, first page")
    print("painted; leaves out: the printer (nothing printed) and the window before the key.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.receipt_preview", description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dossiers", type=int, default=2_000, help="store size (default 2,000)")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-receipt-preview-"))
    try:
        if not database_path(data_dir).exists():
            report = build_store(data_dir, args.dossiers, args.seed)
            print(f"built {report.dossiers:,} dossiers in {report.seconds_rows:.0f} s", flush=True)
        figures, memory, exact = measure(data_dir, args.runs, args.seed + 3)
        print_report(figures, memory, exact)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
