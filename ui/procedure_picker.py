"""Finding the procedure by typing a few words, without diacritics, keyboard only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from counter_app.catalog import ProcedureHit

Search = Callable[[str], list[ProcedureHit]]


class ProcedurePicker(QWidget):
    """A search field over the catalog with the matches listed under it.

    Typing searches at every keystroke; Down/Up move through the matches,
    Enter picks one. Signals: procedureChosen(str code).
    """

    procedureChosen = Signal(str)

    def __init__(self, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self.field = QLineEdit()
        self.field.setObjectName("procedureSearch")
        self.field.setPlaceholderText(self.tr("Gõ tên hoặc mã thủ tục, vd. khai sinh, 1.001193"))
        self.field.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setObjectName("procedureMatches")
        self.matches.setMaximumHeight(170)
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.field)
        layout.addWidget(self.matches)
        self.field.textEdited.connect(self._refresh)
        self.field.installEventFilter(self)
        self.matches.itemActivated.connect(self._choose)
        self.chosen_code: str | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
                self.matches.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.matches.isVisible():
                item = self.matches.currentItem() or self.matches.item(0)
                if item is not None:
                    self._choose(item)
                    return True
            if key == Qt.Key.Key_Escape and self.matches.isVisible():
                self.matches.hide()
                return True
        return super().eventFilter(watched, event)

    def _refresh(self, text: str) -> None:
        self.matches.clear()
        hits = self._search(text) if text.strip() else []
        for hit in hits:
            item = QListWidgetItem(f"{hit.code}  ·  {hit.name}")
            item.setData(Qt.ItemDataRole.UserRole, hit.code)
            item.setToolTip(f"{hit.name}\n{hit.field}")
            self.matches.addItem(item)
        if hits:
            self.matches.setCurrentRow(0)
        self.matches.setVisible(bool(hits))

    def _choose(self, item: QListWidgetItem) -> None:
        code = str(item.data(Qt.ItemDataRole.UserRole))
        self.chosen_code = code
        self.field.setText(item.text())
        self.matches.hide()
        self.procedureChosen.emit(code)

    def choose_code(self, code: str, label: str) -> None:
        """Show ``code`` as chosen, as when a draft is opened."""
        self.chosen_code = code
        self.field.setText(label)
        self.matches.hide()
        self.procedureChosen.emit(code)

    def reset(self) -> None:
        self.chosen_code = None
        self.field.clear()
        self.matches.clear()
        self.matches.hide()
