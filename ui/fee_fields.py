"""Taking a fee at the counter: the method, the amount, the transfer's reference or the exemption.

``FeeFields`` is the part of a form, used by the returns screen; ``FeeDialog``
wraps it for a fee taken at reception (the window opens it after a dossier is
received), and for a dossier whose fee is already taken offers "Hủy biên lai":
the spoiled receipt keeps its number, cancelled, and the payment is printed
again under the next one. What makes a fee valid, and what a per-page fee
comes to, is ``counter_app``'s business (``fees``, ``fee_schedule``,
``fee_receipts``): these widgets only gather what was typed, show the amount
the schedule gives for the pages, and show beside its field what the service
said was wrong. With electronic receipts (the counter's settings) the
provider's receipt number and look-up code are typed or scanned in, and
nothing is printed.
"""

from __future__ import annotations

from collections.abc import Callable

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
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.changes import Changes
from counter_app.errors import ValidationError
from counter_app.fee_receipts import receipt_book
from counter_app.fee_schedule import MAX_PAGES, FeeSchedule
from counter_app.fees import CASH, EXEMPT, RECEPTION, TRANSFER, FeeInput, FeeService, PaymentView
from printing.return_forms import fee_receipt_for_payment
from ui.field_errors import hide_field_errors, show_field_errors, with_error_line
from ui.services import CounterServices


