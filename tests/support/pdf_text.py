"""Reading a printed PDF back: its pages' text and size."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from tests.support.counter_store import MONDAY_MORNING

PRINTED_AT = MONDAY_MORNING


HEAD: dict[str, Any] = {
    "place_name": "Hạc Thành",
    "printed_at": PRINTED_AT,
    "parent_agency": "UBND tỉnh Thanh Hóa",
}


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace (line ends, non-breaking spaces) made one space."""
    return [" ".join(page.extract_text().split()) for page in read(pdf).pages]


def page_size(pdf: bytes, index: int = 0) -> tuple[float, float]:
    box = read(pdf).pages[index].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)
