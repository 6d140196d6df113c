"""A dossier found by the words on its scans, and lost again when the scan goes.

No tesseract is needed: the text is written through ``OcrIndex.save``, the same
call the digitize screen makes with what tesseract read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from counter_app import migrate
from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_query import DossierFilter, prepare
from counter_app.ocr import OcrIndex
from counter_app.paths import database_url
from counter_app.reception import ReceptionRequest, ReceptionService
from counter_app.store import Store, make_engine
from tests.support.counter_store import applicant
from tests.support.dossier_list import HUMAN_MS, shown
from tests.support.reception import request
from tests.support.scans import AGENT, made_pdf
from ui.dossier_list import DossierListWidget


def codes_found(store: Store, clock: FixedClock, words: str) -> list[str]:
    assert store.data_dir is not None
    hashes = frozenset(OcrIndex(store).search(words))
    flt = DossierFilter(scan_hashes=hashes)
    with store.read() as session:
        assert prepare(session, flt, clock.now()).count(session) == len(
            prepare(session, flt, clock.now()).fetch(session).rows
        )
        return [row.code for row in prepare(session, flt, clock.now()).fetch(session).rows]


def scanned_dossiers(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> tuple[AttachmentService, str, str, str]:
    """Two dossiers, the first with a scanned marriage certificate; its hash."""
    reception, service = ReceptionService(store, clock), AttachmentService(store, clock)
    first = service.open(reception.receive(request(store), clerk).code)
    other = reception.receive(request(store, applicant=applicant(cccd="001190054321")), clerk)
    pdf = made_pdf(4)
    service.attach(first.id, first.slot(1).document_id, pdf, clerk)
    assert store.data_dir is not None
    OcrIndex(store).save(pdf.sha256, "GIẤY CHỨNG NHẬN KẾT HÔN\nSố: 27/2019 Đỗ Văn Đức")
    return service, first.code or "", other.code, pdf.sha256


def test_words_on_a_scan_find_its_dossier_and_no_other(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    _service, code, _other, _sha = scanned_dossiers(store, clock, clerk)
    assert codes_found(store, clock, "ket hon") == [code], "without diacritics"
    assert codes_found(store, clock, "Đỗ Văn Đức") == [code], "with them, đ as d"
    assert codes_found(store, clock, "khai tu") == []


def test_a_detached_scan_finds_nothing_and_its_text_goes_with_the_blob(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service, code, _other, _sha = scanned_dossiers(store, clock, clerk)
    target = service.open(code)
    service.detach(target.id, target.slot(1).document_id, clerk)
    assert codes_found(store, clock, "ket hon") == [], "the document no longer holds the scan"


def test_gc_blobs_deletes_the_recognised_text_with_the_blob(
    store: Store, clock: FixedClock
) -> None:
    # A draft's replaced scan is owed to nobody (a received dossier's outbox keeps its blobs).
    service = AttachmentService(store, clock)
    draft = service.open(
        ReceptionService(store, clock).save_draft(ReceptionRequest("1.001193", applicant()), AGENT)
    )
    dropped, kept = made_pdf(5), made_pdf(6)
    assert store.data_dir is not None
    ocr = OcrIndex(store)
    service.attach(draft.id, draft.slot(1).document_id, dropped, AGENT)
    ocr.save(dropped.sha256, "Giấy chứng sinh")
    service.attach(draft.id, draft.slot(1).document_id, kept, AGENT)  # the page was redone
    ocr.save(kept.sha256, "Giấy chứng sinh, bản đúng")
    assert sorted(ocr.search("chung sinh")) == sorted([dropped.sha256, kept.sha256])

    report = service.collect_garbage(grace=dt.timedelta(0))
    assert report.removed == (dropped.sha256,)
    assert ocr.search("chung sinh") == [kept.sha256], "the deleted scan's text went with it"
    assert not (store.data_dir / "ocr" / f"{dropped.sha256}.txt").exists()


def listed(widget: DossierListWidget) -> list[str]:
    model = widget.model
    return [model.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(model.rowCount())]


def test_the_dossier_list_finds_a_dossier_by_the_words_on_its_scans(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service, code, other, _sha = scanned_dossiers(store, clock, clerk)
    widget = DossierListWidget(store, clock)
    shown(qtbot, widget)
    assert sorted(listed(widget)) == sorted([code, other])

    qtbot.mouseClick(widget.on_scans, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(widget.search, "ket hon", delay=HUMAN_MS)
    qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    assert listed(widget) == [code], "found by the words on its scan, not opened"
    assert widget.count_label.text() == "1 hồ sơ"

    target = service.open(code)
    service.detach(target.id, target.slot(1).document_id, clerk)
    widget.refresh()
    qtbot.waitUntil(lambda: listed(widget) == [])

    qtbot.mouseClick(widget.on_scans, Qt.MouseButton.LeftButton)  # back to names and codes
    assert listed(widget) == [], "nobody is named 'ket hon'"


def test_text_recognised_before_the_index_existed_is_indexed_by_the_upgrade(
    tmp_path: Path,
) -> None:
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0014_catalog_fts")
    (tmp_path / "ocr").mkdir()
    (tmp_path / "ocr" / f"{'b' * 64}.txt").write_text("Giấy chứng tử Đỗ Văn Đức", encoding="utf-8")
    migrate.upgrade(engine, "0015_ocr_search")
    with engine.connect() as connection:
        hits = connection.execute(
            text("SELECT sha256 FROM scan_text WHERE scan_text MATCH '\"duc\"'")
        ).all()
    assert hits == [("b" * 64,)]
    engine.dispose()


def test_an_unreadable_text_file_is_left_out_and_the_upgrade_goes_on(tmp_path: Path) -> None:
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0014_catalog_fts")
    (tmp_path / "ocr").mkdir()
    (tmp_path / "ocr" / f"{'a' * 64}.txt").mkdir()  # read_text raises IsADirectoryError
    (tmp_path / "ocr" / f"{'b' * 64}.txt").write_text("Giấy chứng tử Đỗ Văn Đức", encoding="utf-8")
    migrate.upgrade(engine, "0015_ocr_search")
    with engine.connect() as connection:
        indexed = connection.execute(text("SELECT sha256 FROM scan_text")).all()
    assert indexed == [("b" * 64,)]
    engine.dispose()
