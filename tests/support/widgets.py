"""Typing into widgets and finding the active window, as a clerk would."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a clerk does: plain keys for ASCII, the input method's commit for Vietnamese.

    A Vietnamese keyboard (Telex, VNI) hands the composed letters to the
    widget as an input-method commit, not as key presses.
    """
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    """Show and activate, so focus moves as it would on a real desk."""
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
