"""The cold-start marker: ``bench.cold_start`` times the real ``counter-app`` command.

With ``COUNTER_APP_STARTUP_MARK`` set, the launcher prints ``login-shown`` once the
log-in dialog has painted its first frame and then closes it, so a benchmark can
time process start to a visible window without driving the GUI. Imports only
QtCore/QtGui types the dialog has already loaded.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDialog

ENV_STARTUP_MARK = "COUNTER_APP_STARTUP_MARK"
MARKER = "login-shown"


def wanted() -> bool:
    return bool(os.environ.get(ENV_STARTUP_MARK))


class _FirstPaint(QObject):
    """Reports the dialog's first Paint event, then rejects the dialog."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            # After the paint has been handled: the frame is drawn when we report it.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(MARKER, flush=True)
        self._dialog.reject()


def mark_first_paint(dialog: QDialog) -> None:
    dialog.installEventFilter(_FirstPaint(dialog))
