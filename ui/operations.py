"""Work off the GUI thread: the one way every screen runs anything slow or anything that writes.

In the spirit of Anki's ``CollectionOp``: a screen builds an ``Operation`` from a
plain callable that never touches a widget, says what happens on success and on
failure, and runs it. Two lanes, so that a save never waits behind a scan:

- ``write``: one thread, the store's single writer. Every store write of the
  window goes here, in the order asked, so the window's own writers never queue
  on SQLite's busy timeout behind each other (the sync worker, on its own
  thread, still may hold the lock for one transaction).
- ``compute``: a pool of a few threads for CPU work that writes nothing: OCR,
  PDF assembly and rendering, reports, file checks. A long OCR holds one of
  these threads and never the writer.

Work that does both is two operations: compute, then write on success (the
digitize screen assembles the PDF on the pool and attaches it on the writer).

Results come back on the GUI thread through a queued signal of ``Operations``,
which lives on the GUI thread. The operation's owner is a widget: when it has
been destroyed by the time the work ends, the callbacks are dropped, so a
closed dialog is never touched. A failure nobody handles goes to the owner's
``failed(str)`` signal (every screen has one and the window shows it), or else
a warning box over the owner, in Vietnamese; a ``CounterError`` is shown as it
is, anything else with a sentence saying nothing entered was lost.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import isValid

from counter_app.changes import Changes
from counter_app.errors import CounterError
from ui.change_notice import ChangeNotice

T = TypeVar("T")
log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 400
"""A progress dialog shows only for work still running after this long."""


class Lane(Enum):
    WRITE = "write"
    COMPUTE = "compute"


class Cancelled(Exception):
    """Raised by work that saw its ``CancelFlag`` set; the operation ends without a result."""


class CancelFlag:
    """Asked for by the person (the progress dialog's button), honoured by the work.

    Only work that can stop halfway without leaving anything half-done takes
    one, and checks it between steps (``check()`` raises ``Cancelled``).
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled


@dataclass
class Operation(Generic[T]):
    """One piece of work and what the owner does with its outcome; built, then ``run()``."""

    hub: Operations
    owner: QObject | None
    work: Callable[[], T]
    lane: Lane
    _success: Callable[[T], None] | None = None
    _failure: Callable[[Exception], None] | None = None
    _cancelled: Callable[[], None] | None = None
    progress_text: str = ""
    cancel: CancelFlag | None = None
    changes: Changes | None = None
    _dialog: QProgressDialog | None = field(default=None, repr=False)
    _timer: QTimer | None = field(default=None, repr=False)
    _ended: bool = False

    def on_success(self, callback: Callable[[T], None]) -> Operation[T]:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[Exception], None]) -> Operation[T]:
        """Replace the default display (the owner's ``failed`` signal or a warning box)."""
        self._failure = callback
        return self

    def notifies(self, changes: Changes) -> Operation[T]:
        """Once the work succeeded, tell every screen what it changed (``Operations.notice``).

        Told even when the owner has closed meanwhile: the store changed all the same.
        """
        self.changes = changes
        return self

    def on_cancelled(self, callback: Callable[[], None]) -> Operation[T]:
        self._cancelled = callback
        return self

    def with_progress(self, text: str, cancel: CancelFlag | None = None) -> Operation[T]:
        """Show ``text`` in a window-modal progress dialog if the work takes a while.

        With ``cancel`` the dialog has a cancel button that sets the flag; the
        work decides when to stop.
        """
        self.progress_text = text
        self.cancel = cancel
        return self

    def cancellable(self, cancel: CancelFlag) -> Operation[T]:
        """Let ``cancel`` stop the work (set by the caller, or by a progress dialog's button)."""
        self.cancel = cancel
        return self

    def run(self) -> None:
        self.hub._start(self)

    # Called by the hub on the GUI thread --------------------------------------

    def _show_progress(self) -> None:
        if self._ended or not self.progress_text or not self._owner_alive():
            return
        parent = self.owner if isinstance(self.owner, QWidget) else None
        self._dialog = self.hub._progress_dialog(self.progress_text, self.cancel, parent)

    def _finish(self, result: Any, error: Exception | None) -> None:
        self._ended = True
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None
        if self._dialog is not None and isValid(self._dialog):
            self._dialog.hide()
            self._dialog.deleteLater()
        self._dialog = None
        alive = self._owner_alive()
        try:
            if alive:  # else the screen or dialog that asked is gone; nothing left to tell it
                self._tell_owner(result, error)
        finally:
            if error is None and self.changes is not None:
                self.hub.notice.notify(self.changes, self.owner if alive else None)

    def _tell_owner(self, result: Any, error: Exception | None) -> None:
        if isinstance(error, Cancelled):
            if self._cancelled is not None:
                self._cancelled()
        elif error is not None:
            (self._failure or self._show_failure)(error)
        elif self._success is not None:
            self._success(result)

    def _owner_alive(self) -> bool:
        return self.owner is None or isValid(self.owner)

    def _show_failure(self, error: Exception) -> None:
        text = self.hub.describe(error)
        failed = getattr(self.owner, "failed", None)
        if isinstance(failed, SignalInstance):
            failed.emit(text)
            return
        parent = self.owner if isinstance(self.owner, QWidget) else None
        self.hub._warn(parent, text)


