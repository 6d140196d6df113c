"""A form that cannot fit says so by field; printing never hangs (issue 14, point 10).

A 2,000-character name made the receipt fail with reportlab's layout error,
and a megabyte of address kept the print running. Text past the lengths the
counter accepts where it is typed (``counter_app.limits``) is refused before
reportlab sees it; text within them prints on A5 and reads back whole.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_app import catalog, limits
from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import DossierView, RepresentativeView, load_dossier_view
from counter_app.errors import ValidationError
from counter_app.installation import seed_catalog_text
from counter_app.reception import ReceptionService
from counter_app.settings import Settings
from counter_app.store import Store
from printing.fit import FormDoesNotFit
from printing.form_data import ReceiptForm, RefusalForm, SupplementForm
from printing.forms import render
from tests.support.cli import run
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, open_counter
from tests.support.pdf_text import HEAD, page_size, page_texts
from tests.support.reception import request

A5 = (419.53, 595.28)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DossierView]:
    store = open_counter(tmp_path_factory.mktemp("fit"))
    clerk = StaffIdentity("admin", "Quản trị viên", Role.ADMIN, UNIT_CODE)
    code = ReceptionService(store, FixedClock(MONDAY_MORNING)).receive(request(store), clerk).code
    with store.read() as session:
        view = load_dossier_view(session, code)
    store.close()
    yield view


def with_applicant(view: DossierView, **changes: str) -> DossierView:
    return dataclasses.replace(view, applicant=dataclasses.replace(view.applicant, **changes))


def words(text: str, length: int) -> str:
    """Vietnamese words up to exactly ``length`` characters, as a person would type them."""
    typed = (text * (length // len(text) + 1))[:length]
    return typed[:-1] + "." if typed.endswith(" ") else typed


def test_a_megabyte_address_is_refused_naming_the_field(dossier: DossierView) -> None:
    address = words("Số 12 ngõ 3 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa; ", 1_000_000)
    form = ReceiptForm(with_applicant(dossier, address=address), **HEAD)
    with pytest.raises(FormDoesNotFit) as refused:
        render("receipt", form)
    assert refused.value.field == "view.applicant.address"
    message = str(refused.value)
    assert "giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)" in message
    assert "Địa chỉ người nộp hồ sơ dài 1.000.000 ký tự" in message
    assert f"chỉ chứa được {limits.ADDRESS} ký tự; hãy sửa địa chỉ" in message


def test_a_two_thousand_character_name_is_refused_not_a_layout_error(
    dossier: DossierView,
) -> None:
    form = ReceiptForm(with_applicant(dossier, full_name=words("Nguyễn Văn ", 2_000)), **HEAD)
    with pytest.raises(FormDoesNotFit, match=r"Họ và tên người nộp hồ sơ dài 2\.000 ký tự"):
        render("receipt", form, "A5")


def test_a_representatives_overlong_name_is_refused_naming_the_field(
    dossier: DossierView,
) -> None:
    # Forms 01 and 03 print the representative (MOH 3621/QĐ-BYT reproducing the 2025 forms).
    stranger = RepresentativeView(words("Trần Thị ", 3_000), "038190000123", "con")
    form = ReceiptForm(dataclasses.replace(dossier, representative=stranger), **HEAD)
    with pytest.raises(FormDoesNotFit) as refused:
        render("receipt", form)
    assert refused.value.field == "view.representative.full_name"
    assert "Họ và tên người được ủy quyền dài" in str(refused.value)


def test_long_reasons_and_items_are_refused_on_every_form(dossier: DossierView) -> None:
    too_long = words("Hồ sơ không thuộc thẩm quyền. ", limits.NOTE + 1)
    with pytest.raises(FormDoesNotFit, match=r"phiếu từ chối .*Lý do dài 2\.001 ký tự"):
        render("refusal", RefusalForm(dossier, too_long, **HEAD))
    supplement = SupplementForm(dossier, ("Bản sao", too_long), "Thiếu giấy tờ.", **HEAD)
    with pytest.raises(FormDoesNotFit) as refused:
        render("supplement", supplement)
    assert refused.value.field == "items[1]"


def test_the_longest_allowed_texts_print_on_a5_and_read_back(dossier: DossierView) -> None:
    name = words("Công Tôn Nữ Thị Hồng ", limits.PERSON_NAME)
    address = words("Số 12 ngõ 3 đường Lê Lợi, phường Hạc Thành, ", limits.ADDRESS)
    view = dataclasses.replace(
        with_applicant(dossier, full_name=name, address=address),
        return_address=words("Thôn Đông, xã Quảng Phú, ", limits.ADDRESS),
        note=words("Người nộp xin nhận kết quả qua bưu điện. ", limits.NOTE),
    )
    pdf = render("receipt", ReceiptForm(view, **HEAD), "A5")
    assert page_size(pdf) == A5
    text = " ".join(page_texts(pdf))
    assert " ".join(name.split()) in text, "the whole name, on the sheet it signs"
    assert " ".join(address.split()) in text

    reason = words("Giấy chứng sinh bị tẩy xóa, sửa chữa. ", limits.NOTE)
    pdf = render("refusal", RefusalForm(view, reason, **HEAD), "A5")
    assert page_size(pdf) == A5
    assert " ".join(reason.split()) in " ".join(page_texts(pdf))


def test_place_name_and_parent_agency_are_checked_where_they_are_typed() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(place_name="Hạc Thành " * 100, parent_agency="UBND " * 100).validated()
    assert set(refused.value.errors) == {"place_name", "parent_agency"}
    assert "Địa danh dài 1000 ký tự" in refused.value.errors["place_name"]
    longest = "x" * limits.UNIT_NAME
    assert Settings(place_name=longest, parent_agency=longest).validated().place_name == longest


def test_catalog_names_printed_on_forms_are_checked_on_import(store: Store) -> None:
    catalog_data: dict[str, Any] = json.loads(seed_catalog_text())
    catalog_data["procedures"][1]["name"] = words("Đăng ký khai sinh ", limits.DOCUMENT_NAME + 1)
    catalog_data["procedures"][2]["requirements"][0]["name"] = "Tờ khai " * 200
    with store.write() as session, pytest.raises(ValidationError) as refused:
        catalog.import_catalog(session, catalog_data)
    assert "Tên thủ tục dài 1001 ký tự" in refused.value.errors["procedures[1].name"]
    assert "procedures[2].requirements[0].name" in refused.value.errors


def test_a_unit_name_longer_than_a_letterhead_is_refused_at_init(tmp_path: Path) -> None:
    done = run(
        "--data-dir", str(tmp_path / "data"), "init",
        "--unit-code", "000.00.11.H57", "--unit-name", "UBND phường Hạc Thành " * 20,
        "--device-slot", "2",
        env={"COUNTER_ADMIN_PASSWORD": "quan-tri-123"},
    )  # fmt: skip
    assert done.returncode == 2
    assert "Lỗi — unit_name: Tên đơn vị dài 439 ký tự, quá giới hạn 255 ký tự" in done.stderr


def test_a_report_row_taller_than_a_page_says_so_in_vietnamese() -> None:
    # The tally's receipt lines carry a cancel reason, the calendar its basis: one long
    # enough made reportlab's English LayoutError reach the supervisor.
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table

    from printing.report_layout import build_report, landscape

    page = landscape()
    tall = Table([[Paragraph("lý do hủy biên lai " * 3_000, ParagraphStyle("plain"))]])
    with pytest.raises(FormDoesNotFit, match="Không in được"):
        build_report(page, [tall], title="Báo cáo", footer="Báo cáo")
