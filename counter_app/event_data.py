"""What each kind of event may carry in its ``data``, checked wherever one arrives.

The printed forms and the hand-over slip read these fields back (a requested
supplement's items, an extension's new appointment, who took a result and
how), so an event whose data another unit cannot read would break that unit's
screens and forms. The province refuses such an event in a push and a counter
sets one aside in a pull, both by this one definition. Keys not named here are
left alone: a newer counter may record more.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from counter_app import limits
from counter_app.timeliness import Timeliness

RETURN_METHODS = frozenset({"counter", "post"})  # counter_app.returns.RETURN_METHODS
_CCCD = re.compile(r"[0-9]{12}")
TRACKING_NUMBER = 64  # checked as 6-20 letters and digits only when sent by post


def _date_time(value: Any) -> str | None:
    if not isinstance(value, str):
        return "phải là ngày giờ"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return f"ngày giờ {value[:40]!r} không hợp lệ"
    return "phải là giờ Việt Nam, không kèm múi giờ" if parsed.tzinfo is not None else None


def _date_time_or_none(value: Any) -> str | None:
    return None if value is None else _date_time(value)


def _text(limit: int, *, optional: bool = True) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            return "phải là chuỗi ký tự"
        return f"dài quá {limit} ký tự" if len(value) > limit else None

    return check


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            return f"không phải {what}"
        return None

    return check


def _one_of(allowed: frozenset[str]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"phải là một trong {', '.join(sorted(allowed))}"

    return check


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "phải là đúng/sai"


def _record_id(value: Any) -> str | None:
    return None if value is None or limits.is_id(value) else "không phải mã bản ghi"


def _items(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "phải là danh sách giấy tờ, ít nhất một"
    if len(value) > limits.EVENT_ITEMS:
        return f"nhiều quá {limits.EVENT_ITEMS} mục"
    for item in value:
        if not isinstance(item, str) or not item.strip():
            return "có mục không phải chuỗi ký tự hoặc để trống"
        if len(item) > limits.NOTE:
            return f"có mục dài quá {limits.NOTE} ký tự"
    return None


Check = Callable[[Any], str | None]
# kind → {key: (required, check)}
RULES: dict[str, dict[str, tuple[bool, Check]]] = {
    "supplement_requested": {"items": (False, _items)},
    "extended": {"new_due_at": (True, _date_time)},
    # The appointment a supplement restarts (counter_app.appointments) becomes due_at
    # on every counter that pulls it.
    "supplement_received": {
        "due_at": (False, _date_time),
        "previous_due_at": (False, _date_time_or_none),
    },
    "returned": {
        "recipient": (False, _text(limits.PERSON_NAME)),
        "cccd": (False, _matching(_CCCD, "số CCCD 12 chữ số")),
        "representative": (False, _flag),
        "method": (False, _one_of(RETURN_METHODS)),
        "tracking_number": (False, _text(TRACKING_NUMBER)),
        "timeliness": (False, _one_of(frozenset(t.value for t in Timeliness))),
        "result_at": (False, _date_time),
        "fee_payment_id": (False, _record_id),
    },
}


_REQUIRING = frozenset(kind for kind, rules in RULES.items() if any(r for r, _ in rules.values()))


def event_data_error(kind: str, data: Any) -> str | None:
    """What is wrong with an event's ``data`` for its ``kind`` (Vietnamese), or None."""
    if not isinstance(data, (dict, Mapping)):  # a dict first: a catch-up checks 100,000
        return "dữ liệu kèm thao tác phải là một bảng khóa/giá trị"
    if not data:
        return f"thao tác '{kind}' thiếu dữ liệu kèm theo" if kind in _REQUIRING else None
    if len(json.dumps(data, ensure_ascii=False, default=str)) > limits.EVENT_DATA_CHARS:
        return f"dữ liệu kèm thao tác dài quá {limits.EVENT_DATA_CHARS} ký tự"
    for key, (required, check) in RULES.get(kind, {}).items():
        if key not in data:
            if required:
                return f"thao tác '{kind}' thiếu '{key}'"
            continue
        problem = check(data[key])
        if problem:
            return f"'{key}' của thao tác '{kind}' {problem}"
    return None
