"""An error nothing caught reaches the clerk in Vietnamese and the log file, with its traceback.

pytest-qt catches exceptions raised in slots itself; these tests turn that off
(``qt_no_exception_capture``) so the window's own hook is what sees them.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qCritical
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from counter_app import logs
from counter_app.errors import NotFound
from ui import crash_dialog, launcher
from ui.crash_dialog import ErrorDialog
from ui.operations import Operations

pytestmark = pytest.mark.qt_no_exception_capture


def open_error_dialog() -> ErrorDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ErrorDialog) and widget.isVisible():
            return widget
    return None


def fail_to_save() -> None:
    raise RuntimeError("không ghi được hồ sơ")


@pytest.fixture
def installed(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    (tmp_path / "counter.sqlite3").touch()  # the log waits for a data directory set up
    logs.set_up(tmp_path)
    uninstall = crash_dialog.install(qapp)
    yield
    uninstall()
    dialog = open_error_dialog()
    if dialog is not None:
        dialog.close()


def test_an_exception_in_a_slot_shows_the_dialog_and_is_logged(
    qtbot: QtBot, tmp_path: Path, installed: object
) -> None:
    button = QPushButton("Lưu")
    qtbot.addWidget(button)
    button.clicked.connect(fail_to_save)

    button.click()

    qtbot.waitUntil(lambda: open_error_dialog() is not None)
    dialog = open_error_dialog()
    assert dialog is not None
    assert dialog.windowTitle() == "Lỗi không mong đợi"
    assert dialog.summary.text() == "RuntimeError: không ghi được hồ sơ"
    assert dialog.copy_button.text() == "Sao chép chi tiết"
    log_file = tmp_path / "logs" / "counter.log"
    assert str(log_file) in dialog.log_label.text()
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "fail_to_save" in logged and "RuntimeError: không ghi được hồ sơ" in logged

    dialog.copy_button.click()

    copied = QGuiApplication.clipboard().text()
    assert "fail_to_save" in copied and str(log_file) in copied
    assert dialog.isVisible(), "copying does not close the dialog"


def test_errors_repeating_fill_one_dialog(qtbot: QtBot, installed: object) -> None:
    for _ in range(3):
        QTimer.singleShot(0, fail_to_save)
    qtbot.waitUntil(lambda: (d := open_error_dialog()) is not None and d.count == 3)

    dialog = open_error_dialog()
    assert dialog is not None
    assert dialog.summary.text().startswith("3 lỗi")
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]
    assert [d.isVisible() for d in dialogs].count(True) == 1


def test_an_error_on_another_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, installed: object
) -> None:
    worker = threading.Thread(target=fail_to_save, name="sync")
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: open_error_dialog() is not None)
    dialog = open_error_dialog()
    assert dialog is not None and dialog.thread() is QApplication.instance().thread()


def test_qt_critical_messages_are_logged_and_shown(
    qtbot: QtBot, tmp_path: Path, installed: object
) -> None:
    qCritical("không mở được máy in")

    qtbot.waitUntil(lambda: open_error_dialog() is not None)
    logged = (tmp_path / "logs" / "counter.log").read_text(encoding="utf-8")
    assert "ERROR counter_app.logs.qt" in logged and "không mở được máy in" in logged


def test_the_window_installs_the_hook_for_its_life_only(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "counter.sqlite3").touch()
    logs.set_up(tmp_path)
    before = sys.excepthook
    seen: list[str] = []

    def check_then_cancel() -> None:
        dialog = open_error_dialog()
        seen.append(dialog.summary.text() if dialog is not None else "")
        if dialog is not None:
            dialog.close()
        setup = QApplication.activeModalWidget()
        assert isinstance(setup, QDialog)
        setup.reject()

    QTimer.singleShot(0, fail_to_save)
    QTimer.singleShot(200, check_then_cancel)
    status = launcher.run(argparse.Namespace(data_dir=str(tmp_path / "never")))

    assert status == 0
    assert seen == ["RuntimeError: không ghi được hồ sơ"]
    assert sys.excepthook is before, "the hook goes with the window"
    assert "fail_to_save" in (tmp_path / "logs" / "counter.log").read_text(encoding="utf-8")


def test_background_work_failing_leaves_its_traceback_in_the_log(
    qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "counter.sqlite3").touch()
    log_file = logs.set_up(tmp_path)
    assert log_file is not None
    runner = Operations()
    errors: list[Exception] = []

    def assemble_the_pdf() -> None:
        raise ZeroDivisionError("0 trang")

    def refused() -> None:
        raise NotFound("Không tìm thấy hồ sơ mã X.")

    runner.compute(None, assemble_the_pdf).on_failure(errors.append).run()
    runner.write(None, refused).on_failure(errors.append).run()
    qtbot.waitUntil(lambda: len(errors) == 2)

    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR ui.operations" in logged and "assemble_the_pdf" in logged
    assert "INFO ui.operations" in logged and "Không tìm thấy hồ sơ mã X." in logged
    assert "refused" not in logged, "an error someone foresaw needs no traceback"
    runner.wait()
