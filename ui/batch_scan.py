"""Nhận lô quét: a scanned stack filed at its separator sheets from the Số hóa screen.

The stack is the scanner's new files in the inbox, in the order they came,
or files chosen by hand when the inbox is empty. The filing itself is
``counter_app.scan_batch.ScanBatch``, the same as ``counter-app scan-batch``;
it runs on the compute pool (``ui.operations``) and reports each page it reads through a
signal, so the window shows how far it got and stays live. Nothing is lost:
what could not be filed is copied, with its reason, to the data directory's
``scan-set-aside`` folder, and the scanner's file it came from stays in the
scanner folder. The scanner's other files go once every PDF made from the
batch reads back whole (``counter_app.scan_folder.release_batch``), as after
any attachment from the scanner, unless ``keep_scanner_files`` keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.attachments import AttachmentService
from counter_app.changes import Changes
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import CounterError
from counter_app.intake import format_size
from counter_app.scan_batch import SET_ASIDE_FOLDER, BatchReport, ScanBatch
from counter_app.scan_folder import Released, from_folder, release_batch
from ui.page_strip import PreparedFile
from ui.scan_inbox import ScanInbox
from ui.services import CounterServices

FILE_FILTER = "*.jpg *.jpeg *.png *.tif *.tiff *.pdf"


class BatchProgress(QObject):
    """Carries the worker's page count to the GUI thread (a queued signal)."""

    advanced = Signal(int, str)


class BatchPanel(QWidget):
    """The batch button, the blank-page setting and the progress of a batch being filed.

    Signals: filed(BatchReport) when a batch is done; blankChosen(bool) when the
    blank-page setting is changed (the screen saves it); message(str); failed(str).
    """

    filed = Signal(object)
    blankChosen = Signal(bool)
    message = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        services: CounterServices,
        service: AttachmentService,
        inbox: ScanInbox,
        settings: Callable[[], DigitizeSettings],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.service = service
        self.inbox = inbox
        self.settings = settings
        self.running = False
        self.summary: BatchSummaryDialog | None = None
        self.progress = BatchProgress(self)  # advanced(pages read, "file, trang n")
        self.progress.advanced.connect(self._advanced)
        self._files: list[str] = []
        self._taken: list[PreparedFile] = []

        self.button = QPushButton(self.tr("Nhận lô quét"))
        self.button.setObjectName("batchButton")
        self.button.setToolTip(
            self.tr(
                "Tách xấp giấy đã scan tại các phiếu tách và đính kèm từng giấy tờ vào hồ sơ "
                "của nó (Ctrl+B). Lấy các tệp mới từ máy scan; chưa có tệp nào thì chọn tệp."
            )
        )
        self.button.clicked.connect(self.start)
        self.blank_box = QCheckBox(self.tr("Bỏ trang trắng"))
        self.blank_box.setObjectName("dropBlank")
        self.blank_box.setToolTip(
            self.tr("Không đính kèm các trang trắng (mặt sau của giấy in một mặt)")
        )
        self.blank_box.setChecked(settings().drop_blank_pages)
        self.blank_box.toggled.connect(self.blankChosen.emit)
        self.bar = QProgressBar()
        self.bar.setObjectName("batchProgress")
        self.bar.setRange(0, 0)  # the page count of a PDF is known only once it is read
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.state = QLabel()
        self.state.setObjectName("hint")
        self.state.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.blank_box)
        row.addStretch()
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.bar)
        layout.addWidget(self.state)
        self._show_running(False)

    def start(self) -> None:
        """The inbox's new files, or a file dialog when there are none."""
        if self.running:
            return
        taken = self.inbox.take_prepared()
        paths = [one.file.origin for one in taken if one.file.origin is not None]
        if paths:
            self.file(paths, taken)
            return
        dialog = QFileDialog(self, self.tr("Chọn các tệp của xấp đã scan, theo thứ tự"))
        dialog.setObjectName("batchFilesDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([self.tr("Ảnh và PDF ({patterns})").format(patterns=FILE_FILTER)])
        if self.inbox.folder is not None:
            dialog.setDirectory(str(self.inbox.folder))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda names: self.file(sorted(Path(n) for n in names)))
        dialog.open()

    def file(self, paths: Sequence[Path], taken: Sequence[PreparedFile] = ()) -> None:
        """File ``paths`` in this order on the compute pool; ``taken`` go back on failure."""
        data_dir = self.services.store.data_dir
        if self.running or not paths:
            return
        if data_dir is None:
            self.failed.emit(self.tr("Máy này chưa có thư mục dữ liệu để để riêng các trang."))
            return
        settings, identity = self.settings(), self.services.identity
        keep_blank = not self.blank_box.isChecked()
        batch = ScanBatch(
            self.service, settings, identity, data_dir / SET_ASIDE_FOLDER, keep_blank=keep_blank
        )
        progress = self.progress.advanced
        self._files = [path.name for path in paths]
        self._taken = list(taken)
        files = list(paths)

        def work() -> BatchReport:
            return batch.file(files, lambda seen, where: progress.emit(seen, where))

        def failed(error: Exception) -> None:
            self._show_running(False)
            for one in taken:
                self.inbox.add_prepared(one)
            if isinstance(error, CounterError):
                text = str(error)
            else:
                text = self.tr(
                    "Không nhận được lô quét ({error}); các tệp vẫn còn nguyên, hãy thử lại."
                ).format(error=error)
            self.failed.emit(text)

        self._show_running(True)
        self.state.setText(self.tr("Đang đọc {files} tệp…").format(files=len(files)))
        # Minutes of reading and filing, one short transaction per document: on the pool,
        # so the writer (every save of the window) is not held for the whole batch.
        self.services.runner.compute(self, work).notifies(
            Changes(dossiers=True, documents=True)
        ).on_success(self._done).on_failure(failed).run()

    def _advanced(self, seen: int, where: str) -> None:
        if not self.running:
            return
        name = where.rsplit(", trang ", 1)[0]
        number = self._files.index(name) + 1 if name in self._files else 0
        self.state.setText(
            self.tr("Đã đọc {pages} trang · tệp {file}/{files}: {where}").format(
                pages=seen, file=number, files=len(self._files), where=where
            )
        )

    def _done(self, report: BatchReport) -> None:
        self._show_running(False)
        self.state.setText(
            self.tr("Lô vừa nhận: {filed} giấy tờ đính kèm, {aside} trang để riêng.").format(
                filed=len(report.filed), aside=len(report.set_aside)
            )
        )
        self.state.show()
        self.summary = BatchSummaryDialog(report, len(self._files), self)
        self.summary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary.open()
        self.message.emit(self.state.text())
        self.filed.emit(report)
        self._release(report)

    def _release(self, report: BatchReport) -> None:
        """The scanner's files of the batch leave the folder once its PDFs are verified."""
        folder, taken, self._taken = self.inbox.folder, self._taken, []
        if folder is None or self.settings().keep_scanner_files:
            return
        scanned = from_folder([one.file for one in taken], folder)
        if not scanned:
            return
        blobs = self.service.blobs
        stored = [(item.sha256, item.page_count) for item in report.filed]
        aside = {item.source for item in report.set_aside}
        self.services.runner.compute(
            self, lambda: release_batch(scanned, blobs, stored, aside)
        ).on_success(self._released).on_failure(lambda error: self.failed.emit(str(error))).run()

    def _released(self, released: Released) -> None:
        if released.removed:
            text = self.tr("Đã kiểm tra các bản PDF và xóa {count} tệp gốc khỏi thư mục máy scan.")
            self.message.emit(text.format(count=len(released.removed)))
        if released.kept:
            text = self.tr("Giữ lại trong thư mục máy scan: {reasons}")
            self.message.emit(text.format(reasons=" ".join(reason for _, reason in released.kept)))

    def _show_running(self, running: bool) -> None:
        self.running = running
        self.button.setEnabled(not running)
        self.blank_box.setEnabled(not running)
        self.bar.setVisible(running)
        self.state.setVisible(running)


