"""Số hóa giấy tờ, the view: the dossier's checklist, the page strip, the scanner inbox.

What is shown comes from ``ui.digitize_screen``, which drives it: this module
holds the widgets, lays them out, shows a dossier's documents and its earlier
scans, and keeps the buttons' states in step with the pages on the tray; it
reads no store and calls no service.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.attachments import DocumentSlot, DossierTarget, ReuseOffer
from counter_app.intake import format_size
from counter_app.lifecycle import STATUS_LABELS, Status
from ui.camera import camera_problem
from ui.cards import make_card, section_title
from ui.page_strip import PageStrip
from ui.scan_inbox import ScanInbox

SLOT = Qt.ItemDataRole.UserRole
SCREEN_STYLE = """
QPushButton#iconButton { font-size: 17px; padding: 3px 0; }
QPushButton:disabled { color: #98a2b3; background: #f9fafb; border-color: #eaecf0; }
QPushButton#primary:disabled { color: white; background: #98a2b3; }
QListWidget#documentList::item:selected, QListWidget#reuseOffers::item:selected {
    background: #d1e9ff; color: #1d2939;
}
QListWidget#pageStrip { background: #eef2f6; }
"""


def _state_icon(done: bool) -> QIcon:
    """A green tick for a document with its PDF, an empty ring for one still to digitize."""
    pixmap = QPixmap(18, 18)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if done:
        painter.setBrush(QColor("#12b76a"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(1, 1, 16, 16)
        painter.setPen(QPen(QColor("white"), 2))
        painter.drawPolyline([QPoint(5, 9), QPoint(8, 12), QPoint(13, 6)])
    else:
        painter.setPen(QPen(QColor("#98a2b3"), 1.5))
        painter.drawEllipse(2, 2, 14, 14)
    painter.end()
    return QIcon(pixmap)


class _WrappedRows(QStyledItemDelegate):
    """Rows as tall as their wrapped text; QListView's own measure runs a line short."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        icon = 26 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
        width = max(60, self.view.viewport().width() - 2 * self.view.spacing() - icon - 12)
        bounds = QRect(0, 0, width, 10_000)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        height = option.fontMetrics.boundingRect(bounds, Qt.TextFlag.TextWordWrap, text).height()
        return QSize(width + icon, height + 10)


