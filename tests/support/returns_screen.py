"""Typing at a person's pace into the returns screen, and picking the result's files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

HUMAN_MS = 45  # between a person's keystrokes; a scanner's come every few milliseconds


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """Type as a clerk does: plain keys at a person's pace for ASCII, the input method's
    commit for Vietnamese letters (Telex, VNI). The barcode wedge holds a key back for a
    few milliseconds, so each commit waits for the keys before it to land."""
    expected = field.text() + text
    for index, char in enumerate(text):
        if char.isascii():
            qtbot.keyClicks(field, char, delay=HUMAN_MS)
            continue
        typed = expected[: len(expected) - len(text) + index]
        qtbot.waitUntil(lambda typed=typed: field.text() == typed)  # type: ignore[misc]
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(field, event)
    qtbot.waitUntil(lambda: field.text() == expected)


def choose_result_files(qtbot: QtBot, screen: QWidget, folder: Path, names: list[str]) -> None:
    """Pick ``names`` in the screen's own (non-native) file dialog, as a clerk does."""
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in screen.findChildren(QFileDialog, "resultFilesDialog"))
    )
    (dialog,) = [d for d in screen.findChildren(QFileDialog, "resultFilesDialog") if d.isVisible()]
    dialog.setDirectory(str(folder))
    dialog.selectFile(" ".join(f'"{name}"' for name in names))
    dialog.accept()
