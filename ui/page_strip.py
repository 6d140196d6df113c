"""The pages of the document being digitized, as thumbnails to arrange.

Drag a page to move it, or use Ctrl+← / Ctrl+→; turn with the rotate buttons
(or R / Shift+R), Delete removes. The strip moves rows itself on an internal
drop instead of leaving it to QListView, whose icon mode would only shift the
picture on screen and not the page order. Files dropped from outside are
handed on as ``filesDropped``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QPainter,
    QPixmap,
    QTransform,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from counter_app.assembly import PageRef, pages_of, prepare
from counter_app.digitize_settings import DigitizeSettings
from counter_app.intake import IncomingFile, inspect_content, inspect_path

THUMB = QSize(132, 176)
_KEY = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class PreparedFile:
    """A checked file with a thumbnail per page, made on the worker thread."""

    file: IncomingFile
    thumbnails: tuple[QImage, ...]

    def pages(self) -> list[tuple[PageRef, QImage]]:
        return list(zip(pages_of([self.file]), self.thumbnails, strict=True))


def _pdf_thumbnails(content: bytes, count: int) -> list[QImage]:
    """PDF pages drawn by Qt PDF; the document lives and dies on the calling thread."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    images = []
    for index in range(count):
        size = document.pagePointSize(index).toSize()
        images.append(
            document.render(index, size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        )
    document.close()
    buffer.close()
    return images


def prepare_file(
    settings: DigitizeSettings, path: Path | None = None, name: str = "", content: bytes = b""
) -> PreparedFile:
    """Check a file (BadFile when it is refused) and draw its pages. Safe off the GUI thread.

    Its pages are made small for the PDF here too, as the file arrives, so the
    click on "Ghép và đính kèm" only puts them together.
    """
    checked = inspect_path(path, settings) if path else inspect_content(name, content, settings)
    prepare(checked, settings)
    if checked.kind == "pdf":
        thumbs = _pdf_thumbnails(checked.content, len(checked.pages))
    else:
        thumbs = [QImage.fromData(page.thumbnail or b"") for page in checked.pages]
    return PreparedFile(checked, tuple(thumbs))


def _framed(image: QImage, turn: int) -> QIcon:
    """The page as a white card on the strip, turned as the person turned it."""
    if turn:
        image = image.transformed(
            QTransform().rotate(turn), Qt.TransformationMode.SmoothTransformation
        )
    scaled = image.scaled(
        THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    canvas = QPixmap(THUMB)
    canvas.fill(QColor("#eef2f6"))
    painter = QPainter(canvas)
    x = (THUMB.width() - scaled.width()) // 2
    y = (THUMB.height() - scaled.height()) // 2
    painter.fillRect(x - 1, y - 1, scaled.width() + 2, scaled.height() + 2, QColor("#c0c7d1"))
    painter.fillRect(x, y, scaled.width(), scaled.height(), QColor("white"))  # PDF pages are clear
    painter.drawImage(x, y, scaled)
    painter.end()
    return QIcon(canvas)


class PageStrip(QListWidget):
    """Thumbnails of the pages in document order. Signals: changed(), filesDropped(list)."""

    changed = Signal()
    filesDropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageStrip")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 34))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Snap)
        self.setWrapping(True)
        self.setSpacing(4)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self._keys = itertools.count(1)
        self._pages: dict[int, tuple[PageRef, QImage]] = {}

    # What is on the strip --------------------------------------------------

    def pages(self) -> list[PageRef]:
        return [self._pages[self._key(self.item(row))][0] for row in range(self.count())]

    def add_pages(self, pages: Iterable[tuple[PageRef, QImage]]) -> None:
        for ref, thumbnail in pages:
            key = next(self._keys)
            self._pages[key] = (ref, thumbnail)
            item = QListWidgetItem()
            item.setData(_KEY, key)
            tip = f"{ref.source.name} · {ref.index + 1}/{len(ref.source.pages)}"
            item.setToolTip(tip + (f" · {ref.info.dpi:.0f} dpi" if ref.info.dpi else ""))
            self.addItem(item)
            self._draw(item)
        self._renumber()

    def clear_pages(self) -> None:
        self.clear()
        self._pages.clear()
        self.changed.emit()

    def selected_rows(self) -> list[int]:
        return sorted(self.row(item) for item in self.selectedItems())

    def select_rows(self, rows: Sequence[int]) -> None:
        """Select these pages, the first one current (where the keyboard acts)."""
        wanted = [row for row in rows if 0 <= row < self.count()]
        self.clearSelection()
        if wanted:
            self.setCurrentRow(wanted[0], QItemSelectionModel.SelectionFlag.ClearAndSelect)
        for row in wanted[1:]:
            self.item(row).setSelected(True)

    # Arranging -------------------------------------------------------------

    def rotate_selected(self, degrees: int) -> None:
        for item in self.selectedItems():
            key = self._key(item)
            ref, thumbnail = self._pages[key]
            self._pages[key] = (ref.turned(degrees), thumbnail)
            self._draw(item)
        if self.selectedItems():
            self._renumber()

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        for row in reversed(rows):
            item = self.takeItem(row)
            self._pages.pop(self._key(item), None)
        if rows:
            self._renumber()
            self.select_rows([min(rows[0], self.count() - 1)])

    def move_selected(self, step: int) -> None:
        """Move the selected pages one place earlier (-1) or later (+1)."""
        rows = self.selected_rows()
        if not rows:
            return
        target = rows[0] + step if step < 0 else rows[-1] + 2
        self.move_rows(rows, max(0, min(target, self.count())))

    def move_rows(self, rows: Sequence[int], target: int) -> None:
        """Put the pages at ``rows`` before the page now at ``target`` (count: at the end)."""
        items = [self.item(row) for row in sorted(rows)]
        before = target - sum(1 for row in rows if row < target)
        for item in items:
            self.takeItem(self.row(item))
        for offset, item in enumerate(items):
            self.insertItem(before + offset, item)
        self._renumber()
        self.select_rows(range(before, before + len(items)))

    # Keyboard and drops ----------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Delete:
            self.remove_selected()
        elif ctrl and key == Qt.Key.Key_Left:
            self.move_selected(-1)
        elif ctrl and key == Qt.Key.Key_Right:
            self.move_selected(+1)
        elif key == Qt.Key.Key_R:
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            self.rotate_selected(-90 if shift else 90)
        else:
            super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() is not self and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.source() is not self and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is not self:
            paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
            if paths:
                event.acceptProposedAction()
                self.filesDropped.emit(paths)
            return
        target_item = self.itemAt(event.position().toPoint())
        target = self.row(target_item) if target_item is not None else self.count()
        self.move_rows(self.selected_rows(), target)
        # The rows are moved already; "ignore" keeps the view from deleting the originals.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()

    # Drawing ---------------------------------------------------------------

    @staticmethod
    def _key(item: QListWidgetItem) -> int:
        return int(item.data(_KEY))

    def _draw(self, item: QListWidgetItem) -> None:
        ref, thumbnail = self._pages[self._key(item)]
        item.setIcon(_framed(thumbnail, ref.rotation))

    def _renumber(self) -> None:
        for row in range(self.count()):
            item = self.item(row)
            ref = self._pages[self._key(item)][0]
            turn = f" · {ref.rotation}°" if ref.rotation else ""
            item.setText(self.tr("Trang {n}").format(n=row + 1) + turn)
        self.changed.emit()
