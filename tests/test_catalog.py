"""The procedure catalog: the seed that ships, import, and diacritics-folding search."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app import catalog
from counter_app.errors import ValidationError
from counter_app.installation import seed_catalog_text
from counter_app.models import Procedure, Requirement
from counter_app.store import Store


@pytest.fixture
def seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(seed_catalog_text())
    return data


def test_seed_catalog_has_thirty_real_procedures_with_documents(seed: dict[str, Any]) -> None:
    procedures = seed["procedures"]
    assert len(procedures) >= 30
    assert len({p["code"] for p in procedures}) == len(procedures)
    assert all(p["requirements"] for p in procedures)
    names = " ".join(p["name"] for p in procedures)
    for needed in ("khai sinh", "kết hôn", "khai tử", "chứng thực", "thường trú"):
        assert needed in names.lower(), needed


def test_seed_is_imported_on_init(store: Store, seed: dict[str, Any]) -> None:
    with store.read() as session:
        stored = session.scalars(select(Procedure.code)).all()
    assert sorted(stored) == sorted(p["code"] for p in seed["procedures"])


@pytest.mark.parametrize(
    "typed",
    [
        "dang ky khai sinh",
        "DANG KY KHAI SINH",
        "Đăng ký khai sinh",
        "đăng ky khai sinh",
        "1.001193",
    ],
)
def test_search_folds_case_and_diacritics(store: Store, typed: str) -> None:
    with store.read() as session:
        hits = catalog.search(session, typed)
    assert hits, typed
    assert hits[0].code == "1.001193"
    assert hits[0].name == "Đăng ký khai sinh"


def test_search_needs_every_word(store: Store) -> None:
    with store.read() as session:
        hits = catalog.search(session, "ket hon")
        none = catalog.search(session, "ket hon xyzzy")
    assert hits and all("kết hôn" in h.name.lower() for h in hits[:1])
    assert none == []


def test_search_in_the_citizens_words_finds_the_procedure(store: Store) -> None:
    """The README's own example: no procedure is named "giấy khai sinh", the paper asked for."""
    with store.read() as session:
        hits = catalog.search(session, "giay khai sinh")
        typo = catalog.search(session, "giay khai sinhh")
    assert hits and hits[0].name == "Đăng ký khai sinh"
    assert all("khai sinh" in h.name.lower() for h in hits[:3])
    assert typo == [], "a word the catalog never uses finds nothing"


def test_import_updates_retires_and_normalises(store: Store, seed: dict[str, Any]) -> None:
    newer = copy.deepcopy(seed)
    dropped = newer["procedures"].pop()
    first = newer["procedures"][0]
    first["name"] = unicodedata.normalize("NFD", first["name"] + " (sửa đổi)")
    first["requirements"] = first["requirements"][:1]
    newer["version"] = "2027.1"
    with store.write() as session:
        result = catalog.import_catalog(session, newer)
    assert (result.added, result.updated, result.deactivated) == (0, len(newer["procedures"]), 1)
    with store.read() as session:
        gone = session.get(Procedure, dropped["code"])
        assert gone is not None and not gone.active
        changed = catalog.get_procedure(session, first["code"])
        assert changed is not None
        assert changed.name == unicodedata.normalize("NFC", changed.name)
        assert changed.name.endswith("(sửa đổi)")
        assert len(changed.requirements) == 1
        retired = session.scalars(
            select(Requirement).where(
                Requirement.procedure_code == first["code"], Requirement.active.is_(False)
            )
        ).all()
        assert len(retired) == len(seed["procedures"][0]["requirements"]) - 1
        assert all(h.code != dropped["code"] for h in catalog.search(session, dropped["name"]))


def test_bad_catalog_names_the_procedure_and_field(store: Store, seed: dict[str, Any]) -> None:
    broken = copy.deepcopy(seed)
    broken["procedures"][2]["processing_time"] = {"amount": -1, "unit": "week"}
    broken["procedures"][3]["requirements"][0]["form"] = "photocopy"
    with store.write() as session, pytest.raises(ValidationError) as caught:
        catalog.import_catalog(session, broken)
    assert "procedures[2].processing_time.amount" in caught.value.errors
    assert "procedures[2].processing_time.unit" in caught.value.errors
    assert "procedures[3].requirements[0].form" in caught.value.errors
    with store.read() as session:
        assert session.get(Procedure, seed["procedures"][0]["code"]) is not None


def test_unreadable_catalog_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.json"
    bad.write_bytes(b"\xff\xfe not json")
    with pytest.raises(ValidationError) as caught:
        catalog.load_catalog_file(bad)
    assert str(bad) in caught.value.errors


def test_a_per_page_fee_is_catalog_data_and_a_bad_one_is_named(
    store: Store, seed: dict[str, Any]
) -> None:
    # Circular 226/2016/TT-BTC: certified copies are charged per page, capped per copy; the
    # tariff is the catalog's, so a province publishing another changes no code.
    with store.read() as session:
        procedure = session.get(Procedure, "2.000815")
        assert procedure is not None
        copy_fee = catalog.procedure_info(procedure)
    assert copy_fee.fee_schedule is not None
    assert [copy_fee.fee_schedule.amount_for(n) for n in (1, 2, 3, 200)] == [
        2000,
        4000,
        5000,
        200000,
    ]
    broken = copy.deepcopy(seed)
    broken["procedures"][0]["fee_schedule"] = {"kind": "per_page", "tiers": [{"from_page": 2}]}
    broken["procedures"][1]["fee_schedule"] = {"kind": "per_sheet"}
    with store.write() as session, pytest.raises(ValidationError) as caught:
        catalog.import_catalog(session, broken)
    assert "procedures[0].fee_schedule.tiers[0]" in caught.value.errors
    assert "procedures[1].fee_schedule" in caught.value.errors
