"""One dossier read back (chi tiết hồ sơ): who, for what, what was handed in, what happened.

It shows a ``DossierView``, the same read model the printed forms use, so the
screen and the paper can never disagree. It reads, never writes: the scan of
the result is opened by whoever shows the dialog, on ``resultScanRequested``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.dossier_query import is_overdue
from counter_app.dossier_view import DossierView
from counter_app.signing import SignatureStatus
from ui.cards import make_card

_TIME = "%d/%m/%Y %H:%M"
_DAY = "%d/%m/%Y"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setShowGrid(False)
    # Whole document names on wrapped rows, never "…": the "(trường hợp …)" part
    # of a name says whether the paper was needed at all.
    table.setWordWrap(True)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    table.setStyleSheet("QTableWidget::item { padding: 4px 2px; }")
    table.verticalHeader().setMinimumSectionSize(30)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)


class DossierDetail(QWidget):
    """The data, the documents checklist with its digitized copies, the result's scan and the
    event timeline.

    Signals: resultScanRequested(str sha256) when the result's scan is asked to be opened;
    otherwise it only shows what ``show_view`` is given.
    """

    resultScanRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: DossierView | None = None
        self.code_label = QLabel()
        self.code_label.setObjectName("dialogTitle")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("appointment")
        self.overdue_label = QLabel(self.tr("Quá hạn"))
        self.overdue_label.setObjectName("fieldError")
        self.procedure_label = QLabel()
        self.procedure_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.code_label)
        top.addStretch()
        top.addWidget(self.overdue_label)
        top.addSpacing(10)
        top.addWidget(self.status_label)

        applicant_card, applicant_layout = make_card(self.tr("Người nộp hồ sơ"))
        self.applicant_form = QFormLayout()
        applicant_layout.addLayout(self.applicant_form)
        applicant_layout.addStretch()
        reception_card, reception_layout = make_card(self.tr("Tiếp nhận và hẹn trả"))
        self.reception_form = QFormLayout()
        reception_layout.addLayout(self.reception_form)
        reception_layout.addStretch()
        cards = QHBoxLayout()
        cards.setSpacing(12)
        cards.addWidget(applicant_card, 1)
        cards.addWidget(reception_card, 1)

        documents_card, documents_layout = make_card(self.tr("Thành phần hồ sơ"))
        self.documents = _table(
            [
                self.tr("STT"),
                self.tr("Giấy tờ"),
                self.tr("Hình thức"),
                self.tr("Số lượng"),
                self.tr("Đã nộp"),
                self.tr("Bản số hóa"),
            ]
        )
        self.documents.setObjectName("documents")
        forms = self.documents.horizontalHeader()
        forms.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)  # wraps; names get the room
        forms.resizeSection(2, 180)
        documents_layout.addWidget(self.documents)
        self.result_label = QLabel()
        self.result_label.setObjectName("resultScan")
        self.result_label.setWordWrap(True)
        self.result_button = QPushButton(self.tr("Xem bản số hóa kết quả"))
        self.result_button.setObjectName("openResultScan")
        self.result_button.clicked.connect(self._open_result)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.result_button)
        documents_layout.addLayout(result_row)
        timeline_card, timeline_layout = make_card(self.tr("Quá trình giải quyết"))
        self.timeline = _table(
            [
                self.tr("Thời gian"),
                self.tr("Sự kiện"),
                self.tr("Người thực hiện"),
                self.tr("Ghi chú"),
            ]
        )
        self.timeline.setObjectName("timeline")
        self.timeline.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        timeline_layout.addWidget(self.timeline)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.procedure_label)
        layout.addLayout(cards)
        layout.addWidget(documents_card, 3)
        layout.addWidget(timeline_card, 2)

    def _representative(self, view: DossierView) -> list[tuple[str, str]]:
        """Who filed on the applicant's behalf, as forms 01 and 03 print them."""
        agent = view.representative
        if agent is None:
            return []
        who = agent.full_name + (f" ({agent.relation})" if agent.relation else "")
        return [
            (self.tr("Người được ủy quyền"), who),
            (self.tr("CCCD người được ủy quyền"), agent.cccd or "—"),
        ]

    def _other_dates(self, view: DossierView) -> list[tuple[str, str]]:
        """The first receipt's appointment once a supplement moved it, and the apology's."""
        rows = []
        if view.first_due_at is not None and view.first_due_at != view.due_at:
            rows.append((self.tr("Hẹn trả lần đầu"), view.first_due_at.strftime(_TIME)))
        if view.extended_due_at is not None:
            rows.append((self.tr("Hẹn lại (xin lỗi)"), view.extended_due_at.strftime(_TIME)))
        return rows

    def _copy_text(self, sha256: str | None, signatures: Mapping[str, SignatureStatus]) -> str:
        """The digitized copy's cell: whether there is one, and what its signature proved."""
        if not sha256:
            return "—"
        status = signatures.get(sha256)
        if status is None:
            return self.tr("Có (PDF)")
        return {
            "valid": self.tr("Có (PDF, chữ ký số hợp lệ: {signer})"),
            "untrusted": self.tr("Có (PDF, chữ ký số chưa được tin cậy: {signer})"),
            "invalid": self.tr("Có (PDF, CHỮ KÝ SỐ KHÔNG HỢP LỆ)"),
        }.get(status.kind, self.tr("Có (PDF)")).format(signer=status.signer)

    def _result_text(self, view: DossierView, signatures: Mapping[str, SignatureStatus]) -> str:
        """The result's scan: whether there is one, its pages, since when, and its signature."""
        scan = view.result_scan
        if scan is None:
            return self.tr("Bản số hóa kết quả giải quyết: chưa có.")
        when = scan.digitized_at.strftime(_TIME) if scan.digitized_at else "—"
        if scan.page_count is None:
            return self.tr(
                "Bản số hóa kết quả giải quyết: có (số hóa lúc {at}, trên máy khác), chưa tải "
                "về máy này; hãy đồng bộ để xem."
            ).format(at=when)
        text = self.tr("Bản số hóa kết quả giải quyết: {pages} trang, số hóa lúc {at}.").format(
            pages=scan.page_count, at=when
        )
        status = signatures.get(scan.sha256)
        if status is not None:
            text += " " + self._copy_text(scan.sha256, signatures)
        return text

    def _open_result(self) -> None:
        if self.view is not None and self.view.result_scan is not None:
            self.resultScanRequested.emit(self.view.result_scan.sha256)

    def show_view(
        self,
        view: DossierView,
        now: dt.datetime | None = None,
        signatures: Mapping[str, SignatureStatus] | None = None,
    ) -> None:
        """Show ``view``; with ``now`` also say whether it is overdue at that moment, with
        ``signatures`` what each signed copy's signature proved (by hash)."""
        self.view = view
        self.code_label.setText(view.code)
        self.status_label.setText(view.status_label)
        self.overdue_label.setVisible(now is not None and is_overdue(view.status, view.due_at, now))
        self.procedure_label.setText(f"{view.procedure_name} ({view.procedure_code})")
        person = view.applicant
        born = person.date_of_birth.strftime(_DAY) if person.date_of_birth else "—"
        _rows(
            self.applicant_form,
            [
                (self.tr("Họ và tên"), person.full_name),
                (self.tr("Số CCCD"), person.cccd or "—"),
                (self.tr("Ngày sinh"), born),
                (self.tr("Địa chỉ"), person.address or "—"),
                (self.tr("Điện thoại"), person.phone or "—"),
                (self.tr("Email"), person.email or "—"),
                *self._representative(view),
            ],
        )
        fee = _money(view.fee_vnd + view.charge_vnd) if view.fee_vnd or view.charge_vnd else "—"
        competent = view.competent_unit.name
        if view.boundary_free:
            competent += self.tr(" (không phụ thuộc địa giới hành chính)")
        _rows(
            self.reception_form,
            [
                (self.tr("Ngày nhận"), view.received_at.strftime(_TIME)),
                (self.tr("Hẹn trả"), view.due_at.strftime(_TIME)),
                *self._other_dates(view),
                (self.tr("Thời hạn giải quyết"), view.processing_label),
                (self.tr("Cán bộ tiếp nhận"), view.received_by_name),
                (self.tr("Hình thức nộp"), view.channel_label),
                (self.tr("Nơi trả kết quả"), view.return_label),
                (self.tr("Đơn vị giải quyết"), competent),
                (self.tr("Lệ phí, phí"), fee),
                (
                    self.tr("Sổ theo dõi"),
                    self.tr("Quyển {volume}, số {entry}").format(
                        volume=view.book_volume, entry=view.book_entry
                    ),
                ),
            ],
        )
        _fill(
            self.documents,
            [
                [
                    str(line.position),
                    line.name,
                    line.form_label,
                    str(line.count),
                    "✓" if line.received else self.tr("Chưa nộp"),
                    self._copy_text(line.attachment_sha256, signatures or {}),
                ]
                for line in view.documents
            ],
        )
        self.result_label.setText(self._result_text(view, signatures or {}))
        self.result_label.setVisible(view.has_result or view.result_scan is not None)
        fetched = view.result_scan is not None and view.result_scan.page_count is not None
        self.result_button.setVisible(view.result_scan is not None)
        self.result_button.setEnabled(fetched)
        _fill(
            self.timeline,
            [
                [e.at.strftime(_TIME), e.label, e.actor_name, e.note]
                for e in sorted(view.events, key=lambda e: e.seq, reverse=True)
            ],
        )


def _rows(form: QFormLayout, rows: list[tuple[str, str]]) -> None:
    while form.rowCount():
        form.removeRow(0)
    for label, value in rows:
        field = QLabel(value)
        field.setWordWrap(True)
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(label, field)


class DossierDetailDialog(QDialog):
    """A window over ``DossierDetail`` for the dossier a code names.

    Signals: QDialog's own (finished, accepted, rejected); the detail's
    ``resultScanRequested`` is reached through ``self.detail``.
    """

    def __init__(
        self,
        view: DossierView,
        now: dt.datetime | None = None,
        parent: QWidget | None = None,
        actions: QWidget | None = None,
        signatures: Mapping[str, SignatureStatus] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hồ sơ {code}").format(code=view.code))
        self.resize(1000, 860)
        self.detail = DossierDetail()
        self.detail.show_view(view, now, signatures)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeDetail")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detail, 1)
        if actions is not None:
            layout.addWidget(actions)
        layout.addWidget(buttons)
