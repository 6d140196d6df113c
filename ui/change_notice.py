"""One notice of what changed, that every screen listens to and refreshes from.

The code that writes says what kinds of records it changed (``Changes``); an
operation declares it (``Operation.notifies``) and the operation helper
broadcasts it once the write succeeded, the sync bridge broadcasts what a
pull stored. Each screen subscribes in its constructor and decides for
itself what to read again, so the window routes no screen's news to another.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from counter_app.changes import Changes

log = logging.getLogger(__name__)


class ChangeNotice(QObject):
    """Signals: changed(Changes changes, QObject | None source), source being the widget
    whose work made the change (it may skip refreshing itself), None for a sync pull.

    Lives on the GUI thread; listeners connect a bound method of a ``QObject``
    (``changed.connect(self.on_changes)``), so a screen deleted on sign-out is
    disconnected with it.
    """

    changed = Signal(object, object)

    def notify(self, changes: Changes, source: QObject | None = None) -> None:
        """Tell every listener; nothing is sent when nothing changed."""
        if not changes:
            return
        log.debug("Thay đổi: %s", ", ".join(changes.kinds))
        self.changed.emit(changes, source)


def made_by(screen: QObject, source: QObject | None) -> bool:
    """Whether ``source`` is ``screen`` or one of its children: the screen has shown it already."""
    while source is not None:
        if source is screen:
            return True
        source = source.parent()
    return False
