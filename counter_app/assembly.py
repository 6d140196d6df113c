"""Assembling the arranged pages of one required document into one PDF.

Two ways, chosen by the ``compact`` setting. Compact (the default) keeps a
document small enough for a weak link: each page is looked at and redrawn as
what it is. A text page (greyscale, its pixels either paper or ink) becomes
black and white at 300 dpi, CCITT G4, some 30–60 KB an A4 page; a greyscale
photo or a grey page that is not just text a greyscale JPEG, and a colour
page a colour JPEG, both at the configured DPI and quality. A page whose file
is already smaller as it is (a G4 fax, a small JPEG) goes in unchanged.
Lossless (``compact`` off) embeds scans as they are whenever PDF can carry
them (img2pdf copies the JPEG, PNG or G4 data without decoding it), so the
PDF is no larger than the scans and loses nothing; only a mirrored camera
photo or an image img2pdf refuses is redrawn as JPEG. A turn is the page's
/Rotate entry, so turning a page never touches its pixels. The same pages
give the same bytes, hence the same blob.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
import weakref
import zlib
from collections.abc import Iterable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import img2pdf  # type: ignore[import-untyped]
from PIL import Image, ImageChops, ImageOps
from pypdf import PdfReader, PdfWriter

from counter_app.blobs import sha256_of
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import CounterError
from counter_app.intake import BadFile, IncomingFile, PageInfo

A4_SHORT, A4_LONG = 595.28, 841.89
# Black and white needs more dots than grey for the same strokes (no grey edge
# smooths them), and G4 costs little per dot, so text pages keep up to this.
TEXT_DPI = 300
# A page is colour when this share of its pixels (a red seal's ring) has a chroma (max − min of
# R, G, B) above COLOUR_CHROMA: a stamp or a photo, not a scanner's tint.
COLOUR_CHROMA = 48
COLOUR_SHARE = 0.001
# A page is text when no more than this share of its pixels lies in the middle
# of the way between ink and paper (a blurred stroke's edge, not a photo's tones).
TEXT_MIDTONES = 0.08
# …and when no two patches (a page is PATCHES_ACROSS patches wide) are more
# than PICTURE_PATCH middle tones.
PATCHES_ACROSS = 24
PICTURE_PATCH = 0.35
_ROWS_PER_STRIP = 278  # the TIFF tag
WORKERS = max(1, min(4, os.cpu_count() or 1))
A3_LONG = 1190.55
_TOLERANCE = 1.02
_POINTS_PER_INCH = 72.0


class NothingToAssemble(CounterError):
    """The document has no page left to put in a PDF."""


class DocumentTooLarge(CounterError):
    """The pages of one document would decode to more pixels than the settings allow."""


@dataclass(frozen=True)
class PageRef:
    """One page of the document being arranged: which file, which page, the person's turn."""

    source: IncomingFile
    index: int
    rotation: int = 0

    @property
    def info(self) -> PageInfo:
        return self.source.pages[self.index]

    def turned(self, degrees: int) -> PageRef:
        return replace(self, rotation=(self.rotation + degrees) % 360)


@dataclass(frozen=True)
class AssembledPdf:
    content: bytes
    page_count: int
    sha256: str
    lossless_pages: int
    recompressed_pages: int

    @property
    def size(self) -> int:
        return len(self.content)


def pages_of(files: Iterable[IncomingFile]) -> list[PageRef]:
    """Every page of the files, in the order given, as a person would first see them."""
    return [PageRef(source, page.index) for source in files for page in source.pages]


def page_size_pt(
    width_px: float, height_px: float, dpi: tuple[float, float]
) -> tuple[float, float]:
    """The page an image gets: its real size when its DPI is believable, else fitted into A4.

    A 300 dpi scan of an A4 sheet becomes an A4 page; a phone photo that claims
    72 dpi (a metre wide) or a scan that claims nothing becomes A4-sized.
    """
    dpi_x, dpi_y = (d if d and d > 1 else img2pdf.default_dpi for d in dpi)
    width = width_px * _POINTS_PER_INCH / dpi_x
    height = height_px * _POINTS_PER_INCH / dpi_y
    long_side, short_side = max(width, height), min(width, height)
    if _POINTS_PER_INCH <= short_side <= A4_LONG * _TOLERANCE and long_side <= A3_LONG * _TOLERANCE:
        return width, height
    box_w, box_h = (A4_SHORT, A4_LONG) if height_px >= width_px else (A4_LONG, A4_SHORT)
    scale = min(box_w / width_px, box_h / height_px)
    return width_px * scale, height_px * scale


def _layout(
    width_px: float, height_px: float, dpi: tuple[float, float]
) -> tuple[float, float, float, float]:
    width, height = page_size_pt(width_px, height_px, dpi)
    return width, height, width, height


