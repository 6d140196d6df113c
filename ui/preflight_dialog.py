"""Quản trị → "Kiểm tra máy": the preflight check in a table, for the administrator.

The same checks as ``counter-app doctor`` (``ui.preflight``). Those needing Qt
run on the GUI thread, which owns the application; the others (files, the disk,
the province's server, which may take seconds to answer) on a runner of the
dialog's own, so the window never freezes and no clerk's save waits behind them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.doctor import Level, Report
from ui.operations import Operations

LEVEL_COLOURS = {
    Level.OK: "#1b7f3b",
    Level.WARN: "#a15c00",
    Level.FAIL: "#b3261e",
    Level.SKIPPED: "#5f6368",
}


class PreflightDialog(QDialog):
    """Runs the checks when opened and on "Kiểm tra lại". Signals: checked(object) with the
    Report once a run has finished."""

    checked = Signal(object)

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Kiểm tra máy"))
        self.data_dir = data_dir
        self.report: Report | None = None
        self.runner = Operations(self, compute_threads=1)
        self.summary = QLabel()
        self.summary.setObjectName("preflightSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("preflightResults")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Mục"), self.tr("Kết quả"), self.tr("Chi tiết"), self.tr("Cách khắc phục")]
        )
        heading = self.table.horizontalHeader()
        heading.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        heading.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        heading.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.again = QPushButton(self.tr("Kiểm tra lại"))
        self.again.setObjectName("preflightAgain")
        self.again.clicked.connect(self.run_checks)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 560)

    def run_checks(self) -> None:
        from counter_app import doctor
        from ui import preflight

        self.again.setEnabled(False)
        self.summary.setText(self.tr("Đang kiểm tra…"))
        preflight.ensure_gui_application()
        data_dir = self.data_dir
        on_screen = doctor.run_checks(
            preflight.gui_checks(paper=preflight.configured_paper(data_dir))
        )
        self.runner.compute(
            self, lambda: doctor.run_checks(preflight.core_checks(data_dir))
        ).on_success(
            lambda rest: self.show_report(Report(on_screen.findings + rest.findings))
        ).on_failure(self._failed).run()

    def show_report(self, report: Report) -> None:
        from counter_app.doctor import LEVEL_LABELS

        self.report = report
        self.table.setRowCount(len(report.findings))
        for row, finding in enumerate(report.findings):
            level = QTableWidgetItem(LEVEL_LABELS[finding.level])
            level.setForeground(QColor(LEVEL_COLOURS[finding.level]))
            level.setData(Qt.ItemDataRole.UserRole, finding.level.value)
            fix = finding.fix if finding.level in (Level.WARN, Level.FAIL) else ""
            for column, item in enumerate(
                (
                    QTableWidgetItem(finding.title),
                    level,
                    QTableWidgetItem(finding.detail),
                    QTableWidgetItem(fix),
                )
            ):
                item.setToolTip(item.text())
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        if report.failed:
            text = self.tr("{count} mục bắt buộc chưa đạt: máy chưa sẵn sàng làm quầy tiếp nhận.")
            self.summary.setText(text.format(count=len(report.failed)))
        elif report.warned:
            text = self.tr("Dùng được; {count} mục nên xem lại.")
            self.summary.setText(text.format(count=len(report.warned)))
        else:
            self.summary.setText(self.tr("Mọi mục đều đạt."))
        self.again.setEnabled(True)
        self.checked.emit(report)

    def _failed(self, error: Exception) -> None:
        self.summary.setText(self.tr("Không kiểm tra được: {error}").format(error=error))
        self.again.setEnabled(True)
