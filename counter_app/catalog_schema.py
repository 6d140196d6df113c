"""The catalog file's shape as pydantic models, and its errors in Vietnamese.

Like the sync protocol's models (``sync/protocol.py``): one declaration of what
a catalog may hold, checked whole before anything is stored. Each error is
keyed by where it is (``procedures[2].processing_time.amount``) and says, in
Vietnamese, which procedure and what is expected. Fields the counter does not
use (``notes``, ``published_at``) are allowed and ignored. Numbers and yes/no
are strict: ``"mandatory": "no"`` is refused rather than taken for yes.

The per-page fee schedule keeps its own checks (``fee_schedule.parse_schedule``),
run after these on each procedure that has one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt
from pydantic import ValidationError as Invalid
from pydantic_core import ErrorDetails, PydanticCustomError

from counter_app import limits
from counter_app.catalog import CATALOG_SCHEMA, DOCUMENT_FORMS
from counter_app.errors import ValidationError
from counter_app.fee_schedule import parse_schedule
from counter_app.limits import length_error
from counter_app.text import nfc
from counter_app.workdays import parse_time

DocumentForm = Literal["original", "copy", "certified_copy", "original_or_certified_copy"]

# What each field must be, said when its value is not (missing, wrong type, out of range).
EXPECTED = {
    "schema": f"tệp danh mục phải khai báo schema {CATALOG_SCHEMA!r}",
    "procedures": "danh mục phải có một danh sách thủ tục không rỗng",
    "code": "thiếu mã thủ tục",
    "processing_time": "cần có amount (số không âm) và unit (working_day hoặc working_hour)",
    "amount": "phải là một số không âm",
    "unit": "phải là working_day hoặc working_hour",
    "cutoff": "phải có dạng HH:MM",
    "fee_vnd": "phải là số đồng nguyên không âm",
    "charge_vnd": "phải là số đồng nguyên không âm",
    "requirements": "phải là danh sách giấy tờ",
    "form": "phải là " + ", ".join(DOCUMENT_FORMS),
    "count": "phải là số nguyên dương",
    "mandatory": "phải là true hoặc false (không có dấu ngoặc kép)",
}


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("catalog", "{message}", {"message": message})


def _text(label: str, limit: int, *, required: str | None = None) -> AfterValidator:
    """NFC text of at most ``limit`` characters (printed on forms), non-empty if ``required``."""

    def check(value: str) -> str:
        value = nfc(value)
        if required is not None and not value:
            raise _refuse(required)
        if message := length_error(label, value, limit):
            raise _refuse(message)
        return value

    return AfterValidator(check)


def _time_of_day(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_time(value)
        except ValueError:
            raise _refuse(EXPECTED["cutoff"]) from None
    return value


class _Entry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class RequirementEntry(_Entry):
    name: Annotated[
        str, _text("Tên giấy tờ", limits.DOCUMENT_NAME, required="mỗi giấy tờ cần có tên")
    ]
    form: DocumentForm = "original"
    count: Annotated[StrictInt, Field(ge=1)] = 1
    mandatory: StrictBool = True


class ProcessingTime(_Entry):
    amount: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
    unit: Literal["working_day", "working_hour"]


class ProcedureEntry(_Entry):
    code: Annotated[str, _text("Mã thủ tục", limits.PROCEDURE_CODE, required="thiếu mã thủ tục")]
    name: Annotated[str, _text("Tên thủ tục", limits.DOCUMENT_NAME, required="thiếu tên thủ tục")]
    field: Annotated[str, AfterValidator(nfc)] = ""
    level: str = "commune"
    processing_time: ProcessingTime
    cutoff: Annotated[str | None, AfterValidator(_time_of_day)] = None
    fee_vnd: Annotated[StrictInt, Field(ge=0)] = 0
    charge_vnd: Annotated[StrictInt, Field(ge=0)] = 0
    fee_note: Annotated[str, _text("Ghi chú phí", limits.NOTE)] = ""
    fee_schedule: dict[str, Any] | None = None
    legal_basis: Annotated[str, AfterValidator(nfc)] = ""
    requirements: list[RequirementEntry] | None = None  # null as in older catalogs: none


class CatalogFile(_Entry):
    schema_: Literal["ward-counter.catalog/1"] = Field(alias="schema")
    version: str = ""
    procedures: Annotated[list[ProcedureEntry], Field(min_length=1)]


def _where(loc: tuple[int | str, ...]) -> str:
    """``("procedures", 2, "unit")`` as ``procedures[2].unit``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: ErrorDetails, data: Any) -> str:
    loc = error["loc"]
    if error["type"] == "catalog":
        message = str(error.get("ctx", {}).get("message", error["msg"]))
    elif error["type"] in ("model_type", "model_attributes_type"):
        message = "phải là một đối tượng JSON"
    elif loc == ("procedures",) and error["type"] == "too_short":
        message = "danh mục không có thủ tục nào"
    elif loc[-1:] == ("name",):
        message = "mỗi giấy tờ cần có tên" if "requirements" in loc else "thiếu tên thủ tục"
    else:
        field = next((p for p in reversed(loc) if isinstance(p, str)), "")
        message = EXPECTED.get(field, f"giá trị không hợp lệ ({error['msg']})")
    if len(loc) >= 2 and loc[0] == "procedures" and isinstance(loc[1], int):
        try:
            code = data["procedures"][loc[1]]["code"]
        except (KeyError, IndexError, TypeError):
            code = None
        if isinstance(code, str) and code:
            message = f"thủ tục {code}: {message}"
    return message


def parse_catalog(data: Any) -> CatalogFile:
    """The catalog checked whole; ValidationError keyed by where each problem is."""
    try:
        catalog = CatalogFile.model_validate(data)
    except Invalid as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            errors.setdefault(_where(error["loc"]) or "catalog", _message(error, data))
        raise ValidationError(errors) from None
    errors = {}
    for index, procedure in enumerate(catalog.procedures):
        where = f"procedures[{index}].fee_schedule"
        _schedule, schedule_errors = parse_schedule(procedure.fee_schedule, where)
        errors.update(
            {key: f"thủ tục {procedure.code}: {msg}" for key, msg in schedule_errors.items()}
        )
    codes = [p.code for p in catalog.procedures]
    duplicated = sorted({c for c in codes if codes.count(c) > 1})
    if duplicated:
        errors["procedures"] = "mã thủ tục bị trùng: " + ", ".join(duplicated)
    if errors:
        raise ValidationError(errors)
    return catalog
