"""A stack of papers scanned in one go, split at its separator sheets and filed per document.

The postal agent prints a separator (``printing/separator.py``) for each
document, puts it before that document's pages and feeds the whole stack to
the scanner. Here every page is looked at once, at a low resolution, one page
at a time (only the compressed files are held, never a batch of decoded
pages): a separator starts the next document; the pages after it are
assembled into that document's PDF and attached through ``AttachmentService``,
the same path as the digitizing screen and ``counter-app attach``.

Nothing is guessed: pages before the first separator, the pages after a
separator whose band is there but whose codes cannot be read, a dossier or
document that does not exist here, a document named twice in one batch, a
page that cannot be decoded — each is set aside, copied to a folder with the
reason, and the rest of the batch is filed. Blank pages (the backs of
single-sided papers) are dropped unless the setting says to keep them.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import logging
import shutil
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageOps
from pypdf import PdfReader

from counter_app.assembly import PageRef, assemble
from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import CounterError
from counter_app.intake import BadFile, IncomingFile, format_size, inspect_path
from counter_app.separator_codes import (
    BadSeparator,
    NotASeparator,
    SeparatorCode,
    read_separator,
)

log = logging.getLogger(__name__)

LOOK_DPI = 150  # enough for the separator's 1.3-point bars; a page costs ~2 MB to look at
DARK = 110  # grey level below which a pixel counts as ink
BLANK_INK = 0.002  # under 0.2 % ink inside the margins: a blank back
BAND_INK = 0.85  # the separator's band is solid black across its width…
BAND_RUN = 0.025  # …for at least this share of the page's height (5 mm of A5, 7 mm of A4)

SET_ASIDE_FOLDER = "scan-set-aside"  # under the data directory: what a batch could not file

Look = Literal["separator", "bad_separator", "blank", "page"]


@dataclass(frozen=True)
class PageLook:
    kind: Look
    code: SeparatorCode | None = None
    reason: str = ""


@dataclass(frozen=True)
class Filed:
    label: str  # the dossier's code, or "hồ sơ nháp <id>"
    document: int
    document_name: str
    page_count: int
    size: int
    sha256: str  # the stored PDF, for reading it back before the scanner's files go


@dataclass(frozen=True)
class SetAside:
    source: str  # the file's name
    page: int | None  # 1-based; None for the whole file
    reason: str
    saved_as: Path | None


@dataclass(frozen=True)
class BatchReport:
    filed: tuple[Filed, ...]
    set_aside: tuple[SetAside, ...]
    blank_dropped: int
    pages_seen: int
    folder: Path | None  # where the set-aside pages were copied, if any


@dataclass
class _Group:
    code: SeparatorCode | None
    reason: str  # why the group is set aside as a whole; "" when it is to be filed
    pages: list[PageRef] = field(default_factory=list)


def _ink(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of dark pixels in ``box`` (fractions of the width and height)."""
    width, height = image.size
    left, top, right, bottom = box
    corners = (int(left * width), int(top * height), int(right * width), int(bottom * height))
    area = image.crop(corners)
    histogram = area.histogram()
    total = sum(histogram) or 1
    return sum(histogram[:DARK]) / total


def _has_band(image: Image.Image) -> bool:
    """A solid dark band across the top fifth of the page: the separator's own mark."""
    width, height = image.size
    area = image.crop((int(0.15 * width), 0, int(0.85 * width), int(0.2 * height)))
    ink = area.point(lambda grey: 255 if grey < DARK else 0).resize(
        (1, area.height), Image.Resampling.BOX
    )
    run = longest = 0
    for row in list(ink.tobytes()):
        run = run + 1 if row >= BAND_INK * 255 else 0
        longest = max(longest, run)
    return longest >= BAND_RUN * height


def look_at(image: Image.Image) -> PageLook:
    """A scanned page: a separator (and whose), a separator we cannot read, blank, or a page."""
    import zxingcpp  # a native decoder: loaded only when a batch is filed

    gray = ImageOps.grayscale(image)
    wanted = [zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.QRCode]
    formats = zxingcpp.BarcodeFormats(wanted)
    claimed: str | None = None
    for found in zxingcpp.read_barcodes(gray, formats=formats):
        try:
            return PageLook("separator", read_separator(found.text))
        except NotASeparator:
            continue  # a receipt's or a certificate's own code, on a page of a document
        except BadSeparator as exc:
            claimed = str(exc)
    if claimed is not None:
        return PageLook("bad_separator", reason=claimed)
    if _has_band(gray):
        return PageLook("bad_separator", reason="phiếu tách không đọc được mã vạch")
    if _ink(gray, (0.06, 0.06, 0.94, 0.94)) < BLANK_INK:
        return PageLook("blank")
    return PageLook("page")


