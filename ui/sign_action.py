"""The "Ký số" action of a dossier: sign a document's or the result's digitized copy with the
centre's token.

Shown only where signing is possible (``SigningService.available``: a token
module configured and present); elsewhere it is hidden, not broken. The PIN is
asked each time in a password field and handed to the service, never kept.
The signing itself runs on the store's writer (``ui.operations``): it ends in an
attach, and a token takes a second or two.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from counter_app.attachments import AttachmentService
from counter_app.changes import Changes
from counter_app.dossier_view import DossierView
from counter_app.errors import CounterError
from counter_app.signed_copies import SignedCopy, SignedResult, SigningService
from counter_app.signing import SigningSettings, load_signing_settings
from ui.services import CounterServices

RESULT = 0  # the choice's data for the result's scan; documents are numbered from 1


def signing_service(services: CounterServices) -> SigningService:
    """The service over this counter's signing settings; a settings file that does not read
    leaves signing off (the preflight and the CLI say why)."""
    try:
        settings = load_signing_settings(services.store.data_dir)
    except CounterError:
        settings = SigningSettings()
    return SigningService(AttachmentService(services.store, services.clock), settings)


class SignAction(QWidget):
    """A choice of the dossier's digitized documents (and its result's scan) and a "Ký số"
    button.

    Signals: signed(str message) once the signed copy is attached;
    failed(str message) when the token or the service refused.
    """

    signed = Signal(str)
    failed = Signal(str)

    def __init__(
        self, services: CounterServices, view: DossierView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signAction")
        self.services = services
        self.view = view
        self.service = signing_service(services)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.document = QComboBox()
        self.document.setObjectName("signDocumentChoice")
        for line in view.documents:
            if line.attachment_sha256:
                self.document.addItem(f"{line.position}. {line.name}", line.position)
        if view.result_scan is not None and view.result_scan.page_count is not None:
            self.document.addItem(self.tr("Kết quả giải quyết"), RESULT)
        self.button = QPushButton(self.tr("Ký số"))
        self.button.setObjectName("signDocument")
        self.button.setToolTip(
            self.tr("Ký số bản số hóa của giấy tờ đã chọn bằng thiết bị ký số của trung tâm")
        )
        self.button.setEnabled(self.document.count() > 0)
        self.button.clicked.connect(self._ask_pin)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row.addWidget(QLabel(self.tr("Bản số hóa:")))
        row.addWidget(self.document, 1)
        row.addWidget(self.button)
        row.addWidget(self.error, 1)
        self.setVisible(self.service.available)

    def _ask_pin(self) -> None:
        number = self.document.currentData()
        if number is None:
            return
        pin, ok = QInputDialog.getText(
            self,
            self.tr("Ký số"),
            self.tr("Mã PIN của thiết bị ký số:"),
            QLineEdit.EchoMode.Password,
        )
        if ok:
            self.sign(int(number), pin)

    def sign(self, number: int, pin: str) -> None:
        """Sign document ``number`` (``RESULT``: the result's scan) with ``pin`` on the runner;
        the outcome comes as a signal."""
        self.error.hide()
        self.button.setEnabled(False)
        service, code, actor = self.service, self.view.code, self.services.identity

        def work() -> SignedCopy | SignedResult:
            if number == RESULT:
                return service.sign_result(code, pin, actor)
            return service.sign_document(code, number, pin, actor)

        # Signing ends in an attach: the store's writer runs it.
        self.services.runner.write(self, work).notifies(
            Changes(dossiers=True, documents=True)
        ).with_progress(self.tr("Đang ký số…")).on_success(self._done).on_failure(
            self._refused
        ).run()

    def _done(self, copy: SignedCopy | SignedResult) -> None:
        self.button.setEnabled(True)
        if isinstance(copy, SignedResult):
            text = self.tr("Đã ký số bản số hóa kết quả của hồ sơ {code}. {status}")
            self.signed.emit(text.format(code=copy.scan.code, status=copy.status.describe()))
            return
        slot = copy.target.slot(copy.number)
        text = self.tr("Đã ký số giấy tờ {number} ({name}) của hồ sơ {code}. {status}")
        self.signed.emit(
            text.format(
                number=copy.number,
                name=slot.name,
                code=copy.target.label,
                status=copy.status.describe(),
            )
        )

    def _refused(self, error: Exception) -> None:
        self.button.setEnabled(True)
        if isinstance(error, CounterError):
            text = str(error)
        else:
            text = self.tr("Không ký số được ({error}); hãy thử lại.").format(error=error)
        self.error.setText(text)
        self.error.show()
        self.failed.emit(text)