class DigitizeView(QWidget):
    """The digitize screen's widgets. Signals: attached(str dossier_id, int document_number,
    str sha256) after a PDF is attached or reused; message(str) for the status bar;
    failed(str) with an error.

    ``target`` is the dossier shown and ``offers`` its earlier scans by document id.
    """

    attached = Signal(str, int, str)
    message = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, ocr_available: bool = False) -> None:
        super().__init__(parent)
        self.ocr_available = ocr_available
        self.target: DossierTarget | None = None
        self.offers: dict[str, list[ReuseOffer]] = {}
        self._working = 0

        title = QLabel(self.tr("Số hóa giấy tờ"))
        title.setObjectName("pageTitle")
        self.code = QLineEdit()
        self.code.setObjectName("dossierCode")
        self.code.setPlaceholderText(self.tr("Mã hồ sơ (gõ hoặc quét mã vạch)"))
        self.code.setMinimumWidth(260)
        self.open_button = QPushButton(self.tr("Mở"))
        self.drafts_button = QPushButton(self.tr("Hồ sơ nháp"))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch()
        top.addWidget(self.code)
        top.addWidget(self.open_button)
        top.addWidget(self.drafts_button)
        self.heading = QLabel(self.tr("Chưa mở hồ sơ nào: nhập mã hồ sơ hoặc chọn hồ sơ nháp."))
        self.heading.setObjectName("appointment")
        self.heading.setWordWrap(True)

        left = self._build_documents()
        center = self._build_pages()
        right = self._build_inbox()
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(left, 26)
        columns.addWidget(center, 50)
        columns.addWidget(right, 24)
        self.banner = QLabel()
        self.banner.setObjectName("fieldError")
        self.banner.setWordWrap(True)
        self.banner.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addLayout(columns, 1)
        layout.addWidget(self.banner)

        self._document_chosen()
        self.setStyleSheet(SCREEN_STYLE)

    @property
    def working(self) -> bool:
        """Files are being checked, assembled or attached (the tray is not settled yet)."""
        return bool(self._working)

    def _build_documents(self) -> QFrame:
        self.documents = QListWidget()
        self.documents.setObjectName("documentList")
        self.documents.setWordWrap(True)
        self.documents.setSpacing(3)
        self.documents.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.documents.setItemDelegate(_WrappedRows(self.documents))
        self.documents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.documents.currentRowChanged.connect(lambda _row: self._document_chosen())
        self.view_button = QPushButton(self.tr("Xem"))
        self.view_button.setToolTip(self.tr("Xem bản PDF đã đính kèm"))
        self.edit_button = QPushButton(self.tr("Sửa trang"))
        self.edit_button.setToolTip(self.tr("Đưa các trang của bản đã đính kèm lên để sửa"))
        self.detach_button = QPushButton(self.tr("Gỡ bỏ"))
        self.detach_button.setToolTip(self.tr("Gỡ bản PDF khỏi giấy tờ này (tệp vẫn được giữ)"))
        actions = QHBoxLayout()
        for button in (self.view_button, self.edit_button, self.detach_button):
            actions.addWidget(button)
        self.separator_button = QPushButton(self.tr("In phiếu tách"))
        self.separator_button.setObjectName("separatorButton")
        self.separator_button.setToolTip(
            self.tr(
                "In phiếu tách cho mọi giấy tờ chưa số hóa (Ctrl+P), hoặc chỉ giấy tờ đang "
                "chọn (Ctrl+Shift+P), để scan cả xấp một lần rồi bấm «Nhận lô quét»"
            )
        )
        self.offer_title = section_title(self.tr("Dùng lại từ hồ sơ trước"))
        self.offer_list = QListWidget()
        self.offer_list.setObjectName("reuseOffers")
        self.offer_list.setWordWrap(True)
        self.offer_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.offer_list.setItemDelegate(_WrappedRows(self.offer_list))
        self.offer_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.offer_list.setMaximumHeight(96)
        self.reuse_button = QPushButton(self.tr("Dùng lại bản này"))
        card, layout = make_card(self.tr("Giấy tờ của hồ sơ"))
        layout.addWidget(self.documents)
        layout.addLayout(actions)
        layout.addWidget(self.separator_button)
        layout.addWidget(self.offer_title)
        layout.addWidget(self.offer_list)
        layout.addWidget(self.reuse_button)
        return card

    def _build_pages(self) -> QFrame:
        self.pages_title = section_title(self.tr("Các trang"))
        self.strip = PageStrip()
        self.strip.changed.connect(self._refresh)
        self.add_button = QPushButton(self.tr("Thêm tệp…"))
        self.add_button.setToolTip(self.tr("Ảnh JPEG, PNG, TIFF hoặc PDF (Ctrl+O); có thể kéo thả"))
        self.camera_button = QPushButton(self.tr("Chụp ảnh"))
        self.left_button = QPushButton("↺")
        self.left_button.setToolTip(self.tr("Xoay trái (Shift+R)"))
        self.left_button.clicked.connect(lambda: self.strip.rotate_selected(-90))
        self.right_button = QPushButton("↻")
        self.right_button.setToolTip(self.tr("Xoay phải (R)"))
        self.right_button.clicked.connect(lambda: self.strip.rotate_selected(90))
        self.earlier_button = QPushButton("◀")
        self.earlier_button.setToolTip(self.tr("Đưa trang lên trước (Ctrl+←)"))
        self.earlier_button.clicked.connect(lambda: self.strip.move_selected(-1))
        self.later_button = QPushButton("▶")
        self.later_button.setToolTip(self.tr("Đưa trang ra sau (Ctrl+→)"))
        self.later_button.clicked.connect(lambda: self.strip.move_selected(+1))
        self.delete_button = QPushButton(self.tr("✕ Xóa trang"))
        self.delete_button.setToolTip(self.tr("Xóa các trang đang chọn (Delete)"))
        self.delete_button.clicked.connect(self.strip.remove_selected)
        self.clear_button = QPushButton(self.tr("Xóa hết"))
        self.clear_button.clicked.connect(self.strip.clear_pages)
        self.arrange_buttons = (
            self.left_button,
            self.right_button,
            self.earlier_button,
            self.later_button,
            self.delete_button,
            self.clear_button,
        )
        header = QHBoxLayout()
        header.addWidget(self.pages_title)
        header.addStretch()
        header.addWidget(self.add_button)
        header.addWidget(self.camera_button)
        tools = QHBoxLayout()
        tools.setSpacing(6)
        for button in (self.left_button, self.right_button, self.earlier_button, self.later_button):
            button.setObjectName("iconButton")
            button.setFixedWidth(40)
            tools.addWidget(button)
        tools.addStretch()
        tools.addWidget(self.delete_button)
        tools.addWidget(self.clear_button)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        self.ocr_box = QCheckBox(self.tr("Nhận dạng chữ (OCR) để tìm kiếm"))
        self.ocr_box.setChecked(True)
        self.ocr_box.setVisible(self.ocr_available)
        self.attach_button = QPushButton(self.tr("Ghép và đính kèm"))
        self.attach_button.setToolTip(
            self.tr("Ghép các trang thành một PDF và đính kèm (Ctrl+Enter)")
        )
        self.attach_button.setObjectName("primary")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.ocr_box)
        bottom.addWidget(self.attach_button)
        card, layout = make_card()
        layout.addLayout(header)
        layout.addLayout(tools)
        layout.addWidget(self.strip, 1)
        layout.addWidget(self.summary)  # its own line: beside the buttons it wrapped word by word
        layout.addLayout(bottom)
        return card

    def _build_inbox(self) -> QFrame:
        self.inbox = ScanInbox()
        self.camera_note = QLabel()
        self.camera_note.setObjectName("hint")
        self.camera_note.setWordWrap(True)
        problem = camera_problem()
        self.camera_button.setEnabled(problem is None)
        self.camera_button.setToolTip(problem or self.tr("Chụp giấy tờ bằng camera của máy"))
        self.camera_note.setText(problem or "")
        self.camera_note.setVisible(problem is not None)
        card, layout = make_card()
        self.inbox_column = layout  # the driver puts the batch panel under the inbox
        layout.addWidget(self.inbox)
        layout.addWidget(self.camera_note)
        return card

    # Showing ---------------------------------------------------------------

    def show_target(
        self,
        target: DossierTarget,
        offers: dict[str, list[ReuseOffer]],
        keep_row: int | None = None,
    ) -> None:
        """The dossier's heading and checklist, on ``keep_row`` or its first empty document."""
        self.target = target
        self.offers = offers
        status = STATUS_LABELS.get(Status(target.status), target.status)
        who = target.applicant_name
        if target.applicant_cccd:
            who += self.tr(" (CCCD {cccd})").format(cccd=target.applicant_cccd)
        parts = [target.label, target.procedure_name, who]
        if target.code is not None:
            parts.append(status)  # a draft's label already says what it is
        self.heading.setText(" · ".join(parts))
        self.code.setText(target.code or "")
        self.documents.blockSignals(True)
        self.documents.clear()
        for slot in target.documents:
            item = QListWidgetItem(_state_icon(slot.attachment is not None), self._slot_text(slot))
            item.setData(SLOT, slot.number)
            self.documents.addItem(item)
        self.documents.blockSignals(False)
        first_empty = next((s.number for s in target.documents if not s.attachment_sha256), 1)
        self.choose_document(keep_row or first_empty)
        self.banner.hide()
        self._document_chosen()

    def _slot_text(self, slot: DocumentSlot) -> str:
        if slot.attachment is not None:
            state = self.tr("Đã đính kèm · {pages} trang · {size}").format(
                pages=slot.attachment.page_count, size=format_size(slot.attachment.size)
            )
        elif slot.attachment_sha256:
            state = self.tr("Bản số hóa lưu ở máy chủ tỉnh")
        else:
            state = self.tr("Chưa có bản số hóa")
        return f"{slot.number}. {slot.name}\n{state}"

    def current_slot(self) -> DocumentSlot | None:
        item = self.documents.currentItem()
        if self.target is None or item is None:
            return None
        return self.target.slot(int(item.data(SLOT)))

    def choose_document(self, number: int) -> None:
        self.documents.setCurrentRow(number - 1)
        self.documents.scrollToItem(self.documents.currentItem())

    def _document_chosen(self) -> None:
        slot = self.current_slot()
        self.offer_list.clear()
        offers = self.offers.get(slot.document_id, []) if slot else []
        for offer in offers:
            item = QListWidgetItem(
                self.tr("{dossier}\n{date} · {pages} trang · {size}").format(
                    dossier=offer.dossier_label,
                    date=f"{offer.created_at:%d/%m/%Y}",
                    pages=offer.page_count,
                    size=format_size(offer.size),
                )
            )
            item.setData(SLOT, offer.sha256)
            item.setToolTip(offer.document_name)
            self.offer_list.addItem(item)
        if offers:
            self.offer_list.setCurrentRow(0)
        for widget in (self.offer_title, self.offer_list, self.reuse_button):
            widget.setVisible(bool(offers))
        self._refresh()

    # State -----------------------------------------------------------------

    def _error(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.failed.emit(text)

    def _refresh(self) -> None:
        pages = self.strip.pages()
        slot = self.current_slot()
        has_pages, has_pdf = bool(pages), bool(slot and slot.attachment)
        for button in self.arrange_buttons:
            button.setEnabled(has_pages)
        for button in (self.view_button, self.edit_button, self.detach_button):
            button.setEnabled(has_pdf)
        self.separator_button.setEnabled(self.target is not None)
        self.attach_button.setEnabled(has_pages and slot is not None and not self._working)
        if self._working:
            self.summary.setText(self.tr("Đang xử lý…"))
        elif has_pages:
            sources = {id(p.source): p.source.size for p in pages}
            text = self.tr("{pages} trang từ {files} tệp · {size}")
            size = format_size(sum(sources.values()))
            text = text.format(pages=len(pages), files=len(sources), size=size)
            if slot is not None:
                text += self.tr(" → giấy tờ {number}").format(number=slot.number)
            self.summary.setText(text)
        else:
            self.summary.setText(self.tr("Kéo thả tệp vào đây, hoặc lấy tệp từ máy scan."))