def _pdf_page_image(page: Any) -> Image.Image:
    """A PDF page at about LOOK_DPI, grey.

    A scanner's PDF page is one JPEG: that JPEG is decoded at a reduced scale
    (libjpeg's own, several times faster than pdfium drawing the page); any
    other page is drawn by pdfium.
    """
    import pypdfium2.raw as pdfium_c

    width_pt, height_pt = page.get_size()
    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=1))
    if (
        len(images) == 1
        and page.get_rotation() == 0
        and images[0].get_filters() == ["DCTDecode"]
        and _covers(_bounds(images[0]), width_pt, height_pt)
    ):
        buffer = io.BytesIO()
        images[0].extract(buffer)
        image = Image.open(io.BytesIO(buffer.getvalue()))
        wanted = max(1, round(width_pt / 72 * LOOK_DPI))
        if image.width > wanted:
            image.draft("L", (wanted, round(image.height * wanted / image.width)))
        return ImageOps.grayscale(image)
    bitmap = page.render(scale=LOOK_DPI / 72, grayscale=True, no_smoothimage=True)
    return bitmap.to_pil()  # type: ignore[no-any-return]


def _bounds(image: Any) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in points: ``get_bounds`` in pypdfium2 5, ``get_pos`` before."""
    measure = getattr(image, "get_bounds", None) or image.get_pos
    left, bottom, right, top = measure()
    return float(left), float(bottom), float(right), float(top)


def _covers(position: tuple[float, float, float, float], width: float, height: float) -> bool:
    """The image fills the page (a scan), rather than sitting on it somewhere."""
    left, bottom, right, top = position
    return right - left >= 0.9 * width and top - bottom >= 0.9 * height


def _page_images(source: IncomingFile) -> Iterator[tuple[int, Image.Image | None, str]]:
    """Each page of ``source`` drawn at LOOK_DPI, or None and why it could not be drawn."""
    if source.kind == "pdf":
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(source.content)
        except pypdfium2.PdfiumError as exc:
            for page in source.pages:
                yield page.index, None, f"không mở được tệp PDF ({exc})"
            return
        try:
            for page in source.pages:
                try:
                    yield page.index, _pdf_page_image(document[page.index]), ""
                except (pypdfium2.PdfiumError, OSError, ValueError) as exc:
                    yield page.index, None, f"không vẽ được trang ({exc})"
        finally:
            document.close()
        return
    try:
        with Image.open(io.BytesIO(source.content)) as image:
            for page in source.pages:
                try:
                    image.seek(page.index)
                    frame = ImageOps.exif_transpose(image.convert("L"))
                    scale = LOOK_DPI / (page.dpi or 200)
                    if scale < 1:
                        frame = frame.resize(
                            (max(1, int(frame.width * scale)), max(1, int(frame.height * scale)))
                        )
                    yield page.index, frame, ""
                except (OSError, ValueError, EOFError) as exc:
                    yield page.index, None, f"ảnh hỏng ({exc})"
    except (OSError, ValueError) as exc:
        for page in source.pages:
            yield page.index, None, f"ảnh hỏng ({exc})"


class ScanBatch:
    """Files one batch; ``file`` may be called once per batch of files."""

    def __init__(
        self,
        service: AttachmentService,
        settings: DigitizeSettings,
        actor: StaffIdentity,
        set_aside_root: Path,
        *,
        keep_blank: bool = False,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.service = service
        self.settings = settings
        self.actor = actor
        self.set_aside_root = set_aside_root
        self.keep_blank = keep_blank
        self.clock = clock
        self._folder: Path | None = None
        self._filed: list[Filed] = []
        self._set_aside: list[SetAside] = []
        self._named: set[tuple[str, int]] = set()
        self._blank = 0
        self._seen = 0
        # Each source PDF parsed once for all its documents, let go with the file.
        self._readers: weakref.WeakKeyDictionary[IncomingFile, PdfReader] = (
            weakref.WeakKeyDictionary()
        )

    def file(
        self, paths: Sequence[Path], progress: Callable[[int, str], None] | None = None
    ) -> BatchReport:
        """Split ``paths`` (in the order given) at their separators and file each document."""
        group = _Group(None, "trang nằm trước phiếu tách đầu tiên")
        for path in paths:
            try:
                source = inspect_path(path, self.settings)
            except BadFile as exc:
                self._put_aside_file(path, str(exc))
                continue
            for index, image, broken in _page_images(source):
                self._seen += 1
                if progress is not None:
                    progress(self._seen, f"{source.name}, trang {index + 1}")
                if image is None:
                    self._put_aside([PageRef(source, index)], f"Trang không đọc được: {broken}")
                    continue
                look = look_at(image)
                image.close()
                if look.kind == "separator":
                    self._close(group)
                    group = _Group(look.code, "")
                elif look.kind == "bad_separator":
                    self._close(group)
                    group = _Group(None, f"Sau một phiếu tách lỗi ({look.reason})")
                elif look.kind == "blank" and not self.keep_blank:
                    self._blank += 1
                else:
                    group.pages.append(PageRef(source, index))
            del source
            gc.collect()  # a parsed PDF lives in reference cycles: let it go with its file
        self._close(group)
        return BatchReport(
            tuple(self._filed), tuple(self._set_aside), self._blank, self._seen, self._folder
        )

    def _close(self, group: _Group) -> None:
        if group.reason or group.code is None:
            if group.pages:
                self._put_aside(group.pages, group.reason)
            return
        code = group.code
        if not group.pages:
            self._set_aside.append(
                SetAside(
                    code.target,
                    None,
                    f"Phiếu tách giấy tờ số {code.document} của hồ sơ {code.target} không có "
                    "trang nào theo sau; giấy tờ này chưa được số hóa.",
                    None,
                )
            )
            return
        key = (code.target, code.document)
        if key in self._named:
            self._put_aside(
                group.pages,
                f"Giấy tờ số {code.document} của hồ sơ {code.target} có hai phiếu tách trong "
                "một lần scan; phần sau được để riêng, hãy kiểm tra và đính kèm bằng tay.",
            )
            return
        self._named.add(key)
        try:
            target = self.service.open(code.target)
            slot = target.slot(code.document)
            pdf = assemble(group.pages, self.settings, self._readers)
            self.service.attach(target.id, slot.document_id, pdf, self.actor)
        except CounterError as exc:
            self._put_aside(group.pages, f"Hồ sơ {code.target}, giấy tờ số {code.document}: {exc}")
            return
        label = target.code or f"hồ sơ nháp {target.id}"
        log.info("scan batch filed %s document %d: %d pages", label, slot.number, pdf.page_count)
        self._filed.append(
            Filed(label, slot.number, slot.name, pdf.page_count, pdf.size, pdf.sha256)
        )
        del pdf
        gc.collect()  # the document's copy of its pages, in pypdf's cycles, before the next

    def _folder_now(self) -> Path:
        if self._folder is None:
            stamp = self.clock().strftime("%Y%m%d-%H%M%S")
            folder = self.set_aside_root / stamp
            suffix = 1
            while folder.exists():
                suffix += 1
                folder = self.set_aside_root / f"{stamp}-{suffix}"
            folder.mkdir(parents=True)
            self._folder = folder
        return self._folder

    def _put_aside_file(self, path: Path, reason: str) -> None:
        saved: Path | None = None
        try:
            saved = self._folder_now() / f"{len(self._set_aside) + 1:03d}-{path.name}"
            shutil.copyfile(path, saved)
        except OSError:
            saved = None
        log.warning("scan batch set aside %s: %s", path, reason)
        self._set_aside.append(SetAside(path.name, None, reason, saved))
        self._write_reasons()

    def _put_aside(self, pages: Sequence[PageRef], reason: str) -> None:
        folder = self._folder_now()
        for ref in pages:
            stem = folder / (
                f"{len(self._set_aside) + 1:03d}-{Path(ref.source.name).stem}-trang{ref.index + 1}"
            )
            saved: Path | None
            try:
                saved = _write_page(ref, stem)
            except (OSError, ValueError):
                saved = None
            self._set_aside.append(SetAside(ref.source.name, ref.index + 1, reason, saved))
        log.warning("scan batch set aside %d pages: %s", len(pages), reason)
        self._write_reasons()

    def _write_reasons(self) -> None:
        lines = [
            f"{item.saved_as.name if item.saved_as else '(không chép được)'}\t{item.source}"
            f"{f', trang {item.page}' if item.page else ''}\t{item.reason}"
            for item in self._set_aside
        ]
        (self._folder_now() / "LY-DO.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_page(ref: PageRef, stem: Path) -> Path:
    """One page of its file, written alone: a one-page PDF, or the image (its frame as PNG)."""
    if ref.source.kind == "pdf":
        from pypdf import PdfWriter

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            writer = PdfWriter()
            writer.add_page(PdfReader(io.BytesIO(ref.source.content)).pages[ref.index])
            out = stem.with_suffix(".pdf")
            with out.open("wb") as handle:
                writer.write(handle)
        return out
    if len(ref.source.pages) == 1:
        out = stem.with_suffix(Path(ref.source.name).suffix.lower())
        out.write_bytes(ref.source.content)
        return out
    with Image.open(io.BytesIO(ref.source.content)) as image:
        image.seek(ref.index)
        out = stem.with_suffix(".png")
        image.save(out, format="PNG")
    return out


def describe(report: BatchReport) -> list[str]:
    """The report in the words the CLI prints and the screen shows."""
    lines = [
        f"Đã đính kèm {item.label}, giấy tờ {item.document} ({item.document_name}): "
        f"{item.page_count} trang, {format_size(item.size)}"
        for item in report.filed
    ]
    lines.append(
        f"Đã xem {report.pages_seen} trang: đính kèm {len(report.filed)} giấy tờ, bỏ "
        f"{report.blank_dropped} trang trắng, để riêng {len(report.set_aside)}."
    )
    return lines
