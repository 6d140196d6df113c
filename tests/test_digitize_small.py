"""Small PDFs: a text document stored at a size a weak link carries, and still legible.

The pages are full A4 scans at 300 dpi drawn with a real font (blur, paper
noise, a scanner's JPEG); legibility is checked the way a person or the
province would: the stored PDF is drawn back by pdfium and its barcode read by
zxing-cpp, its text read by tesseract where tesseract with Vietnamese is here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from counter_app.assembly import (
    AssembledPdf,
    assemble,
    is_colour,
    is_text,
    otsu_threshold,
    pages_of,
    prepare,
)
from counter_app.digitize_settings import DigitizeSettings
from counter_app.intake import IncomingFile, inspect_content, inspect_path
from counter_app.ocr import find_engine
from counter_app.text import fold
from tests.support import digitize_files as files

COMPACT = DigitizeSettings()
CODE = "000.00.11.H57-261116-1001"
TEST_LINE = "Giấy khai sinh của Nguyễn Văn Bình"


def incoming(name: str, content: bytes) -> IncomingFile:
    return inspect_content(name, content, COMPACT)


def drawn(pdf: bytes, page: int = 0, dpi: int = 200) -> Image.Image:
    """The stored PDF's page as a viewer shows it, in grey."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def images_of(pdf: AssembledPdf) -> list[dict[str, object]]:
    """Each page's one image: its filter and colour space, as the PDF names them."""
    found = []
    for page in PdfReader(io.BytesIO(pdf.content)).pages:
        xobjects = page["/Resources"]["/XObject"]  # type: ignore[index]
        [image] = [xobjects[name].get_object() for name in xobjects]  # type: ignore[union-attr]
        kind = image["/Filter"]
        kind = kind[0] if isinstance(kind, list) else kind
        found.append({"filter": str(kind), "colour": str(image["/ColorSpace"])})
    return found


@pytest.fixture(scope="module")
def coded_scan() -> bytes:
    """Page 1 of a paper with its dossier code and a line of text, as a scanner's JPEG."""
    with files.a4_text_scan(1, barcode=CODE, line=TEST_LINE) as page:
        return files.encode(page, "JPEG", quality=85, dpi=(300, 300))


@pytest.mark.slow
def test_a_twenty_page_a4_text_document_is_stored_under_two_megabytes(tmp_path: Path) -> None:
    paths = []
    for number in range(4):
        with files.a4_text_scan(number + 10) as page:
            content = files.encode(page, "PNG", dpi=(300, 300))
        paths.extend(
            files.write(tmp_path, f"trang{n:02d}.png", content) for n in range(number, 20, 4)
        )
    scans = [inspect_path(path, COMPACT) for path in sorted(paths)]
    assert sum(source.size for source in scans) > 60_000_000, "lossless grey scans: ~6 MB each"

    pdf = assemble(pages_of(scans), COMPACT)

    assert pdf.page_count == 20
    assert pdf.size < 2_000_000, f"{pdf.size:,} bytes"
    assert pdf.recompressed_pages == 20
    reader = PdfReader(io.BytesIO(pdf.content))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.2, abs=0.5), "still A4"
    assert {image["filter"] for image in images_of(pdf)} == {"/CCITTFaxDecode"}


def test_the_dossier_code_on_a_compacted_page_still_decodes(coded_scan: bytes) -> None:
    pdf = assemble(pages_of([incoming("trang1.jpg", coded_scan)]), COMPACT)

    assert pdf.size < 100_000, f"{pdf.size:,} bytes for one A4 page"
    assert images_of(pdf)[0]["filter"] == "/CCITTFaxDecode"
    found = zxingcpp.read_barcodes(drawn(pdf.content, dpi=200))
    assert [code.text for code in found] == [CODE]
    again = assemble(pages_of([incoming("trang1.jpg", coded_scan)]), COMPACT)
    assert again.sha256 == pdf.sha256, "the same pages make the same blob"


def test_ocr_still_reads_the_test_line(coded_scan: bytes) -> None:
    engine = find_engine()
    if engine is None:
        pytest.skip("tesseract with Vietnamese (vie) is not installed here")
    pdf = assemble(pages_of([incoming("trang1.jpg", coded_scan)]), COMPACT)
    out = io.BytesIO()
    drawn(pdf.content, dpi=300).save(out, "PNG")
    assert fold(TEST_LINE) in fold(engine.recognise(out.getvalue()))


