"""What a separator sheet's barcodes say: which dossier and which of its documents follow.

A separator carries ``TACH/<document number>/<dossier code or draft id>`` in
both its Code 128 and its QR code. The prefix keeps it apart from the codes
already on paper that passes through a scanner (a receipt's Code 128 carries
the bare dossier code): a page is a separator only when it says so, never
because it holds some dossier's code.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "TACH"
MAX_TARGET = 64  # a dossier code (or a draft's 36-character id) and room to spare


class NotASeparator(ValueError):
    """The text does not start with the separator's prefix: a page of some document."""


class BadSeparator(ValueError):
    """The text claims to be a separator but does not say which dossier and document."""


@dataclass(frozen=True)
class SeparatorCode:
    target: str  # the dossier's code, or a draft's id
    document: int  # the document's number in the dossier's checklist, from 1

    def text(self) -> str:
        return f"{PREFIX}/{self.document}/{self.target}"


def separator_code(target: str, document: int) -> SeparatorCode:
    """The code for ``target``'s document ``document``; ValueError for what cannot be printed."""
    cleaned = target.strip()
    if not cleaned or not cleaned.isascii() or not cleaned.isprintable() or "/" in cleaned:
        raise ValueError(f"mã hồ sơ «{target}» không in được lên phiếu tách")
    if len(cleaned) > MAX_TARGET:
        raise ValueError(f"mã hồ sơ dài quá {MAX_TARGET} ký tự")
    if document < 1:
        raise ValueError("số thứ tự giấy tờ phải từ 1 trở lên")
    return SeparatorCode(cleaned, document)


def read_separator(text: str) -> SeparatorCode:
    """The separator ``text`` names: NotASeparator for other codes, BadSeparator if garbled."""
    head, _, rest = text.strip().partition("/")
    if head != PREFIX:
        raise NotASeparator(text)
    number, _, target = rest.partition("/")
    if not number.isdigit() or not target:
        raise BadSeparator(f"mã trên phiếu tách «{text}» không đúng dạng")
    try:
        return separator_code(target, int(number))
    except ValueError as exc:
        raise BadSeparator(f"mã trên phiếu tách «{text}»: {exc}") from None
