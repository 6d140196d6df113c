"""How long each piece of text may be: one definition for the counter and the province.

A value longer than its column, or holding a NUL, is refused where it is
typed at the counter, refused in a push by the province (``sync.protocol``
builds its wire models from these), and set aside by a counter pulling it.
Without one shared definition a 67-character username was accepted here and
made PostgreSQL answer 500 to a whole push, for good. Columns of both
schemas are declared with these same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

# Record ids are made on a counter by ``models.new_id``: a UUID in its canonical text form.
ID_LENGTH = 36
ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
USERNAME = 64  # a login, recorded as the actor of everything its owner does
PERSON_NAME = 255
UNIT_CODE = 32
UNIT_NAME = 255
PROCEDURE_CODE = 32
DOSSIER_CODE = 40
EVENT_KIND = 32
STATUS = 24
CCCD = 12
SEX = 8
PHONE = 16
EMAIL = 255
FORM = 32  # the form a document is handed in (original, copy, …)
SHORT_CODE = 16  # channel, return method, payment method, fee stage
FEE_REFERENCE = 64
# Text columns have no limit of their own in either database; these keep one record
# from being large enough to slow every counter that pulls it.
ADDRESS = 500
DOCUMENT_NAME = 1000
NOTE = 2000  # a reason, a note, an exemption's legal ground, one requested item
EVENT_ITEMS = 100
COUNT = 10_000  # documents or events of one dossier, copies of a document, sets of papers
# A ward's fees are tens of thousands of đồng; a figure past this is a slip of the keyboard.
MAX_AMOUNT_VND = 100_000_000
EVENT_DATA_CHARS = 20_000

_ID = re.compile(ID_PATTERN)


def is_id(value: object) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def too_long(value: str | None, limit: int) -> bool:
    return value is not None and len(value) > limit


def length_error(label: str, value: str | None, limit: int) -> str | None:
    """The message for text typed longer than ``limit`` characters, or None."""
    if value is None or len(value) <= limit:
        return None
    return f"{label} dài {len(value)} ký tự, quá giới hạn {limit} ký tự; hãy rút gọn."


def nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """Where NUL characters hide in nested JSON-like data, keys included (``applicant.full_name``).

    PostgreSQL cannot store NUL in text, and no person types one: it only comes
    from a damaged file or a forged request.
    """
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "."
    elif isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield where
            else:
                yield from nul_paths(item, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}[{index}]")
