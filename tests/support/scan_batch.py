"""A scanned stack as a scanner makes it: real separator sheets drawn to pixels, pages, blanks."""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import pypdfium2
from PIL import Image
from pypdf import PdfReader

from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.separator_view import load_separator_view
from counter_app.store import Store
from printing.separator import separator_pdf
from tests.support.counter_store import applicant
from tests.support.digitize_files import encode, scan
from tests.support.returns import receive

SCAN_DPI = 200


def scanned(pdf: bytes, dpi: int = SCAN_DPI) -> Image.Image:
    """The first page of ``pdf`` as a scanner sees it: grey pixels at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def as_jpeg(image: Image.Image) -> bytes:
    return encode(image.convert("L"), "JPEG", quality=80, dpi=(SCAN_DPI, SCAN_DPI))


def text_page(seed: int) -> bytes:
    """A page of a citizen's paper, A4 at 200 dpi."""
    with scan(1654, 2339, seed=seed) as image:
        return as_jpeg(image)


def blank_page() -> bytes:
    return as_jpeg(Image.new("L", (1654, 2339), 246))


def scanner_pdf(path: Path, pages: list[bytes]) -> Path:
    path.write_bytes(img2pdf.convert(pages))
    return path


def separator(service: AttachmentService, code: str, number: int, paper: str = "A4") -> bytes:
    view = load_separator_view(service, code, number)
    return as_jpeg(scanned(separator_pdf(view, paper)))  # type: ignore[arg-type]


def pages_of(service: AttachmentService, code: str, number: int) -> int | None:
    slot = service.open(code).slot(number)
    if slot.attachment_sha256 is None:
        return None
    return len(PdfReader(io.BytesIO(service.read_pdf(slot.attachment_sha256))).pages)


def two_dossiers(store: Store, clock: FixedClock, clerk: StaffIdentity) -> tuple[str, str]:
    first = receive(store, clock, clerk)
    clock.advance(minutes=5)
    second = receive(store, clock, clerk, applicant=applicant(cccd="001190054321"))
    return first, second
