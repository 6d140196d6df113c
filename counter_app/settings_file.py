"""A settings file beside the store, read strictly and written without losing anything.

Both settings files (``settings.json``, ``digitize.json``) are read through
pydantic in strict mode against their frozen dataclass: ``"compact": "no"`` or
``"dpi": "200"`` is refused with the file, the key and what to do, where a
hand-written ``bool(value)`` once took "no" for yes. The dataclass's own
``validated()`` then checks the ranges, and its errors are given the file's
name too.

Writing keeps what the file held that this version does not know (a newer
version's keys), and a file that could not be read is kept beside the new one
(``<name>.damaged``) rather than overwritten, so nothing stored is lost.
A file whose every value already has its field's exact type is read without
pydantic (``_plain``: the log-in dialog waits for ``settings.json``); any other
goes through pydantic, which decides and explains.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar, get_type_hints

from counter_app import private
from counter_app.errors import ValidationError

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails

log = logging.getLogger(__name__)
DAMAGED_SUFFIX = ".damaged"
_JSON_TYPES = {
    "bool_type": "true hoặc false (không có dấu ngoặc kép)",
    "int_type": "một số nguyên (không có dấu ngoặc kép)",
    "int_from_float": "một số nguyên (không có phần thập phân)",
    "int_parsing": "một số nguyên",
    "string_type": "một chuỗi trong dấu ngoặc kép",
}


class SettingsFile(Protocol):
    """A frozen dataclass of settings with its own range checks."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    def validated(self) -> Self: ...


S = TypeVar("S", bound=SettingsFile)


@cache
def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(kind)


def _what_to_do(path: Path) -> str:
    return (
        f"Hãy sửa mục đó trong tệp {path} (hoặc xóa dòng đó để dùng giá trị mặc định) "
        "rồi mở lại chương trình; phần mềm không thay đổi gì trong tệp."
    )


def _explain(error: ErrorDetails, title: str, path: Path) -> str:
    kind, where = error["type"], error["loc"]
    if kind == "json_invalid":
        return f"{title} hỏng: {path} không phải JSON hợp lệ ({error['msg']})."
    if not where:
        return f"{title} {path} phải là một đối tượng JSON {{…}}."
    key = ".".join(str(part) for part in where)
    wanted = _JSON_TYPES.get(kind, f"một giá trị đúng kiểu ({error['msg']})")
    shown = json.dumps(error.get("input"), ensure_ascii=False)
    return f'{title} {path}: mục "{key}" phải là {wanted}, đang là {shown}.'


def read(path: Path, kind: type[S], title: str) -> S:
    """The settings in ``path`` (the defaults when there is none); ValidationError naming
    the file and the key when a value is wrong."""
    if not path.exists():
        return kind()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            {str(path): f"{title} {path} không đọc được ({exc.strerror}); hãy kiểm tra quyền."}
        ) from None
    settings = _plain(data, kind)
    if settings is None:
        settings = _strict(data, kind, title, path)
    try:
        return settings.validated()
    except ValidationError as exc:
        problems = [f'{title} {path}: mục "{k}": {m}' for k, m in exc.errors.items()]
        log.warning("%s", " ".join(problems))
        raise ValidationError({str(path): " ".join([*problems, _what_to_do(path)])}) from None


def _plain(data: bytes, kind: type[S]) -> S | None:
    """The settings when every stored value already has exactly its field's type, else None.

    What pydantic's strict mode accepts for fields of these three types, without
    importing pydantic: the window reads ``settings.json`` before its log-in
    dialog shows, and pydantic costs ~0.1 s of CPU to load. Anything else goes
    to ``_strict``, which decides and explains.
    """
    types = _field_types(kind)
    if types is None:
        return None
    try:
        raw = json.loads(data)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    known = {k: v for k, v in raw.items() if k in types}
    if any(type(value) is not types[key] for key, value in known.items()):
        return None
    return kind(**known)


@cache
def _field_types(kind: type[Any]) -> dict[str, type] | None:
    """Each field's type when all are plain int, str or bool; None otherwise."""
    hints = get_type_hints(kind)
    types = {f.name: hints[f.name] for f in fields(kind)}
    return types if all(t in (int, str, bool) for t in types.values()) else None


def _strict(data: bytes, kind: type[S], title: str, path: Path) -> S:
    from pydantic import ValidationError as Invalid

    try:
        settings: S = _adapter(kind).validate_json(data, strict=True)
    except Invalid as exc:
        problems = [_explain(error, title, path) for error in exc.errors()]
        log.warning("%s", " ".join(problems))
        raise ValidationError({str(path): " ".join([*problems, _what_to_do(path)])}) from None
    return settings


def write(path: Path, settings: SettingsFile, kind: type[SettingsFile]) -> None:
    """Write atomically, keeping the keys this version does not know.

    A file that does not read as this version's settings is first kept beside as
    ``<name>.damaged``: it may hold values someone wants back.
    """
    settings.validated()
    kept: dict[str, Any] = {}
    if path.exists():
        try:
            read(path, kind, "")
            raw = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(kind)}
            kept = {k: v for k, v in raw.items() if k not in known}
        except (ValidationError, OSError, ValueError):
            aside = path.with_name(path.name + DAMAGED_SUFFIX)
            path.replace(aside)
            log.warning("Tệp %s không đọc được nên được giữ lại thành %s", path, aside)
    temporary = path.with_suffix(".tmp")
    with open(private.open_new(temporary), "w", encoding="utf-8") as handle:
        handle.write(json.dumps({**kept, **asdict(settings)}, ensure_ascii=False, indent=2))
    temporary.replace(path)
