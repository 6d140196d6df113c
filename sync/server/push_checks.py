"""The checks a pushed mutation passes before the server writes anything for it.

What one unit's counter pushes, other units' counters will store: a
boundary-free dossier goes to its competent unit. A record that a counter
cannot store (two documents with one id, a status the counter does not know,
an extension without its new date) would stop that unit's pulls for good, and
a value too long for a column would fail the whole push on PostgreSQL. So the
server believes nothing it can check: ids are UUIDs and unique, statuses are
derived here from the kinds of event (``counter_app.lifecycle``), each kind's
data is what readers expect (``counter_app.event_data``), text fits its column
and holds no NUL (``counter_app.limits``, through ``sync.protocol``).

These are the checks that need no database; ``push.PushBatch`` adds those that
do (ids already taken), each refusal a ``Rejected`` for that mutation alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError

from counter_app import limits
from counter_app.event_data import event_data_error
from counter_app.lifecycle import Status, statuses_after
from counter_app.reception import CHANNELS, RETURN_METHODS
from sync import protocol
from sync.server.rejection import Rejected


def check_envelope(mutation: protocol.Mutation) -> None:
    """The mutation's own ids, and no NUL anywhere in what it carries."""
    for label, value in (("mutation_id", mutation.mutation_id), ("entity_id", mutation.entity_id)):
        if not limits.is_id(value):
            raise Rejected(
                "invalid_id",
                f"Mã {label} {value[:40]!r} không đúng dạng mã bản ghi (UUID); "
                "thay đổi này không được ghi nhận, hãy báo quản trị tỉnh.",
            )
    where = next(limits.nul_paths(mutation.payload), None)
    if where is not None:
        raise Rejected(
            "invalid_text",
            f"Trường {where} chứa ký tự NUL (không in được); hãy sửa lại nội dung trường này "
            "trên máy rồi gửi lại.",
        )


def _repeated(ids: Iterable[str]) -> str | None:
    counts = Counter(ids)
    return next((value for value, count in counts.items() if count > 1), None)


def check_dossier(data: protocol.DossierData) -> list[Status]:
    """A whole reception: unique ids, a history the kinds allow. Returns each event's status."""
    twice = _repeated([d.id for d in data.documents])
    if twice is not None:
        raise Rejected(
            "duplicate_id",
            f"Hồ sơ {data.code} có hai giấy tờ cùng mã {twice}; hãy báo quản trị tỉnh.",
        )
    twice = _repeated([e.id for e in data.events])
    if twice is not None:
        raise Rejected(
            "duplicate_id",
            f"Hồ sơ {data.code} có hai thao tác cùng mã {twice}; hãy báo quản trị tỉnh.",
        )
    for field, value, allowed in (
        ("channel", data.channel, CHANNELS),
        ("return_method", data.return_method, RETURN_METHODS),
        ("applicant.sex", data.applicant.sex, (None, "male", "female")),
    ):
        if value not in allowed:
            raise Rejected(
                "invalid_payload",
                f"Hồ sơ {data.code}: trường {field} có giá trị {value!r} mà các máy quầy "
                "không biết; hãy báo quản trị tỉnh.",
            )
    statuses = statuses_after([e.kind for e in data.events])
    if not statuses or any(e.dossier_id != data.id for e in data.events):
        raise Rejected("invalid_payload", f"Lịch sử của hồ sơ {data.code} không hợp lệ.")
    for event in data.events:
        check_event_data(event, data.code)
    return statuses


def check_event_data(event: protocol.EventData, code: str) -> None:
    problem = event_data_error(event.kind, event.data)
    if problem is not None:
        raise Rejected("invalid_event_data", f"Thao tác trên hồ sơ {code}: {problem}.")


def invalid_payload(error: ValidationError) -> Rejected:
    """The first problem pydantic found, said so that a clerk knows which field to fix."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    context = first.get("ctx") or {}
    if first["type"] == "string_too_long":
        said = f"dài quá {context.get('max_length')} ký tự; hãy rút gọn trên máy rồi gửi lại"
    elif first["type"] == "string_pattern_mismatch":
        said = "không đúng dạng (mã bản ghi là UUID, mã tệp là SHA-256)"
    else:
        said = f"không hợp lệ: {first['msg']}"
    return Rejected("invalid_payload", f"Dữ liệu gửi lên không hợp lệ: trường {where} {said}.")
