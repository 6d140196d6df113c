"""Tiếp nhận: the clerk's reception screen, keyboard first.

F2 goes to the procedure, F3 to the citizen-ID field, Alt+A ticks every
document, Ctrl+Enter receives (or saves the draft, for a postal agent),
Ctrl+N starts afresh. On any error the form keeps everything typed and the
message stands beside its field.

Beside "Tiếp nhận", F7 gives the request to supplement (form 02) and F8 the
refusal slip (form 03) *without receiving* the dossier (Đồng Tháp
138/2025/QĐ-UBND; MOH 3621/QĐ-BYT): the reasons are asked for, the visit is
recorded with no code, and the form opens in the print preview; what was typed
stays, so the clerk can still receive if the citizen completes the dossier.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.applicants import parse_chip_qr
from counter_app.auth import Role
from counter_app.catalog import CatalogService
from counter_app.changes import Changes
from counter_app.errors import CounterError, ValidationError
from counter_app.guidance import REFUSAL, SUPPLEMENT, Guidance
from counter_app.reception import Receipt, ReceptionRequest
from printing.prepare import render_guidance
from ui.dossier_actions import ActionDialog
from ui.drafts_menu import DraftsMenu
from ui.print_preview import PdfPreviewDialog
from ui.reception_form import ReceptionForm
from ui.services import CounterServices

DRAFT_ONLY_ROLES = frozenset({Role.POSTAL_AGENT})


def format_money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


RECEIVED = Changes(dossiers=True, documents=True, fees=True)
"""A reception stores the dossier, its documents and any fee taken at the counter."""


class ReceptionScreen(QWidget):
    """Receives dossiers, or prepares drafts for a postal agent.

    Signals: received(object) with the Receipt; draftSaved(str) with the draft id;
    failed(str) with a message for the status bar; formReady(str form, bytes pdf) once a
    form 02/03 given without reception is rendered (its preview opens at the same time).
    """

    received = Signal(object)
    draftSaved = Signal(str)
    failed = Signal(str)
    formReady = Signal(str, bytes)

    def __init__(self, services: CounterServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.catalog = CatalogService(services.store)
        self.draft_mode = services.identity.role in DRAFT_ONLY_ROLES
        self.draft_id: str | None = None
        self.question: QMessageBox | None = None

        title = QLabel(self.tr("Chuẩn bị hồ sơ") if self.draft_mode else self.tr("Tiếp nhận hồ sơ"))
        title.setObjectName("pageTitle")
        self.drafts_button = QPushButton(self.tr("Hồ sơ nháp"))
        self.drafts_button.setObjectName("draftsButton")
        self.drafts_menu = DraftsMenu(services.reception, self.open_draft, self)
        self.drafts_button.setMenu(self.drafts_menu)
        self.new_button = QPushButton(self.tr("Hồ sơ mới (Ctrl+N)"))
        self.new_button.clicked.connect(self.ask_start_new)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch()
        top.addWidget(self.drafts_button)
        top.addWidget(self.new_button)

        self.form = ReceptionForm(self.catalog.search)
        self.appointment = QLabel()
        self.appointment.setObjectName("appointment")
        self.banner = QLabel()
        self.banner.setObjectName("fieldError")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.submit_button = QPushButton(
            self.tr("Lưu hồ sơ nháp (Ctrl+Enter)")
            if self.draft_mode
            else self.tr("Tiếp nhận và in (Ctrl+Enter)")
        )
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submit)
        self.guide_button = QPushButton(self.tr("Hướng dẫn bổ sung (F7)"))
        self.guide_button.setObjectName("guideButton")
        self.guide_button.setToolTip(
            self.tr("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02), không tiếp nhận")
        )
        self.guide_button.clicked.connect(self.guide)
        self.refuse_button = QPushButton(self.tr("Từ chối tiếp nhận (F8)"))
        self.refuse_button.setObjectName("refuseButton")
        self.refuse_button.setToolTip(self.tr("Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"))
        self.refuse_button.clicked.connect(self.refuse)
        self.appointment.setWordWrap(True)  # room for the buttons beside it on a narrow screen
        bottom = QHBoxLayout()
        bottom.addWidget(self.appointment, 1)
        if not self.draft_mode:  # a postal agent prepares; only a clerk turns a dossier away
            bottom.addWidget(self.guide_button)
            bottom.addWidget(self.refuse_button)
        else:
            self.guide_button.hide()
            self.refuse_button.hide()
        bottom.addWidget(self.submit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.banner)
        layout.addLayout(bottom)

        self.form.picker.procedureChosen.connect(self._procedure_chosen)
        self.form.cccd.editingFinished.connect(self._cccd_entered)
        self.form.tick_all.clicked.connect(self.form.checklist.tick_all)
        self._load_units()
        for keys, action in (
            ("Ctrl+Return", self.submit),
            ("Ctrl+Enter", self.submit),
            ("Ctrl+N", self.ask_start_new),
            ("Alt+A", self.form.checklist.tick_all),
            ("F2", self.form.picker.field.setFocus),
            ("F3", self.form.cccd.setFocus),
            ("F7", self.guide),
            ("F8", self.refuse),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self.update_appointment)
        self._clock.start()
        self.update_appointment()

    # Reacting to what is typed ---------------------------------------------

    def _load_units(self) -> None:
        combo = self.form.competent_unit
        combo.clear()
        for code, name in self.services.reception.units():
            suffix = "" if code == self.services.context.unit_code else self.tr(" (liên thông)")
            combo.addItem(f"{name}{suffix}", code)

    def _procedure_chosen(self, code: str) -> None:
        info = self.catalog.procedure(code)
        if info is None:
            return
        fee = info.fee_vnd + info.charge_vnd
        self.form.procedure_info.setText(
            self.tr("Thời hạn: {time} · Phí, lệ phí: {fee}").format(
                time=info.processing_label,
                fee=format_money(fee) if fee else self.tr("không thu"),
            )
        )
        self.form.checklist.show_requirements(info.requirements)
        self.form.checklist.setFocus()
        self.update_appointment()

    def _cccd_entered(self) -> None:
        text = self.form.cccd.text()
        scanned = parse_chip_qr(text)
        if scanned is not None:
            self.form.fill_applicant(scanned)
            self.form.applicant_hint.setText(self.tr("Đã đọc từ mã QR trên thẻ CCCD."))
            self.form.phone.setFocus()
            return
        if len(text.strip().replace(" ", "")) != 12:
            return
        known = self.services.reception.find_applicant(text)
        if known is None:
            self.form.applicant_hint.setText(self.tr("Người nộp lần đầu."))
            return
        self.form.fill_applicant(known)
        self.form.applicant_hint.setText(self.tr("Đã điền theo hồ sơ trước của người này."))

    def update_appointment(self) -> None:
        code = self.form.picker.chosen_code
        if not code:
            self.appointment.setText(self.tr("Ngày hẹn trả: chọn thủ tục để tính"))
            return
        try:
            due = self.services.reception.appointment(code)
        except CounterError as exc:
            self.appointment.setText(str(exc))
            return
        self.appointment.setText(
            self.tr("Hẹn trả kết quả: {time}, ngày {date}").format(
                time=self.tr("{hour} giờ {minute}").format(hour=f"{due:%H}", minute=f"{due:%M}"),
                date=f"{due:%d/%m/%Y}",
            )
        )

    # Saving ------------------------------------------------------------------

    def request(self) -> ReceptionRequest:
        return ReceptionRequest(
            procedure_code=self.form.picker.chosen_code or "",
            applicant=self.form.applicant(),
            documents=self.form.checklist.checks(),
            competent_unit_code=self.form.competent_unit.currentData(),
            return_method=self.form.return_method.currentData(),
            return_address=self.form.return_address.text(),
            sets_count=self.form.sets_count.value(),
            channel="postal" if self.draft_mode else "direct",
            note=self.form.note.text(),
            draft_id=self.draft_id,
            representative=self.form.representative(),
        )

    def first_field(self) -> QWidget:
        """Where the keyboard starts on this screen: the procedure search (F2)."""
        return self.form.picker.field

    def has_unsaved_input(self) -> bool:
        """Whether anything is typed that a fresh form, or a log-out, would lose."""
        return self.form.has_input()

    def submit(self) -> None:
        self._save(draft=self.draft_mode)

    def save_as_draft(self, then: Callable[[bool], None]) -> None:
        """Keep what is typed as a draft (before a log-out); ``then(saved)`` follows."""
        self._save(draft=True, then=then)

    def _save(self, *, draft: bool, then: Callable[[bool], None] | None = None) -> None:
        if not self.submit_button.isEnabled():
            return  # this screen's last save is still under way
        request = self.request()
        if request.draft_id and not self.draft_mode:
            request = ReceptionRequest(**{**request.__dict__, "channel": "postal"})
        identity = self.services.identity
        reception = self.services.reception
        self.submit_button.setEnabled(False)
        date_problem = self.form.date_of_birth_problem()

        def failed(error: Exception) -> None:
            self._failed(error)
            if then is not None:
                then(False)

        def drafted(draft_id: str) -> None:
            self._draft_saved(draft_id)
            if then is not None:
                then(True)

        if date_problem is not None:
            # The date never reaches the service; the rest is checked so all show at once.
            complete = not draft

            def check() -> None:
                errors = reception.problems(request, complete=complete)
                raise ValidationError({**errors, "date_of_birth": date_problem})

            self.services.runner.compute(self, check).on_failure(failed).run()
        elif draft:
            self.services.runner.write(
                self, lambda: reception.save_draft(request, identity)
            ).notifies(Changes(dossiers=True)).on_success(drafted).on_failure(failed).run()
        else:
            self.services.runner.write(self, lambda: reception.receive(request, identity)).notifies(
                RECEIVED
            ).on_success(self._received).on_failure(failed).run()

    # Forms 02 and 03 without reception ------------------------------------------

    def guide(self) -> None:
        """Form 02: what the applicant must bring, recorded without receiving the dossier."""
        self._turn_away(SUPPLEMENT, self.tr("Hướng dẫn bổ sung, hoàn thiện hồ sơ (mẫu 02)"))

    def refuse(self) -> None:
        """Form 03: why the dossier is not received, recorded without a code."""
        self._turn_away(REFUSAL, self.tr("Từ chối tiếp nhận hồ sơ (mẫu 03)"))

    def _turn_away(self, kind: str, title: str) -> None:
        if self.draft_mode or not self.guide_button.isEnabled():
            return
        if date_problem := self.form.date_of_birth_problem():  # said as reception says it
            self._show_errors({"date_of_birth": date_problem})
            return
        reception, identity = self.services.reception, self.services.identity
        self.form.show_errors({})
        self.banner.hide()

        def prepare(dialog: ActionDialog) -> Callable[[], Guidance]:
            request, reason, items = (
                self.request(),
                dialog.reason.toPlainText(),
                dialog.item_lines(),
            )
            return lambda: reception.turn_away(kind, request, reason, identity, items)

        dialog = ActionDialog(
            title,
            self.services.runner,
            prepare,
            self._print_guidance,
            # The form's fields show theirs; the dialog shows the rest (reason, items).
            invalid=lambda exc: self.form.show_errors(exc.errors),
            with_items=kind == SUPPLEMENT,
            parent=self,
        )
        dialog.setObjectName(f"turnAway_{kind}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _print_guidance(self, guidance: Guidance) -> None:
        store, settings = self.services.store, self.services.settings
        self.guide_button.setEnabled(False)
        self.refuse_button.setEnabled(False)
        self.services.runner.compute(
            self, lambda: render_guidance(store, guidance.id, settings)
        ).on_success(lambda pdf: self._preview_guidance(guidance, pdf)).on_failure(
            self._guidance_not_printed
        ).run()

    def _preview_guidance(self, guidance: Guidance, pdf: bytes) -> None:
        self.guide_button.setEnabled(True)
        self.refuse_button.setEnabled(True)
        self.formReady.emit(guidance.kind, pdf)
        title = (
            self.tr("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
            if guidance.kind == SUPPLEMENT
            else self.tr("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
        )
        name = f"{guidance.kind}-{guidance.at:%Y%m%d-%H%M%S}.pdf"
        dialog = PdfPreviewDialog(pdf, title, name, self)
        dialog.setObjectName("printPreview")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _guidance_not_printed(self, error: Exception) -> None:
        self.guide_button.setEnabled(True)
        self.refuse_button.setEnabled(True)
        message = self.tr("Đã ghi nhận nhưng chưa in được phiếu ({error}).").format(error=error)
        self.banner.setText(message)
        self.banner.show()
        self.failed.emit(message)

    def _received(self, receipt: Receipt) -> None:
        self.submit_button.setEnabled(True)
        self.start_new()
        self.received.emit(receipt)

    def _draft_saved(self, draft_id: str) -> None:
        self.submit_button.setEnabled(True)
        self.start_new()
        self.draftSaved.emit(draft_id)

    def _failed(self, error: Exception) -> None:
        self.submit_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self._show_errors(error.errors)
            return
        message = (
            str(error)
            if isinstance(error, CounterError)
            else self.tr(
                "Không lưu được hồ sơ ({error}). Dữ liệu đã nhập vẫn còn; hãy thử lại."
            ).format(error=error)
        )
        self.banner.setText(message)
        self.banner.show()
        self.failed.emit(message)

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.form.show_errors(errors)
        unplaced = {k: v for k, v in errors.items() if k not in self.form.errors}
        self.banner.setText("\n".join(unplaced.values()))
        self.banner.setVisible(bool(unplaced))
        widget = self.form.first_error_widget(errors)
        if widget is not None:
            widget.setFocus()
        self.failed.emit(self.tr("Hồ sơ chưa lưu: hãy sửa các ô báo đỏ."))

    def ask_start_new(self) -> None:
        """Ctrl+N: start afresh, asking first when something is half-typed."""
        if not self.has_unsaved_input():
            self.start_new()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Nhập hồ sơ mới"),
            self.tr("Biểu mẫu đang có nội dung chưa lưu. Xóa hết để nhập hồ sơ mới?"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("clearFormQuestion")
        clear = box.addButton(self.tr("Xóa và nhập mới"), QMessageBox.ButtonRole.DestructiveRole)
        clear.setObjectName("clearFormYes")
        keep = box.addButton(self.tr("Tiếp tục nhập"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("clearFormNo")
        box.setDefaultButton(keep)
        box.buttonClicked.connect(lambda button: self._start_new_answered(button is clear))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "question", None))
        self.question = box
        box.open()

    def _start_new_answered(self, clear: bool) -> None:
        if clear:
            self.start_new()
        else:
            self.form.picker.field.setFocus()

    def start_new(self) -> None:
        self.draft_id = None
        self.form.clear()
        self.banner.hide()
        self._load_units()
        self.update_appointment()
        self.form.picker.field.setFocus()

    # Drafts ------------------------------------------------------------------

    def open_draft(self, draft_id: str) -> None:
        self.open_request(self.services.reception.draft_request(draft_id))
        self.form.applicant_hint.setText(self.tr("Hồ sơ nháp do nhân viên bưu điện chuẩn bị."))

    def open_request(self, request: ReceptionRequest) -> None:
        """Fill the form from ``request`` (a draft, or a dossier to receive again)."""
        self.start_new()
        self.draft_id = request.draft_id
        info = self.catalog.procedure(request.procedure_code)
        label = f"{request.procedure_code}  ·  {info.name}" if info else request.procedure_code
        self.form.picker.choose_code(request.procedure_code, label)
        self.form.checklist.set_checks(request.documents)
        self.form.fill_applicant(request.applicant)
        self.form.sets_count.setValue(request.sets_count)
        self.form.note.setText(request.note)
        index = self.form.competent_unit.findData(request.competent_unit_code)
        self.form.competent_unit.setCurrentIndex(max(0, index))
        self.form.return_method.setCurrentIndex(
            max(0, self.form.return_method.findData(request.return_method))
        )
        self.form.return_address.setText(request.return_address or "")
        self.form.fill_representative(request.representative)
