"""Digitizing: files checked by content, pages assembled losslessly, blobs kept by hash."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from counter_app.assembly import NothingToAssemble, assemble, page_size_pt, pages_of
from counter_app.blobs import BlobCorrupt, BlobMissing, BlobStore
from counter_app.digitize_settings import (
    DigitizeSettings,
    load_digitize_settings,
    save_digitize_settings,
)
from counter_app.errors import ValidationError
from counter_app.intake import BadFile, IncomingFile, inspect_content, inspect_path
from counter_app.ocr import OcrIndex, find_engine
from counter_app.scan_folder import FolderWatch
from counter_app.store import Store
from tests.support import digitize_files as files

SETTINGS = DigitizeSettings(compact=False)  # lossless; small PDFs: test_digitize_small.py


def incoming(name: str, content: bytes, settings: DigitizeSettings = SETTINGS) -> IncomingFile:
    return inspect_content(name, content, settings)


def read_pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


# Checking what comes in ---------------------------------------------------------


def test_each_kind_is_read_with_its_pages_and_thumbnails() -> None:
    png = incoming("trang.png", files.png())
    tiff = incoming("ba-trang.tiff", files.tiff_pages(3))
    pdf = incoming("ban-sao.pdf", files.pdf(2))
    jpeg = incoming("anh.JPG", files.jpeg())
    assert [len(f.pages) for f in (png, tiff, pdf, jpeg)] == [1, 3, 2, 1]
    for page in (*png.pages, *tiff.pages, *jpeg.pages):
        assert page.thumbnail is not None
        with Image.open(io.BytesIO(page.thumbnail)) as thumb:
            assert max(thumb.size) <= 220
    assert pdf.pages[0].thumbnail is None
    assert round(pdf.pages[0].width) == 595


def test_a_camera_photo_turned_by_exif_is_shown_upright() -> None:
    photo = incoming("chup.jpg", files.jpeg(exif_orientation=6))
    assert photo.pages[0].rotation == 90 and not photo.pages[0].mirrored
    with Image.open(io.BytesIO(photo.pages[0].thumbnail or b"")) as thumb:
        assert thumb.height < thumb.width, "the thumbnail is already turned upright"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("giay-khai-sinh.pdf", files.png(), "có đuôi .pdf nhưng nội dung là ảnh PNG"),
        ("anh.jpg", b"MZ\x90\x00 not an image at all", "không phải ảnh hay PDF"),
        ("trang.png", files.png()[:2500], "bị hỏng hoặc không đọc được"),
        ("anh.jpg", files.jpeg()[:4000], "bị hỏng hoặc không đọc được"),
        ("to-khai.pdf", files.pdf(2)[:300], "Tệp PDF «to-khai.pdf» bị hỏng"),
        ("khoa.pdf", files.encrypted_pdf(), "được đặt mật khẩu"),
        ("bom.png", files.png_bomb(), "quá lớn"),
        ("rong.png", b"", "rỗng (0 byte)"),
        ("anh.bmp", b"BM....", "chỉ nhận ảnh JPEG, PNG, TIFF hoặc PDF"),
        ("..\\he-thong.png", files.png(), "dấu phân cách thư mục"),
        ("thu-muc/anh.png", files.png(), "dấu phân cách thư mục"),
        ("anh\x1b[31m.png", files.png(), "ký tự điều khiển"),
        ("anh\u202egnp.pdf", files.pdf(1), "ký tự điều khiển"),
    ],
)
def test_bad_input_is_refused_naming_the_file_and_what_to_do(
    name: str, content: bytes, expected: str
) -> None:
    with pytest.raises(BadFile) as caught:
        incoming(name, content)
    message = str(caught.value)
    assert expected in message
    assert "hãy" in message.lower(), "the message says what to do"
    assert caught.value.file_name == name


def test_limits_come_from_the_settings() -> None:
    small = DigitizeSettings(max_megapixels=1, max_file_mb=1, max_pages=2)
    with Image.new("L", (1200, 1000), 255) as big:
        large = files.encode(big, "PNG")
    with pytest.raises(BadFile, match=r"quá lớn \(1200×1000 điểm ảnh\)"):
        incoming("lon.png", large, small)
    with pytest.raises(BadFile, match="vượt giới hạn 1 MB"):
        incoming("nang.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), small)
    with pytest.raises(BadFile, match="có 3 trang, vượt giới hạn 2 trang"):
        incoming("ba.tif", files.tiff_pages(3), small)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: nothing to read if the check comes first
    with pytest.raises(BadFile, match="nặng 3,0 MB"):
        inspect_path(huge, DigitizeSettings(max_file_mb=2))


def test_a_real_file_with_a_control_character_in_its_name(tmp_path: Path) -> None:
    path = files.write(tmp_path, "trang\n1.png", files.png())
    with pytest.raises(BadFile, match=r"«trang\\x0a1.png»"):
        inspect_path(path, SETTINGS)


def test_digitize_settings_round_trip_and_are_checked(tmp_path: Path) -> None:
    assert load_digitize_settings(tmp_path) == DigitizeSettings()
    save_digitize_settings(tmp_path, DigitizeSettings(dpi=150, jpeg_quality=70))
    assert load_digitize_settings(tmp_path).dpi == 150
    with pytest.raises(ValidationError) as caught:
        DigitizeSettings(dpi=10, jpeg_quality=100).validated()
    assert set(caught.value.errors) == {"dpi", "jpeg_quality"}


# Assembling -------------------------------------------------------------------------


def test_images_go_in_losslessly_and_the_pdf_is_hardly_larger() -> None:
    sources = [incoming(f"t{n}.png", files.png(seed=n)) for n in range(3)]
    sources.append(incoming("t3.jpg", files.jpeg(seed=3)))
    result = assemble(pages_of(sources), SETTINGS)
    assert result.page_count == 4
    assert result.lossless_pages == 4 and result.recompressed_pages == 0
    assert result.size <= sum(s.size for s in sources) * 1.05
    reader = read_pdf(result.content)
    [embedded] = [x.get_object() for x in reader.pages[3]["/Resources"]["/XObject"].values()]
    assert embedded["/Filter"] == "/DCTDecode"
    assert embedded._data == sources[3].content, "the JPEG is embedded byte for byte"
    assert round(float(reader.pages[0].mediabox.width)) == 595, "a 75 dpi A4 scan is an A4 page"
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()


def test_a_png_in_many_chunks_keeps_every_pixel() -> None:
    with Image.effect_noise((500, 400), 60) as noise:
        content = files.encode(noise, "PNG", dpi=(100, 100))
        pixels = noise.tobytes()
    assert content.count(b"IDAT") > 2, "Pillow writes the data in 64 KB chunks"
    result = assemble(pages_of([incoming("nhieu.png", content)]), SETTINGS)
    [image] = read_pdf(result.content).pages[0].images
    with image.image as embedded:
        assert embedded.tobytes() == pixels
    assert result.size <= len(content) * 1.05


def test_reorder_rotate_delete_and_mix_with_pdf_pages() -> None:
    tiff = incoming("ba-trang.tif", files.tiff_pages(3))
    pdf = incoming("ban-sao.pdf", files.pdf(2, text="Ban sao"))
    pages = pages_of([tiff, pdf])
    arranged = [pages[3], pages[2].turned(90), pages[0].turned(-90)]  # 2 pages deleted
    result = assemble(arranged, SETTINGS)
    reader = read_pdf(result.content)
    assert len(reader.pages) == 3
    assert [p.rotation for p in reader.pages] == [0, 90, 270]
    assert "Ban sao - trang 1" in reader.pages[0].extract_text()
    assert not reader.pages[1].extract_text().strip()


def test_same_pages_make_the_same_bytes() -> None:
    source = incoming("a.png", files.png())
    first = assemble([*pages_of([source])], SETTINGS)
    time.sleep(1.05)  # a PDF writer stamping a time-based /ID gives itself away
    again = assemble(pages_of([incoming("b.png", files.png())]), SETTINGS)
    assert first.sha256 == again.sha256


def test_exif_turn_becomes_the_page_rotation_and_mirrored_photos_are_redrawn() -> None:
    turned = incoming("xoay.jpg", files.jpeg(exif_orientation=6))
    mirrored = incoming("guong.jpg", files.jpeg(exif_orientation=5))
    result = assemble(pages_of([turned, mirrored]), SETTINGS)
    reader = read_pdf(result.content)
    assert reader.pages[0].rotation == 90
    assert reader.pages[1].rotation == 0
    assert float(reader.pages[1].mediabox.width) > float(reader.pages[1].mediabox.height)
    assert result.recompressed_pages == 1


def test_compact_recompresses_at_the_configured_dpi_and_quality() -> None:
    with files.photo((620, 877), colour=False) as picture:  # A4 at 75 dpi, not text
        source = incoming("a.png", files.encode(picture, "PNG", dpi=(75, 75)))
    compact = DigitizeSettings(compact=True, dpi=72, jpeg_quality=40)
    result = assemble(pages_of([source]), compact)
    [image] = read_pdf(result.content).pages[0].images
    assert image.data.startswith(b"\xff\xd8"), "JPEG inside"
    with Image.open(io.BytesIO(image.data)) as embedded:
        assert embedded.width == 595, "8.27 inches at 72 dpi"
    assert result.recompressed_pages == 1


def test_an_image_with_transparency_is_still_assembled() -> None:
    with Image.new("RGBA", (400, 300), (0, 0, 255, 128)) as clear:
        source = incoming("trong-suot.png", files.encode(clear, "PNG"))
    assert assemble(pages_of([source]), SETTINGS).page_count == 1


def test_nothing_to_assemble_is_said_plainly() -> None:
    with pytest.raises(NothingToAssemble, match="Chưa có trang nào"):
        assemble([], SETTINGS)


def test_page_size_rules() -> None:
    assert page_size_pt(2480, 3508, (300, 300)) == pytest.approx((595.2, 841.92))
    # A phone photo claiming 72 dpi (a metre wide) is fitted into landscape A4.
    assert page_size_pt(4000, 3000, (72, 72)) == pytest.approx((793.71, 595.28), abs=0.01)
    assert page_size_pt(2480, 3508, (0, 0))[0] == pytest.approx(595.28, abs=0.5)


# The blob store -----------------------------------------------------------------------


def test_blobs_are_stored_by_hash_and_checked_when_read(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    stored = blobs.put(b"%PDF-1.7 noi dung")
    path = tmp_path / "blobs" / stored.sha256[:2] / stored.sha256
    assert path.read_bytes() == b"%PDF-1.7 noi dung"
    assert blobs.put(b"%PDF-1.7 noi dung") == stored
    assert list(path.parent.iterdir()) == [path], "no temporary file left behind"
    assert blobs.read(stored.sha256) == b"%PDF-1.7 noi dung"
    path.write_bytes(b"%PDF-1.7 noi dung bi sua")
    with pytest.raises(BlobCorrupt, match="bị hỏng"):
        blobs.read(stored.sha256)
    blobs.put(b"%PDF-1.7 noi dung")
    assert blobs.read(stored.sha256) == b"%PDF-1.7 noi dung", "a damaged copy is replaced"
    path.unlink()
    with pytest.raises(BlobMissing):
        blobs.read(stored.sha256)
    with pytest.raises(Exception, match="không hợp lệ"):
        blobs.path("../../etc/passwd")


# The scanner's folder ------------------------------------------------------------------


def test_a_file_is_taken_only_once_it_stopped_growing(tmp_path: Path) -> None:
    files.write(tmp_path, "cu.png", files.png())
    now = [0.0]

    def poll(after: float = 0.5) -> list[Path]:
        now[0] += after
        return watch.poll()

    watch = FolderWatch(tmp_path, clock=lambda: now[0])
    assert poll() == [], "what was there before the watch started is left alone"
    growing = tmp_path / "scan001.png"
    content = files.png(seed=5)
    growing.write_bytes(content[:1000])
    assert poll() == []
    assert watch.waiting == ["scan001.png"]
    assert poll(after=0.05) == [], "two looks a moment apart are not enough"
    with growing.open("ab") as handle:
        handle.write(content[1000:])
    os.utime(growing, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert poll() == [], "it changed since the last look"
    assert poll() == [growing]
    assert poll() == [], "taken once"
    (tmp_path / "scan002.png.part").write_bytes(b"partial")
    (tmp_path / "empty.png").write_bytes(b"")
    assert poll() == [] and poll() == []


# OCR ------------------------------------------------------------------------------------


def test_ocr_is_absent_without_tesseract_and_vietnamese(tmp_path: Path, store: Store) -> None:
    assert find_engine("tesseract-khong-co-tren-may") is None
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages (1):'\necho eng\n")
    fake.chmod(0o755)
    assert find_engine(str(fake)) is None, "English only is not enough"
    index = OcrIndex(store)
    index.save("a" * 64, "Giấy khai sinh của Trần Thị Mai")
    assert index.search("giay khai sinh mai") == ["a" * 64]
    assert index.search("ket hon") == []
