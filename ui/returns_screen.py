"""Trả kết quả: the clerk's screen for handing results over, at the counter or to the post.

The list shows this unit's dossiers whose result waits, the longest waiting
first; typing a code, a CCCD or a name narrows it, and a code scanned by a USB
scanner anywhere on the screen picks that dossier. The form beside it takes
who receives the result (the applicant or a representative, with the CCCD),
or the post's item number, and the fee when it was not taken at reception.
Ctrl+Enter records it all in one transaction, then the hand-over slip and
the fee receipt are printed. Who may take a result, and what makes a fee
valid, is ``counter_app.returns``' and ``counter_app.fees``' business.

"Số hóa kết quả" (Ctrl+D) takes the scanned files of the chosen dossier's
result (images or PDFs, in a file dialog), assembles them as the digitizing
screen does and stores them as the result's scan (``counter_app.result_scans``);
the list and the form then say since when the result is digitized. It is
hidden for a postal agent, who does not digitize results.

The widgets are ``ui.returns_view``'s; ``ReturnsDriver`` here decides what
happens on each action: it reads the results waiting, records the hand-over
through the operation helper, prints, and refreshes from the change notice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from counter_app.changes import Changes
from counter_app.digitize_settings import load_digitize_settings
from counter_app.errors import CounterError, ValidationError
from counter_app.fee_receipts import receipt_book
from counter_app.fees import RETURN
from counter_app.intake import format_size
from counter_app.result_scans import ResultScan, ResultScanService, may_digitize_results
from counter_app.returns import ReturnRecorded, ReturnService
from counter_app.signed_copies import (
    CheckedDocument,
    InvalidSignature,
    check_result_files,
    store_result,
)
from counter_app.signing import load_signing_settings
from printing.return_forms import fee_receipt_for_payment, handover_for_code
from ui.change_notice import made_by
from ui.fee_fields import FeeDialog
from ui.print_preview import PdfPreviewDialog
from ui.returns_view import ReturnsView
from ui.services import CounterServices
from ui.signature_question import ask_about_signature

SEARCH_DELAY_MS = 300
HANDED_OVER = Changes(dossiers=True, fees=True)
RESULT_DIGITIZED = Changes(dossiers=True, documents=True)
RESULT_FILES = "*.jpg *.jpeg *.png *.tif *.tiff *.pdf"


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

    def choose_result_files(self) -> None:
        self.driver.choose_result_files()


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
        self.results = ResultScanService(services.store, services.clock)
        self.question: QMessageBox | None = None  # a broken signature's question, while open
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
        view.digitizeResultRequested.connect(self.choose_result_files)
        self.may_digitize = may_digitize_results(services.identity.role)
        view.digitize_result_button.setVisible(self.may_digitize)
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
        if (changes.dossiers or changes.fees or changes.documents) and not made_by(
            self.view, source
        ):
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

    # Digitizing the result --------------------------------------------------------

    def choose_result_files(self) -> None:
        """Ask for the result's scanned files, without blocking the window."""
        view = self.view
        ready = view.current
        if not self.may_digitize:
            return
        if ready is None:
            view.failed.emit(self.tr("Hãy chọn trong danh sách hồ sơ có kết quả cần số hóa."))
            return
        code = ready.code
        dialog = QFileDialog(view, self.tr("Bản quét kết quả của hồ sơ {code}").format(code=code))
        dialog.setObjectName("resultFilesDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setNameFilter(self.tr("Ảnh và PDF ({patterns})").format(patterns=RESULT_FILES))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(
            lambda names: self.digitize_result(code, [Path(name) for name in names])
        )
        dialog.open()

    def digitize_result(self, code: str, paths: list[Path], *, keep_invalid: bool = False) -> None:
        """Check and assemble ``paths`` on the compute pool, then store them as the result's
        scan on the store's writer; a broken signature asks first (``signatureQuestion``)."""
        if not paths:
            return
        data_dir = self.services.store.data_dir
        try:
            settings = load_digitize_settings(data_dir)
            signing = load_signing_settings(data_dir)
        except ValidationError as exc:
            self.view.failed.emit(" ".join(exc.errors.values()))
            return
        service, identity, runner = self.results, self.services.identity, self.services.runner

        def stored(checked: CheckedDocument) -> None:
            runner.write(
                self.view, lambda: store_result(service, code, checked, identity)
            ).notifies(RESULT_DIGITIZED).on_success(
                lambda scan: self._result_stored(scan, checked)
            ).on_failure(lambda error: self._result_failed(error, code, paths)).run()

        self.view.digitize_result_button.setEnabled(False)
        runner.compute(
            self.view,
            lambda: check_result_files(
                service, code, paths, identity, settings, signing, keep_invalid=keep_invalid
            ),
        ).with_progress(
            self.tr("Đang ghép {count} tệp thành bản số hóa kết quả…").format(count=len(paths))
        ).on_success(stored).on_failure(lambda error: self._result_failed(error, code, paths)).run()

    def _result_stored(self, scan: ResultScan, checked: CheckedDocument) -> None:
        view = self.view
        view.digitize_result_button.setEnabled(view.current is not None)
        self.refresh(keep_form=True)
        if view.current is not None and view.current.code == scan.code:
            view.show_result_scan(scan.digitized_at)
        pdf = checked.pdf
        notes = [status.describe(name) for name, status in checked.signatures.items()]
        text = self.tr("Đã số hóa kết quả của hồ sơ {code}: {pages} trang ({size}).").format(
            code=scan.code, pages=pdf.page_count, size=format_size(pdf.size)
        )
        view.message.emit(" ".join([text, *notes]))

    def _result_failed(self, error: Exception, code: str, paths: list[Path]) -> None:
        view = self.view
        view.digitize_result_button.setEnabled(view.current is not None)
        if isinstance(error, InvalidSignature):
            self._ask_about_signature(error, code, paths)
            return
        if isinstance(error, CounterError):
            message = self.tr("Chưa số hóa được kết quả của hồ sơ {code}: {error}").format(
                code=code, error=error
            )
        else:
            message = self.tr(
                "Chưa số hóa được kết quả của hồ sơ {code} ({error}); chưa lưu gì, hãy thử lại."
            ).format(code=code, error=error)
        view.show_banner(message)
        view.failed.emit(message)

    def _ask_about_signature(self, error: InvalidSignature, code: str, paths: list[Path]) -> None:
        """The clerk decides whether a result PDF with a broken signature is kept all the same."""
        box = ask_about_signature(
            self.view,
            error,
            title=self.tr("Chữ ký số không hợp lệ"),
            explanation=self.tr(
                "Chưa lưu gì. Vẫn lưu: bản số hóa kết quả được lưu và chữ ký hỏng được ghi lại, "
                "hiển thị trong hồ sơ. Không lưu: chọn lại tệp khác."
            ),
            keep=self.tr("Vẫn lưu"),
            stop=self.tr("Không lưu"),
            on_keep=lambda: self.digitize_result(code, paths, keep_invalid=True),
        )
        box.finished.connect(lambda _result: setattr(self, "question", None))
        self.question = box

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
