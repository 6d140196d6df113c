"""The Qt binding the window runs on keeps Python's reference counts straight.

PySide6 6.12.0 lost a reference to True or False on every bool signal handed
to a Python slot (every button click, every toggle), so after a few hundred the
interpreter aborted in bool_dealloc. pyproject.toml keeps that release out; this
test fails if a release with the same fault comes back in.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot


class _Flag(QObject):
    """Signals: flipped(bool)."""

    flipped = Signal(bool)


def test_bool_signals_to_python_slots_keep_true_and_false_alive(qtbot: QtBot) -> None:
    seen: list[bool] = []
    flag = _Flag()
    flag.flipped.connect(seen.append)
    box = QCheckBox()
    qtbot.addWidget(box)
    box.toggled.connect(seen.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        flag.flipped.emit(True)
        box.toggle()
    seen.clear()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
