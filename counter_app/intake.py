"""Checking a file before any of it is used: name, size, real type, readable pages.

A file from a scanner folder, a USB stick or a phone is read once into memory
and every check runs on those very bytes, so what was checked is what gets
assembled, even if the file on disk changes afterwards. The type comes from
the content (magic bytes), never from the name alone, and images are decoded
once here (as thumbnails), which finds truncated and damaged ones. Every
refusal is a ``BadFile`` whose message names the file and says what to do.

A few kilobytes can declare gigabytes: a PNG or TIFF frame of 60,000 × 60,000
pixels, a PDF page drawing such an image, a PDF stream of zeros that inflates
a thousandfold. So what a file will decode to is read from its headers first
(image and frame sizes, the sizes of the images a PDF page draws, its page
box, the inline images in its drawing instructions) and checked against the
limits of ``DigitizeSettings``; a PDF's object streams and drawing
instructions are inflated only to count their length, a megabyte at a time,
and nothing decoded is kept. Only then is a pixel decoded.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps
from pypdf import PageObject, PdfReader
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from counter_app.digitize_settings import MEGAPIXELS_CEILING, DigitizeSettings
from counter_app.errors import CounterError
from counter_app.os_errors import os_reason

log = logging.getLogger(__name__)

FileKind = Literal["jpeg", "png", "tiff", "pdf"]
EXTENSIONS: dict[str, FileKind] = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".pdf": "pdf",
}
KIND_LABELS: dict[FileKind, str] = {
    "jpeg": "ảnh JPEG",
    "png": "ảnh PNG",
    "tiff": "ảnh TIFF",
    "pdf": "tệp PDF",
}
_PIL_FORMATS: dict[FileKind, str] = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}
THUMBNAIL_PX = 220
# EXIF orientation → clockwise turn that shows the photo upright (mirrored ones are redrawn).
_EXIF_TURNS = {1: 0, 3: 180, 6: 90, 8: 270}
_EXIF_ORIENTATION = 0x0112
# A PDF page is shown and printed at about this resolution; past the page budget there, its
# box is no paper (A0 passes; the PDF maximum, 200 × 200 inches, does not).
PAGE_DPI = 150
_INFLATE_IN = 64 * 1024
_INFLATE_OUT = 1024 * 1024

# Deliberately global: Pillow warns past this many pixels and refuses past twice as many,
# in every ``Image.open`` of the process (assembly, OCR). No setting allows a page that
# large, so an image intake let through never makes Pillow print a raw warning, and intake
# turns the warning into a refusal (``_image_pages``).
Image.MAX_IMAGE_PIXELS = MEGAPIXELS_CEILING * 1_000_000


class BadFile(CounterError):
    """A file refused before anything was stored; ``file_name`` is the name as given."""

    def __init__(self, file_name: str, message: str) -> None:
        self.file_name = file_name
        super().__init__(message)


@dataclass(frozen=True)
class PageInfo:
    """One page of a source file; sizes are pixels for images, points for PDF pages.

    ``rotation`` is the clockwise turn the file itself asks for (a camera's EXIF
    orientation); ``mirrored`` pages must be redrawn, so they are recompressed.
    ``thumbnail`` (PNG, already upright) exists for images; PDF pages are drawn by the UI.
    """

    index: int
    width: float
    height: float
    rotation: int = 0
    mirrored: bool = False
    dpi: float | None = None
    thumbnail: bytes | None = None
    pixels: int = 0  # what the page decodes to: its image, or the images a PDF page draws


@dataclass(frozen=True, eq=False)
class IncomingFile:
    """A checked file, held in memory: compared by identity, never by its bytes."""

    name: str
    kind: FileKind
    content: bytes
    pages: tuple[PageInfo, ...]
    origin: Path | None = None  # the file it was read from, if it came from disk

    @property
    def size(self) -> int:
        return len(self.content)


def shown_name(name: str) -> str:
    """The name as it can be printed: control characters spelled out."""
    return "".join(
        f"\\x{ord(c):02x}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name
    )


def format_size(size: int) -> str:
    """Bytes the way the counter reads them: "850 KB", "1,2 MB"."""
    if size < 1024 * 1024:
        return f"{round(size / 1024) if size == 0 or size >= 1024 else 1} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def check_name(name: str) -> None:
    """Refuse names that could reach outside a folder or hide what they are."""
    if not name.strip():
        raise BadFile(name, "Tệp không có tên; hãy đặt tên cho tệp rồi thêm lại.")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise BadFile(
            name,
            f"Tên tệp «{shown_name(name)}» chứa dấu phân cách thư mục (/ hoặc \\); "
            "hãy đổi tên tệp (chỉ dùng chữ, số, dấu gạch) rồi thêm lại.",
        )
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise BadFile(
            name,
            f"Tên tệp «{shown_name(name)}» chứa ký tự điều khiển không in được; "
            "hãy đổi tên tệp rồi thêm lại.",
        )


def kind_of_name(name: str) -> FileKind:
    kind = EXTENSIONS.get(Path(name).suffix.lower())
    if kind is None:
        raise BadFile(
            name,
            f"Tệp «{name}» không thuộc loại được nhận (chỉ nhận ảnh JPEG, PNG, TIFF hoặc PDF); "
            "hãy lưu lại ở một trong các định dạng đó rồi thêm lại.",
        )
    return kind


def sniff(content: bytes) -> FileKind | None:
    """The type the bytes really are, from their first bytes."""
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if b"%PDF-" in content[:1024]:
        return "pdf"
    return None


def _check_size(name: str, size: int, settings: DigitizeSettings) -> None:
    if size == 0:
        raise BadFile(name, f"Tệp «{name}» rỗng (0 byte); hãy scan hoặc chép lại tệp.")
    if size > settings.max_file_bytes:
        raise BadFile(
            name,
            f"Tệp «{name}» nặng {format_size(size)}, vượt giới hạn {settings.max_file_mb} MB; "
            "hãy scan lại ở 200–300 dpi hoặc chia tệp thành nhiều phần.",
        )


def inspect_path(path: Path, settings: DigitizeSettings) -> IncomingFile:
    """Check the file at ``path``; its size is checked before it is read."""
    name = path.name
    check_name(name)
    kind_of_name(name)
    try:
        _check_size(name, path.stat().st_size, settings)
        content = path.read_bytes()
    except OSError as exc:
        raise BadFile(
            name,
            f"Không đọc được tệp «{name}» ({os_reason(exc)}); hãy kiểm tra tệp còn đó "
            "và không bị chương trình khác giữ.",
        ) from None
    return replace(inspect_content(name, content, settings), origin=path)


def inspect_content(name: str, content: bytes, settings: DigitizeSettings) -> IncomingFile:
    """Check a file given by name and bytes (a drop, a camera shot, a test)."""
    check_name(name)
    claimed = kind_of_name(name)
    _check_size(name, len(content), settings)
    actual = sniff(content)
    if actual != claimed:
        what = f"là {KIND_LABELS[actual]}" if actual else "không phải ảnh hay PDF"
        raise BadFile(
            name,
            f"Tệp «{name}» có đuôi {Path(name).suffix} nhưng nội dung {what}; có thể tệp đã bị "
            "đổi tên hoặc hỏng. Hãy mở thử tệp, lưu lại đúng định dạng rồi thêm lại.",
        )
    if claimed == "pdf":
        pages = _pdf_pages(name, content, settings)
    else:
        pages = _image_pages(name, claimed, content, settings)
    return IncomingFile(name, claimed, content, pages)


def _too_many_pages(name: str, count: int, settings: DigitizeSettings) -> BadFile:
    return BadFile(
        name,
        f"Tệp «{name}» có {count} trang, vượt giới hạn {settings.max_pages} trang; "
        "hãy chia tệp thành nhiều phần.",
    )


def _bomb(
    name: str, settings: DigitizeSettings, size: tuple[int, int] | None, page: int | None = None
) -> BadFile:
    dims = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    where = f"Trang {page} của ảnh «{name}»" if page else f"Ảnh «{name}»"
    return BadFile(
        name,
        f"{where} quá lớn{dims}, vượt giới hạn {settings.max_megapixels} triệu điểm ảnh "
        "mỗi trang; hãy scan lại ở 200–300 dpi (ảnh chụp: chọn độ phân giải thấp hơn).",
    )


def _too_many_pixels(name: str, pixels: int, settings: DigitizeSettings) -> BadFile:
    return BadFile(
        name,
        f"Tệp «{name}» có tổng cộng {_number(pixels / 1_000_000)} triệu điểm ảnh, vượt giới hạn "
        f"{_number(settings.max_document_megapixels)} triệu điểm ảnh của một giấy tờ; hãy scan lại "
        "ở 200–300 dpi hoặc chia tệp thành nhiều phần.",
    )


def _image_pages(
    name: str, kind: FileKind, content: bytes, settings: DigitizeSettings
) -> tuple[PageInfo, ...]:
    pages: list[PageInfo] = []
    try:
        with warnings.catch_warnings():
            # Past MAX_IMAGE_PIXELS Pillow warns inside open(): that is a bomb, refused by name.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[_PIL_FORMATS[kind]]) as image:
                count = getattr(image, "n_frames", 1)
                if count > settings.max_pages:
                    raise _too_many_pages(name, count, settings)
                # Every frame's size from its header before any frame is decoded.
                total = 0
                for index in range(count):
                    image.seek(index)
                    pixels = image.width * image.height
                    if pixels > settings.max_pixels:
                        raise _bomb(name, settings, image.size, index + 1 if count > 1 else None)
                    total += pixels
                if total > settings.max_document_pixels:
                    raise _too_many_pixels(name, total, settings)
                for index in range(count):
                    image.seek(index)
                    pages.append(_image_page(image, index, single=count == 1))
    except BadFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(name, settings, None) from None
    except Exception as exc:  # a damaged image can make any decoder fail in its own way
        raise BadFile(
            name,
            f"Ảnh «{name}» bị hỏng hoặc không đọc được ({_reason(exc)}); "
            "hãy scan hoặc chụp lại rồi thêm lại.",
        ) from None
    return tuple(pages)


def _image_page(image: Image.Image, index: int, *, single: bool) -> PageInfo:
    orientation = image.getexif().get(_EXIF_ORIENTATION, 1) if index == 0 else 1
    if orientation not in range(1, 9):
        orientation = 1
    turn = _EXIF_TURNS.get(orientation)
    dpi = image.info.get("dpi")
    width, height = image.size
    # A single frame may be shrunk in place (JPEG then decodes at 1/8 scale); a frame
    # of a multi-page TIFF is shrunk into a new image, so the file can still seek and
    # the frame is held once, not copied whole.
    if single:
        frame = image
        frame.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    else:
        scale = min(1.0, THUMBNAIL_PX / width, THUMBNAIL_PX / height)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        frame = image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    if orientation != 1:
        frame = ImageOps.exif_transpose(frame)
    if frame.mode not in ("1", "L", "RGB"):
        frame = frame.convert(
            "RGBA" if "A" in frame.mode or "transparency" in frame.info else "RGB"
        )
    thumb = io.BytesIO()
    frame.save(thumb, "PNG")
    return PageInfo(
        index=index,
        width=width,
        height=height,
        rotation=turn or 0,
        mirrored=turn is None,
        dpi=float(dpi[0]) if dpi and dpi[0] > 1 else None,
        thumbnail=thumb.getvalue(),
        pixels=width * height,
    )


def _pdf_pages(name: str, content: bytes, settings: DigitizeSettings) -> tuple[PageInfo, ...]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            encrypted = reader.is_encrypted
            if not encrypted:
                # Before any page is read: pypdf keeps every object stream it inflates.
                content_left = settings.max_pdf_content_bytes
                content_left -= _object_streams_length(reader, content_left)
                if content_left < 0:
                    raise _content_bomb(name, settings)
                count = len(reader.pages)
                if count > settings.max_pages:
                    raise _too_many_pages(name, count, settings)
                pages = []
                total = 0
                forms: dict[int, int] = {}  # form XObject → pixels of its inline images
                for index, page in enumerate(reader.pages):
                    _check_page_box(name, index, page, settings)
                    # Inflating finds damaged streams; the limit finds bombs.
                    scan = _ContentScan(content_left)
                    _scan_contents(page, scan)
                    resources = page.get("/Resources")
                    drawn = _drawn_pixels(resources, set(), scan, forms) if resources else 0
                    content_left -= scan.length
                    if content_left < 0:
                        raise _content_bomb(name, settings)
                    pixels = scan.pixels + drawn
                    if pixels > settings.max_pixels:
                        raise _pdf_bomb(name, index, pixels, settings)
                    total += pixels
                    if total > settings.max_document_pixels:
                        raise _too_many_pixels(name, total, settings)
                    box = page.mediabox
                    pages.append(
                        PageInfo(
                            index, abs(float(box.width)), abs(float(box.height)), pixels=pixels
                        )
                    )
    except BadFile:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise BadFile(
            name,
            f"Tệp PDF «{name}» bị hỏng hoặc không đọc được ({_reason(exc)}); "
            "hãy tải hoặc scan lại tệp rồi thêm lại.",
        ) from None
    if encrypted:
        raise BadFile(
            name,
            f"Tệp PDF «{name}» được đặt mật khẩu (mã hóa) nên không ghép được; hãy xin bản "
            "không đặt mật khẩu, hoặc in ra rồi scan lại.",
        )
    if not pages:
        raise BadFile(name, f"Tệp PDF «{name}» không có trang nào; hãy kiểm tra lại tệp.")
    return tuple(pages)


def _content_bomb(name: str, settings: DigitizeSettings) -> BadFile:
    return BadFile(
        name,
        f"Tệp PDF «{name}» có nội dung giải nén ra quá {settings.max_pdf_content_mb} MB "
        "(tệp bất thường, có thể là bom giải nén); hãy in ra rồi scan lại, hoặc xin bản "
        "PDF khác.",
    )


def _object_streams_length(reader: PdfReader, limit: int) -> int:
    """How long the file's object streams are decoded; past ``limit`` counting stops.

    An object stream packs many small objects into one compressed stream, and
    pypdf keeps each one it inflates for as long as the reader lives: 23 of them
    padded to 74 MB, each holding one page, took 3.5 GB and five minutes from a
    1.7 MB file. Which streams these are is known from the cross-reference
    alone, so they are inflated here first, a megabyte at a time, only counted.
    """
    scan = _ContentScan(limit)
    for number in sorted({entry[0] for entry in reader.xref_objStm.values()}):
        stream = reader.get_object(int(number))
        if isinstance(stream, StreamObject):
            _decode_into(stream, scan)
            if scan.full:
                break
    return scan.length


def _check_page_box(name: str, index: int, page: PageObject, settings: DigitizeSettings) -> None:
    box = page.mediabox
    width, height = abs(float(box.width)), abs(float(box.height))
    if (width * PAGE_DPI / 72) * (height * PAGE_DPI / 72) > settings.max_pixels:
        raise BadFile(
            name,
            f"Trang {index + 1} của tệp PDF «{name}» có khổ {_number(width * 25.4 / 72)} × "
            f"{_number(height * 25.4 / 72)} mm, quá lớn để xem và in; hãy xuất lại tệp ở khổ A4 "
            "hoặc A3, hoặc in ra rồi scan lại.",
        )


def _pdf_bomb(name: str, index: int, pixels: int, settings: DigitizeSettings) -> BadFile:
    return BadFile(
        name,
        f"Trang {index + 1} của tệp PDF «{name}» chứa ảnh tổng cộng "
        f"{_number(pixels / 1_000_000)} triệu điểm ảnh, vượt giới hạn "
        f"{settings.max_megapixels} triệu điểm ảnh mỗi trang; hãy in ra rồi scan lại "
        "ở 200–300 dpi, hoặc xin bản PDF khác.",
    )


def _drawn_pixels(
    resources: object, seen: set[int], scan: _ContentScan, forms: dict[int, int]
) -> int:
    """Pixels of the images (and their masks) a page's resources hold, forms included.

    A form's own drawing instructions are decoded into ``scan`` the first time
    the file uses it (``forms`` remembers it), like the page's: a letterhead
    drawn on every page is decoded once, and its inline images count on each.
    """
    resources = _resolved(resources)
    if not isinstance(resources, DictionaryObject):
        return 0
    xobjects = _resolved(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return 0
    total = 0
    for reference in xobjects.values():
        total += _xobject_pixels(reference, seen, scan, forms)
    return total


def _xobject_pixels(
    reference: object, seen: set[int], scan: _ContentScan, forms: dict[int, int]
) -> int:
    key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
    if key in seen:  # drawn twice, decoded once; and a form cannot include itself forever
        return 0
    seen.add(key)
    xobject = _resolved(reference)
    if not isinstance(xobject, DictionaryObject):
        return 0
    subtype = xobject.get("/Subtype")
    if subtype == "/Image":
        pixels = _dimension(xobject.get("/Width")) * _dimension(xobject.get("/Height"))
        mask = xobject.get("/SMask")
        return pixels + (_xobject_pixels(mask, seen, scan, forms) if mask is not None else 0)
    if subtype != "/Form":
        return 0
    inline = forms.get(key) if isinstance(reference, IndirectObject) else None
    if inline is None and isinstance(xobject, StreamObject) and not scan.full:
        before = scan.pixels
        _decode_into(xobject, scan)
        inline = scan.pixels - before
        scan.pixels = before
        if isinstance(reference, IndirectObject):
            forms[key] = inline
    return (inline or 0) + _drawn_pixels(xobject.get("/Resources"), seen, scan, forms)


def _resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _dimension(value: object) -> int:
    number = _resolved(value)
    if not isinstance(number, int) or number < 0:
        raise ValueError(f"kích thước ảnh sai: {number!r}")
    return number


class _ContentScan:
    """Counts a page's decoded content as it goes by, and the pixels of its inline images.

    An inline image (``BI`` … ``ID``) carries its size in its header and its data,
    compressed or not, inside the content: a few hundred bytes can declare
    billions of pixels, which a viewer would decode to draw the page.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.length = 0
        self.pixels = 0
        self._tail = b""
        self._offset = 0  # where the text read so far ends: bytes fed and separators
        self._counted_until = 0

    @property
    def full(self) -> bool:
        return self.length > self.limit

    def next_stream(self) -> None:
        """Streams are read one after another; a token never runs from one into the next."""
        self._tail += b"\n"
        self._offset += 1

    def feed(self, data: bytes) -> None:
        self.length += len(data)
        self._offset += len(data)
        window = self._tail + data
        base = self._offset - len(window)
        for match in _INLINE_IMAGE.finditer(window):
            if base + match.start() >= self._counted_until:
                header = match.group(1)
                width = _INLINE_WIDTH.search(header)
                height = _INLINE_HEIGHT.search(header)
                if width and height:
                    self.pixels += int(width.group(1)) * int(height.group(1))
                self._counted_until = base + match.end()
        self._tail = window[-_INLINE_HEADER:]


