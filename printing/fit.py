"""What a printed form can hold: text past it is refused by field, before reportlab sees it.

reportlab wraps a paragraph by measuring the words it could break at, and a
cell of a table cannot flow onto the next page: a megabyte of address kept a
print running for minutes, and a name of thousands of characters made the
receipt fail with a layout error in English. The counter refuses such text
where it is typed (``counter_app.limits``); this is the second line, for
text that came another way (an older store, a pulled record, a catalog import),
so a form that cannot fit says which field is too long instead of hanging.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from counter_app import limits
from counter_app.dossier_view import DossierView
from counter_app.errors import CounterError

# Field name → (how the form calls it, the most characters it prints). Unnamed text is a note.
_FIELDS: dict[str, tuple[str, int]] = {
    "UnitView.name": ("Tên đơn vị", limits.UNIT_NAME),
    "RepresentativeView.full_name": ("Họ và tên người được ủy quyền", limits.PERSON_NAME),
    "RepresentativeView.relation": ("Quan hệ với người nộp hồ sơ", limits.RELATION),
    "RepresentativeView.cccd": ("Số CCCD người được ủy quyền", limits.CCCD),
    "full_name": ("Họ và tên người nộp hồ sơ", limits.PERSON_NAME),
    "address": ("Địa chỉ người nộp hồ sơ", limits.ADDRESS),
    "return_address": ("Địa chỉ nhận kết quả", limits.ADDRESS),
    "email": ("Email", limits.EMAIL),
    "procedure_name": ("Tên thủ tục", limits.DOCUMENT_NAME),
    "name": ("Tên giấy tờ", limits.DOCUMENT_NAME),
    "received_by_name": ("Họ tên cán bộ tiếp nhận", limits.PERSON_NAME),
    "officer_name": ("Họ tên cán bộ", limits.PERSON_NAME),
    "signer_name": ("Họ tên người ký", limits.PERSON_NAME),
    "signer_title": ("Chức danh người ký", limits.UNIT_NAME),
    "payer_name": ("Họ tên người nộp tiền", limits.PERSON_NAME),
    "place_name": ("Địa danh", limits.UNIT_NAME),
    "parent_agency": ("Cơ quan chủ quản", limits.UNIT_NAME),
    "unit_name": ("Tên đơn vị", limits.UNIT_NAME),
    "reason": ("Lý do", limits.NOTE),
    "items": ("Giấy tờ cần bổ sung", limits.NOTE),
    "note": ("Ghi chú", limits.NOTE),
}
_NOTE = ("Nội dung", limits.NOTE)
# The parts of a dossier a form prints; its event history is printed by none of them.
_VIEW_PARTS = ("applicant", "representative", "receiving_unit", "competent_unit", "documents")
_SKIPPED = frozenset({"events", "id", "code"})


class FormDoesNotFit(CounterError):
    """A field's text is longer than the form can print; ``field`` is its path in the data."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def check_fits(data: object, title: str) -> None:
    """Raise FormDoesNotFit for the first text of ``data`` longer than its form can hold."""
    for path, label, text, limit in _texts(data, ""):
        if len(text) > limit:
            raise FormDoesNotFit(
                path,
                f"Không in được {title}: {label} dài {_number(len(text))} ký tự, mẫu in chỉ chứa "
                f"được {_number(limit)} ký tự; hãy sửa {label[0].lower() + label[1:]} cho ngắn "
                "lại rồi in lại.",
            )


def too_large(title: str, paper: str) -> FormDoesNotFit:
    """For a layout that still cannot be placed on a page: nothing names the field then."""
    return FormDoesNotFit(
        "",
        f"Không in được {title}: có nội dung quá dài, không vừa một trang khổ {paper}; hãy rút "
        "gọn họ tên, địa chỉ, ghi chú hoặc tên giấy tờ của hồ sơ rồi in lại.",
    )


def _texts(value: object, path: str) -> Iterator[tuple[str, str, str, int]]:
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return
    for field in dataclasses.fields(value):
        name = field.name
        if name in _SKIPPED or name.startswith("_"):
            continue
        item: Any = getattr(value, name)
        where = f"{path}.{name}" if path else name
        if isinstance(value, DossierView) and dataclasses.is_dataclass(item):
            if name in _VIEW_PARTS:
                yield from _texts(item, where)
            continue
        label, limit = _FIELDS.get(f"{type(value).__name__}.{name}") or _FIELDS.get(name, _NOTE)
        if isinstance(item, str):
            yield where, label, item, limit
        elif isinstance(item, tuple):
            for index, element in enumerate(item):
                if isinstance(element, str):
                    yield f"{where}[{index}]", label, element, limit
                elif name in _VIEW_PARTS or not isinstance(value, DossierView):
                    yield from _texts(element, f"{where}[{index}]")
        elif dataclasses.is_dataclass(item) and name not in _SKIPPED:
            yield from _texts(item, where)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")
