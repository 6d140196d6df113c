"""The procedure catalog: the seed that ships, import, and diacritics-folding search."""

from __future__ import annotations

import copy
import json
import re
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


# Search over the FTS5 index (counter_app.catalog_index) --------------------


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("giay khai sinh", "1.001193"),  # the paper asked for, not the procedure's name
        ("lam giay khai sinh cho con", "1.001193"),  # a citizen's whole sentence
        ("chung thuc ban sao", "2.000815"),  # not "Cấp bản sao có chứng thực ... hợp đồng"
    ],
)
def test_a_citizens_words_rank_the_right_procedure_first(
    store: Store, typed: str, wanted: str
) -> None:
    with store.read() as session:
        hits = catalog.search(session, typed)
    assert hits and hits[0].code == wanted, [h.code for h in hits[:5]]


def test_each_keystroke_narrows_to_the_procedure_being_typed(store: Store) -> None:
    """The picker searches per keystroke: the word being typed is a prefix."""
    typed = "chung thuc ban sao"
    with store.read() as session:
        tops = {typed[:n]: catalog.search(session, typed[:n]) for n in range(1, len(typed) + 1)}
    assert all(tops.values()), [k for k, hits in tops.items() if not hits]
    for n in range(len("chung thuc b"), len(typed) + 1):
        assert tops[typed[:n]][0].code == "2.000815", typed[:n]
    assert all("chứng thực" in h.name.lower() for h in tops["chung thu"][:5])
    # One word: a name starting with it first, whatever its code.
    assert all(h.name.startswith("Chứng") for h in tops["chu"][:3])


def test_d_with_stroke_folds_to_d_both_ways(store: Store) -> None:
    """FTS5's own remove_diacritics leaves "đ" as is; the index holds our folded text."""
    with store.read() as session:
        plain = catalog.search(session, "doi cap lai giay xac nhan khuyet tat")
        marked = catalog.search(session, "Đổi, cấp lại Giấy xác nhận khuyết tật")
        death = catalog.search(session, "đăng ký khai tử")
    assert plain and plain[0].code == "1.001653"
    assert [h.code for h in marked] == [h.code for h in plain]
    assert death and death[0].code == "1.000656"


def test_search_by_code_and_by_its_beginning(store: Store) -> None:
    with store.read() as session:
        exact = catalog.search(session, "2.000913")
        begun = catalog.search(session, "2.0009")
        dotted = catalog.search(session, "1.")
    assert exact[0].code == "2.000913"
    assert begun and all(h.code.startswith("2.0009") for h in begun)
    assert [h.code for h in begun] == sorted(h.code for h in begun)
    assert dotted and all(h.code.startswith("1.") for h in dotted)


def test_a_new_catalog_rebuilds_the_index(store: Store, seed: dict[str, Any]) -> None:
    newer = copy.deepcopy(seed)
    birth = next(p for p in newer["procedures"] if p["code"] == "1.001193")
    birth["name"] = "Đăng ký khai sinh (thí điểm tại Phước Vĩnh)"
    dropped = newer["procedures"].pop()
    with store.write() as session:
        catalog.import_catalog(session, newer)
    with store.read() as session:
        renamed = catalog.search(session, "phuoc vinh")
        gone = catalog.search(session, dropped["code"])
    assert [h.code for h in renamed] == ["1.001193"]
    assert all(h.code != dropped["code"] for h in gone)
    with store.write() as session:
        catalog.import_catalog(session, seed)
    with store.read() as session:
        assert catalog.search(session, "phuoc vinh") == []
        assert catalog.search(session, dropped["code"])[0].code == dropped["code"]


# The seed catalog brought up to date (2025) -------------------------------


def test_certification_procedures_carry_their_2025_names_and_same_day_cut_off(
    seed: dict[str, Any],
) -> None:
    # Decision 3152/QĐ-BTP (31/10/2025) after Decree 280/2025, as Vĩnh Long 2637/QĐ-UBND,
    # Đồng Nai 2770/QĐ-UBND and Hà Tĩnh 2873/QĐ-UBND (Nov. 2025) publish it.
    by_code = {p["code"]: p for p in seed["procedures"]}
    assert by_code["2.000913"]["name"] == "Chứng thực việc sửa đổi, bổ sung, hủy bỏ giao dịch"
    assert by_code["2.000927"]["name"] == "Sửa lỗi sai sót trong giao dịch"
    for code in ("2.000913", "2.000927", "2.000908"):
        procedure = by_code[code]
        assert procedure["processing_time"] == {"amount": 0, "unit": "working_day"}, code
        assert procedure["cutoff"] == "15:00", code
    assert (by_code["2.000913"]["charge_vnd"], by_code["2.000927"]["charge_vnd"]) == (30000, 25000)


