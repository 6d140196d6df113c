"""The digitizing screen driven as a clerk or a postal agent drives it, on a real store."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.assembly import assemble, pages_of
from counter_app.attachments import AttachmentService
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.intake import inspect_content
from counter_app.ocr import LANGUAGE, OcrEngine, OcrIndex, tesseract_languages
from counter_app.reception import ReceptionRequest, ReceptionService
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.counter_store import UNIT_CODE, applicant
from tests.support.digitize_screen import answer_tray_question, click_row, drop_files
from tests.support.reception import request
from tests.support.widgets import show_active, type_into
from ui.digitize_screen import DigitizeScreen
from ui.services import CounterServices

AGENT = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)


@pytest.fixture
def services(store: Store, clock: FixedClock, clerk: StaffIdentity) -> Iterator[CounterServices]:
    counter = CounterServices.open(store, clock)
    counter.user = clerk
    yield counter
    counter.runner.wait()


def stored_pdf(services: CounterServices, sha256: str) -> PdfReader:
    return PdfReader(io.BytesIO(AttachmentService(services.store, services.clock).read_pdf(sha256)))


def test_import_reorder_rotate_delete_and_attach(
    qtbot: QtBot,
    tmp_path: Path,
    services: CounterServices,
    clerk: StaffIdentity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The PC's own tesseract decides nothing here: the detector at the edge says "absent".
    monkeypatch.setattr("ui.digitize_screen.find_engine", lambda: None)
    code = services.reception.receive(request(services.store), clerk).code
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    assert not screen.camera_button.isEnabled(), "no camera on this PC"
    assert screen.camera_note.isVisible() and "camera" in screen.camera_note.text()
    assert not screen.ocr_box.isVisible(), "no tesseract with Vietnamese: OCR is hidden"

    qtbot.keyClick(screen, Qt.Key.Key_F2)
    type_into(qtbot, screen.code, code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert code in screen.heading.text() and "Trần Thị Mai" in screen.heading.text()
    click_row(qtbot, screen.documents, 1)
    assert screen.current_slot() is not None and screen.current_slot().number == 2  # type: ignore[union-attr]

    first = files.write(tmp_path, "phan-a.pdf", files.pdf(1, text="Phan A"))
    scan = files.write(tmp_path, "trang.png", files.png())
    last = files.write(tmp_path, "phan-b.pdf", files.pdf(1, text="Phan B"))
    extra = files.write(tmp_path, "thua.jpg", files.jpeg())
    drop_files(screen.strip, [first, scan, last, extra])
    qtbot.waitUntil(lambda: screen.strip.count() == 4, timeout=10_000)
    assert "4 trang từ 4 tệp" in screen.summary.text()

    screen.strip.setFocus()
    screen.strip.select_rows([2])
    qtbot.keyClick(screen.strip, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(screen.strip, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert [p.source.name for p in screen.strip.pages()][:3] == [
        "phan-b.pdf",
        "phan-a.pdf",
        "trang.png",
    ]
    screen.strip.select_rows([2])
    qtbot.mouseClick(screen.right_button, Qt.MouseButton.LeftButton)
    assert screen.strip.item(2).text() == "Trang 3 · 90°"
    screen.strip.select_rows([3])
    qtbot.keyClick(screen.strip, Qt.Key.Key_Delete)
    assert screen.strip.count() == 3
    screen.strip.move_rows([0], 2)  # what a drag of page 1 onto page 3 does
    assert [p.source.name for p in screen.strip.pages()] == [
        "phan-a.pdf",
        "phan-b.pdf",
        "trang.png",
    ]

    with qtbot.waitSignal(screen.attached, timeout=10_000) as caught:
        qtbot.mouseClick(screen.attach_button, Qt.MouseButton.LeftButton)
    dossier_id, number, sha256 = caught.args
    assert number == 2
    reader = stored_pdf(services, sha256)
    assert "Phan A" in reader.pages[0].extract_text()
    assert "Phan B" in reader.pages[1].extract_text()
    assert [p.rotation for p in reader.pages] == [0, 0, 90]
    assert screen.strip.count() == 0
    assert "Đã đính kèm · 3 trang" in screen.documents.item(1).text()
    assert screen.view_button.isEnabled()
    slot = AttachmentService(services.store, services.clock).open(dossier_id).slot(2)
    assert slot.attachment_sha256 == sha256


def test_scanner_folder_file_shows_within_two_seconds_and_never_half_written(
    qtbot: QtBot, tmp_path: Path, services: CounterServices, clerk: StaffIdentity
) -> None:
    folder = tmp_path / "may-scan"
    folder.mkdir()
    files.write(folder, "cu.png", files.png())
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    screen.inbox.watch(folder)
    content = files.tiff_pages(2)
    growing = folder / "scan0001.tif"
    with growing.open("wb") as handle:
        for start in range(0, len(content), len(content) // 8):
            handle.write(content[start : start + len(content) // 8])
            handle.flush()
            qtbot.wait(150)
            assert screen.inbox.files.count() == 0, "taken while still being written"
    finished = time.monotonic()
    qtbot.waitUntil(lambda: screen.inbox.files.count() == 1, timeout=2_000)
    assert time.monotonic() - finished < 2.0
    assert "scan0001.tif\n2 trang" in screen.inbox.files.item(0).text()

    files.write(folder, "scan0002.pdf", files.png())  # the scanner software mislabelled it
    qtbot.waitUntil(lambda: screen.inbox.files.count() == 2, timeout=2_000)
    assert "«scan0002.pdf» có đuôi .pdf nhưng nội dung là ảnh PNG" in screen.banner.text()
    assert "scan0002.pdf" in screen.inbox.files.item(1).text()

    screen.inbox.files.item(0).setSelected(True)
    with qtbot.waitSignal(screen.inbox.takeRequested) as taken:
        qtbot.mouseClick(screen.inbox.take_button, Qt.MouseButton.LeftButton)
    assert [p.file.size for p in taken.args[0]] == [len(content)], "the whole file, once written"
    assert screen.strip.count() == 2
    assert screen.inbox.files.count() == 1


def test_scanner_files_are_deleted_once_their_pdf_is_verified_and_others_stay(
    qtbot: QtBot, tmp_path: Path, services: CounterServices, clerk: StaffIdentity
) -> None:
    code = services.reception.receive(request(services.store), clerk).code
    folder = tmp_path / "may-scan"
    folder.mkdir()
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    screen.open_dossier(code)
    click_row(qtbot, screen.documents, 0)
    screen.inbox.watch(folder)
    files.write(folder, "scan0001.png", files.png(seed=1))
    files.write(folder, "scan0002.png", files.png(seed=2))
    qtbot.waitUntil(lambda: screen.inbox.files.count() == 2, timeout=5_000)
    screen.inbox.files.item(0).setSelected(True)
    qtbot.mouseClick(screen.inbox.take_button, Qt.MouseButton.LeftButton)
    chosen = files.write(tmp_path, "tu-may.png", files.png(seed=3))
    drop_files(screen.strip, [chosen])
    qtbot.waitUntil(lambda: screen.strip.count() == 2, timeout=10_000)

    said: list[str] = []
    screen.message.connect(said.append)
    qtbot.mouseClick(screen.attach_button, Qt.MouseButton.LeftButton)
    released = "Đã kiểm tra bản PDF và xóa 1 tệp gốc khỏi thư mục máy scan."
    qtbot.waitUntil(lambda: released in said, timeout=10_000)
    assert not (folder / "scan0001.png").exists()
    assert (folder / "scan0002.png").exists(), "not taken: still waiting in the inbox"
    assert chosen.exists(), "a file chosen from elsewhere is the person's own"
    sha256 = AttachmentService(services.store, services.clock).open(code).slot(1).attachment_sha256
    assert sha256 is not None and len(stored_pdf(services, sha256).pages) == 2


def test_bad_files_are_named_and_nothing_is_stored(
    qtbot: QtBot, tmp_path: Path, services: CounterServices, clerk: StaffIdentity
) -> None:
    code = services.reception.receive(request(services.store), clerk).code
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    screen.open_dossier(code)
    locked = files.write(tmp_path, "ban-sao.pdf", files.encrypted_pdf())
    with qtbot.waitSignal(screen.failed, timeout=10_000) as caught:
        drop_files(screen.strip, [locked])
    assert "«ban-sao.pdf» được đặt mật khẩu" in caught.args[0]
    assert screen.banner.isVisible()
    assert screen.strip.count() == 0
    assert not screen.attach_button.isEnabled()
    assert services.store.data_dir is not None
    assert not (services.store.data_dir / "blobs").exists()


def test_the_citizens_earlier_pdf_is_offered_and_reused(
    qtbot: QtBot, services: CounterServices, clerk: StaffIdentity
) -> None:
    store, clock = services.store, services.clock
    reception = ReceptionService(store, clock)
    attachments = AttachmentService(store, clock)
    earlier = attachments.open(reception.receive(request(store), clerk).code)
    settings = DigitizeSettings()
    pdf = assemble(pages_of([inspect_content("to-khai.png", files.png(), settings)]), settings)
    attachments.attach(earlier.id, earlier.slot(1).document_id, pdf, clerk)
    now = reception.receive(request(store), clerk).code

    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    screen.open_dossier(now)
    click_row(qtbot, screen.documents, 0)
    assert screen.offer_list.isVisible() and screen.offer_list.count() == 1
    assert earlier.code is not None and earlier.code in screen.offer_list.item(0).text()
    with qtbot.waitSignal(screen.attached, timeout=10_000) as caught:
        qtbot.mouseClick(screen.reuse_button, Qt.MouseButton.LeftButton)
    assert caught.args[2] == pdf.sha256
    assert not screen.offer_list.isVisible(), "nothing else left to offer"
    assert "Đã đính kèm · 1 trang" in screen.documents.item(0).text()


def test_postal_agent_digitizes_a_draft_then_fixes_a_page(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock
) -> None:
    services = CounterServices.open(store, clock)
    services.user = AGENT
    draft_id = services.reception.save_draft(ReceptionRequest("1.001193", applicant()), AGENT)
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    screen.drafts_menu.aboutToShow.emit()
    [action] = screen.drafts_menu.actions()
    action.trigger()
    assert screen.target is not None and screen.target.id == draft_id
    assert "Hồ sơ nháp" in screen.heading.text()

    pages = [files.write(tmp_path, f"trang{n}.png", files.png(seed=n)) for n in range(3)]
    screen.import_paths(pages)
    qtbot.waitUntil(lambda: screen.strip.count() == 3, timeout=10_000)
    with qtbot.waitSignal(screen.attached, timeout=10_000) as first:
        qtbot.keyClick(screen.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    old_sha = first.args[2]

    screen.import_paths([files.write(tmp_path, "khac.png", files.png(seed=8))])
    qtbot.waitUntil(lambda: screen.strip.count() == 1, timeout=10_000)
    qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
    assert "còn 1 trang chưa đính kèm" in screen.banner.text()
    assert [p.source.name for p in screen.strip.pages()] == ["khac.png"], "not dropped silently"
    qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.strip.count() == 3, timeout=10_000)
    screen.strip.select_rows([1])
    qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.attached, timeout=10_000) as second:
        qtbot.mouseClick(screen.attach_button, Qt.MouseButton.LeftButton)
    new_sha = second.args[2]
    assert new_sha != old_sha
    assert len(stored_pdf(services, new_sha).pages) == 2
    assert len(stored_pdf(services, old_sha).pages) == 3, "the earlier blob is not deleted"

    with qtbot.waitSignal(screen.message, timeout=10_000):
        qtbot.mouseClick(screen.detach_button, Qt.MouseButton.LeftButton)
    assert "Chưa có bản số hóa" in screen.documents.currentItem().text()


def test_a_damaged_settings_file_is_named_and_the_defaults_used(
    qtbot: QtBot, services: CounterServices
) -> None:
    assert services.store.data_dir is not None
    (services.store.data_dir / "digitize.json").write_text("{ hỏng", encoding="utf-8")
    screen = DigitizeScreen(services)
    qtbot.addWidget(screen)
    assert "Tệp cài đặt số hóa hỏng" in screen.banner.text()
    assert screen.settings == DigitizeSettings()


def test_pages_never_follow_another_citizens_dossier(
    qtbot: QtBot, tmp_path: Path, store: Store, clock: FixedClock
) -> None:
    services = CounterServices.open(store, clock)
    services.user = AGENT
    reception = services.reception
    mai = reception.save_draft(ReceptionRequest("1.001193", applicant()), AGENT)
    other = applicant(
        full_name="Phạm Văn Dũng", cccd="036095001234", date_of_birth=dt.date(1995, 7, 5),
        sex="male",
    )  # fmt: skip
    dung = reception.save_draft(ReceptionRequest("1.001193", other), AGENT)
    service = AttachmentService(store, clock)
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)

    screen.open_dossier(mai)
    birth_form = [files.write(tmp_path, f"khai-sinh{n}.png", files.png(seed=n)) for n in (1, 2)]
    screen.import_paths(birth_form)
    qtbot.waitUntil(lambda: screen.strip.count() == 2, timeout=10_000)

    screen.open_dossier(dung)  # keep for later
    text = answer_tray_question(qtbot, "trayKeep")
    assert "2 trang" in text and "Trần Thị Mai" in text and "Phạm Văn Dũng" in text
    assert screen.target is not None and screen.target.id == dung
    assert screen.strip.count() == 0, "Mai's pages did not come along to Dũng's draft"

    screen.import_paths([files.write(tmp_path, "dung.png", files.png(seed=9))])
    qtbot.waitUntil(lambda: screen.strip.count() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.attached, timeout=10_000) as attached:
        screen.open_dossier(mai)  # attach Dũng's page to Dũng's draft first
        answer_tray_question(qtbot, "trayAttach")
    assert attached.args[0] == dung
    qtbot.waitUntil(lambda: screen.strip.count() == 2, timeout=10_000)
    assert screen.target is not None and screen.target.id == mai
    assert [p.source.name for p in screen.strip.pages()] == ["khai-sinh1.png", "khai-sinh2.png"]

    screen.open_dossier(dung)  # discard
    answer_tray_question(qtbot, "trayDiscard")
    assert screen.strip.count() == 0 and screen.target.id == dung
    screen.open_dossier(mai)
    assert screen.strip.count() == 0, "discarded pages are not kept anywhere"

    assert [s.attachment is not None for s in service.open(mai).documents] == [False] * len(
        service.open(mai).documents
    )
    [dung_pdf] = [s.attachment for s in service.open(dung).documents if s.attachment]
    assert dung_pdf.page_count == 1


@dataclass(frozen=True)
class WordsEngine(OcrEngine):
    """Tesseract's place taken at the edge: every image page "reads" as the given words."""

    words: str = ""

    def recognise(self, image: bytes) -> str:
        return self.words