def group_thousands(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def format_money(amount: int) -> str:
    return group_thousands(amount) + " đồng"


class FeeFields(QWidget):
    """Method, pages, amount, reference, exemption reason and electronic receipt, each with
    its error line. Signals: none."""

    FIELDS = (
        "fee_method",
        "fee_pages",
        "fee_amount",
        "fee_reference",
        "exemption_reason",
        "e_receipt_number",
        "e_receipt_lookup",
    )

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
        # A per-page fee (certified copies): the pages typed, the amount the schedule gives.
        self.schedule: FeeSchedule | None = None
        self.pages = QSpinBox()
        self.pages.setObjectName("feePages")
        self.pages.setRange(0, MAX_PAGES)
        self.pages.setSpecialValueText(" ")
        self.pages.valueChanged.connect(self._pages_changed)
        self.computed = QLabel()
        self.computed.setObjectName("feeComputed")
        self.computed.setWordWrap(True)
        pages_row = QWidget()
        prow = QHBoxLayout(pages_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(self.pages)
        prow.addWidget(self.computed, 1)
        # Electronic receipts: the provider's number and look-up code (a scanner types it).
        self.e_number = QLineEdit()
        self.e_number.setObjectName("eReceiptNumber")
        self.e_number.setPlaceholderText(self.tr("Số biên lai điện tử của nhà cung cấp"))
        self.e_lookup = QLineEdit()
        self.e_lookup.setObjectName("eReceiptLookup")
        self.e_lookup.setPlaceholderText(self.tr("Nhập hoặc quét mã tra cứu"))
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.form = form
        form.addRow(self.tr("Hình thức"), with_error_line(self.method, "fee_method", self.errors))
        self.pages_line = with_error_line(pages_row, "fee_pages", self.errors)
        form.addRow(self.tr("Số trang"), self.pages_line)
        form.addRow(self.tr("Số tiền"), with_error_line(amount_row, "fee_amount", self.errors))
        form.addRow(
            self.tr("Mã giao dịch"), with_error_line(self.reference, "fee_reference", self.errors)
        )
        form.addRow(
            self.tr("Lý do miễn"), with_error_line(self.exemption, "exemption_reason", self.errors)
        )
        self.e_number_line = with_error_line(self.e_number, "e_receipt_number", self.errors)
        self.e_lookup_line = with_error_line(self.e_lookup, "e_receipt_lookup", self.errors)
        form.addRow(self.tr("Số biên lai điện tử"), self.e_number_line)
        form.addRow(self.tr("Mã tra cứu"), self.e_lookup_line)
        form.addRow(self.note)
        self.electronic = False
        form.setRowVisible(self.pages_line, False)
        self.set_receipt_mode(electronic=False)
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()

    def set_receipt_mode(self, *, electronic: bool) -> None:
        """Electronic receipts ask for the provider's number and look-up code."""
        self.electronic = electronic
        self.form.setRowVisible(self.e_number_line, electronic)
        self.form.setRowVisible(self.e_lookup_line, electronic)
        self._method_changed()

    def _method_changed(self) -> None:
        method = self.method.currentData()
        self.reference.setEnabled(method == TRANSFER)
        self.exemption.setEnabled(method == EXEMPT)
        for field in (self.e_number, self.e_lookup):
            field.setEnabled(self.electronic and method != EXEMPT)

    def _pages_changed(self, pages: int) -> None:
        """Show, as the pages are typed, what the catalog's schedule makes of them."""
        if self.schedule is None:
            return
        if pages <= 0:
            self.amount.clear()
            self.computed.setText(self.schedule.describe())
            return
        amount = self.schedule.amount_for(pages)
        self.amount.setText(group_thousands(amount))
        self.computed.setText(
            self.tr("{pages} trang: {amount}").format(pages=pages, amount=format_money(amount))
        )

    def amount_vnd(self) -> int | None:
        digits = "".join(ch for ch in self.amount.text() if ch.isdigit())
        return int(digits) if digits else None

    def _tidy_amount(self) -> None:
        amount = self.amount_vnd()
        self.amount.setText(group_thousands(amount) if amount is not None else "")

    def set_due(self, due_vnd: int, note: str = "", schedule: FeeSchedule | None = None) -> None:
        """Start from the catalog's amount, or from the pages when it charges per page."""
        self.method.setCurrentIndex(0)
        self.schedule = schedule
        self.form.setRowVisible(self.pages_line, schedule is not None)
        self.amount.setReadOnly(schedule is not None)
        self.pages.setValue(0)
        self.amount.setText(group_thousands(due_vnd) if due_vnd and schedule is None else "")
        if schedule is not None:
            self.computed.setText(schedule.describe())
        self.reference.clear()
        self.exemption.clear()
        self.e_number.clear()
        self.e_lookup.clear()
        self.note.setText(note)
        self.clear_errors()

    def fee_input(self) -> FeeInput:
        per_page = self.schedule is not None
        return FeeInput(
            method=str(self.method.currentData()),
            # Per page, the service reckons the amount from the pages itself.
            amount_vnd=None if per_page else self.amount_vnd(),
            reference=self.reference.text(),
            exemption_reason=self.exemption.text(),
            pages=(self.pages.value() or None) if per_page else None,
            e_receipt_number=self.e_number.text() if self.electronic else "",
            e_receipt_lookup=self.e_lookup.text() if self.electronic else "",
        )

    def clear_errors(self) -> None:
        hide_field_errors(self.errors)

    def show_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Show the fee's errors beside their fields; returns the ones that are not the fee's."""
        return show_field_errors(self.errors, errors)


class FeeDialog(QDialog):
    """Takes the fee of a dossier just received, then asks for its receipt to be printed.

    For a dossier whose fee was taken with a receipt numbered here it offers
    "Hủy biên lai" instead: the spoiled receipt keeps its number, cancelled, and
    the receipt is printed again under the next number. With electronic receipts
    nothing is printed.

    Signals: collected(object) with the PaymentView (after a spoil, with its new
    number); pdfReady(str title, bytes pdf) with the receipt (the window previews
    it); failed(str) when it cannot be printed.
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
        self.book = receipt_book(services.settings)
        self.fees = FeeService(services.store, services.clock, self.book)
        self.setWindowTitle(self.tr("Thu phí, lệ phí — {code}").format(code=code))
        self.setMinimumWidth(480)
        status = self.fees.status(code)
        self.fields = FeeFields()
        self.fields.set_due(status.due_vnd, status.fee_note, status.schedule)
        self.fields.set_receipt_mode(electronic=self.book.electronic)
        self.banner = QLabel()
        self.banner.setObjectName("fieldError")
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(
            self.tr("Ghi nhận") if self.book.electronic else self.tr("Ghi nhận và in biên lai")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Để sau"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        # Hủy biên lai: for a fee already taken with a receipt numbered by this counter.
        self.taken: PaymentView | None = next(
            (p for p in status.payments if p.receipt_number is not None), None
        )
        self.spoil_box = QWidget()
        spoil_form = QFormLayout(self.spoil_box)
        spoil_form.setContentsMargins(0, 0, 0, 0)
        self.receipt_label = QLabel()
        self.receipt_label.setWordWrap(True)
        self.spoil_reason = QLineEdit()
        self.spoil_reason.setObjectName("spoilReason")
        self.spoil_reason.setPlaceholderText(self.tr("In hỏng, kẹt giấy, ghi sai…"))
        self.spoil_errors: dict[str, QLabel] = {}
        self.spoil_button = QPushButton(self.tr("Hủy biên lai"))
        self.spoil_button.setObjectName("spoilReceipt")
        self.spoil_button.clicked.connect(self.spoil)
        spoil_form.addRow(self.receipt_label)
        spoil_form.addRow(
            self.tr("Lý do hủy"),
            with_error_line(self.spoil_reason, "cancel_reason", self.spoil_errors),
        )
        spoil_form.addRow(self.spoil_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Hồ sơ {code}").format(code=code)))
        layout.addWidget(self.fields)
        layout.addWidget(self.spoil_box)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        if status.settled:
            self.fields.hide()
            self.ok_button.hide()
            if self.taken is not None:
                self.receipt_label.setText(
                    self.tr(
                        "Đã thu {amount}, biên lai mẫu số {form}, ký hiệu {series}, số {number}. "
                        "Biên lai hủy vẫn giữ số của nó; khoản thu được in lại với số tiếp theo."
                    ).format(
                        amount=format_money(self.taken.amount_vnd),
                        form=self.taken.receipt_form,
                        series=self.taken.receipt_series,
                        number=self.taken.receipt_number_label,
                    )
                )
            else:
                self.spoil_box.hide()
                self.banner.setText(self.tr("Phí, lệ phí của hồ sơ này đã được ghi nhận."))
                self.banner.show()
        else:
            self.spoil_box.hide()

    def submit(self) -> None:
        """Record the payment on the store's writer; refused, the dialog keeps its text."""
        if not self.ok_button.isEnabled():
            return
        self.fields.clear_errors()
        self.banner.hide()
        fees, code, stage, who = self.fees, self.code, self.stage, self.services.identity
        fee = self.fields.fee_input()

        def recorded(payment: PaymentView) -> None:
            self._writing(False)
            self.collected.emit(payment)
            if not payment.electronic:  # an electronic receipt is the provider's: nothing to print
                self._print(payment.id)
            self.accept()

        self._writing(True)
        self.services.runner.write(self, lambda: fees.collect(code, fee, stage, who)).notifies(
            Changes(fees=True)
        ).on_success(recorded).on_failure(
            lambda exc: self._refused(exc, self.fields.show_errors)
        ).run()

    def spoil(self) -> None:
        """Hủy biên lai: the number stays, cancelled; the payment is printed under the next."""
        if self.taken is None or not self.spoil_button.isEnabled():
            return
        hide_field_errors(self.spoil_errors)
        self.banner.hide()
        fees, taken, who = self.fees, self.taken.id, self.services.identity
        reason = self.spoil_reason.text()

        def spoiled(payment: PaymentView) -> None:
            self._writing(False)
            self.collected.emit(payment)
            self._print(payment.id)
            self.accept()

        self._writing(True)
        self.services.runner.write(self, lambda: fees.spoil(taken, who, reason)).notifies(
            Changes(fees=True)
        ).on_success(spoiled).on_failure(
            lambda exc: self._refused(exc, self._show_spoil_errors)
        ).run()

    def _show_spoil_errors(self, errors: dict[str, str]) -> dict[str, str]:
        return show_field_errors(self.spoil_errors, errors)

    def _writing(self, under_way: bool) -> None:
        self.ok_button.setEnabled(not under_way)
        self.spoil_button.setEnabled(not under_way)

    def _refused(self, exc: Exception, place: Callable[[dict[str, str]], dict[str, str]]) -> None:
        """Errors beside their fields, the rest in the banner; what was typed stays."""
        self._writing(False)
        if isinstance(exc, ValidationError):
            rest = place(exc.errors)
            if rest:
                self.banner.setText("\n".join(rest.values()))
                self.banner.show()
            return
        self.banner.setText(self.services.runner.describe(exc))
        self.banner.show()

    def _print(self, payment_id: str) -> None:
        services, title = self.services, self.tr("Biên lai thu phí, lệ phí — {code}")
        store, settings, now = services.store, services.settings, services.clock.now()

        def ready(pdf: bytes) -> None:
            self.pdfReady.emit(title.format(code=self.code), pdf)

        def failed(error: Exception) -> None:
            self.failed.emit(self.tr("Không in được biên lai: {error}").format(error=error))

        services.runner.compute(
            self, lambda: fee_receipt_for_payment(store, payment_id, settings, now)
        ).on_success(ready).on_failure(failed).run()
