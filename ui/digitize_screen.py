"""Số hóa giấy tờ: scan, photograph or pick the pages of each required document, one PDF each.

The person opens a dossier (by code, or a postal agent's draft), picks a line
of its checklist, gathers pages (the scanner's inbox, files chosen or dropped,
the camera), arranges them on the strip and presses "Ghép và đính kèm" (Ctrl+Enter).
Checking files, assembling and OCR run on the compute pool and attaching on
the store's writer (``ui.operations``); the window stays live.
An attached PDF can be viewed, taken apart again to fix a page, or detached;
the citizen's earlier PDFs for the same kind of paper are offered for reuse.

For a whole stack: "In phiếu tách" (Ctrl+P; Ctrl+Shift+P for the chosen
document alone) prints a separator sheet per document still to digitize, and
"Nhận lô quét" (Ctrl+B, ``ui.batch_scan``) files the scanned stack at its
separators, every document of every dossier in it, without a click per document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import (
    QObject,
    Qt,
)
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QWidget,
)

from counter_app.assembly import AssembledPdf, PageRef
from counter_app.attachments import AttachmentService, DocumentSlot, DossierTarget
from counter_app.changes import Changes
from counter_app.digitize_settings import (
    DigitizeSettings,
    load_digitize_settings,
    save_digitize_settings,
)
from counter_app.errors import CounterError, ValidationError
from counter_app.intake import format_size
from counter_app.ocr import OcrIndex, find_engine
from counter_app.scan_batch import BatchReport
from counter_app.scan_folder import Released, from_folder, release_originals
from counter_app.separator_view import separator_views
from counter_app.signed_copies import (
    CheckedDocument,
    InvalidSignature,
    assemble_checked,
    record_checked,
)
from counter_app.signing import SigningSettings, load_signing_settings
from counter_app.staged_pages import HeldPages, HeldPageStore, TrayChoice, choices, hold, must_ask
from printing.paper import Paper
from printing.separator import separators_pdf
from ui.batch_scan import BatchPanel
from ui.camera import CaptureDialog
from ui.change_notice import made_by
from ui.digitize_view import SLOT, DigitizeView
from ui.drafts_menu import DraftsMenu
from ui.page_strip import PreparedFile, prepare_file
from ui.print_preview import PdfPreviewDialog
from ui.services import CounterServices
from ui.signature_question import ask_about_signature

FILE_FILTER = "*.jpg *.jpeg *.png *.tif *.tiff *.pdf"
T = TypeVar("T")


class DigitizeScreen(DigitizeView):
    """Digitizes the documents of one dossier at a time: what happens on each action of the
    view of ``ui.digitize_view`` (its widgets and signals are the view's).
    """

    def __init__(self, services: CounterServices, parent: QWidget | None = None) -> None:
        settings, problem = _load_settings(services.store.data_dir)
        ocr = find_engine() if settings.ocr else None
        super().__init__(parent, ocr_available=ocr is not None)
        self.services = services
        self.service = AttachmentService(services.store, services.clock)
        self.data_dir = services.store.data_dir
        self._settings_problem = problem
        self.settings = settings
        self.ocr = ocr
        # File checks run side by side on the compute pool; their pages arrive in the order
        # the files were given (each entry: what to do once checked, or None while pending).
        self._checks: list[list[Callable[[], None]]] = []
        self.held = HeldPageStore(self.data_dir)
        self.question: QMessageBox | None = None
        self._connect()
        if self.settings.scanner_folder:
            self.inbox.watch(Path(self.settings.scanner_folder))
        services.notice.changed.connect(self.on_changes)
        if self._settings_problem:
            self._error(self._settings_problem)

    def _connect(self) -> None:
        """Each of the view's actions to what it does."""
        self.code.returnPressed.connect(lambda: self.open_dossier(self.code.text()))
        self.open_button.clicked.connect(lambda: self.open_dossier(self.code.text()))
        self.drafts_menu = DraftsMenu(self.services.reception, self.open_dossier, self)
        self.drafts_button.setMenu(self.drafts_menu)
        self.view_button.clicked.connect(self.view_attachment)
        self.edit_button.clicked.connect(self.edit_attachment)
        self.detach_button.clicked.connect(self.detach_attachment)
        self.separator_button.clicked.connect(lambda: self.print_separators())
        self.offer_list.itemDoubleClicked.connect(lambda _item: self.reuse_offer())
        self.reuse_button.clicked.connect(self.reuse_offer)
        self.strip.filesDropped.connect(self.import_paths)
        self.add_button.clicked.connect(self.choose_files)
        self.camera_button.clicked.connect(self.open_camera)
        self.attach_button.clicked.connect(lambda: self.assemble_and_attach())
        self.inbox.filesArrived.connect(lambda paths: self.import_paths(paths, to_inbox=True))
        self.inbox.takeRequested.connect(self._take)
        self.inbox.folderChosen.connect(self._folder_chosen)
        self.batch = BatchPanel(self.services, self.service, self.inbox, lambda: self.settings)
        self.batch.blankChosen.connect(lambda drop: self._save_setting(drop_blank_pages=drop))
        self.batch.filed.connect(self._batch_filed)
        self.batch.message.connect(self.message.emit)
        self.batch.failed.connect(self._error)
        self.inbox_column.insertWidget(1, self.batch)
        for keys, action in (
            ("Ctrl+Return", lambda: self.assemble_and_attach()),
            ("Ctrl+Enter", lambda: self.assemble_and_attach()),
            ("Ctrl+O", self.choose_files),
            ("Ctrl+P", lambda: self.print_separators()),
            ("Ctrl+Shift+P", lambda: self.print_separators(chosen_only=True)),
            ("Ctrl+B", self.batch.start),
            ("F2", self.code.setFocus),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def _show_target(self, target: DossierTarget, keep_row: int | None = None) -> None:
        self.show_target(target, self.service.reuse_offers(target.id), keep_row)

    # Building --------------------------------------------------------------

    def _folder_chosen(self, folder: str) -> None:
        self._save_setting(scanner_folder=folder)

    def _save_setting(self, **change: str | bool) -> None:
        """Change one setting over what is on disk now, so no other setting is undone."""
        current = _load_settings(self.data_dir)[0] if not self._settings_problem else self.settings
        self.settings = replace(current, **change)  # type: ignore[arg-type]
        if self.data_dir is not None:
            save_digitize_settings(self.data_dir, self.settings)

    def first_field(self) -> QWidget:
        """Where the keyboard starts on this screen: the dossier code (F2)."""
        return self.code

    # The dossier -----------------------------------------------------------

    def open_dossier(self, code_or_id: str) -> None:
        """Open a dossier by its code, or a draft by its id.

        Pages on the tray stay with the dossier they were gathered for: opening
        another one first asks what becomes of them (``staged_pages``).
        """
        if not code_or_id.strip():
            return
        if self._working:
            self._error(self.tr("Đang xử lý các trang; chờ xong rồi hãy mở hồ sơ khác."))
            return
        try:
            target = self.service.open(code_or_id)
        except CounterError as exc:
            self._error(str(exc))
            return
        owner = self.target.id if self.target is not None else None
        if must_ask(owner, self.strip.count(), target.id):
            self._ask_about_tray(target)
        else:
            self._open_target(target)

    def on_changes(self, changes: Changes, source: QObject | None) -> None:
        """Show the open dossier's documents again when someone else changed them.

        Not while pages are being put together: the attach shows the dossier when it ends.
        """
        target = self.target
        if target is None or self._working or made_by(self, source):
            return
        if not (changes.documents or changes.dossiers):
            return
        slot = self.current_slot()
        try:
            fresh = self.service.open(target.code or target.id)
        except CounterError:
            return  # gone (a draft received elsewhere): what is on screen stays until reopened
        self._show_target(fresh, keep_row=slot.number if slot is not None else None)

    def _open_target(self, target: DossierTarget) -> None:
        """Show ``target`` and bring back the pages kept for it, if any."""
        self._show_target(target)
        try:
            held = self.held.get(target.id)
        except CounterError as exc:
            self._error(str(exc))
            return
        if held is not None:
            self._restore(held)

    def _owner_text(self) -> str:
        assert self.target is not None
        return self.tr("{label} của {person}").format(
            label=self.target.label, person=self.target.applicant_name
        )

    def _ask_about_tray(self, opening: DossierTarget) -> None:
        """A window-modal question; the answer carries on in ``_tray_answered``."""
        slot = self.current_slot()
        owner = self._owner_text()
        text = self.tr(
            "Trên khay có {pages} trang chuẩn bị cho {owner}.\nBạn đang mở {opening} của {person}."
        ).format(
            pages=self.strip.count(),
            owner=owner,
            opening=opening.label,
            person=opening.applicant_name,
        )
        owner_person = self.target.applicant_name if self.target else ""
        number = slot.number if slot else 0
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Các trang chưa đính kèm"),
            text,
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("stagedPagesQuestion")
        box.setInformativeText(
            self.tr(
                "Các trang không được chuyển sang hồ sơ khác. Đính kèm: ghép vào giấy tờ "
                "{number} của {owner} rồi mở hồ sơ mới. Giữ lại: các trang chờ hồ sơ của "
                "{person}, mở lại hồ sơ đó là có lại. Bỏ: xóa các trang khỏi khay."
            ).format(number=number, owner=owner, person=owner_person)
        )
        labels = {
            TrayChoice.ATTACH: self.tr("Đính kèm vào giấy tờ {number}").format(number=number),
            TrayChoice.KEEP: self.tr("Giữ lại cho {person}").format(person=owner_person),
            TrayChoice.DISCARD: self.tr("Bỏ các trang"),
            TrayChoice.STAY: self.tr("Ở lại hồ sơ này"),
        }
        roles = {
            TrayChoice.ATTACH: QMessageBox.ButtonRole.AcceptRole,
            TrayChoice.KEEP: QMessageBox.ButtonRole.ActionRole,
            TrayChoice.DISCARD: QMessageBox.ButtonRole.DestructiveRole,
            TrayChoice.STAY: QMessageBox.ButtonRole.RejectRole,
        }
        buttons = {}
        for choice in choices(can_attach=slot is not None):
            button = box.addButton(labels[choice], roles[choice])
            button.setObjectName(f"tray{choice.value.capitalize()}")
            buttons[button] = choice
        keep = next(b for b, c in buttons.items() if c is TrayChoice.KEEP)
        box.setDefaultButton(keep)
        box.buttonClicked.connect(lambda button: self._tray_answered(buttons[button], opening))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "question", None))
        self.question = box
        box.open()

    def _tray_answered(self, choice: TrayChoice, opening: DossierTarget) -> None:
        if choice is TrayChoice.ATTACH:
            self.assemble_and_attach(then=lambda: self._open_target(opening))
        elif choice is TrayChoice.KEEP:
            if self.keep_for_later():
                self._open_target(opening)
        elif choice is TrayChoice.DISCARD:
            self.strip.clear_pages()
            self._open_target(opening)
        elif self.target is not None:
            self.code.setText(self.target.code or "")

    def keep_for_later(self) -> bool:
        """Keep the tray's pages under the open dossier's name; False when that failed."""
        pages = self.strip.pages()
        if self.target is None or not pages:
            return True
        target = self.target
        kept = hold(
            target.id,
            target.label,
            target.applicant_name,
            pages,
            self.services.identity.username,
            self.services.clock.now(),
        )
        try:
            self.held.put(kept)
        except CounterError as exc:
            self._error(str(exc))
            return False
        self.strip.clear_pages()
        text = self.tr("Đã giữ {pages} trang cho {owner}.")
        self.message.emit(text.format(pages=len(pages), owner=self._owner_text()))
        return True

    def _restore(self, held: HeldPages) -> None:
        """Check the kept files again off the GUI thread and put their pages back on the tray."""
        settings = self.settings

        def work() -> list[tuple[PageRef, QImage]]:
            prepared = [
                prepare_file(settings, name=one.name, content=one.content) for one in held.files
            ]
            refs = held.page_refs([p.file for p in prepared])
            return [
                (ref, prepared[p.file].thumbnails[p.index])
                for ref, p in zip(refs, held.pages, strict=True)
            ]

        def done(pages: list[tuple[PageRef, QImage]]) -> None:
            self.strip.add_pages(pages)
            self.held.release(held.target_id)
            text = self.tr("Đã đưa lại {pages} trang giữ cho hồ sơ này lên khay.")
            self.message.emit(text.format(pages=len(pages)))

        self._run(work, done)

    # Gathering pages -------------------------------------------------------

    def choose_files(self) -> None:
        kinds = self.tr("Ảnh và PDF ({patterns})").format(patterns=FILE_FILTER)
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Chọn ảnh hoặc PDF"), "", kinds)
        self.import_paths([Path(n) for n in names])

    def import_paths(self, paths: Sequence[Path], *, to_inbox: bool = False) -> None:
        """Check files off the GUI thread; scanner files wait in the inbox, the rest go on."""
        for path in paths:
            self._check_file(path, to_inbox)

    def _check_file(self, path: Path, to_inbox: bool) -> None:
        settings = self.settings

        def work() -> PreparedFile:
            return prepare_file(settings, path)

        arrival: list[Callable[[], None]] = []
        self._checks.append(arrival)

        def done(prepared: PreparedFile) -> None:
            arrival.append(lambda: self._prepared(prepared, to_inbox))
            self._deliver_checks()

        def refused(error: Exception) -> None:
            arrival.append(lambda: self._refused(path.name, error, to_inbox))
            self._deliver_checks()

        self._busy(+1)
        self.services.runner.compute(self, work).on_success(done).on_failure(refused).run()

    def _deliver_checks(self) -> None:
        while self._checks and self._checks[0]:
            [show] = self._checks.pop(0)
            self._busy(-1)
            show()

    def _prepared(self, prepared: PreparedFile, to_inbox: bool) -> None:
        if to_inbox:
            self.inbox.add_prepared(prepared)
            text = self.tr("Có tệp mới từ máy scan: {name}")
            self.message.emit(text.format(name=prepared.file.name))
        else:
            self.strip.add_pages(prepared.pages())

    def _refused(self, name: str, error: Exception, to_inbox: bool) -> None:
        if isinstance(error, CounterError):
            text = str(error)
        else:
            text = self.tr("Không đọc được tệp «{name}» ({error}); hãy thử lại.")
            text = text.format(name=name, error=error)
        if to_inbox:
            self.inbox.add_problem(name, text)
        self._error(text)

    def _take(self, prepared: list[PreparedFile]) -> None:
        for one in prepared:
            self.strip.add_pages(one.pages())

    def open_camera(self) -> None:
        dialog = CaptureDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.captured.connect(lambda path: self.import_paths([Path(path)]))
        dialog.open()

    # A whole stack ---------------------------------------------------------

    def print_separators(self, *, chosen_only: bool = False) -> None:
        """Separator sheets for the open dossier, rendered off the GUI thread, then previewed."""
        slot = self.current_slot()
        if self.target is None or (chosen_only and slot is None):
            self._error(self.tr("Hãy mở hồ sơ (và chọn giấy tờ) trước khi in phiếu tách."))
            return
        numbers = (slot.number,) if chosen_only and slot is not None else ()
        service, key, label = self.service, self.target.id, self.target.label
        paper: Paper = "A4" if self.services.settings.paper == "A4" else "A5"
        self.services.runner.compute(
            self, lambda: separators_pdf(separator_views(service, key, numbers), paper)
        ).on_success(lambda pdf: self._separators_ready(label, pdf)).on_failure(
            lambda error: self._error(
                self.tr("Không in được phiếu tách: {error}").format(error=error)
            )
        ).run()

    def _separators_ready(self, label: str, pdf: bytes) -> None:
        title = self.tr("Phiếu tách — {dossier}").format(dossier=label)
        dialog = PdfPreviewDialog(pdf, title, f"phieu-tach-{label}.pdf", self)
        dialog.setObjectName("separatorPreview")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _batch_filed(self, report: BatchReport) -> None:
        """Show the open dossier again: the batch may have filed some of its documents."""
        self.banner.hide()
        if self.target is None or self._working:
            return
        labels = {item.label for item in report.filed}
        if self.target.label in labels or f"hồ sơ nháp {self.target.id}" in labels:
            number = slot.number if (slot := self.current_slot()) else None
            try:
                self._show_target(self.service.open(self.target.id), keep_row=number)
            except CounterError as exc:
                self._error(str(exc))

    # Attaching -------------------------------------------------------------

    def _run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        writes: bool = False,
        progress: str = "",
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``work`` off the GUI thread (on the store's writer if it ``writes``, else on the
        compute pool); ``done`` gets its result back on the GUI thread, ``failed`` (else
        ``_failed``, the banner) an error."""

        def finished(result: T) -> None:
            self._busy(-1)
            done(result)

        runner = self.services.runner
        operation = runner.write(self, work) if writes else runner.compute(self, work)
        if progress:
            operation = operation.with_progress(progress)
        if writes:
            operation = operation.notifies(Changes(dossiers=True, documents=True))
        self._busy(+1)
        operation.on_success(finished).on_failure(failed or self._failed).run()

    def assemble_and_attach(
        self, then: Callable[[], None] | None = None, *, keep_invalid: bool = False
    ) -> None:
        """Attach the tray's pages to the chosen document; ``then`` runs once they are stored.

        A given PDF whose signature is broken stops the attach and asks
        (``signatureQuestion``); ``keep_invalid`` is the person's "attach all the same".
        """
        slot, pages = self.current_slot(), self.strip.pages()
        if self.target is None or slot is None:
            self._error(self.tr("Hãy mở hồ sơ và chọn giấy tờ cần đính kèm."))
            return
        if not pages:
            self._error(self.tr("Chưa có trang nào; hãy thêm tệp, lấy từ máy scan hoặc chụp ảnh."))
            return
        if self._working:
            return
        target, settings, identity = self.target, self.settings, self.services.identity
        service, signing = self.service, self._signing_settings()

        # Checking signatures and assembling are CPU work on the pool; storing is the
        # writer's, so a save elsewhere in the window never waits for pages being put together.
        def assembled() -> CheckedDocument:
            return assemble_checked(pages, settings, signing, keep_invalid=keep_invalid)

        def store(checked: CheckedDocument) -> None:
            def write() -> DossierTarget:
                attached = service.attach(target.id, slot.document_id, checked.pdf, identity)
                record_checked(service, checked)
                return attached

            self._run(write, lambda after: done(after, checked), writes=True)

        def done(after: DossierTarget, checked: CheckedDocument) -> None:
            self._attached(after, checked.pdf, slot.number, pages)
            self._tell_signatures(checked)
            if then is not None:
                then()

        def failed(error: Exception) -> None:
            if isinstance(error, InvalidSignature):
                self._busy(-1)
                self._ask_about_signature(error, then)
            else:
                self._failed(error)

        progress = self.tr("Đang ghép {pages} trang thành PDF…").format(pages=len(pages))
        self._run(assembled, store, progress=progress, failed=failed)

    def _signing_settings(self) -> SigningSettings:
        try:
            return load_signing_settings(self.data_dir)
        except CounterError as exc:
            self._error(str(exc))
            return SigningSettings()

    def _tell_signatures(self, checked: CheckedDocument) -> None:
        """Say what each given signed PDF's signature proved, and which did not survive."""
        lines = [status.describe(name) for name, status in checked.signatures.items()]
        lost = checked.lost_signatures()
        if lost:
            lines.append(
                self.tr(
                    "Tệp {names} được ghép cùng tệp khác nên bản đính kèm không còn chữ ký số "
                    "của tệp đó; hãy đính kèm riêng tệp đã ký để giữ chữ ký."
                ).format(names=", ".join(lost))
            )
        if any(s.kind != "valid" for s in checked.signatures.values()) or lost:
            self._error(" ".join(lines))
        elif lines:
            self.message.emit(" ".join(lines))

    def _ask_about_signature(
        self, error: InvalidSignature, then: Callable[[], None] | None
    ) -> None:
        """The person decides whether a PDF with a broken signature is attached all the same."""
        box = ask_about_signature(
            self,
            error,
            title=self.tr("Chữ ký số không hợp lệ"),
            explanation=self.tr(
                "Chưa đính kèm gì. Đính kèm dù chữ ký hỏng: tệp được lưu và chữ ký hỏng được "
                "ghi lại, hiển thị trong hồ sơ. Không đính kèm: các trang vẫn trên khay."
            ),
            keep=self.tr("Vẫn đính kèm"),
            stop=self.tr("Không đính kèm"),
            on_keep=lambda: self.assemble_and_attach(then, keep_invalid=True),
        )
        box.finished.connect(lambda _result: setattr(self, "question", None))
        self.question = box

    def _attached(
        self, target: DossierTarget, pdf: AssembledPdf, number: int, pages: list[PageRef]
    ) -> None:
        self.strip.clear_pages()
        self._show_target(target, keep_row=number)
        text = self.tr("Đã đính kèm {pages} trang ({size}) vào giấy tờ {number} của {dossier}.")
        size = format_size(pdf.size)
        self.message.emit(
            text.format(pages=pdf.page_count, size=size, number=number, dossier=target.label)
        )
        self.attached.emit(target.id, number, pdf.sha256)
        self._release_scans(pdf, pages)
        if self.ocr is not None and self.ocr_box.isChecked() and self.data_dir is not None:
            engine, index, runner = self.ocr, OcrIndex(self.services.store), self.services.runner

            def not_read(error: Exception) -> None:
                text = self.tr("Không nhận dạng được chữ trên bản quét (OCR): {error}")
                self.failed.emit(text.format(error=error))

            # Up to minutes of tesseract on the pool; only the index row goes to the writer.
            runner.compute(self, lambda: engine.recognise_pages(pages)).on_success(
                lambda text: (
                    runner.write(self, lambda: index.save(pdf.sha256, text))
                    .notifies(Changes(documents=True))
                    .on_failure(not_read)
                    .run()
                )
            ).on_failure(not_read).run()

    def _release_scans(self, pdf: AssembledPdf, pages: list[PageRef]) -> None:
        """Delete the scanner folder's files that went into ``pdf``, once it is verified."""
        folder = self.inbox.folder
        if folder is None or self.settings.keep_scanner_files:
            return
        scanned = from_folder([ref.source for ref in pages], folder)
        if not scanned:
            return
        blobs = self.service.blobs
        self.services.runner.compute(
            self, lambda: release_originals(scanned, blobs, pdf.sha256, pdf.page_count)
        ).on_success(self._released).on_failure(lambda error: self._error(str(error))).run()

    def _released(self, released: Released) -> None:
        if released.kept:
            text = self.tr("Giữ lại tệp gốc trong thư mục máy scan: {reasons}")
            self._error(text.format(reasons=" ".join(reason for _, reason in released.kept)))
        elif released.removed:
            text = self.tr("Đã kiểm tra bản PDF và xóa {count} tệp gốc khỏi thư mục máy scan.")
            self.message.emit(text.format(count=len(released.removed)))

    def reuse_offer(self) -> None:
        slot, item = self.current_slot(), self.offer_list.currentItem()
        if self.target is None or slot is None or item is None or self._working:
            return
        sha256, target, identity = str(item.data(SLOT)), self.target, self.services.identity
        service = self.service
        self._run(
            lambda: service.reuse(target.id, slot.document_id, sha256, identity),
            lambda after: self._reused(after, slot.number, sha256),
            writes=True,
        )

    def _reused(self, target: DossierTarget, number: int, sha256: str) -> None:
        self._show_target(target, keep_row=number)
        text = self.tr("Đã dùng lại bản số hóa cũ cho giấy tờ {number}.")
        self.message.emit(text.format(number=number))
        self.attached.emit(target.id, number, sha256)

    def detach_attachment(self) -> None:
        slot = self.current_slot()
        if self.target is None or slot is None or not slot.attachment_sha256 or self._working:
            return
        target, identity, service = self.target, self.services.identity, self.service
        self._run(
            lambda: service.detach(target.id, slot.document_id, identity),
            lambda after: self._detached(after, slot.number),
            writes=True,
        )

    def _detached(self, target: DossierTarget, number: int) -> None:
        self._show_target(target, keep_row=number)
        text = self.tr("Đã gỡ bản số hóa khỏi giấy tờ {number}.")
        self.message.emit(text.format(number=number))

    def view_attachment(self) -> None:
        """Open the attached PDF, read back and checked against its hash, in the preview."""
        slot = self.current_slot()
        if slot is None or slot.attachment is None:
            return
        service, sha256 = self.service, slot.attachment.sha256
        self._run(lambda: service.read_pdf(sha256), lambda pdf: self._preview(slot, pdf))

    def _preview(self, slot: DocumentSlot, pdf: bytes) -> None:
        name = f"giay-to-{slot.number}.pdf"
        dialog = PdfPreviewDialog(pdf, f"{slot.number}. {slot.name}", name, self)
        dialog.setObjectName("attachmentPreview")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_attachment(self) -> None:
        """Put the attached PDF's pages on the strip; attaching again makes a new blob."""
        slot = self.current_slot()
        if slot is None or slot.attachment is None:
            return
        if self.strip.count():
            self._error(
                self.tr(
                    "Trên khay còn {pages} trang chưa đính kèm; hãy đính kèm hoặc xóa chúng "
                    "trước khi sửa bản đã đính kèm."
                ).format(pages=self.strip.count())
            )
            return
        service, settings, sha256 = self.service, self.settings, slot.attachment.sha256
        name = f"giay-to-{slot.number}.pdf"

        def work() -> PreparedFile:
            return prepare_file(settings, name=name, content=service.read_pdf(sha256))

        self.strip.clear_pages()
        self._run(work, lambda prepared: self.strip.add_pages(prepared.pages()))

    # State -----------------------------------------------------------------

    def _failed(self, error: Exception) -> None:
        self._busy(-1)
        if isinstance(error, CounterError):
            self._error(str(error))
        else:
            text = self.tr("Không ghép hoặc lưu được ({error}); các trang vẫn còn, hãy thử lại.")
            self._error(text.format(error=error))

    def _busy(self, step: int) -> None:
        self._working += step
        self._refresh()


def _load_settings(data_dir: Path | None) -> tuple[DigitizeSettings, str]:
    """The digitizing settings, or the defaults with what is wrong with the file."""
    try:
        return load_digitize_settings(data_dir), ""
    except ValidationError as exc:
        return DigitizeSettings(), "; ".join(exc.errors.values())
