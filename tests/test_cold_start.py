"""Cold start: the real ``counter-app`` reaches the log-in window loading only what it needs.

Issue 12 point 8: every plugin, openpyxl, Pillow and the main window loaded before
log-in. Here the real command runs in a fresh interpreter with ``-X importtime``;
the marker (ui/startup_mark.py) proves the log-in dialog painted, and the import
log proves what did not load on the way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.cli import main

HEAVY_FOR_LOGIN = ("ui.main_window", "openpyxl", "PIL", "reportlab", "counter_app.attachments")


def imported(stderr: str) -> set[str]:
    """Module names from a ``-X importtime`` log."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def run_counter_app(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNTER_APP_STARTUP_MARK": "1"}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "counter_app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def loaded(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in modules)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cold") / "counter"
    assert main(["--data-dir", str(data_dir), "demo"]) == 0
    return data_dir


def test_the_log_in_window_paints_before_the_main_window_and_heavy_libraries_load(
    demo_dir: Path,
) -> None:
    done = run_counter_app("--data-dir", str(demo_dir))

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["login-shown"]
    modules = imported(done.stderr)
    assert "ui.login_dialog" in modules
    assert [p for p in HEAVY_FOR_LOGIN if loaded(modules, p)] == []


def test_printing_a_receipt_loads_neither_openpyxl_nor_the_scanner_nor_qt(
    demo_dir: Path, tmp_path: Path
) -> None:
    import sqlite3

    from counter_app.paths import database_path

    with sqlite3.connect(database_path(demo_dir)) as db:
        (code,) = db.execute("SELECT code FROM dossier WHERE code IS NOT NULL LIMIT 1").fetchone()
    out = tmp_path / "receipt.pdf"

    done = run_counter_app("--data-dir", str(demo_dir), "print", "receipt", code, "--out", str(out))

    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_bytes().startswith(b"%PDF")
    modules = imported(done.stderr)
    assert loaded(modules, "reportlab")
    # Pillow is reportlab's own import (the bare reportlab floor loads it too).
    unused = (
        "openpyxl",
        "counter_app.intake",
        "counter_app.tally_export",
        "alembic",  # the store is at head: a plain query says so
        "PySide6",
        "ui",
    )
    assert [p for p in unused if loaded(modules, p)] == []
    # The dossier is read through sqlite3 alone (counter_app.store_read): SQLAlchemy and the
    # models were most of this command's time, and the parser builds without the
    # password hasher, the holiday calendar or importlib.metadata.
    not_for_printing = (
        "sqlalchemy",
        "counter_app.models",
        "counter_app.store",
        "argon2",
        "holidays",
        "importlib.metadata",
        "platformdirs",
        # The barcodes: python-barcode's package loads Pillow's fonts and an SVG writer,
        # reportlab.graphics.barcode every widget of reportlab's (printing/code128.py,
        # printing.codes.qrencoder); xml.sax.saxutils urllib.request, http and ssl.
        "barcode",
        "reportlab.graphics.barcode",
        "xml.sax",
        "http",
    )
    assert [p for p in not_for_printing if loaded(modules, p)] == []


def test_the_scripts_head_read_without_alembic_is_alembics_head(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from counter_app import migrate
    from counter_app.store import Store

    store = Store.open(tmp_path / "counter")
    try:
        assert (
            migrate.script_head()
            == ScriptDirectory.from_config(migrate.alembic_config(store.engine)).get_current_head()
        )
        assert migrate.current_revision(store.engine) == migrate.script_head()
    finally:
        store.close()
