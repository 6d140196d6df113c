"""Notices when nobody has touched the counter PC for a while, so the window can lock."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatch(QObject):
    """Watches the application's input. Signals: idle() once per idle spell."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self._since_input = QElapsedTimer()
        self._since_input.start()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(max(50, min(15_000, timeout_ms // 4)))
        self._timer.timeout.connect(self._check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self.touch()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def touch(self) -> None:
        self._since_input.restart()
        self._fired = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.touch()
        return False

    def _check(self) -> None:
        if not self._fired and self._since_input.elapsed() >= self.timeout_ms:
            self._fired = True
            self.idle.emit()