class _Job(QRunnable):
    """Runs on a pool thread; reports through the hub's signal, never touching a widget."""

    def __init__(self, number: int, operation: Operation[Any], hub: Operations) -> None:
        super().__init__()
        self.number = number
        self.work = operation.work
        self.cancel = operation.cancel
        self.hub = hub

    def run(self) -> None:
        try:
            if self.cancel is not None:
                self.cancel.check()  # cancelled while it waited its turn
            result = self.work()
        except Cancelled as exc:
            self.hub._finished.emit(self.number, None, exc)
        except Exception as exc:  # handed to the owner on the GUI thread
            # The owner shows the message; the traceback of one nobody foresaw goes to the log.
            if isinstance(exc, CounterError):
                log.info("Công việc nền không làm được: %s", exc)
            else:
                log.error("Công việc nền lỗi", exc_info=exc)
            self.hub._finished.emit(self.number, None, exc)
        else:
            self.hub._finished.emit(self.number, result, None)


def default_compute_threads() -> int:
    """At least two, so a form to print never waits for a whole OCR; at most four, leaving
    a core to the GUI and the writer (OCR and assembly release the GIL)."""
    return max(2, min(4, (os.cpu_count() or 2) - 1))


class Operations(QObject):
    """The writer and the compute pool, and the hand-back to the GUI thread.

    Signals: busyChanged(bool), whether any operation is under way.
    ``notice`` is the window's ``ChangeNotice``, told by every operation that ``notifies``.
    Built once per window (``CounterServices.runner``); a dialog that must not
    share the window's queues (the setup dialog, backups) builds its own.
    """

    busyChanged = Signal(bool)
    _finished = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None, compute_threads: int | None = None) -> None:
        super().__init__(parent)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._compute = QThreadPool(self)
        self._compute.setMaxThreadCount(compute_threads or default_compute_threads())
        self._numbers = itertools.count(1)
        self._running: dict[int, Operation[Any]] = {}
        self._finished.connect(self._deliver)
        self.notice = ChangeNotice(self)

    def write(self, owner: QObject | None, work: Callable[[], T]) -> Operation[T]:
        """An operation for the store's single writer (anything that writes)."""
        return Operation(self, owner, work, Lane.WRITE)

    def compute(self, owner: QObject | None, work: Callable[[], T]) -> Operation[T]:
        """An operation for the compute pool (reads and CPU work, never a store write)."""
        return Operation(self, owner, work, Lane.COMPUTE)

    def describe(self, error: Exception) -> str:
        """The Vietnamese sentence shown for a failure nobody handled."""
        if isinstance(error, CounterError):
            return str(error)
        return self.tr(
            "Không làm được việc này ({error}); những gì đã nhập vẫn còn, hãy thử lại."
        ).format(error=error)

    def _progress_dialog(
        self, text: str, cancel: CancelFlag | None, parent: QWidget | None
    ) -> QProgressDialog:
        dialog = QProgressDialog(text, "", 0, 0, parent)
        dialog.setObjectName("operationProgress")
        dialog.setWindowTitle(self.tr("Đang xử lý"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if cancel is None:
            dialog.setCancelButton(None)
        else:
            dialog.setCancelButtonText(self.tr("Hủy"))
            dialog.canceled.connect(cancel.cancel)
        dialog.show()
        return dialog

    def _warn(self, parent: QWidget | None, text: str) -> None:
        QMessageBox.warning(parent, self.tr("Không làm được"), text)

    def _start(self, operation: Operation[Any]) -> None:
        number = next(self._numbers)
        self._running[number] = operation
        if len(self._running) == 1:
            self.busyChanged.emit(True)
        if operation.progress_text:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._progress_due(number))
            timer.start(PROGRESS_DELAY_MS)
            operation._timer = timer
        pool = self._writer if operation.lane is Lane.WRITE else self._compute
        pool.start(_Job(number, operation, self))

    def _progress_due(self, number: int) -> None:
        operation = self._running.get(number)
        if operation is not None:
            operation._show_progress()

    @Slot(int, object, object)
    def _deliver(self, number: int, result: Any, error: Exception | None) -> None:
        operation = self._running.pop(number, None)
        if operation is None:
            return
        try:
            operation._finish(result, error)
        finally:
            if not self._running:
                self.busyChanged.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every operation ended and its callbacks ran (shutdown and tests).

        Callbacks may start more operations (compute, then write); those are
        waited for too.
        """
        deadline = time.monotonic() + msecs / 1000
        while True:
            for pool in (self._compute, self._writer):
                left = max(0, int((deadline - time.monotonic()) * 1000))
                if not pool.waitForDone(left):
                    return False
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
            if not self._running:
                return True
            if time.monotonic() >= deadline:
                return False
