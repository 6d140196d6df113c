"""The daily automatic backup, run when the window opens and checked every hour after.

The work is ``counter_app.backup.automatic_backup`` on a runner of its own
(``ui.background.TaskRunner``): copying the scans to a USB disk can take
minutes, and on the window's store runner it would hold up every save behind
it. SQLite's backup reads one snapshot and never blocks a writer, so clerks
keep working meanwhile. Nothing happens until the administrator chooses a
backup folder in Quản trị.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app import backup
from counter_app.backup import BackupMade
from ui.background import TaskRunner
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
        self.runner = TaskRunner(self)
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
        self.runner.run(
            lambda: backup.automatic_backup(store, settings, now), self._done, self._failed
        )

    def _done(self, made: BackupMade | None) -> None:
        if made is not None:
            self.message.emit(
                self.tr("Đã sao lưu tự động vào {folder}.").format(folder=made.folder)
            )
        self.finished.emit(made)

    def _failed(self, error: Exception) -> None:
        self.failed.emit(self.tr("Sao lưu tự động không thành công: {error}").format(error=error))
        self.finished.emit(None)
