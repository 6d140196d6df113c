"""The daily automatic backup, run when the window opens and checked every hour after.

The copy (``counter_app.backup.automatic_copy``) runs on an ``Operations`` of
its own: copying the scans to a USB disk can take minutes, and it would
otherwise hold one of the window's compute threads. SQLite's backup reads one
snapshot and never blocks a writer, so clerks keep working meanwhile; the
backup's audit row then goes through the window's single writer. Nothing
happens until the administrator chooses a backup folder in Quản trị.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app import backup
from counter_app.backup import BackupMade
from ui.operations import Operations
from ui.services import CounterServices

CHECK_EVERY_MS = 60 * 60 * 1000


class DailyBackup(QObject):
    """Signals: message(str) for the status bar; failed(str) why a backup was not made;
    finished(object) with the BackupMade or None."""

    message = Signal(str)
    failed = Signal(str)
    finished = Signal(object)

    def __init__(self, services: CounterServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = Operations(self, compute_threads=1)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.run_if_due)
        self.timer.start()
        self.run_if_due()

    def run_if_due(self) -> None:
        settings = self.services.settings
        if not settings.backup_folder or self.runner.busy:
            return
        store, now = self.services.store, self.services.clock.now()
        self.runner.compute(self, lambda: backup.automatic_copy(store, settings, now)).on_success(
            lambda made: self._record(made, now)
        ).on_failure(self._failed).run()

    def _record(self, made: BackupMade | None, now: dt.datetime) -> None:
        if made is None:
            self.finished.emit(None)
            return
        store = self.services.store
        self.services.runner.write(
            self, lambda: backup.record_made(store, made, actor=backup.AUTOMATIC, at=now)
        ).on_success(lambda _none: self._done(made)).on_failure(self._failed).run()

    def _done(self, made: BackupMade | None) -> None:
        if made is not None:
            self.message.emit(
                self.tr("Đã sao lưu tự động vào {folder}.").format(folder=made.folder)
            )
        self.finished.emit(made)

    def _failed(self, error: Exception) -> None:
        self.failed.emit(self.tr("Sao lưu tự động không thành công: {error}").format(error=error))
        self.finished.emit(None)
