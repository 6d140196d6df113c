"""The scanner's inbox: new files from the scanner's output folder, checked, waiting to be used.

A QFileSystemWatcher notices a change at once, and a timer looks again every
half second, because the watcher alone cannot tell when the scanner has
finished writing (and misses changes on some network folders). Which files
are finished is decided by ``counter_app.scan_folder.FolderWatch``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.intake import format_size
from counter_app.scan_folder import FolderWatch
from ui.cards import section_title
from ui.page_strip import PreparedFile

POLL_MS = 500
_FILE = Qt.ItemDataRole.UserRole


class ScanInbox(QWidget):
    """Signals: filesArrived(list of Path) when files are finished; takeRequested(list of
    PreparedFile) when the person takes them; folderChosen(str) when a new folder is picked.
    """

    filesArrived = Signal(list)
    takeRequested = Signal(list)
    folderChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self._watch: FolderWatch | None = None
        self._prepared: dict[int, PreparedFile] = {}

        title = section_title(self.tr("Từ máy scan"))
        self.folder_label = QLabel()
        self.folder_label.setObjectName("hint")
        self.folder_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Thư mục…"))
        self.choose_button.setToolTip(self.tr("Chọn thư mục máy scan lưu tệp vào"))
        self.choose_button.clicked.connect(self._choose)
        self.files = QListWidget()
        self.files.setObjectName("scanInbox")
        self.files.setIconSize(QSize(40, 52))
        self.files.setWordWrap(True)
        self.files.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.files.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.files.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.files.itemDoubleClicked.connect(lambda _item: self.take_selected())
        self.state = QLabel()
        self.state.setObjectName("hint")
        self.take_button = QPushButton(self.tr("◀ Thêm"))
        self.take_button.setToolTip(self.tr("Đưa các tệp đang chọn sang các trang (nhấp đúp)"))
        self.take_button.setObjectName("takeButton")
        self.take_button.clicked.connect(self.take_selected)
        self.take_all_button = QPushButton(self.tr("◀◀ Thêm tất cả"))
        self.take_all_button.clicked.connect(self.take_all)

        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addStretch()
        title_row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_button, 1)
        buttons.addWidget(self.take_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.state)
        layout.addLayout(buttons)

        self._update_buttons()
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _path: self.poll())
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self.watch(None)

    def watch(self, folder: Path | None) -> None:
        """Start watching ``folder`` (None: stop); files already there are left alone."""
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self._timer.stop()
        self.folder, self._watch = folder, None
        if folder is None or not folder.is_dir():
            self.folder_label.setText(
                self.tr("Chưa chọn thư mục máy scan lưu tệp vào.")
                if folder is None
                else self.tr("Không mở được thư mục {folder}; hãy chọn lại.").format(folder=folder)
            )
            self._update_state()
            return
        self._watch = FolderWatch(folder)
        self._watcher.addPath(str(folder))
        self._timer.start()
        self.folder_label.setText(str(folder))
        self.folder_label.setToolTip(str(folder))
        self._update_state()

    def poll(self) -> None:
        if self._watch is None:
            return
        ready = self._watch.poll()
        self._update_state()
        if ready:
            self.filesArrived.emit(ready)

    def _update_state(self) -> None:
        if self._watch is None:
            self.state.setText("")
        elif self._watch.waiting:
            self.state.setText(
                self.tr("Đang nhận {name}…").format(name=", ".join(self._watch.waiting))
            )
        else:
            self.state.setText(self.tr("Đang chờ tệp mới từ máy scan."))

    def _update_buttons(self) -> None:
        self.take_button.setEnabled(bool(self._prepared))
        self.take_all_button.setEnabled(self.files.count() > 0)

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Thư mục máy scan lưu tệp vào"), str(self.folder or Path.home())
        )
        if chosen:
            self.watch(Path(chosen))
            self.folderChosen.emit(chosen)

    # The files -------------------------------------------------------------

    def add_prepared(self, prepared: PreparedFile) -> None:
        checked = prepared.file
        item = QListWidgetItem(
            self.tr("{name}\n{pages} trang · {size}").format(
                name=checked.name, pages=len(checked.pages), size=format_size(checked.size)
            )
        )
        if prepared.thumbnails:
            item.setIcon(QIcon(QPixmap.fromImage(prepared.thumbnails[0])))
        key = id(prepared)
        self._prepared[key] = prepared
        item.setData(_FILE, key)
        self.files.addItem(item)
        self._update_buttons()

    def add_problem(self, name: str, message: str) -> None:
        item = QListWidgetItem(self.tr("{name}\nKhông dùng được — xem lý do").format(name=name))
        item.setForeground(QBrush(QColor("#b42318")))
        item.setToolTip(message)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        self.files.addItem(item)
        self._update_buttons()

    def take_prepared(self) -> list[PreparedFile]:
        """Every checked file, in the order they came, off the list (for a batch to file)."""
        taken: list[PreparedFile] = []
        for row in range(self.files.count() - 1, -1, -1):
            key = self.files.item(row).data(_FILE)
            if key is not None:
                self.files.takeItem(row)
                taken.insert(0, self._prepared.pop(int(key)))
        self._update_buttons()
        return taken

    def take_selected(self) -> None:
        self._take([self.files.row(item) for item in self.files.selectedItems()])

    def take_all(self) -> None:
        self._take(list(range(self.files.count())))

    def _take(self, rows: list[int]) -> None:
        taken: list[PreparedFile] = []
        for row in sorted(rows, reverse=True):
            key = self.files.item(row).data(_FILE)
            self.files.takeItem(row)  # a refused file leaves the list with the rest
            if key is not None:
                taken.insert(0, self._prepared.pop(int(key)))
        self._update_buttons()
        if taken:
            self.takeRequested.emit(taken)
