"""The procedure catalog (danh mục thủ tục hành chính): import and search.

The catalog arrives as the JSON the provincial server publishes (the seed copy
in ``resources/catalog`` has the same shape). Importing replaces the local
copy: procedures missing from a newer catalog are kept but marked inactive,
because received dossiers still refer to them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from counter_app import catalog_index, limits
from counter_app.errors import ValidationError
from counter_app.fee_schedule import parse_schedule, schedule_of
from counter_app.limits import length_error
from counter_app.models import Procedure, Requirement
from counter_app.procedure_view import DOCUMENT_FORMS as DOCUMENT_FORMS
from counter_app.procedure_view import ProcedureInfo as ProcedureInfo
from counter_app.procedure_view import RequirementInfo as RequirementInfo
from counter_app.text import fold, nfc
from counter_app.workdays import WORKING_DAY, WORKING_HOUR, parse_time

CATALOG_SCHEMA = "ward-counter.catalog/1"


@dataclass(frozen=True)
class ImportResult:
    version: str
    added: int
    updated: int
    deactivated: int


def procedure_info(procedure: Procedure) -> ProcedureInfo:
    return ProcedureInfo(
        code=procedure.code,
        name=procedure.name,
        field=procedure.field,
        processing_amount=Decimal(procedure.processing_amount),
        processing_unit=procedure.processing_unit,
        cutoff=parse_time(procedure.cutoff) if procedure.cutoff else None,
        fee_vnd=procedure.fee_vnd,
        charge_vnd=procedure.charge_vnd,
        fee_note=procedure.fee_note,
        requirements=tuple(
            RequirementInfo(r.id, r.position, r.name, r.form, r.count, r.mandatory)
            for r in procedure.requirements
            if r.active
        ),
        fee_schedule=schedule_of(procedure.fee_schedule),
    )


# Import ------------------------------------------------------------------


def load_catalog_file(path: Path) -> dict[str, Any]:
    """The catalog JSON in ``path``; a ValidationError naming the file if it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError({str(path): "Không tìm thấy tệp danh mục."}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            {str(path): f"Tệp danh mục không phải JSON UTF-8 hợp lệ ({exc})."}
        ) from None
    if not isinstance(data, dict):
        raise ValidationError({str(path): "Tệp danh mục phải là một đối tượng JSON."})
    return data


def _parse_procedure(index: int, raw: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    where = f"procedures[{index}]"
    if not isinstance(raw, dict):
        raise ValidationError({where: "phải là một đối tượng JSON"})
    errors: dict[str, str] = {}
    code = nfc(str(raw.get("code", "")))
    if not code:
        errors[f"{where}.code"] = "thiếu mã thủ tục"
    name = nfc(str(raw.get("name", "")))
    if not name:
        errors[f"{where}.name"] = "thiếu tên thủ tục"
    # Printed on every form of the procedure's dossiers: as long as a form can hold.
    elif message := length_error("Tên thủ tục", name, limits.DOCUMENT_NAME):
        errors[f"{where}.name"] = message
    if message := length_error("Ghi chú phí", nfc(str(raw.get("fee_note", ""))), limits.NOTE):
        errors[f"{where}.fee_note"] = message
    timing = raw.get("processing_time") or {}
    try:
        amount = Decimal(str(timing.get("amount")))
        if amount < 0 or not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, AttributeError):
        errors[f"{where}.processing_time.amount"] = "phải là một số không âm"
        amount = Decimal(0)
    unit = timing.get("unit") if isinstance(timing, dict) else None
    if unit not in (WORKING_DAY, WORKING_HOUR):
        errors[f"{where}.processing_time.unit"] = "phải là working_day hoặc working_hour"
    cutoff = raw.get("cutoff")
    if cutoff is not None:
        try:
            parse_time(str(cutoff))
        except ValueError:
            errors[f"{where}.cutoff"] = "phải có dạng HH:MM"
    for money in ("fee_vnd", "charge_vnd"):
        if not isinstance(raw.get(money, 0), int) or raw.get(money, 0) < 0:
            errors[f"{where}.{money}"] = "phải là số đồng nguyên không âm"
    schedule, schedule_errors = parse_schedule(raw.get("fee_schedule"), f"{where}.fee_schedule")
    errors.update(schedule_errors)
    requirements = []
    for position, req in enumerate(raw.get("requirements") or [], start=1):
        rwhere = f"{where}.requirements[{position - 1}]"
        if not isinstance(req, dict) or not nfc(str(req.get("name", ""))):
            errors[rwhere] = "mỗi giấy tờ cần có tên"
            continue
        if message := length_error("Tên giấy tờ", nfc(str(req["name"])), limits.DOCUMENT_NAME):
            errors[f"{rwhere}.name"] = message
        if req.get("form", "original") not in DOCUMENT_FORMS:
            errors[f"{rwhere}.form"] = "phải là " + ", ".join(DOCUMENT_FORMS)
        count = req.get("count", 1)
        if not isinstance(count, int) or count < 1:
            errors[f"{rwhere}.count"] = "phải là số nguyên dương"
        requirements.append(
            {
                "position": position,
                "name": nfc(str(req["name"])),
                "form": req.get("form", "original"),
                "count": count,
                "mandatory": bool(req.get("mandatory", True)),
            }
        )
    if errors:
        raise ValidationError(errors)
    field = nfc(str(raw.get("field", "")))
    values = {
        "code": code,
        "name": name,
        "search_key": fold(f"{code} {name} {field}"),
        "field": field,
        "level": str(raw.get("level", "commune")),
        "processing_amount": amount,
        "processing_unit": unit,
        "cutoff": str(cutoff) if cutoff is not None else None,
        "fee_vnd": int(raw.get("fee_vnd", 0)),
        "charge_vnd": int(raw.get("charge_vnd", 0)),
        "fee_note": nfc(str(raw.get("fee_note", ""))),
        "fee_schedule": raw.get("fee_schedule") if schedule is not None else None,
        "legal_basis": nfc(str(raw.get("legal_basis", ""))),
    }
    return values, requirements