def test_foreign_element_civil_status_moved_to_the_commune_with_its_time_limits(
    seed: dict[str, Any],
) -> None:
    # Decree 120/2025/NĐ-CP art. 4 and Annex I, section I.1(b)-(d).
    by_code = {p["code"]: p for p in seed["procedures"]}
    codes = ("2.000806", "2.000779", "2.002189")
    days = {c: by_code[c]["processing_time"]["amount"] for c in codes}
    assert days == {"2.000806": 5, "2.000779": 10, "2.002189": 5}
    assert all(by_code[c]["level"] == "commune" for c in days)


def test_social_pension_procedures_are_commune_level_with_their_sources(
    seed: dict[str, Any], store: Store
) -> None:
    # Decree 176/2025/NĐ-CP (social pension, in force 01/7/2025): the commune chairman decides
    # within 10 working days of the request (Mẫu số 01); burial support uses Mẫu số 02.
    by_code = {p["code"]: p for p in seed["procedures"]}
    pension, burial = by_code["1.014027"], by_code["1.014028"]
    assert pension["processing_time"] == {"amount": 10, "unit": "working_day"}
    assert "176/2025" in pension["notes"] and "Mẫu số 01" in pension["requirements"][0]["name"]
    assert "Mẫu số 02" in burial["requirements"][0]["name"]
    assert "[U] Thời hạn" in burial["notes"], "the burial time limit is not verified"
    assert {pension["level"], burial["level"]} == {"commune"}
    # Person-of-merit procedures wait for a sourced time limit rather than ship a guess.
    assert "1.010824" not in by_code and "1.010803" not in by_code
    assert seed["version"] == "2026.12.1"
    with store.read() as session:
        hits = catalog.search(session, "huu tri xa hoi")
    assert {h.code for h in hits[:2]} == {"1.014027", "1.014028"}


def test_every_added_fact_names_its_source_or_says_it_is_unverified(
    seed: dict[str, Any],
) -> None:
    noted = [p for p in seed["procedures"] if "notes" in p]
    assert len(noted) >= 20
    for procedure in noted:
        assert re.search(r"Quyết định|Nghị định|nghị quyết|\[U\]", procedure["notes"]), procedure
    assert any("[U]" in note for note in seed["notes"]) or any("[U]" in p["notes"] for p in noted)
    with_fee_unknown = [p for p in noted if "chưa xác minh" in p["fee_note"]]
    assert with_fee_unknown, "a fee the province sets is said to be unverified"


def test_yes_no_and_amounts_are_strict_and_named_with_the_procedure(
    store: Store, seed: dict[str, Any], tmp_path: Path
) -> None:
    broken = copy.deepcopy(seed)
    first, second = broken["procedures"][0], broken["procedures"][1]
    first["requirements"][0]["mandatory"] = "no"
    second["fee_vnd"] = "20000"
    second["requirements"][0]["count"] = True
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        catalog.load_catalog_file(path)

    errors = caught.value.errors
    assert errors[f"{path}: procedures[0].requirements[0].mandatory"] == (
        f"thủ tục {first['code']}: phải là true hoặc false (không có dấu ngoặc kép)"
    )
    assert errors[f"{path}: procedures[1].fee_vnd"] == (
        f"thủ tục {second['code']}: phải là số đồng nguyên không âm"
    )
    assert f"{path}: procedures[1].requirements[0].count" in errors
    with store.write() as session, pytest.raises(ValidationError):
        catalog.import_catalog(session, broken)


def test_a_catalog_that_is_not_one_is_named(store: Store, seed: dict[str, Any]) -> None:
    for data, key, message in (
        ({**seed, "schema": "other/1"}, "schema", "phải khai báo schema"),
        ({**seed, "procedures": []}, "procedures", "không có thủ tục nào"),
        ({**seed, "procedures": [1]}, "procedures[0]", "phải là một đối tượng JSON"),
        (
            {**seed, "procedures": [{**seed["procedures"][0], "name": ""}]},
            "procedures[0].name",
            "thiếu tên thủ tục",
        ),
        (
            {**seed, "procedures": [seed["procedures"][0], seed["procedures"][0]]},
            "procedures",
            "mã thủ tục bị trùng",
        ),
    ):
        with store.write() as session, pytest.raises(ValidationError) as caught:
            catalog.import_catalog(session, data)
        assert message in caught.value.errors[key], caught.value.errors


def test_the_model_knows_every_document_form_the_screens_label() -> None:
    from typing import get_args

    from counter_app.catalog_schema import DocumentForm

    assert set(get_args(DocumentForm)) == set(catalog.DOCUMENT_FORMS)
