"""Checking a file before any of it is used: name, size, real type, readable pages.

A file from a scanner folder, a USB stick or a phone is read once into memory
and every check runs on those very bytes, so what was checked is what gets
assembled, even if the file on disk changes afterwards. The type comes from
the content (magic bytes), never from the name alone, and images are decoded
once here (as thumbnails), which finds truncated and damaged ones. Every
refusal is a ``BadFile`` whose message names the file and says what to do.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps
from pypdf import PdfReader

from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import CounterError

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


@dataclass(frozen=True, eq=False)
class IncomingFile:
    """A checked file, held in memory: compared by identity, never by its bytes."""

    name: str
    kind: FileKind
    content: bytes
    pages: tuple[PageInfo, ...]

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
            f"Không đọc được tệp «{name}» ({exc.strerror or exc}); hãy kiểm tra tệp còn đó "
            "và không bị chương trình khác giữ.",
        ) from None
    return inspect_content(name, content, settings)


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


def _bomb(name: str, settings: DigitizeSettings, size: tuple[int, int] | None) -> BadFile:
    dims = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    return BadFile(
        name,
        f"Ảnh «{name}» quá lớn{dims}, vượt giới hạn {settings.max_megapixels} triệu điểm ảnh; "
        "hãy scan lại ở 200–300 dpi.",
    )


def _image_pages(
    name: str, kind: FileKind, content: bytes, settings: DigitizeSettings
) -> tuple[PageInfo, ...]:
    pages: list[PageInfo] = []
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is the rule; Pillow's warning would only duplicate it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[_PIL_FORMATS[kind]]) as image:
                count = getattr(image, "n_frames", 1)
                if count > settings.max_pages:
                    raise _too_many_pages(name, count, settings)
                for index in range(count):
                    image.seek(index)
                    if image.width * image.height > settings.max_pixels:
                        raise _bomb(name, settings, image.size)
                    pages.append(_image_page(image, index, single=count == 1))
    except BadFile:
        raise
    except Image.DecompressionBombError:
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
    # A single frame may be shrunk in place (JPEG then decodes at 1/8 scale);
    # a frame of a multi-page TIFF is copied so the file can still seek.
    frame = image if single else image.copy()
    frame.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
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
    )


def _pdf_pages(name: str, content: bytes, settings: DigitizeSettings) -> tuple[PageInfo, ...]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            encrypted = reader.is_encrypted
            if not encrypted:
                count = len(reader.pages)
                if count > settings.max_pages:
                    raise _too_many_pages(name, count, settings)
                pages = []
                for index, page in enumerate(reader.pages):
                    page.get_contents()  # decompresses the page: finds damaged streams
                    box = page.mediabox
                    pages.append(PageInfo(index, float(box.width), float(box.height)))
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


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "…"
