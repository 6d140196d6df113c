"""A scanned stack with separator sheets, filed per document without a click per document.

The separators are the real printed sheets (``printing/separator.py``), drawn
to pixels by pdfium and saved as JPEG the way a scanner writes them; the batch
is one scanner-made PDF of those JPEGs (img2pdf), or loose image files. What
each dossier holds at the end is read back from the store and its PDFs.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings, save_digitize_settings
from counter_app.scan_batch import BatchReport, ScanBatch, describe, look_at
from counter_app.separator_codes import SeparatorCode, read_separator, separator_code
from counter_app.separator_view import SeparatorView, load_separator_view
from counter_app.store import Store
from printing.separator import separator_pdf
from tests.support.cli import AS_ADMIN, run
from tests.support.scan_batch import (
    as_jpeg,
    blank_page,
    pages_of,
    scanned,
    scanner_pdf,
    separator,
    text_page,
    two_dossiers,
)


@pytest.fixture
def service(store: Store, clock: FixedClock) -> AttachmentService:
    return AttachmentService(store, clock)


def batch(service: AttachmentService, clerk: StaffIdentity, tmp_path: Path) -> ScanBatch:
    return ScanBatch(service, DigitizeSettings(), clerk, tmp_path / "set-aside")


def test_the_separator_text_is_read_back_and_other_codes_are_pages() -> None:
    code = separator_code("000.00.11.H57-261116-1001", 2)
    assert read_separator(code.text()) == SeparatorCode("000.00.11.H57-261116-1001", 2)
    with pytest.raises(ValueError):
        separator_code("bad/code", 1)


def test_a_printed_separator_is_read_from_its_scan_on_a4_and_a5(
    store: Store, clock: FixedClock, clerk: StaffIdentity, service: AttachmentService
) -> None:
    code, _ = two_dossiers(store, clock, clerk)
    for paper in ("A4", "A5"):
        view = load_separator_view(service, code, 2)
        pdf = separator_pdf(view, paper)  # type: ignore[arg-type]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "PHIẾU TÁCH GIẤY TỜ" in text and code in text and view.document_name[:20] in text
        look = look_at(Image.open(io.BytesIO(as_jpeg(scanned(pdf, 150)))))
        assert look.kind == "separator" and look.code == SeparatorCode(code, 2), paper


def test_a_stack_is_split_at_its_separators_and_each_part_filed(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    service: AttachmentService,
    tmp_path: Path,
) -> None:
    first, second = two_dossiers(store, clock, clerk)
    stack = [
        separator(service, first, 1),
        text_page(1),
        blank_page(),
        text_page(2),
        separator(service, first, 2),
        text_page(3),
        separator(service, second, 1),
        text_page(4),
        text_page(5),
        text_page(6),
    ]
    report = batch(service, clerk, tmp_path).file([scanner_pdf(tmp_path / "xap.pdf", stack)])
    assert [(f.label, f.document, f.page_count) for f in report.filed] == [
        (first, 1, 2),
        (first, 2, 1),
        (second, 1, 3),
    ]
    assert report.blank_dropped == 1 and report.set_aside == () and report.pages_seen == 10
    assert (pages_of(service, first, 1), pages_of(service, first, 2)) == (2, 1)
    assert (pages_of(service, second, 1), pages_of(service, second, 2)) == (3, None)
    assert "đính kèm 3 giấy tờ, bỏ 1 trang trắng" in describe(report)[-1]


def test_pages_before_the_first_separator_and_after_an_unreadable_one_are_set_aside(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    service: AttachmentService,
    tmp_path: Path,
) -> None:
    first, second = two_dossiers(store, clock, clerk)
    smudged = Image.open(io.BytesIO(separator(service, second, 1)))
    ImageDraw.Draw(smudged).rectangle((0, 700, smudged.width, smudged.height - 200), fill=255)
    stack = [
        text_page(1),  # before any separator: nobody's yet
        separator(service, first, 1),
        text_page(2),
        as_jpeg(smudged),
        text_page(3),
        text_page(4),  # whose? never guessed
    ]
    report = batch(service, clerk, tmp_path).file([scanner_pdf(tmp_path / "xap.pdf", stack)])
    assert [(f.label, f.document, f.page_count) for f in report.filed] == [(first, 1, 1)]
    assert [(s.page, s.reason.split(" (")[0]) for s in report.set_aside] == [
        (1, "trang nằm trước phiếu tách đầu tiên"),
        (5, "Sau một phiếu tách lỗi"),
        (6, "Sau một phiếu tách lỗi"),
    ]
    assert pages_of(service, second, 1) is None, "the unreadable separator's pages filed nowhere"
    assert report.folder is not None
    kept = sorted(p.name for p in report.folder.iterdir())
    assert "LY-DO.txt" in kept and len(kept) == 4
    reasons = (report.folder / "LY-DO.txt").read_text(encoding="utf-8")
    assert "xap.pdf, trang 5" in reasons and "phiếu tách không đọc được" in reasons
    assert len(PdfReader(report.folder / kept[0]).pages) == 1, "each page kept on its own"


def test_a_corrupt_file_and_an_unknown_dossier_are_set_aside_and_the_rest_filed(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    service: AttachmentService,
    tmp_path: Path,
) -> None:
    first, second = two_dossiers(store, clock, clerk)
    nobody = "000.00.11.H57-261116-9999"  # a code this counter never gave
    unknown = as_jpeg(
        scanned(separator_pdf(SeparatorView(nobody, nobody, "Ai đó", "Thủ tục", 1, "Giấy tờ")))
    )
    files = []
    for n, content in enumerate(
        [
            separator(service, first, 1),
            text_page(1),
            text_page(2)[:5000],  # cut off by a scanner that stopped mid-page
            text_page(3),
            unknown,
            text_page(4),
            separator(service, second, 2),
            text_page(5),
        ]
    ):
        path = tmp_path / f"scan{n:02d}.jpg"
        path.write_bytes(content)
        files.append(path)
    report = batch(service, clerk, tmp_path).file(files)
    assert [(f.label, f.document, f.page_count) for f in report.filed] == [
        (first, 1, 2),
        (second, 2, 1),
    ]
    where = [(s.source, s.page) for s in report.set_aside]
    assert where == [("scan02.jpg", None), ("scan05.jpg", 1)]
    assert "9999" in report.set_aside[1].reason and "Không tìm thấy" in report.set_aside[1].reason
    assert isinstance(report, BatchReport)


def test_the_cli_prints_separators_and_files_the_scanned_stack(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    service: AttachmentService,
    tmp_path: Path,
) -> None:
    first, second = two_dossiers(store, clock, clerk)
    where = str(store.data_dir)
    sheets = []
    for code, number in ((first, 2), (second, 1)):
        out = tmp_path / f"phieu-{number}.pdf"
        done = run(
            "print", "separator", code, "--document", str(number), "--out", str(out),
            "--data-dir", where,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert f"phiếu tách giấy tờ số {number}" in done.stdout
        sheets.append(as_jpeg(scanned(out.read_bytes())))
    no_number = ("print", "separator", first, "--out", str(tmp_path / "x.pdf"))
    missing = run(*no_number, "--data-dir", where)
    assert missing.returncode == 2 and "--document N" in missing.stderr

    stack = scanner_pdf(
        tmp_path / "xap.pdf", [text_page(9), sheets[0], text_page(1), sheets[1], text_page(2)]
    )
    done = run("scan-batch", str(stack), "--data-dir", where, env=AS_ADMIN)
    assert done.returncode == 1, "a page was set aside: the exit status says so"
    assert f"Đã đính kèm {first}, giấy tờ 2" in done.stdout
    assert f"Đã đính kèm {second}, giấy tờ 1" in done.stdout
    assert "Để riêng: xap.pdf, trang 1: trang nằm trước phiếu tách đầu tiên" in done.stderr
    assert "scan-set-aside" in done.stderr
    assert (pages_of(service, first, 2), pages_of(service, second, 1)) == (1, 1)


def test_the_cli_keeps_blank_pages_when_the_setting_says_so(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    service: AttachmentService,
    tmp_path: Path,
) -> None:
    first, _ = two_dossiers(store, clock, clerk)
    assert store.data_dir is not None
    save_digitize_settings(store.data_dir, DigitizeSettings(drop_blank_pages=False))
    stack = scanner_pdf(
        tmp_path / "xap.pdf", [separator(service, first, 1), text_page(1), blank_page()]
    )
    done = run("scan-batch", str(stack), "--data-dir", str(store.data_dir), env=AS_ADMIN)
    assert done.returncode == 0, done.stderr
    assert "bỏ 0 trang trắng" in done.stdout
    assert pages_of(service, first, 1) == 2, "the blank back filed with its page"
