"""Số liệu thống kê: the supervisor's tally of a day or a range, on screen, printed, exported.

The figures are ``counter_app.tallies``' (computed off the GUI thread, a
second or so on a store of a million dossiers); this screen only picks the
dates, shows them (a chart painted by ``TallyChart`` and a table per view),
and hands them to ``printing`` for the PDF and to ``tally_export`` for the
XLSX and CSV files. The dossier book of the same dates prints from here too,
the year's working calendar (``ui.calendar_screen``) opens from here, and a
second tab shows the digitization index of the same dates (``ui.index_panel``).

The widgets are ``ui.reports_view``'s; ``ReportsDriver`` here decides what
happens on each action: computing, printing and exporting through the
operation helper, and computing again when the change notice says the
figures moved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from counter_app.changes import Changes
from counter_app.os_errors import os_reason
from counter_app.tallies import Tally
from counter_app.tally_export import to_csv, to_xlsx
from printing.report_print import (
    book_pdf,
    load_unit_book,
    load_unit_tally,
    tally_pdf,
    unit_book_fields,
)
from ui.calendar_screen import WorkCalendarDialog
from ui.index_panel import IndexPanel
from ui.operations import CancelFlag
from ui.print_preview import PdfPreviewDialog
from ui.reports_view import ReportsView
from ui.services import CounterServices


class ReportsScreen(ReportsView):
    """The tally of the chosen dates: the view of ``ui.reports_view`` driven by
    ``ReportsDriver``, with the digitization index in its second tab.
    Signals: those of ``ReportsView``."""

    def __init__(
        self, services: CounterServices, parent: QWidget | None = None, *, preview: bool = True
    ) -> None:
        super().__init__(services.clock.now().date(), parent)
        self.services = services
        self.preview = preview
        self.index_panel = IndexPanel(services, self.period, preview=preview)
        self.index_panel.setObjectName("indexPanel")
        self.index_panel.pdfReady.connect(self.pdfReady)
        self.index_panel.exported.connect(self.exported)
        self.index_panel.failed.connect(self.failed)
        self.add_index_tab(self.index_panel)
        self.driver = ReportsDriver(services, self, preview=preview)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.driver.shown()

    def load(self) -> None:
        self.driver.load()

    def print_report(self) -> None:
        self.driver.print_report()

    def print_book(self) -> None:
        self.driver.print_book()

    def open_calendar(self) -> WorkCalendarDialog:
        return self.driver.open_calendar()

    def choose_export(self) -> None:
        self.driver.choose_export()

    def export_to(self, path: Path) -> None:
        self.driver.export_to(path)


class ReportsDriver(QObject):
    """What the reports screen does on each action; the view only shows what it is given.

    Signals: none (it speaks through the view's).
    """

    def __init__(self, services: CounterServices, view: ReportsView, *, preview: bool) -> None:
        super().__init__(view)
        self.services = services
        self.view = view
        self.preview = preview
        self.stale = False  # the tally shown predates a change; computed again when shown
        view.show_book_fields(unit_book_fields(services.store))
        view.show_button.clicked.connect(self.load)
        view.print_button.clicked.connect(self.print_report)
        view.export_button.clicked.connect(self.choose_export)
        view.book_button.clicked.connect(self.print_book)
        view.calendar_button.clicked.connect(self.open_calendar)
        services.notice.changed.connect(self.on_changes)

    # Computing -------------------------------------------------------------------

    def on_changes(self, changes: Changes, source: QObject | None) -> None:
        """A tally on screen is computed again after dossiers or fees changed (a second on a
        large store, so only while the screen is shown; otherwise when it is next shown)."""
        if changes.catalog:
            self.view.show_book_fields(unit_book_fields(self.services.store))
        if not changes.records or self.view.tally is None:
            return
        if self.view.isVisible() and self.view.show_button.isEnabled():
            self._reload()
        else:
            self.stale = True

    def shown(self) -> None:
        """The screen came into view: a tally gone stale meanwhile is computed again."""
        if self.stale and self.view.tally is not None and self.view.show_button.isEnabled():
            self._reload()

    def load(self) -> None:
        """Compute the tally of the chosen dates off the GUI thread, then show it."""
        self._compute(*self.view.period())

    def _reload(self) -> None:
        """The tally on screen again, for its own dates (not dates chosen since, unasked)."""
        if self.view.tally is not None:
            self._compute(self.view.tally.first, self.view.tally.last)

    def _compute(self, first: dt.date, last: dt.date) -> None:
        store, now = self.services.store, self.services.clock.now()
        self.stale = False
        self.view.show_computing()
        self.services.runner.compute(
            self.view, lambda: load_unit_tally(store, first, last, now)
        ).on_success(self._shown).on_failure(self._failed).run()

    def _shown(self, tally: Tally) -> None:
        self.view.show_tally(tally)
        self.view.tallyReady.emit(tally)

    def _failed(self, error: Exception) -> None:
        self.view.show_not_computed()
        self.view.failed.emit(self.tr("Không tính được số liệu: {error}").format(error=error))

    # Printing and exporting ------------------------------------------------------

    def print_report(self) -> None:
        """Render the tally on screen as the printed report, then preview it."""
        tally = self.view.tally
        if tally is None:
            return
        settings, now = self.services.settings, self.services.clock.now()
        who = self.services.user.full_name if self.services.user else ""
        title = self.tr("Báo cáo số liệu — {period}").format(period=tally.period_label)
        self.services.runner.compute(
            self.view, lambda: tally_pdf(tally, settings, now, who)
        ).on_success(lambda pdf: self._ready(title, pdf, "bao-cao-so-lieu.pdf")).on_failure(
            lambda error: self.view.failed.emit(
                self.tr("Không in được báo cáo: {error}").format(error=error)
            )
        ).run()

    def print_book(self) -> None:
        """The dossier book (form 07) of the chosen dates, of the chosen field or all."""
        first, last = self.view.period()
        field = str(self.view.book_field.currentData() or "")
        store, settings, now = (
            self.services.store,
            self.services.settings,
            self.services.clock.now(),
        )
        title = self.tr("Sổ theo dõi hồ sơ")
        self.view.book_button.setEnabled(False)

        def done(pdf: bytes) -> None:
            self.view.book_button.setEnabled(True)
            self._ready(title, pdf, "so-theo-doi-ho-so.pdf")

        def failed(error: Exception) -> None:
            self.view.book_button.setEnabled(True)
            self.view.failed.emit(self.tr("Không in được sổ: {error}").format(error=error))

        stop = CancelFlag()

        def make() -> bytes:
            # A year's book reads thousands of dossiers, then draws them: "Hủy" stops between.
            book = load_unit_book(store, first, last, field)
            stop.check()
            return book_pdf(book, settings, now)

        self.services.runner.compute(self.view, make).with_progress(
            self.tr("Đang lập sổ theo dõi hồ sơ…"), cancel=stop
        ).on_success(done).on_failure(failed).on_cancelled(
            lambda: self.view.book_button.setEnabled(True)
        ).run()

    def open_calendar(self) -> WorkCalendarDialog:
        """The year's days off and make-up days, to check and print (Lịch làm việc)."""
        dialog = WorkCalendarDialog(self.services, self.view, preview=self.preview)
        dialog.setObjectName("calendarDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.screen_widget.failed.connect(self.view.failed)
        dialog.open()
        return dialog

    def _ready(self, title: str, pdf: bytes, name: str) -> None:
        self.view.pdfReady.emit(title, pdf)
        if self.preview:
            dialog = PdfPreviewDialog(pdf, title, name, self.view)
            dialog.setObjectName("printPreview")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def choose_export(self) -> None:
        """Ask where to save (Excel or CSV by the name's ending), without blocking the window."""
        if self.view.tally is None:
            return
        first, last = self.view.tally.first, self.view.tally.last
        suggested = f"so-lieu-{first:%Y%m%d}" + ("" if first == last else f"-{last:%Y%m%d}")
        dialog = QFileDialog(self.view, self.tr("Xuất số liệu"))
        dialog.setObjectName("exportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setNameFilters([self.tr("Bảng tính Excel (*.xlsx)"), self.tr("Tệp CSV (*.csv)")])
        dialog.setDefaultSuffix("xlsx")
        dialog.selectFile(f"{suggested}.xlsx")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Write the tally on screen to ``path``: CSV when it ends in .csv, else XLSX."""
        if self.view.tally is None:
            return
        tally = self.view.tally

        def write() -> None:
            data = to_csv(tally) if path.suffix.lower() == ".csv" else to_xlsx(tally)
            path.write_bytes(data)

        self.services.runner.compute(self.view, write).on_success(
            lambda _none: self.view.exported.emit(str(path))
        ).on_failure(lambda error: self._not_written(path, error)).run()

    def _not_written(self, path: Path, error: Exception) -> None:
        if not isinstance(error, OSError):
            self.view.failed.emit(self.services.runner.describe(error))
            return
        self.view.failed.emit(
            self.tr("Không ghi được tệp {path}: {error}").format(path=path, error=os_reason(error))
        )
