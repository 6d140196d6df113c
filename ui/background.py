"""Work off the GUI thread, the one way the window runs anything slow.

Like Anki's ``QueryOp``: the caller hands a plain callable that never touches
a widget; it runs on a worker thread and its result (or error) comes back on
the GUI thread through a signal. Store writes all go through one worker, so
SQLite writes are serialized and the window never freezes on the lock.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from counter_app.errors import CounterError

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]
log = logging.getLogger(__name__)


class _Job(QRunnable):
    """Runs on the worker; reports through the runner's signals, never touching a widget."""

    def __init__(self, number: int, work: Callable[[], Any], runner: TaskRunner) -> None:
        super().__init__()
        self.number = number
        self.work = work
        self.runner = runner

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the caller's on_error on the GUI thread
            # The caller shows the message; the traceback of one nobody foresaw goes to the log.
            if isinstance(exc, CounterError):
                log.info("Công việc nền không làm được: %s", exc)
            else:
                log.error("Công việc nền lỗi", exc_info=exc)
            self.runner._failed.emit(self.number, exc)
        else:
            self.runner._done.emit(self.number, result)


class TaskRunner(QObject):
    """Runs callables one at a time on a worker thread. Signals: busyChanged(bool).

    The runner lives on the GUI thread, so the worker's emits reach it queued
    and each job's callback runs on the GUI thread. No per-job QObject is
    made, so nothing Qt-owned is ever freed from the worker thread.
    """

    busyChanged = Signal(bool)
    _done = Signal(int, object)
    _failed = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._numbers = itertools.count(1)
        self._callbacks: dict[int, tuple[Done, Failed]] = {}
        self._done.connect(self._deliver)
        self._failed.connect(self._fail)

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busyChanged.emit(True)
        self._pool.start(_Job(number, work, self))

    @Slot(int, object)
    def _deliver(self, number: int, result: Any) -> None:
        on_done, _ = self._pop(number)
        on_done(result)

    @Slot(int, object)
    def _fail(self, number: int, error: Exception) -> None:
        _, on_error = self._pop(number)
        on_error(error)

    def _pop(self, number: int) -> tuple[Done, Failed]:
        callbacks = self._callbacks.pop(number)
        if not self._callbacks:
            self.busyChanged.emit(False)
        return callbacks

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work finished (for shutdown and tests)."""
        return bool(self._pool.waitForDone(msecs))
