"""Vietnamese text handling shared by every service.

Stored text is NFC so that the same word typed on two keyboards (composed or
decomposed Unicode from different input methods) compares equal. Search keys
fold case and diacritics, including "đ" to "d", which Unicode decomposition
alone does not do.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Control characters other than white space: never meant, only pasted from a damaged
# file; PostgreSQL refuses NUL outright (counter_app.limits).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NON_WORD = re.compile(r"[^0-9a-z.]+")


def nfc(value: str) -> str:
    """NFC-normalised text with surrounding and repeated spaces collapsed, controls dropped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", _CONTROLS.sub("", value))).strip()


def nfc_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = nfc(value)
    return cleaned or None


def fold(value: str) -> str:
    """Search key: lower case, no diacritics, "đ" as "d", words split by one space."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped.lower())).strip()