def import_catalog(session: Session, data: dict[str, Any]) -> ImportResult:
    """Replace the local catalog with ``data``; all or nothing within the caller's transaction.

    The search index is rebuilt in the same transaction, so a search never sees
    a catalog and an index of two different versions.
    """
    if data.get("schema") != CATALOG_SCHEMA:
        raise ValidationError({"schema": f"tệp danh mục phải khai báo schema {CATALOG_SCHEMA!r}"})
    raw_procedures = data.get("procedures")
    if not isinstance(raw_procedures, list) or not raw_procedures:
        raise ValidationError({"procedures": "danh mục không có thủ tục nào"})
    version = str(data.get("version", ""))
    parsed = []
    errors: dict[str, str] = {}
    for index, raw in enumerate(raw_procedures):
        try:
            parsed.append(_parse_procedure(index, raw))
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    codes = [values["code"] for values, _ in parsed]
    if len(set(codes)) != len(codes):
        duplicated = sorted({c for c in codes if codes.count(c) > 1})
        raise ValidationError({"procedures": "mã thủ tục bị trùng: " + ", ".join(duplicated)})

    existing = {
        p.code: p
        for p in session.scalars(select(Procedure).options(selectinload(Procedure.requirements)))
    }
    added = updated = 0
    for values, requirements in parsed:
        procedure = existing.get(values["code"])
        if procedure is None:
            procedure = Procedure(**values, catalog_version=version, active=True)
            session.add(procedure)
            added += 1
        else:
            for key, value in values.items():
                setattr(procedure, key, value)
            procedure.catalog_version, procedure.active = version, True
            updated += 1
        _replace_requirements(procedure, requirements)
    deactivated = 0
    for code, procedure in existing.items():
        if code not in set(codes) and procedure.active:
            procedure.active = False
            deactivated += 1
    session.flush()
    catalog_index.rebuild(session)
    return ImportResult(version, added, updated, deactivated)


def _replace_requirements(procedure: Procedure, requirements: list[dict[str, Any]]) -> None:
    """Update requirement rows in place by position, so received dossiers keep their references.

    A requirement the new catalog no longer lists is retired, not deleted.
    """
    current = {r.position: r for r in procedure.requirements if r.active}
    for values in requirements:
        row = current.pop(values["position"], None)
        if row is None:
            procedure.requirements.append(Requirement(**values, active=True))
        else:
            for key, value in values.items():
                setattr(row, key, value)
    for row in current.values():
        row.active = False


# Search ------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureHit:
    code: str
    name: str
    field: str


def search(session: Session, text: str, limit: int = 20) -> list[ProcedureHit]:
    """Active procedures matching the words typed, best first (see catalog_index.search_codes).

    Diacritics and case are folded: "khai sinh" and "1.001193" find "Đăng ký khai
    sinh"; the word being typed is a prefix, so the list follows each keystroke.
    """
    codes = catalog_index.search_codes(session, text, limit)
    if not codes:
        return []
    rows = {
        row.code: row
        for row in session.execute(
            select(Procedure.code, Procedure.name, Procedure.field).where(Procedure.code.in_(codes))
        )
    }
    return [ProcedureHit(c, rows[c].name, rows[c].field) for c in codes if c in rows]


def get_procedure(session: Session, code: str) -> ProcedureInfo | None:
    procedure = session.get(Procedure, code)
    return procedure_info(procedure) if procedure is not None else None


class CatalogService:
    """The catalog as the screens use it: each call its own short read session."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def search(self, text: str, limit: int = 20) -> list[ProcedureHit]:
        with self.store.read() as session:
            return search(session, text, limit)

    def procedure(self, code: str) -> ProcedureInfo | None:
        with self.store.read() as session:
            return get_procedure(session, code)
