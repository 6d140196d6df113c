"""The procedure catalog (danh mục thủ tục hành chính): import and search.

The catalog arrives as the JSON the provincial server publishes (the seed copy
in ``resources/catalog`` has the same shape). Importing replaces the local
copy: procedures missing from a newer catalog are kept but marked inactive,
because received dossiers still refer to them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from counter_app import catalog_index
from counter_app.errors import ValidationError
from counter_app.fee_schedule import schedule_of
from counter_app.models import Procedure, Requirement
from counter_app.procedure_view import DOCUMENT_FORMS as DOCUMENT_FORMS
from counter_app.procedure_view import ProcedureInfo as ProcedureInfo
from counter_app.procedure_view import RequirementInfo as RequirementInfo
from counter_app.text import fold
from counter_app.workdays import parse_time

if TYPE_CHECKING:
    from counter_app import catalog_schema
    from counter_app.store import Store


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
    """The catalog JSON in ``path``, checked; a ValidationError naming the file if it cannot
    be read, and the file, procedure and field of each wrong value."""
    data = load_json_file(path)
    from counter_app.catalog_schema import parse_catalog

    try:
        parse_catalog(data)
    except ValidationError as exc:
        raise ValidationError({f"{path}: {k}": m for k, m in exc.errors.items()}) from None
    return data


def load_json_file(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; a ValidationError naming the file if it cannot be read."""
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


def _procedure_values(
    entry: catalog_schema.ProcedureEntry,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A checked catalog entry as the columns of its procedure and requirement rows."""
    values = {
        "code": entry.code,
        "name": entry.name,
        "search_key": fold(f"{entry.code} {entry.name} {entry.field}"),
        "field": entry.field,
        "level": entry.level,
        "processing_amount": entry.processing_time.amount,
        "processing_unit": entry.processing_time.unit,
        "cutoff": entry.cutoff,
        "fee_vnd": entry.fee_vnd,
        "charge_vnd": entry.charge_vnd,
        "fee_note": entry.fee_note,
        "fee_schedule": entry.fee_schedule,
        "legal_basis": entry.legal_basis,
    }
    requirements = [
        {
            "position": position,
            "name": requirement.name,
            "form": requirement.form,
            "count": requirement.count,
            "mandatory": requirement.mandatory,
        }
        for position, requirement in enumerate(entry.requirements or (), start=1)
    ]
    return values, requirements


def import_catalog(session: Session, data: dict[str, Any]) -> ImportResult:
    """Replace the local catalog with ``data``; all or nothing within the caller's transaction.

    The whole file is checked first (``catalog_schema.parse_catalog``), so a bad
    entry stores nothing. The search index is rebuilt in the same transaction, so
    a search never sees a catalog and an index of two different versions.
    """
    from counter_app.catalog_schema import parse_catalog  # pydantic: not on the log-in path

    checked = parse_catalog(data)
    version = checked.version
    parsed = [_procedure_values(entry) for entry in checked.procedures]
    codes = {values["code"] for values, _ in parsed}

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
        if code not in codes and procedure.active:
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

    def __init__(self, store: Store) -> None:
        self.store = store

    def search(self, text: str, limit: int = 20) -> list[ProcedureHit]:
        with self.store.read() as session:
            return search(session, text, limit)

    def procedure(self, code: str) -> ProcedureInfo | None:
        with self.store.read() as session:
            return get_procedure(session, code)
