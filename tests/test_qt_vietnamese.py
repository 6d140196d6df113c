"""Qt's own strings (file dialog, standard buttons, context menu, calendar) in Vietnamese."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.paths import database_path
from counter_app.store import Store
from tests.support.counter_store import open_counter
from tests.support.tallies import HUNG
from ui import launcher
from ui.print_preview import PdfPreviewDialog
from ui.reception_screen import ReceptionScreen
from ui.reports_screen import ReportsScreen
from ui.services import CounterServices
from ui.translations import INSTALLED, install_translator

ENGLISH = ("File name", "Look in", "Files of type", "Save", "Cancel", "Yes", "No", "OK", "Copy",
           "Paste", "Undo", "Select All", "Delete", "Ward Counter")  # fmt: skip


@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[QApplication]:
    """The application as the launcher sets it up, put back afterwards for other tests."""
    name, locale = qapp.applicationName(), QLocale()
    app = launcher.application()
    yield app
    for translator in app.findChildren(QTranslator, INSTALLED):
        app.removeTranslator(translator)
        translator.setObjectName("")
    QLocale.setDefault(locale)
    app.setApplicationName(name)


def shown_texts(widget: QWidget) -> set[str]:
    """Labels and buttons of ``widget`` as the clerk reads them (mnemonic ``&`` dropped)."""
    found = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    found += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisible()]
    return {text.replace("&", "") for text in found if text}


def english_in(texts: set[str]) -> list[str]:
    return sorted(t for t in texts if any(word in t for word in ENGLISH))


def when_modal(then: Callable[[QWidget], None]) -> None:
    """Run ``then`` on the modal window that is about to block, once it shows."""

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible():
            QTimer.singleShot(20, look)
            return
        then(modal)

    QTimer.singleShot(0, look)


def a5_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A5)
    page.drawString(72, 500, "Giấy biên nhận")
    page.save()
    return out.getvalue()


def test_save_pdf_dialog_and_its_overwrite_question_speak_vietnamese(
    qtbot: QtBot, vietnamese: QApplication, tmp_path: Path
) -> None:
    existing = tmp_path / "bien-nhan.pdf"
    existing.write_bytes(b"%PDF-1.4 earlier\n")
    preview = PdfPreviewDialog(a5_pdf(), "Giấy biên nhận", str(existing))
    qtbot.addWidget(preview)
    seen: dict[str, set[str]] = {}

    def answer_no(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["question"] = shown_texts(box)
        box.button(QMessageBox.StandardButton.No).click()

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        seen["dialog"] = shown_texts(dialog)
        when_modal(answer_no)
        dialog.accept()  # the file exists: Qt asks before replacing it
        dialog.reject()

    when_modal(in_dialog)
    preview.save_as()

    dialog = seen["dialog"]
    assert {"Tên tệp:", "Tìm trong:", "Loại tệp:", "Lưu", "Hủy"} <= dialog, dialog
    assert english_in(dialog) == []
    question = seen["question"]
    assert {"Có", "Không"} <= question, question
    assert any("Ghi đè" in text for text in question), question
    assert english_in(question) == []
    assert existing.read_bytes() == b"%PDF-1.4 earlier\n", "answered no: nothing replaced"


def test_the_export_dialog_of_the_reports_screen_speaks_vietnamese(
    qtbot: QtBot, vietnamese: QApplication, store: Store, clock: FixedClock
) -> None:
    services = CounterServices.open(store, clock)
    services.user = HUNG
    screen = ReportsScreen(services, preview=False)
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.tallyReady, timeout=20_000):
        qtbot.mouseClick(screen.show_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    dialog = screen.findChild(QFileDialog, "exportDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    texts = shown_texts(dialog)
    assert {"Tên tệp:", "Lưu", "Hủy"} <= texts, texts
    assert english_in(texts) == []
    dialog.reject()


def test_a_text_field_context_menu_speaks_vietnamese(
    qtbot: QtBot, vietnamese: QApplication, store: Store, clock: FixedClock,
    clerk: StaffIdentity,
) -> None:  # fmt: skip
    services = CounterServices.open(store, clock)
    services.user = clerk
    screen = ReceptionScreen(services)
    qtbot.addWidget(screen)
    menu = screen.form.full_name.createStandardContextMenu()  # what a right click shows
    items = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert items == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]


def test_the_calendar_popup_names_months_in_vietnamese(
    qtbot: QtBot, vietnamese: QApplication, store: Store, clock: FixedClock
) -> None:
    services = CounterServices.open(store, clock)
    services.user = HUNG
    screen = ReportsScreen(services, preview=False)
    qtbot.addWidget(screen)
    calendar = screen.findChildren(QDateEdit)[0].calendarWidget()
    names = {calendar.locale().monthName(month).lower() for month in range(1, 13)}
    assert "tháng 1" in names, names
    assert not names & {"january", "december"}


def test_a_box_without_a_title_is_named_in_vietnamese(
    qtbot: QtBot, vietnamese: QApplication, tmp_path: Path
) -> None:
    assert QCoreApplication.applicationName() == "Một cửa"
    data_dir = tmp_path / "counter"
    open_counter(data_dir).close()
    database_path(data_dir).write_text("Biên bản bàn giao quầy\n", encoding="utf-8")
    seen: dict[str, object] = {}

    def read_and_close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["title"], seen["texts"] = box.windowTitle(), shown_texts(box)
        box.accept()

    when_modal(read_and_close)
    assert launcher.run(argparse.Namespace(data_dir=str(data_dir))) == 2

    assert seen["title"] == "Một cửa"
    texts = seen["texts"]
    assert isinstance(texts, set) and "Đồng ý" in texts, texts
    assert english_in(texts) == []


def test_english_replaces_the_vietnamese_qt_strings(vietnamese: QApplication) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    install_translator(vietnamese, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert QCoreApplication.translate("MainWindow", "Tiếp nhận") == "Reception"
    assert len(vietnamese.findChildren(QTranslator, INSTALLED)) == 1
    assert QLocale().language() == QLocale.Language.English