def test_faint_text_stays_on_the_page() -> None:
    with files.a4_text_scan(3, ink=165, paper=232) as page:
        original_ink = sum(page.histogram()[:200]) / (page.width * page.height)
        content = files.encode(page, "PNG", dpi=(300, 300))
    pdf = assemble(pages_of([incoming("mo.png", content)]), COMPACT)

    assert images_of(pdf)[0]["filter"] == "/CCITTFaxDecode", "faint text is still text"
    stored = drawn(pdf.content, dpi=300)
    stored_ink = sum(stored.histogram()[:128]) / (stored.width * stored.height)
    assert 0.5 * original_ink < stored_ink < 2 * original_ink


def test_a_colour_photo_stays_colour_and_a_grey_photo_grey() -> None:
    with files.photo() as colour, files.photo(colour=False) as grey:
        colour_file = incoming("anh-mau.png", files.encode(colour, "PNG", dpi=(150, 150)))
        grey_file = incoming("anh-xam.png", files.encode(grey, "PNG", dpi=(150, 150)))
    pdf = assemble(pages_of([colour_file, grey_file]), COMPACT)

    assert images_of(pdf) == [
        {"filter": "/DCTDecode", "colour": "/DeviceRGB"},
        {"filter": "/DCTDecode", "colour": "/DeviceGray"},
    ]
    shown = drawn(pdf.content, dpi=72)
    document = pypdfium2.PdfDocument(pdf.content)
    try:
        colour_page = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    assert shown.mode == "L"
    assert colour_page.getpixel((colour_page.width * 3 // 8, colour_page.height * 3 // 8)) == (
        pytest.approx(200, abs=25),
        pytest.approx(30, abs=25),
        pytest.approx(30, abs=25),
    ), "the red disc is still red"


def test_a_scanner_rgb_page_of_black_text_is_not_colour() -> None:
    with files.a4_text_scan(4) as page:
        assert not is_colour(page.convert("RGB"))
        assert is_text(page)[0]
    with files.photo() as picture:
        assert is_colour(picture)
        assert not is_text(picture.convert("L"))[0]


def test_otsu_cuts_between_ink_and_paper() -> None:
    histogram = [0] * 256
    histogram[40], histogram[230] = 50, 950
    assert 40 <= otsu_threshold(histogram) < 230


def test_a_file_already_smaller_goes_in_as_it_is() -> None:
    with files.photo() as picture:  # a phone's small JPEG: redrawn it would only grow
        content = files.encode(picture, "JPEG", quality=30, dpi=(150, 150))
    pdf = assemble(pages_of([incoming("nho.jpg", content)]), COMPACT)
    assert pdf.lossless_pages == 1 and pdf.recompressed_pages == 0
    assert content in pdf.content


def test_lossless_stays_a_setting() -> None:
    with files.a4_text_scan(5) as page:
        content = files.encode(page, "PNG", dpi=(300, 300))
    lossless = assemble(pages_of([incoming("a.png", content)]), DigitizeSettings(compact=False))
    assert lossless.lossless_pages == 1
    assert lossless.size > 0.95 * len(content), "every grey level kept"
    assert images_of(lossless)[0]["filter"] == "/FlateDecode"


def test_pages_made_small_as_the_file_arrives_give_the_same_blob(coded_scan: bytes) -> None:
    at_the_click = assemble(pages_of([incoming("trang1.jpg", coded_scan)]), COMPACT)
    arrived = incoming("trang1.jpg", coded_scan)
    prepare(arrived, COMPACT)
    turned = [ref.turned(90) for ref in pages_of([arrived])]

    made = assemble(turned, COMPACT)

    assert made.recompressed_pages == 1
    assert PdfReader(io.BytesIO(made.content)).pages[0].rotation == 90
    unturned = assemble(pages_of([arrived]), COMPACT)
    assert unturned.sha256 == at_the_click.sha256


def test_a_photocopied_id_card_on_a_text_page_keeps_its_grey_tones() -> None:
    with files.a4_text_scan(6) as page, files.photo((1012, 638), colour=False) as card:
        page.paste(card, (300, 600))  # a CCCD at its real size, 85.6 × 54 mm at 300 dpi
        content = files.encode(page, "PNG", dpi=(300, 300))
    pdf = assemble(pages_of([incoming("cccd.png", content)]), COMPACT)
    assert images_of(pdf) == [{"filter": "/DCTDecode", "colour": "/DeviceGray"}]


def test_a_red_seal_makes_a_page_colour() -> None:
    with files.a4_text_scan(8) as page:
        stamped = page.convert("RGB")
    ImageDraw.Draw(stamped).ellipse((1700, 2900, 2150, 3350), outline=(200, 30, 40), width=12)
    assert is_colour(stamped)
    pdf = assemble(
        pages_of([incoming("dau-do.png", files.encode(stamped, "PNG", dpi=(300, 300)))]), COMPACT
    )
    assert images_of(pdf) == [{"filter": "/DCTDecode", "colour": "/DeviceRGB"}]
