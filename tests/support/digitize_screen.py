"""Dropping files onto the digitize screen and answering its questions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QListWidget, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from ui.page_strip import PageStrip


def drop_files(strip: PageStrip, paths: list[Path]) -> None:
    """What a file manager delivers when files are dragged over the strip and dropped.

    Qt routes a real drop only while its drag manager runs a drag, which a test
    cannot start, so the strip's own drag handlers get the events directly.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    strip.dragEnterEvent(enter)
    assert enter.isAccepted(), "the strip takes files from outside"
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    strip.dropEvent(drop)
    assert drop.isAccepted()


def answer_tray_question(qtbot: QtBot, button_name: str) -> str:
    """Click one answer of the window-modal question about staged pages; returns its text."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box.objectName() == "stagedPagesQuestion"
    text = box.text()
    button = box.findChild(QPushButton, button_name)
    assert button is not None, [b.objectName() for b in box.buttons()]
    owner = box.parentWidget()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if owner is not None:
        owner.window().activateWindow()  # a desktop's window manager does this; offscreen has none
    return text


def click_row(qtbot: QtBot, widget: QListWidget, row: int) -> None:
    rect = widget.visualItemRect(widget.item(row))
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