_INLINE_HEADER = 2048
_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z0-9_])BI\s(.{0,1024}?)\sID\s", re.DOTALL)
_INLINE_WIDTH = re.compile(rb"/(?:W|Width)\s+(\d{1,9})\b")
_INLINE_HEIGHT = re.compile(rb"/(?:H|Height)\s+(\d{1,9})\b")


def _scan_contents(page: PageObject, scan: _ContentScan) -> None:
    """Feed the page's content streams to ``scan``, decoded; past its limit, stop.

    pypdf's ``get_contents`` keeps every page's decoded content for as long as the
    reader lives (23 pages of 74 MB each, from a 1.7 MB file, took 1.8 GB), so
    the streams are inflated here a megabyte at a time and nothing is kept.
    """
    contents = _resolved(page.get("/Contents"))
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    for item in streams:
        stream = _resolved(item)
        if isinstance(stream, StreamObject):
            _decode_into(stream, scan)
            if scan.full:
                return


def _decode_into(stream: StreamObject, scan: _ContentScan) -> None:
    scan.next_stream()
    filters = _resolved(stream.get("/Filter"))
    if filters is None:
        names = []
    elif isinstance(filters, ArrayObject):
        names = [str(_resolved(f)) for f in filters]
    else:
        names = [str(filters)]
    raw: bytes = stream._data
    if not names:
        scan.feed(raw)
        return
    if names in (["/FlateDecode"], ["/Fl"]) and stream.get("/DecodeParms") is None:
        partial = _ContentScan(scan.limit - scan.length)
        try:
            _inflate_into(raw, partial)
        except zlib.error:
            pass  # pypdf recovers some damaged streams; let it try, as before
        else:
            scan.length += partial.length
            scan.pixels += partial.pixels
            return
    scan.feed(decode_stream_data(stream))  # other filters: pypdf bounds them (75 MB)


def _inflate_into(raw: bytes, scan: _ContentScan) -> None:
    inflater = zlib.decompressobj()
    for start in range(0, len(raw), _INFLATE_IN):
        chunk = raw[start : start + _INFLATE_IN]
        while chunk:
            scan.feed(inflater.decompress(chunk, _INFLATE_OUT))
            if scan.full or inflater.eof:
                return
            chunk = inflater.unconsumed_tail


def _number(value: float) -> str:
    """A whole number the Vietnamese way: 5.080, not 5,080."""
    return f"{value:,.0f}".replace(",", ".")


def _reason(exc: Exception) -> str:
    """Why a file could not be read, in Vietnamese; the decoder's own English goes to the log."""
    log.info("unreadable file: %r", exc)
    if isinstance(exc, OSError) and exc.errno:
        return os_reason(exc)
    return "dữ liệu trong tệp thiếu hoặc sai định dạng"
