"""Settings of digitizing: limits on incoming files, recompression, the scanner's folder.

Kept in their own file beside the store (``digitize.json``) rather than in
``settings.json``, so that saving the general settings never drops them and
the screen, the CLI and the tests read the same limits from the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counter_app import settings_file
from counter_app.errors import ValidationError

DIGITIZE_FILE = "digitize.json"
# No setting may allow a page of more pixels than this; Pillow's own guard sits here.
MEGAPIXELS_CEILING = 1000


@dataclass(frozen=True)
class DigitizeSettings:
    """``dpi``/``jpeg_quality`` apply when recompressing; the ``max_`` limits stop file bombs.

    A file's header says how many pixels it will decode to and a PDF's streams
    how much they inflate to; both are checked before anything is decoded, so a
    small file that would fill the memory is refused by name instead.
    ``max_megapixels`` bounds one page (an image, a TIFF frame, the images drawn
    on a PDF page); ``max_document_megapixels`` all the pages of one document
    (3,000 is 300 A4 pages scanned at 300 dpi); ``max_pdf_content_mb`` what
    one PDF file's object streams and drawing instructions inflate to.

    ``keep_scanner_files``: the scanner folder's files stay after their
    document is attached and verified (``counter_app.scan_folder``); by
    default they are deleted then.

    ``compact`` (the default) stores each image page as small as it can be
    kept legible (``counter_app.assembly``): text pages black and white at
    300 dpi, other pages JPEG at ``dpi`` and ``jpeg_quality``; a 20-page A4
    text document stays under 2 MB. Off, images go into the PDF losslessly
    whenever they can (for documents whose every grey level matters).

    ``drop_blank_pages``: a batch filed at its separator sheets
    (``counter_app.scan_batch``) leaves out blank pages, the backs of
    single-sided papers fed through a duplex scanner; off, they are filed too.
    """

    max_file_mb: int = 50
    max_megapixels: int = 50
    max_document_megapixels: int = 3000
    max_pdf_content_mb: int = 100
    max_pages: int = 300
    dpi: int = 200
    jpeg_quality: int = 80
    compact: bool = True
    scanner_folder: str = ""
    keep_scanner_files: bool = False
    ocr: bool = True
    drop_blank_pages: bool = True

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def max_pixels(self) -> int:
        return self.max_megapixels * 1_000_000

    @property
    def max_document_pixels(self) -> int:
        return self.max_document_megapixels * 1_000_000

    @property
    def max_pdf_content_bytes(self) -> int:
        return self.max_pdf_content_mb * 1024 * 1024

    def validated(self) -> DigitizeSettings:
        errors = {}
        if not 1 <= self.max_file_mb <= 2048:
            errors["max_file_mb"] = "Dung lượng tối đa mỗi tệp phải từ 1 đến 2048 MB."
        if not 1 <= self.max_megapixels <= MEGAPIXELS_CEILING:
            errors["max_megapixels"] = (
                f"Số điểm ảnh tối đa mỗi trang phải từ 1 đến {MEGAPIXELS_CEILING} triệu."
            )
        if not self.max_megapixels <= self.max_document_megapixels <= 100_000:
            errors["max_document_megapixels"] = (
                "Số điểm ảnh tối đa của một giấy tờ phải từ số điểm ảnh tối đa mỗi trang "
                "đến 100000 triệu."
            )
        if not 1 <= self.max_pdf_content_mb <= 2048:
            errors["max_pdf_content_mb"] = "Dung lượng nội dung PDF tối đa phải từ 1 đến 2048 MB."
        if not 1 <= self.max_pages <= 5000:
            errors["max_pages"] = "Số trang tối đa phải từ 1 đến 5000."
        if not 72 <= self.dpi <= 600:
            errors["dpi"] = "Độ phân giải khi nén lại phải từ 72 đến 600 dpi."
        if not 30 <= self.jpeg_quality <= 95:
            errors["jpeg_quality"] = "Chất lượng JPEG phải từ 30 đến 95."
        if errors:
            raise ValidationError(errors)
        return self


def digitize_settings_path(data_dir: Path) -> Path:
    return data_dir / DIGITIZE_FILE


def load_digitize_settings(data_dir: Path | None) -> DigitizeSettings:
    """The data directory's settings (strict: see ``settings_file``), the defaults if none."""
    if data_dir is None:
        return DigitizeSettings()
    return settings_file.read(
        digitize_settings_path(data_dir), DigitizeSettings, "Tệp cài đặt số hóa"
    )


def save_digitize_settings(data_dir: Path, settings: DigitizeSettings) -> None:
    """Write atomically, so a crash mid-write never leaves a half file behind."""
    settings_file.write(digitize_settings_path(data_dir), settings, DigitizeSettings)
