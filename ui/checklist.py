"""The required documents of the chosen procedure, ticked off as the citizen hands them in."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.catalog import RequirementInfo
from counter_app.reception import DocumentCheck

_NAME, _FORM, _COUNT = range(3)


def _centred(spin: QSpinBox) -> QWidget:
    """The spin box at its own height in the middle of a row that wrapping made taller."""
    cell = QWidget()
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(2, 0, 2, 0)
    layout.addWidget(spin, 0, Qt.AlignmentFlag.AlignVCenter)
    return cell


class DocumentChecklist(QTableWidget):
    """One row per required document: a tick, its form (original, copy…) and how many.

    Space ticks the current row. Signals: changed().
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__(0, 3)
        self.setObjectName("checklist")
        self.setHorizontalHeaderLabels(
            [self.tr("Giấy tờ"), self.tr("Hình thức"), self.tr("Số lượng")]
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_FORM, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(_COUNT, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(_FORM, 150)
        self.setColumnWidth(_COUNT, 84)
        # Whole names on wrapped rows, never "…": the "(trường hợp …)" part of a name
        # decides whether the citizen needs the paper at all.
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self._ids: list[int] = []
        self._counts: list[QSpinBox] = []
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def show_requirements(self, requirements: Iterable[RequirementInfo]) -> None:
        self.blockSignals(True)
        self.setRowCount(0)
        self._ids = []
        self._counts = []
        for requirement in requirements:
            row = self.rowCount()
            self.insertRow(row)
            self._ids.append(requirement.id)
            label = requirement.name + ("" if requirement.mandatory else self.tr(" (nếu có)"))
            name = QTableWidgetItem(label)
            name.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            name.setCheckState(Qt.CheckState.Unchecked)
            name.setToolTip(requirement.name)
            self.setItem(row, _NAME, name)
            self.setItem(row, _FORM, QTableWidgetItem(requirement.form_label))
            count = QSpinBox()
            count.setRange(1, 99)
            count.setValue(requirement.count)
            count.valueChanged.connect(lambda _value: self.changed.emit())
            self._counts.append(count)
            self.setCellWidget(row, _COUNT, _centred(count))
        self.blockSignals(False)
        if self.rowCount():
            self.setCurrentCell(0, _NAME)
        self.changed.emit()

    def set_checks(self, checks: Iterable[DocumentCheck]) -> None:
        by_id = {check.requirement_id: check for check in checks}
        for row, requirement_id in enumerate(self._ids):
            check = by_id.get(requirement_id)
            self._tick(row, bool(check and check.received))
            if check and check.count:
                self._counts[row].setValue(check.count)

    def checks(self) -> tuple[DocumentCheck, ...]:
        result = []
        for row, requirement_id in enumerate(self._ids):
            item = self.item(row, _NAME)
            received = item is not None and item.checkState() == Qt.CheckState.Checked
            result.append(DocumentCheck(requirement_id, received, self._counts[row].value()))
        return tuple(result)

    def tick_all(self) -> None:
        for row in range(self.rowCount()):
            self._tick(row, True)

    def _tick(self, row: int, on: bool) -> None:
        item = self.item(row, _NAME)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
            item = self.item(self.currentRow(), _NAME)
            if item is not None:
                self._tick(self.currentRow(), item.checkState() != Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)