def assemble(
    pages: Sequence[PageRef],
    settings: DigitizeSettings,
    readers: MutableMapping[IncomingFile, PdfReader] | None = None,
) -> AssembledPdf:
    """One PDF of ``pages`` in order; BadFile names the file when a page cannot be used.

    ``readers`` keeps each source PDF parsed between calls: a scanned stack is
    assembled a document at a time from the same large file, and parsing it
    again for each document cost more than the assembling.
    """
    if not pages:
        raise NothingToAssemble("Chưa có trang nào để ghép; hãy thêm tệp hoặc scan giấy tờ.")
    # Each file was held to the limit alone; together they must be too, before any decoding.
    pixels = sum(ref.info.pixels for ref in pages)
    if pixels > settings.max_document_pixels:
        amount = f"{pixels / 1_000_000:.1f}".replace(".", ",")
        raise DocumentTooLarge(
            f"Các trang của giấy tờ này có tổng cộng {amount} triệu điểm ảnh, vượt "
            f"giới hạn {settings.max_document_megapixels} triệu điểm ảnh của một giấy tờ; hãy "
            "bớt trang, hoặc scan lại ở 200–300 dpi."
        )
    image_refs = [ref for ref in pages if ref.source.kind != "pdf"]
    if settings.compact and len(image_refs) > 1:
        # Decoding and encoding release the GIL: pages are redrawn side by side, in order.
        with ThreadPoolExecutor(min(len(image_refs), WORKERS)) as pool:
            drawn = list(pool.map(lambda ref: _compacted(ref, settings), image_refs))
    else:
        drawn = [_drawn(ref, settings) for ref in image_refs]
    images = [data for data, _ in drawn]
    baked = [redrawn for _, redrawn in drawn]  # the EXIF turn is already in their pixels
    image_pdf, redrawn = _images_to_pdf(pages, images, settings)
    baked = [b or r for b, r in zip(baked, redrawn, strict=True)]
    turns: list[int] = []
    image_number = 0
    for ref in pages:
        if ref.source.kind == "pdf":
            turns.append(ref.rotation)
        else:
            own = 0 if baked[image_number] else ref.info.rotation
            turns.append((ref.rotation + own) % 360)
            image_number += 1
    if image_pdf is not None and not any(turns) and len(images) == len(pages):
        content = image_pdf
    else:
        content = _merge(pages, image_pdf, turns, {} if readers is None else readers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        count = len(PdfReader(io.BytesIO(content)).pages)
    if count != len(pages):
        raise CounterError(f"Ghép được {count}/{len(pages)} trang; hãy thử ghép lại.")
    recompressed = sum(baked)
    return AssembledPdf(
        content=content,
        page_count=count,
        sha256=sha256_of(content),
        lossless_pages=len(pages) - recompressed,
        recompressed_pages=recompressed,
    )


def _images_to_pdf(
    pages: Sequence[PageRef], images: list[bytes], settings: DigitizeSettings
) -> tuple[bytes | None, list[bool]]:
    """The image pages as one PDF; an image img2pdf refuses is redrawn with Pillow instead."""
    redrawn = [False] * len(images)
    if not images:
        return None, redrawn
    try:
        return _img2pdf(images), redrawn
    except Exception:  # img2pdf refuses some colour spaces and encodings; find which below
        pass
    image_refs = [ref for ref in pages if ref.source.kind != "pdf"]
    for number, (ref, data) in enumerate(zip(image_refs, images, strict=True)):
        try:
            _img2pdf([data])
        except Exception:
            images[number] = _recompressed(ref, settings, small=settings.compact)
            redrawn[number] = True
    return _img2pdf(images), redrawn


def _img2pdf(images: list[bytes]) -> bytes:
    # img2pdf's own writer: its /ID is a hash of the content, so the same pages make
    # the same bytes. With pikepdf installed img2pdf would write through it, and its
    # check for pikepdf ≥ 6.2 compares version strings ("10.17" < "6.2"), so qpdf
    # stamps a time-based /ID and the same scan made a second later had another hash.
    result = img2pdf.convert(
        images,
        layout_fun=_layout,
        rotation=img2pdf.Rotation.none,
        nodate=True,
        engine=img2pdf.Engine.internal,
    )
    assert isinstance(result, bytes)
    return result


def _merge(
    pages: Sequence[PageRef],
    image_pdf: bytes | None,
    turns: list[int],
    readers: MutableMapping[IncomingFile, PdfReader],
) -> bytes:
    writer = PdfWriter()
    image_reader = PdfReader(io.BytesIO(image_pdf)) if image_pdf is not None else None
    image_number = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ref, turn in zip(pages, turns, strict=True):
            if ref.source.kind == "pdf":
                reader = readers.get(ref.source)
                if reader is None:
                    reader = readers[ref.source] = PdfReader(io.BytesIO(ref.source.content))
                page = writer.add_page(reader.pages[ref.index])
            else:
                assert image_reader is not None
                page = writer.add_page(image_reader.pages[image_number])
                image_number += 1
            if turn:
                page.rotate(turn)
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def _one_idat(png: bytes) -> bytes:
    """The same PNG with its image data in one IDAT chunk.

    img2pdf gathers IDAT chunks by repeated concatenation, which costs time in
    the square of their number (a 6 MB scan has about a hundred); the chunks
    together form one zlib stream, so joining them changes no pixel.
    """
    view = memoryview(png)
    others: list[memoryview] = []  # whole chunks, CRC included, before and after the data
    idat: list[memoryview] = []
    position = 8
    while position + 8 <= len(png):
        (length,) = struct.unpack_from(">I", png, position)
        end = position + 12 + length
        if png[position + 4 : position + 8] == b"IDAT":
            idat.append(view[position + 8 : end - 4])
            if len(idat) == 1:
                others.append(view[0:0])  # where the joined data goes
        else:
            others.append(view[position:end])
        position = end
    if len(idat) < 2:
        return png
    data = b"".join(idat)
    crc = zlib.crc32(data, zlib.crc32(b"IDAT"))
    joined = struct.pack(">I", len(data)) + b"IDAT" + data + struct.pack(">I", crc)
    return b"".join([view[:8], *(chunk if len(chunk) else joined for chunk in others)])


def _lossless(ref: PageRef) -> bytes:
    """The page's image data as img2pdf can embed it without decoding."""
    if len(ref.source.pages) == 1:
        return _one_idat(ref.source.content) if ref.source.kind == "png" else ref.source.content
    with Image.open(io.BytesIO(ref.source.content)) as image:
        image.seek(ref.index)
        frame = image.copy()
        dpi = image.info.get("dpi")
    out = io.BytesIO()
    extra = {"dpi": dpi} if dpi else {}
    if frame.mode == "1":
        frame.save(out, "TIFF", compression="group4", **extra)
    else:
        frame.save(out, "PNG", **extra)
    return out.getvalue()


def _flattened(frame: Image.Image) -> Image.Image:
    """Greyscale or RGB on white paper, the two things a JPEG page can be."""
    if frame.mode.startswith("I;16") or frame.mode in ("I", "F"):
        scale = 1 / 256 if frame.mode.startswith("I;16") or frame.mode == "I" else 255
        return frame.convert("F").point(lambda value: value * scale).convert("L")
    if frame.mode == "P" and "transparency" in frame.info:
        frame = frame.convert("RGBA")
    if frame.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        grey = frame.mode in ("LA", "La")
        base = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        base.alpha_composite(frame.convert("RGBA"))
        return base.convert("L" if grey else "RGB")
    if frame.mode == "L":
        return frame
    if frame.mode == "1":
        return frame.convert("L")
    return frame.convert("RGB")


def _drawn(ref: PageRef, settings: DigitizeSettings) -> tuple[bytes, bool]:
    """The page's image data for the PDF, and whether it was redrawn."""
    if settings.compact:
        return _compacted(ref, settings)
    if ref.info.mirrored:
        return _recompressed(ref, settings, small=False), True
    return _lossless(ref), False


# Pages already made small, by file: filled as files arrive (``prepare``), so the
# click on "Ghép và đính kèm" only has to put them in a PDF. A file forgotten
# by everyone takes its pages with it.
_READY: weakref.WeakKeyDictionary[IncomingFile, dict[tuple[int, int, int], tuple[bytes, bool]]]
_READY = weakref.WeakKeyDictionary()


def prepare(source: IncomingFile, settings: DigitizeSettings) -> None:
    """Make the file's image pages small now (off the GUI thread, as the file arrives).

    What is made depends only on the file and the settings, never on the
    person's turns, so ``assemble`` later takes it as it is.
    """
    if settings.compact and source.kind != "pdf":
        for index in range(len(source.pages)):
            _compacted(PageRef(source, index), settings, keep=True)


def _compacted(
    ref: PageRef, settings: DigitizeSettings, *, keep: bool = False
) -> tuple[bytes, bool]:
    """The page redrawn small, or as it is when that is smaller still; True when redrawn.

    ``keep`` only from ``prepare``: a batch assembling page after page holds nothing.
    """
    key = (ref.index, settings.dpi, settings.jpeg_quality)
    ready = _READY.get(ref.source, {}).get(key)
    if ready is not None:
        return ready
    small = _recompressed(ref, settings, small=True)
    if ref.info.mirrored:
        made = small, True
    elif len(ref.source.pages) == 1 and len(ref.source.content) <= len(small):
        made = _lossless(ref), False  # a single-page file goes in as its own bytes
    else:
        made = small, True
    if keep:
        _READY.setdefault(ref.source, {})[key] = made
    return made


def otsu_threshold(histogram: Sequence[int]) -> int:
    """The grey level that best splits a page into ink and paper (Otsu's method).

    Computed on the page's own histogram, so faint text on grey paper and
    black text on white paper are each cut between their two levels.
    """
    total = sum(histogram)
    weighted_all = sum(level * count for level, count in enumerate(histogram))
    below = weighted_below = 0
    best, threshold = -1.0, 127
    for level, count in enumerate(histogram[:255]):
        below += count
        weighted_below += level * count
        above = total - below
        if below == 0 or above == 0:
            continue
        mean_below = weighted_below / below
        mean_above = (weighted_all - weighted_below) / above
        spread = below * above * (mean_below - mean_above) ** 2
        if spread > best:
            best, threshold = spread, level
    return threshold


def is_colour(frame: Image.Image) -> bool:
    """More than a trace of real colour (a stamp, a photo), measured on a reduced copy."""
    if frame.mode != "RGB":
        return False
    reduced = frame.reduce(4) if min(frame.size) >= 64 else frame
    red, green, blue = reduced.split()
    high = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    low = ImageChops.darker(ImageChops.darker(red, green), blue)
    histogram = ImageChops.subtract(high, low).histogram()
    return sum(histogram[COLOUR_CHROMA:]) > COLOUR_SHARE * sum(histogram)


def is_text(grey: Image.Image) -> tuple[bool, int]:
    """Whether the greyscale page is only ink on paper, and the level that separates them."""
    histogram = grey.histogram()
    threshold = otsu_threshold(histogram)
    total = sum(histogram) or 1
    ink = sum(histogram[: threshold + 1])
    paper = total - ink
    if ink == 0 or paper == 0:
        return True, threshold
    ink_mean = sum(level * histogram[level] for level in range(threshold + 1)) / ink
    paper_mean = sum(level * histogram[level] for level in range(threshold + 1, 256)) / paper
    quarter = (paper_mean - ink_mean) / 4
    low, high = int(ink_mean + quarter) + 1, int(paper_mean - quarter)
    if sum(histogram[low:high]) > TEXT_MIDTONES * total:
        return False, threshold
    # A picture on a page of text (a photocopied ID card) is a small share of the
    # page but fills its own patch with middle tones, where text never does.
    middle = grey.point([255 if low <= level < high else 0 for level in range(256)])
    side = max(1, min(grey.size) // PATCHES_ACROSS)
    patches = middle.reduce(side).histogram()
    return sum(patches[round(PICTURE_PATCH * 255) :]) < 2, threshold


def _recompressed(ref: PageRef, settings: DigitizeSettings, *, small: bool) -> bytes:
    """The page redrawn upright as a JPEG at no more than the configured DPI.

    ``small``: a text page becomes black and white (G4) at up to TEXT_DPI, and
    a colourless page greyscale.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(ref.source.content)) as image:
                image.seek(ref.index)
                frame = ImageOps.exif_transpose(image) if ref.index == 0 else image.copy()
                dpi = image.info.get("dpi") or (0.0, 0.0)
        if ref.info.rotation in (90, 270):
            dpi = (dpi[1], dpi[0])
        page_w, _page_h = page_size_pt(frame.width, frame.height, (float(dpi[0]), float(dpi[1])))
        inches_w = page_w / _POINTS_PER_INCH
        frame = _flattened(frame)
        text, threshold = False, 0
        if small and not is_colour(frame):
            frame = frame if frame.mode == "L" else frame.convert("L")
            text, threshold = is_text(frame)
        target_w = round(inches_w * (max(settings.dpi, TEXT_DPI) if text else settings.dpi))
        if frame.width > target_w:
            target_h = max(1, round(frame.height * target_w / frame.width))
            frame = frame.resize((target_w, target_h), Image.Resampling.LANCZOS)
            if text:  # resampling moved the levels a little; cut where this image splits
                threshold = otsu_threshold(frame.histogram())
        out_dpi = frame.width / inches_w
        out = io.BytesIO()
        if text:
            cut = threshold
            bilevel = frame.point(lambda level: 255 if level > cut else 0, "1")
            # One strip, so img2pdf embeds the G4 data as it is instead of re-encoding it.
            bilevel.save(
                out,
                "TIFF",
                compression="group4",
                dpi=(out_dpi, out_dpi),
                tiffinfo={_ROWS_PER_STRIP: bilevel.height},
            )
        else:
            frame.save(out, "JPEG", quality=settings.jpeg_quality, dpi=(out_dpi, out_dpi))
    except Exception as exc:  # the file passed its checks; this is a decoder's own limit
        raise BadFile(
            ref.source.name,
            f"Không chuyển được trang {ref.index + 1} của «{ref.source.name}» sang PDF ({exc}); "
            "hãy scan lại trang này.",
        ) from None
    return out.getvalue()
