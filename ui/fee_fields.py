"""Taking a fee at the counter: the method, the amount, the transfer's reference or the exemption.

``FeeFields`` is the part of a form, used by the returns screen; ``FeeDialog``
wraps it for a fee taken at reception (the window opens it after a dossier is
received). What makes a fee valid is ``counter_app.fees``'s business: these
widgets only gather what was typed and show, beside its field, what the
service said was wrong.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from counter_app.errors import CounterError, ValidationError
from counter_app.fees import CASH, EXEMPT, RECEPTION, TRANSFER, FeeInput, FeeService
from printing.return_forms import fee_receipt_for_payment
from ui.field_errors import hide_field_errors, show_field_errors, with_error_line
from ui.services import CounterServices


def group_thousands(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def format_money(amount: int) -> str:
    return group_thousands(amount) + " đồng"


class FeeFields(QWidget):
    """Method, amount, reference and exemption reason, each with its error line. Signals: none."""

    FIELDS = ("fee_method", "fee_amount", "fee_reference", "exemption_reason")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QComboBox()
        self.method.setObjectName("feeMethod")
        for label, key in (
            (self.tr("Tiền mặt"), CASH),
            (self.tr("Chuyển khoản"), TRANSFER),
            (self.tr("Miễn thu"), EXEMPT),
        ):
            self.method.addItem(label, key)
        # Typed as digits (dots between thousands are kept or added); empty means the
        # catalog's amount, which the service checks like any other.
        self.amount = QLineEdit()
        self.amount.setObjectName("feeAmount")
        self.amount.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9. ]{0,15}")))
        self.amount.setPlaceholderText(self.tr("theo danh mục"))
        self.amount.editingFinished.connect(self._tidy_amount)
        amount_row = QWidget()
        row = QHBoxLayout(amount_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.amount, 1)
        row.addWidget(QLabel(self.tr("đồng")))
        self.reference = QLineEdit()
        self.reference.setObjectName("feeReference")
        self.reference.setPlaceholderText(self.tr("Mã giao dịch trên chứng từ ngân hàng"))
        self.exemption = QLineEdit()
        self.exemption.setObjectName("exemptionReason")
        self.exemption.setPlaceholderText(self.tr("Đối tượng được miễn, căn cứ"))
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Hình thức"), with_error_line(self.method, "fee_method", self.errors))
        form.addRow(self.tr("Số tiền"), with_error_line(amount_row, "fee_amount", self.errors))
        form.addRow(
            self.tr("Mã giao dịch"), with_error_line(self.reference, "fee_reference", self.errors)
        )
        form.addRow(
            self.tr("Lý do miễn"), with_error_line(self.exemption, "exemption_reason", self.errors)
        )
        form.addRow(self.note)
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()

    def _method_changed(self) -> None:
        method = self.method.currentData()
        self.reference.setEnabled(method == TRANSFER)
        self.exemption.setEnabled(method == EXEMPT)

    def amount_vnd(self) -> int | None:
        digits = "".join(ch for ch in self.amount.text() if ch.isdigit())
        return int(digits) if digits else None

    def _tidy_amount(self) -> None:
        amount = self.amount_vnd()
        self.amount.setText(group_thousands(amount) if amount is not None else "")

    def set_due(self, due_vnd: int, note: str = "") -> None:
        """Start from the catalog's amount; the note says how the procedure charges."""
        self.method.setCurrentIndex(0)
        self.amount.setText(group_thousands(due_vnd) if due_vnd else "")
        self.reference.clear()
        self.exemption.clear()
        self.note.setText(note)
        self.clear_errors()

    def fee_input(self) -> FeeInput:
        return FeeInput(
            method=str(self.method.currentData()),
            amount_vnd=self.amount_vnd(),
            reference=self.reference.text(),
            exemption_reason=self.exemption.text(),
        )

    def clear_errors(self) -> None:
        hide_field_errors(self.errors)

    def show_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Show the fee's errors beside their fields; returns the ones that are not the fee's."""
        return show_field_errors(self.errors, errors)


class FeeDialog(QDialog):
    """Takes the fee of a dossier just received, then asks for its receipt to be printed.

    Signals: collected(object) with the PaymentView; pdfReady(str title, bytes pdf)
    with the receipt (the window previews it); failed(str) when it cannot be printed.
    """

    collected = Signal(object)
    pdfReady = Signal(str, bytes)
    failed = Signal(str)

    def __init__(
        self,
        services: CounterServices,
        code: str,
        stage: str = RECEPTION,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.code = code
        self.stage = stage
        self.fees = FeeService(services.store, services.clock)
        self.setWindowTitle(self.tr("Thu phí, lệ phí — {code}").format(code=code))
        self.setMinimumWidth(480)
        status = self.fees.status(code)
        self.fields = FeeFields()
        self.fields.set_due(status.due_vnd, status.fee_note)
        self.banner = QLabel()
        self.banner.setObjectName("fieldError")
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Ghi nhận và in biên lai"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Để sau"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Hồ sơ {code}").format(code=code)))
        layout.addWidget(self.fields)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)

    def submit(self) -> None:
        self.fields.clear_errors()
        self.banner.hide()
        try:
            payment = self.fees.collect(
                self.code, self.fields.fee_input(), self.stage, self.services.identity
            )
        except ValidationError as exc:
            rest = self.fields.show_errors(exc.errors)
            if rest:
                self.banner.setText("\n".join(rest.values()))
                self.banner.show()
            return
        except CounterError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        self.collected.emit(payment)
        services, title = self.services, self.tr("Biên lai thu phí, lệ phí — {code}")
        store, settings, now = services.store, services.settings, services.clock.now()

        def ready(pdf: bytes) -> None:
            if isValid(self):
                self.pdfReady.emit(title.format(code=self.code), pdf)

        def failed(error: Exception) -> None:
            if isValid(self):
                self.failed.emit(self.tr("Không in được biên lai: {error}").format(error=error))

        services.runner.run(
            lambda: fee_receipt_for_payment(store, payment.id, settings, now), ready, failed
        )
        self.accept()