def attach_one_scan(qtbot: QtBot, tmp_path: Path, screen: DigitizeScreen, code: str) -> str:
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    type_into(qtbot, screen.code, code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    drop_files(screen.strip, [files.write(tmp_path, "giay.png", files.png())])
    qtbot.waitUntil(lambda: screen.strip.count() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.attached, timeout=10_000) as attached:
        qtbot.mouseClick(screen.attach_button, Qt.MouseButton.LeftButton)
    screen.services.runner.wait()
    return str(attached.args[2])


def screen_reading(
    qtbot: QtBot,
    services: CounterServices,
    clerk: StaffIdentity,
    monkeypatch: pytest.MonkeyPatch,
    words: str,
) -> tuple[DigitizeScreen, str]:
    """Số hóa with an OCR engine that reads ``words`` on every page, and a dossier to scan for."""
    engine = WordsEngine("tesseract", words)
    monkeypatch.setattr("ui.digitize_screen.find_engine", lambda: engine)
    code = services.reception.receive(request(services.store), clerk).code
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    return screen, code


def test_ocr_box_shows_with_an_engine_and_its_text_is_kept_by_hash(
    qtbot: QtBot,
    tmp_path: Path,
    services: CounterServices,
    clerk: StaffIdentity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen, code = screen_reading(qtbot, services, clerk, monkeypatch, "Giấy chứng sinh số 42")
    assert screen.ocr_box.isVisible() and screen.ocr_box.isChecked()

    sha256 = attach_one_scan(qtbot, tmp_path, screen, code)
    qtbot.waitUntil(lambda: OcrIndex(services.store).search("chung sinh") == [sha256])
    assert OcrIndex(services.store).search("khai tu") == []


def test_ocr_unchecked_writes_no_text(
    qtbot: QtBot,
    tmp_path: Path,
    services: CounterServices,
    clerk: StaffIdentity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen, code = screen_reading(qtbot, services, clerk, monkeypatch, "Giấy chứng sinh")
    qtbot.mouseClick(screen.ocr_box, Qt.MouseButton.LeftButton)
    assert not screen.ocr_box.isChecked()
    attach_one_scan(qtbot, tmp_path, screen, code)
    assert OcrIndex(services.store).search("chung sinh") == []


@pytest.mark.skipif(
    shutil.which("tesseract") is None
    or LANGUAGE not in tesseract_languages(shutil.which("tesseract") or "tesseract"),
    reason="tesseract with Vietnamese (vie) is not installed on this PC",
)
def test_the_real_tesseract_is_found_and_offered(qtbot: QtBot, services: CounterServices) -> None:
    screen = DigitizeScreen(services)
    show_active(qtbot, screen)
    assert screen.ocr is not None and screen.ocr_box.isVisible()
