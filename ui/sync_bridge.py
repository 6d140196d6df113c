"""The sync worker's plain events, re-emitted as Qt signals on the GUI thread.

The worker (sync/client, no Qt) calls its listeners on its own thread; the
bridge lives on the GUI thread, so its signal emitted from there arrives
queued, and the status bar is only ever touched by the GUI thread. What a
sync stored reaches the screens as the window's change notice, as their own
writes do.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from sync.client.worker import SyncEvent, SyncStatus, SyncWorker
from ui.change_notice import ChangeNotice


class SyncBridge(QObject):
    """Signals: statusChanged(object) with the worker's SyncStatus after every event.

    A finished sync that stored anything is told to ``notice`` (source None).
    """

    statusChanged = Signal(object)
    _heard = Signal(object)

    def __init__(
        self,
        worker: SyncWorker,
        parent: QObject | None = None,
        notice: ChangeNotice | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.notice = notice
        self._heard.connect(self._deliver)
        self._unsubscribe = worker.subscribe(self._heard.emit)

    @Slot(object)
    def _deliver(self, event: SyncEvent) -> None:
        self.statusChanged.emit(event.status)
        if self.notice is not None and event.report is not None:
            self.notice.notify(event.report.changes())

    def status(self) -> SyncStatus:
        return self.worker.status()

    def refresh(self) -> None:
        """Count the changes waiting again (after a reception) and show it."""
        self.statusChanged.emit(self.worker.refresh())

    def stop(self) -> None:
        self._unsubscribe()
        self.worker.stop()