class BatchSummaryDialog(QDialog):
    """What became of every page of the batch, in words the postal agent acts on."""

    def __init__(self, report: BatchReport, files: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchSummary")
        self.setWindowTitle(self.tr("Kết quả nhận lô quét"))
        self.report = report
        heading = QLabel(
            self.tr(
                "Đã đọc {pages} trang từ {files} tệp: đính kèm {filed} giấy tờ, "
                "để riêng {aside} trang, bỏ {blank} trang trắng."
            ).format(
                pages=report.pages_seen,
                files=files,
                filed=len(report.filed),
                aside=len(report.set_aside),
                blank=report.blank_dropped,
            )
        )
        heading.setObjectName("summaryHeading")
        heading.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("summaryText")
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(self.lines()))
        self.text.setMinimumWidth(560)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(780, 560)  # a batch of a few dossiers read without scrolling

    def lines(self) -> list[str]:
        report = self.report
        lines: list[str] = []
        if report.filed:
            lines.append(self.tr("ĐÃ ĐÍNH KÈM"))
            dossiers: dict[str, list[str]] = {}
            for item in report.filed:
                dossiers.setdefault(item.label, []).append(
                    self.tr("  • Giấy tờ {number}. {name}: {pages} trang, {size}").format(
                        number=item.document,
                        name=item.document_name,
                        pages=item.page_count,
                        size=format_size(item.size),
                    )
                )
            for label, documents in dossiers.items():
                lines.append(self.tr("Hồ sơ {label}:").format(label=label))
                lines.extend(documents)
        else:
            lines.append(self.tr("Chưa đính kèm giấy tờ nào."))
        if report.set_aside:
            lines.append("")
            lines.append(self.tr("ĐỂ RIÊNG, CHƯA ĐÍNH KÈM (không đoán hồ sơ nào)"))
            for aside in report.set_aside:
                where = (
                    self.tr("{file}, trang {page}").format(file=aside.source, page=aside.page)
                    if aside.page is not None
                    else aside.source
                )
                lines.append(f"  • {where}: {aside.reason}")
            if report.folder is not None:
                lines.append(
                    self.tr(
                        "Bản chép các trang để riêng và lý do (LY-DO.txt) ở {folder}; tệp gốc "
                        "vẫn ở chỗ cũ. Hãy in lại phiếu tách đúng hồ sơ rồi scan lại, hoặc "
                        "đính kèm bằng tay."
                    ).format(folder=report.folder)
                )
        if report.blank_dropped:
            lines.append("")
            lines.append(
                self.tr("Bỏ {count} trang trắng (theo cài đặt «Bỏ trang trắng»).").format(
                    count=report.blank_dropped
                )
            )
        return lines
