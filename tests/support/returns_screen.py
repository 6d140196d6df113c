"""Typing at a person's pace into the returns screen."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit
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
