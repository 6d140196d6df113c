"""The actions on a dossier that print a form: supplement, refusal, apology, stop.

Each opens a short dialog for what the form must say, records the action
through the dossier service on the store's writer (``ui.operations``), then
asks for its form to be printed. The dialog stays open with its text when the
service names a field as wrong.
Receiving the asked-for supplement needs no dialog: it is recorded at once and
the new receipt, with the restarted appointment, opens like at reception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.changes import Changes
from counter_app.dossier_view import DossierView
from counter_app.dossiers import OVERRIDING_ROLES
from counter_app.errors import ValidationError
from counter_app.lifecycle import OPEN_STATUSES, Status
from ui.field_errors import hide_field_errors, show_field_errors, with_error_line
from ui.operations import Operations
from ui.services import CounterServices

Work = Callable[[], Any]


class ActionDialog(QDialog):
    """Asks for the reason (and items or a new date) of one action. Signals: QDialog's own.

    ``prepare`` reads the dialog's fields (on the GUI thread) and returns the
    work that records the action; it runs on the store's writer, and ``done``
    gets its result once it is stored. ``invalid`` is told of a refusal first,
    for fields outside the dialog.
    """

    def __init__(
        self,
        title: str,
        runner: Operations,
        prepare: Callable[[ActionDialog], Work],
        done: Callable[[Any], None],
        *,
        invalid: Callable[[ValidationError], None] | None = None,
        with_items: bool = False,
        with_new_date: dt.datetime | None = None,
        with_override: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.runner = runner
        self._prepare = prepare
        self._done = done
        self._invalid = invalid
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        self.items = QPlainTextEdit()
        self.items.setObjectName("items")
        self.items.setPlaceholderText(self.tr("Mỗi dòng một giấy tờ hoặc nội dung cần bổ sung"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaximumHeight(90)
        self.new_date = QDateTimeEdit()
        self.new_date.setObjectName("newDueAt")
        self.new_date.setDisplayFormat("HH:mm dd/MM/yyyy")
        self.new_date.setCalendarPopup(True)
        if with_items:
            form.addRow(self.tr("Cần bổ sung"), with_error_line(self.items, "items", self.errors))
        if with_new_date is not None:
            day, time = with_new_date.date(), with_new_date.time()
            self.new_date.setDateTime(
                QDateTime(QDate(day.year, day.month, day.day), QTime(time.hour, time.minute))
            )
            form.addRow(
                self.tr("Ngày hẹn mới"), with_error_line(self.new_date, "new_due_at", self.errors)
            )
        form.addRow(self.tr("Lý do"), with_error_line(self.reason, "reason", self.errors))
        self.override_reason = QPlainTextEdit()
        self.override_reason.setObjectName("overrideReason")
        self.override_reason.setMaximumHeight(60)
        self.override_reason.setPlaceholderText(
            self.tr("Chỉ khi đã quá hạn xin lỗi, hẹn lại (01 ngày làm việc trước ngày hẹn)")
        )
        if with_override:
            form.addRow(
                self.tr("Lý do lãnh đạo cho phép"),
                with_error_line(self.override_reason, "override_reason", self.errors),
            )
        self.banner = QLabel()
        self.banner.setObjectName("fieldError")
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Ghi nhận và in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)

    def item_lines(self) -> list[str]:
        return [line for line in self.items.toPlainText().splitlines() if line.strip()]

    def new_due_at(self) -> dt.datetime:
        chosen = self.new_date.dateTime().toPython()
        assert isinstance(chosen, dt.datetime)
        return chosen

    def _ok(self) -> None:
        if not self.ok_button.isEnabled():
            return  # already being recorded
        hide_field_errors(self.errors)
        self.banner.hide()
        work = self._prepare(self)
        self.ok_button.setEnabled(False)
        self.runner.write(self, work).notifies(Changes(dossiers=True, fees=True)).on_success(
            self._recorded
        ).on_failure(self._refused).run()

    def _recorded(self, result: object) -> None:
        self.ok_button.setEnabled(True)
        self._done(result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            if self._invalid is not None:
                self._invalid(exc)
            unplaced = show_field_errors(self.errors, exc.errors)
            if unplaced:
                self.banner.setText("\n".join(unplaced.values()))
                self.banner.show()
            return
        self.banner.setText(self.runner.describe(exc))
        self.banner.show()


class DossierActionBar(QWidget):
    """Buttons for what can be done to this dossier now, and its forms to print.

    Signals: printRequested(str form, str code); changed(str code) after an action.
    """

    printRequested = Signal(str, str)
    changed = Signal(str)

    def __init__(
        self, services: CounterServices, view: DossierView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.view = view
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        is_open = Status(view.status) in OPEN_STATUSES
        waiting = Status(view.status) == Status.SUPPLEMENT_REQUESTED
        for key, label, enabled, action in (
            ("receipt", self.tr("In giấy tiếp nhận"), True, self._print_receipt),
            ("control", self.tr("In phiếu kiểm soát"), True, self._print_control),
            ("supplied", self.tr("Nhận hồ sơ bổ sung"), waiting, self._supplement_received),
            ("supplement", self.tr("Yêu cầu bổ sung…"), is_open, self._supplement),
            ("refusal", self.tr("Từ chối…"), is_open, self._refuse),
            ("extension", self.tr("Xin lỗi, hẹn lại…"), is_open, self._extend),
            ("stop", self.tr("Dừng giải quyết…"), is_open, self._stop),
        ):
            button = QPushButton(label)
            button.setObjectName(f"action_{key}")
            button.setEnabled(enabled)
            button.clicked.connect(action)
            self.buttons[key] = button
            row.addWidget(button)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row.addWidget(self.error, 1)
        row.addStretch()

    def _print_receipt(self) -> None:
        self.printRequested.emit("receipt", self.view.code)

    def _print_control(self) -> None:
        self.printRequested.emit("control", self.view.code)

    def _supplement_received(self) -> None:
        """Record the supplement received and print the new receipt (Decree 297/2025
        art. 6(4)(a): the time limit starts again from now)."""
        self.error.hide()
        service, who, code = self.services.dossiers, self.services.identity, self.view.code
        button = self.buttons["supplied"]
        button.setEnabled(False)

        def recorded(_result: object) -> None:
            button.setEnabled(True)
            self.changed.emit(code)
            self.printRequested.emit("receipt", code)

        def refused(exc: Exception) -> None:
            button.setEnabled(True)
            self.error.setText(self.services.runner.describe(exc))
            self.error.show()

        self.services.runner.write(self, lambda: service.receive_supplement(code, who)).notifies(
            Changes(dossiers=True, documents=True)
        ).on_success(recorded).on_failure(refused).run()

    def _run(
        self,
        form: str,
        title: str,
        record: Callable[[ActionDialog], Work],
        *,
        with_items: bool = False,
        with_new_date: dt.datetime | None = None,
        with_override: bool = False,
    ) -> None:
        def recorded(_result: object) -> None:
            self.changed.emit(self.view.code)
            self.printRequested.emit(form, self.view.code)

        dialog = ActionDialog(
            title,
            self.services.runner,
            record,
            recorded,
            with_items=with_items,
            with_new_date=with_new_date,
            with_override=with_override,
            parent=self,
        )
        dialog.setObjectName(f"dialog_{form}")
        dialog.open()

    def _supplement(self) -> None:
        service, who, code = self.services.dossiers, self.services.identity, self.view.code

        def record(d: ActionDialog) -> Work:
            items, reason = d.item_lines(), d.reason.toPlainText()
            return lambda: service.request_supplement(code, items, reason, who)

        self._run(
            "supplement",
            self.tr("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
            record,
            with_items=True,
        )

    def _refuse(self) -> None:
        service, who, code = self.services.dossiers, self.services.identity, self.view.code

        def record(d: ActionDialog) -> Work:
            reason = d.reason.toPlainText()
            return lambda: service.refuse(code, reason, who)

        self._run("refusal", self.tr("Từ chối tiếp nhận, giải quyết hồ sơ"), record)

    def _extend(self) -> None:
        service, who, code = self.services.dossiers, self.services.identity, self.view.code

        def record(d: ActionDialog) -> Work:
            due, reason, override = d.new_due_at(), d.reason.toPlainText(), d.override_reason
            why = override.toPlainText()
            return lambda: service.extend(code, due, reason, who, why)

        self._run(
            "extension",
            self.tr("Xin lỗi và hẹn lại ngày trả kết quả"),
            record,
            with_new_date=self.view.due_at + dt.timedelta(days=3),
            # Only a supervisor may still apologise past the deadline, giving a reason.
            with_override=who.role in OVERRIDING_ROLES,
        )

    def _stop(self) -> None:
        service, who, code = self.services.dossiers, self.services.identity, self.view.code

        def record(d: ActionDialog) -> Work:
            reason = d.reason.toPlainText()
            return lambda: service.stop(code, reason, who)

        self._run("stop", self.tr("Dừng giải quyết hồ sơ"), record)
