"""Trả kết quả: the clerk's screen for handing results over, at the counter or to the post.

The list shows this unit's dossiers whose result waits, the longest waiting
first; typing a code, a CCCD or a name narrows it, and a code scanned by a USB
scanner anywhere on the screen picks that dossier. The form beside it takes
who receives the result (the applicant or a representative, with the CCCD),
or the post's item number, and the fee when it was not taken at reception.
Ctrl+Enter records it all in one transaction, then the hand-over slip and
the fee receipt are printed. Who may take a result, and what makes a fee
valid, is ``counter_app.returns``' and ``counter_app.fees``' business.

The widgets are ``ui.returns_view``'s; ``ReturnsDriver`` here decides what
happens on each action: it reads the results waiting, records the hand-over
through the operation helper, prints, and refreshes from the change notice.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from counter_app.changes import Changes
from counter_app.errors import CounterError, ValidationError
from counter_app.fee_receipts import receipt_book
from counter_app.fees import RETURN
from counter_app.returns import ReturnRecorded, ReturnService
from printing.return_forms import fee_receipt_for_payment, handover_for_code
from ui.change_notice import made_by
from ui.fee_fields import FeeDialog
from ui.print_preview import PdfPreviewDialog
from ui.returns_view import ReturnsView
from ui.services import CounterServices

SEARCH_DELAY_MS = 300
HANDED_OVER = Changes(dossiers=True, fees=True)


class ReturnsScreen(ReturnsView):
    """Hands results over: the view of ``ui.returns_view`` driven by ``ReturnsDriver``.
    Signals: those of ``ReturnsView``."""

    def __init__(
        self, services: CounterServices, parent: QWidget | None = None, *, preview: bool = True
    ) -> None:
        super().__init__(parent, electronic=receipt_book(services.settings).electronic)
        self.services = services
        self.driver = ReturnsDriver(services, self, preview=preview)

    def refresh(self) -> None:
        self.driver.refresh()

    def open_code(self, code: str) -> None:
        self.driver.open_code(code)

    def submit(self) -> None:
        self.driver.submit()

    def spoil_last_receipt(self) -> None:
        self.driver.spoil_last_receipt()


class ReturnsDriver(QObject):
    """What the returns screen does on each action; the view only shows what it is given.

    Signals: none (it speaks through the view's).
    """

    def __init__(self, services: CounterServices, view: ReturnsView, *, preview: bool) -> None:
        super().__init__(view)
        self.services = services
        self.view = view
        self.preview = preview
        self.book = receipt_book(services.settings)
        self.service = ReturnService(services.store, services.clock, self.book)
        self.last_receipt_code: str | None = None  # the dossier whose receipt was just printed
        self.spoil_dialog: FeeDialog | None = None

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        view.search.textEdited.connect(lambda _text: self._search_timer.start())
        view.search.returnPressed.connect(self.refresh)
        view.refresh_button.clicked.connect(self.refresh)
        view.wedge.codeScanned.connect(self.open_code)
        view.submitRequested.connect(self.submit)
        view.spoil_button.clicked.connect(self.spoil_last_receipt)
        self.refresh()
        services.notice.changed.connect(self.on_changes)

    # The list ------------------------------------------------------------------

    def refresh(self, *, keep_form: bool = False) -> None:
        """Read the waiting results again, keeping the chosen dossier when it still waits."""
        self._search_timer.stop()
        try:
            rows = self.service.ready(self.view.search.text())
        except CounterError as exc:
            self.view.failed.emit(str(exc))
            rows = []
        self.view.show_rows(rows, keep_form=keep_form)

    def on_changes(self, changes: Changes, source: QObject | None) -> None:
        """Results that came to wait, or left, elsewhere; what is typed in the form stays."""
        if changes.settings:
            self.view.fee_fields.set_receipt_mode(
                electronic=receipt_book(self.services.settings).electronic
            )
        if (changes.dossiers or changes.fees) and not made_by(self.view, source):
            self.refresh(keep_form=True)

    def open_code(self, code: str) -> None:
        """Pick the dossier ``code`` (typed or scanned) when its result waits here."""
        self.view.search.setText(code.strip())
        self.refresh()
        if len(self.view.rows) == 1:
            self.view.recipient.setFocus()
        elif not self.view.rows:
            self.view.failed.emit(
                self.tr("Hồ sơ {code} không có trong danh sách chờ trả kết quả.").format(code=code)
            )

    # Recording and printing -------------------------------------------------------

    def submit(self) -> None:
        view = self.view
        if view.current is None or not view.submit_button.isEnabled():
            return
        self.book = receipt_book(self.services.settings)  # as saved now, were it changed
        self.service.receipts = self.book
        request = view.request()
        service, identity = self.service, self.services.identity
        view.clear_errors()
        view.submit_button.setEnabled(False)
        self.services.runner.write(view, lambda: service.hand_over(request, identity)).notifies(
            HANDED_OVER
        ).on_success(self._recorded).on_failure(self._failed).run()

    def _recorded(self, recorded: ReturnRecorded) -> None:
        view = self.view
        view.submit_button.setEnabled(True)
        view.returned.emit(recorded)
        view.current = None
        view.search.clear()
        self.refresh()
        store, settings, now = (
            self.services.store,
            self.services.settings,
            self.services.clock.now(),
        )
        code, payment = recorded.code, recorded.fee_payment_id
        if self.book.electronic:
            payment = None  # the provider issued the receipt: nothing to print here
        self.last_receipt_code = code if payment is not None and self.book.numbered else None
        view.spoil_button.setVisible(self.last_receipt_code is not None)
        slip_title = self.tr("Phiếu bàn giao kết quả — {code}").format(code=code)
        receipt_title = self.tr("Biên lai thu phí, lệ phí — {code}").format(code=code)

        def render() -> list[tuple[str, bytes]]:
            slips = [(slip_title, handover_for_code(store, code, settings, now))]
            if payment is not None:
                slips.append(
                    (receipt_title, fee_receipt_for_payment(store, payment, settings, now))
                )
            return slips

        self.services.runner.compute(view, render).on_success(self._printed).on_failure(
            self._print_failed
        ).run()

    def _printed(self, documents: list[tuple[str, bytes]]) -> None:
        for title, pdf in documents:
            name = (
                "phieu-ban-giao" if len(documents) == 1 or title == documents[0][0] else "bien-lai"
            )
            self._show_pdf(title, pdf, name)

    def _show_pdf(self, title: str, pdf: bytes, name: str) -> None:
        self.view.pdfReady.emit(title, pdf)
        if self.preview:
            dialog = PdfPreviewDialog(pdf, title, f"{name}.pdf", self.view)
            dialog.setObjectName("printPreview")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def spoil_last_receipt(self) -> None:
        """Open the fee dialog on the receipt just printed, to cancel it and print it again."""
        if self.last_receipt_code is None:
            return
        if self.spoil_dialog is not None:
            self.spoil_dialog.deleteLater()
        # Not deleted on close: the new receipt is rendered after the dialog closes.
        dialog = FeeDialog(self.services, self.last_receipt_code, RETURN, self.view)
        dialog.setObjectName("spoilDialog")
        self.spoil_dialog = dialog
        dialog.pdfReady.connect(lambda title, pdf: self._show_pdf(title, pdf, "bien-lai"))
        dialog.failed.connect(self.view.failed)
        dialog.open()

    def _print_failed(self, error: Exception) -> None:
        self.view.failed.emit(
            self.tr("Đã ghi nhận trả kết quả nhưng chưa in được phiếu: {error}").format(error=error)
        )

    def _failed(self, error: Exception) -> None:
        view = self.view
        view.submit_button.setEnabled(True)
        if isinstance(error, ValidationError):
            view.show_errors(error.errors)
            view.failed.emit(self.tr("Chưa trả được kết quả: hãy sửa các ô báo đỏ."))
            return
        message = (
            str(error)
            if isinstance(error, CounterError)
            else self.tr("Không ghi nhận được ({error}); hãy thử lại.").format(error=error)
        )
        view.show_banner(message)
        view.failed.emit(message)
