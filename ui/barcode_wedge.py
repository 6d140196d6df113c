"""Telling a USB barcode scanner from a person at the keyboard.

A counter scanner is a "keyboard wedge": it types what it reads, a key every
few milliseconds, and presses Enter. A person never types that fast for long.
The wedge holds printable keystrokes back for ``max_gap_ms``: if the next one
comes sooner the burst grows, and Enter closing a long enough burst is a scan,
reported once and never typed into whatever had the focus (a date field must
not swallow a dossier code). Otherwise the held keys are replayed, unchanged,
to the widget they were meant for, a few milliseconds late.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CHORDS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
# Scanners press Shift around capitals: a modifier alone neither ends nor starts a burst.
_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
    }
)


class BarcodeWedge(QObject):
    """Watches the key presses of a widget and all its children for scanner bursts.

    Signals: codeScanned(str) with the text of the burst, without the Enter.
    """

    codeScanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_gap_ms: int = 30,
        min_length: int = 6,
    ) -> None:
        super().__init__(parent)
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self._held: list[tuple[QObject, int, Qt.KeyboardModifier, str]] = []
        self._last_key_at = 0.0
        self._replaying = False
        self._seen: tuple[QObject, int, str, int] | None = None
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)

    def attach(self, root: QWidget) -> None:
        """Watch ``root`` and every widget inside it now (call again after adding widgets)."""
        for widget in (root, *root.findChildren(QWidget)):
            widget.removeEventFilter(self)
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIER_KEYS or self._propagated(watched, event):
            return False  # a lone modifier, or an ancestor seeing a key its child ignored
        now = time.monotonic()
        gap_ms = (now - self._last_key_at) * 1000
        self._last_key_at = now
        text = event.text()
        printable = (
            len(text) == 1
            and text.isprintable()
            and not event.isAutoRepeat()
            and not event.modifiers() & _CHORDS
        )
        if printable:
            if self._held and gap_ms > self.max_gap_ms:
                self.flush()
            self._held.append((watched, event.key(), event.modifiers(), text))
            self._flush_timer.start(self.max_gap_ms)
            return True
        if event.key() in _ENTER and self._held and gap_ms <= self.max_gap_ms:
            burst = "".join(held[3] for held in self._held)
            if len(burst) >= self.min_length:
                self._held.clear()
                self._flush_timer.stop()
                self.codeScanned.emit(burst)
                return True
        self.flush()
        return False

    def flush(self) -> None:
        """Type the held keys into the widgets they were meant for: a person typed them."""
        self._flush_timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for receiver, key, modifiers, text in held:
                if not isValid(receiver):
                    continue  # the widget closed while its keys were held
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QCoreApplication.sendEvent(receiver, QKeyEvent(kind, key, modifiers, text))
        finally:
            self._replaying = False

    def _propagated(self, watched: QObject, event: QKeyEvent) -> bool:
        """True when Qt hands the same key press on to a parent after the child ignored it."""
        mark = (watched, event.key(), event.text(), event.timestamp())
        previous, self._seen = self._seen, mark
        if previous is None or previous[1:] != mark[1:]:
            return False
        child = previous[0]
        if (
            isinstance(watched, QWidget)
            and isinstance(child, QWidget)
            and child is not watched
            and watched.isAncestorOf(child)
        ):
            self._seen = previous
            return True
        return False
