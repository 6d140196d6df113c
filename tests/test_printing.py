"""The printed forms, read back: the text a person reads, the pages, the fonts, the barcodes.

Every form is rendered from a dossier received through the real reception
service into a real store; the PDF is then read with pypdf (text, page size,
fonts) and rasterised with pdfium so zxing can scan the codes as a counter
scanner would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2
import pytest
import zxingcpp

from counter_app.auth import Role, StaffIdentity, add_user
from counter_app.clock import FixedClock
from counter_app.dossier_view import DocumentLine, DossierView, load_dossier_view
from counter_app.errors import ValidationError
from counter_app.reception import ReceptionService
from counter_app.store import Store
from printing.form_data import (
    ControlSlipForm,
    ExtensionForm,
    HandoverRow,
    ReceiptForm,
    RefusalForm,
    StopForm,
    SupplementForm,
)
from printing.forms import FORMS, render
from printing.wording import clock_and_date
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, open_counter
from tests.support.pdf_text import HEAD, page_size, page_texts, read
from tests.support.reception import request

A5 = (419.53, 595.28)
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DossierView]:
    """A birth registration received by Nguyễn Thị Lan for Trần Thị Mai, as the store has it.

    The view is frozen data, so one dossier serves every test of the module.
    """
    store = open_counter(tmp_path_factory.mktemp("printing"))
    clerk = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)
    clock = FixedClock(MONDAY_MORNING)
    with store.write() as session:
        add_user(
            session,
            username=clerk.username,
            full_name=clerk.full_name,
            role=Role.CLERK,
            password="mat-khau-can-bo",
            unit_code=UNIT_CODE,
            at=clock.now(),
        )
    receipt = ReceptionService(store, clock).receive(request(store), clerk)
    with store.read() as session:
        received = load_dossier_view(session, receipt.code)
    store.close()
    yield received


def fill(form_id: str, view: DossierView) -> Any:
    """The data of ``form_id`` for ``view``, as the clerk would fill it in."""
    makers: dict[str, Callable[[], Any]] = {
        "receipt": lambda: ReceiptForm(view, **HEAD),
        "supplement": lambda: SupplementForm(
            view,
            ("Bản sao Giấy chứng nhận kết hôn của cha, mẹ",),
            "Giấy chứng sinh bị tẩy xóa, sửa chữa.",
            contact_phone="0237 3900 900",
            **HEAD,
        ),
        "refusal": lambda: RefusalForm(view, "Hồ sơ không thuộc thẩm quyền giải quyết.", **HEAD),
        "extension": lambda: ExtensionForm(
            view,
            "Cần xác minh nơi sinh với cơ sở y tế.",
            view.due_at + dt.timedelta(days=2),
            **HEAD,
        ),
        "stop": lambda: StopForm(view, "Người nộp hồ sơ đề nghị dừng giải quyết.", **HEAD),
        "control": lambda: ControlSlipForm(view, (), **HEAD),
    }
    return makers[form_id]()


def scan(pdf: bytes, page: int = 0, dpi: int = 200) -> dict[str, str]:
    """What a scanner reads on ``page``: barcode format name → decoded text."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return {result.format.name: result.text for result in zxingcpp.read_barcodes(image)}


# The receipt ---------------------------------------------------------------


def test_receipt_prints_both_copies_with_every_field(view: DossierView) -> None:
    pdf = render("receipt", fill("receipt", view))
    pages = page_texts(pdf)
    assert len(pages) == 2
    assert "Liên 1: Giao người nộp hồ sơ" in pages[0]
    assert "Liên 2: Lưu kèm Phiếu kiểm soát" in pages[1]
    for text in pages:
        for expected in (
            "UBND TỈNH THANH HÓA",
            "UBND PHƯỜNG HẠC THÀNH",
            "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hạc Thành, ngày 16 tháng 11 năm 2026",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            f"Mã hồ sơ: {view.code}",
            "tiếp nhận hồ sơ của: Bà Trần Thị Mai",
            "Địa chỉ: Số 12 đường Lê Lợi, phường Hạc Thành",
            "Số điện thoại: 0912345678",
            "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
            "1. Thành phần hồ sơ nộp gồm:",
            "2. Số lượng hồ sơ: 01 (bộ)",
            f"3. Thời gian giải quyết hồ sơ theo quy định là: {view.processing_label}",
            "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 16/11/2026",
            f"5. Thời gian trả kết quả giải quyết hồ sơ: {clock_and_date(view.due_at)}",
            "6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả UBND phường Hạc Thành",
            "Vào Sổ theo dõi hồ sơ, Quyển số: 2026/Q1, Số thứ tự: 1",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "Nguyễn Thị Lan",
        ):
            assert expected in text, expected
        for document in view.documents:
            assert " ".join(document.name.split()) in text
    assert "Phí, lệ phí" not in pages[0], "birth registration is free"


def test_receipt_states_the_fee_and_postal_return(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    from tests.support.reception import full_checklist

    residence = request(
        store,
        procedure_code="1.004194",
        documents=full_checklist(store, "1.004194"),
        return_method="post",
        return_address="Thôn Đông, xã Quảng Phú",
    )
    code = ReceptionService(store, clock).receive(residence, clerk).code
    with store.read() as session:
        view = load_dossier_view(session, code)
    text = page_texts(render("receipt", fill("receipt", view)))[0]
    assert "Phí, lệ phí: 15.000 đồng" in text
    assert "Qua dịch vụ bưu chính công ích, địa chỉ: Thôn Đông, xã Quảng Phú" in text
    assert "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc" in text


def test_a_long_document_list_flows_onto_further_pages(view: DossierView) -> None:
    documents = tuple(
        DocumentLine(
            n, f"Giấy tờ chứng minh số {n:02d} về nhân thân và nơi cư trú", "copy", 1, True, None
        )
        for n in range(1, 26)
    )
    long_view = dataclasses.replace(view, documents=documents)
    pdf = render(
        "receipt", ReceiptForm(long_view, **HEAD, copies=("Liên 1: Giao người nộp hồ sơ",))
    )
    pages = page_texts(pdf)
    assert len(pages) >= 2
    whole = " ".join(pages)
    for n in range(1, 26):
        assert f"Giấy tờ chứng minh số {n:02d}" in whole
    assert "Tên giấy tờ" in pages[1], "the table heading repeats on the next page"
    assert f"Mã hồ sơ {view.code} · Liên 1: Giao người nộp hồ sơ · trang 2" in pages[1]
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pages[-1]
    assert all(page_size(pdf, i) == A5 for i in range(len(pages)))

    both = page_texts(render("receipt", ReceiptForm(long_view, **HEAD)))
    assert len(both) == 2 * len(pages), "each copy starts on a fresh page"
    assert "Liên 2: Lưu kèm Phiếu kiểm soát" in both[len(pages)]


# Every form ----------------------------------------------------------------

TITLES = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "extension": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "stop": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def test_the_registry_lists_the_six_counter_forms() -> None:
    assert list(FORMS) == list(TITLES)
    assert [kind.number for kind in FORMS.values()] == ["01", "02", "03", "04", "05", "06"]
    for form_id, kind in FORMS.items():
        assert kind.title.upper() == TITLES[form_id]


@pytest.mark.parametrize("form_id", list(TITLES))
def test_every_form_speaks_vietnamese_on_a5(form_id: str, view: DossierView) -> None:
    pdf = render(form_id, fill(form_id, view))
    text = page_texts(pdf)[0]
    assert page_size(pdf) == A5
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hạc Thành, ngày 16 tháng 11 năm 2026",
        TITLES[form_id],
        f"Mã hồ sơ: {view.code}",
        "Trần Thị Mai",
        "Đăng ký khai sinh",
    ):
        assert expected in text, expected
    info = read(pdf).metadata
    assert info is not None and info.subject == view.code


@pytest.mark.parametrize("form_id", list(TITLES))
def test_every_form_prints_on_a4_when_asked(form_id: str, view: DossierView) -> None:
    pdf = render(form_id, fill(form_id, view), paper="A4")
    assert page_size(pdf) == A4
    assert TITLES[form_id] in page_texts(pdf)[0]


@pytest.mark.parametrize("form_id", list(TITLES))
def test_a_scanner_reads_the_dossier_code(form_id: str, view: DossierView) -> None:
    found = scan(render(form_id, fill(form_id, view)))
    assert found.get("Code128") == view.code
    assert found.get("QRCode") == view.code


def test_the_code_scans_on_a4_too(view: DossierView) -> None:
    found = scan(render("receipt", fill("receipt", view), paper="A4"))
    assert found == {"Code128": view.code, "QRCode": view.code}


@pytest.mark.parametrize("form_id", list(TITLES))
def test_only_embedded_tinos_subsets_are_used(form_id: str, view: DossierView) -> None:
    reader = read(render(form_id, fill(form_id, view)))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"], "the glyphs travel with the PDF"
            assert "/ToUnicode" in font, "text can be copied and searched"
            names.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert names <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-BoldItalic"}
    assert {"Tinos", "Tinos-Bold", "Tinos-Italic"} <= names


# What each form adds ---------------------------------------------------------


def test_supplement_lists_what_to_bring_and_whom_to_ask(view: DossierView) -> None:
    text = page_texts(render("supplement", fill("supplement", view)))[0]
    assert "Yêu cầu Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:" in text
    assert "1. Bản sao Giấy chứng nhận kết hôn của cha, mẹ" in text
    assert "Lý do: Giấy chứng sinh bị tẩy xóa, sửa chữa." in text
    assert "liên hệ với Nguyễn Thị Lan, số điện thoại 0237 3900 900" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_refusal_gives_the_reason(view: DossierView) -> None:
    text = page_texts(render("refusal", fill("refusal", view)))[0]
    assert "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:" in text
    assert "Hồ sơ không thuộc thẩm quyền giải quyết." in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_extension_apologises_and_sets_the_new_appointment(view: DossierView) -> None:
    data = fill("extension", view)
    text = page_texts(render("extension", data))[0]
    assert "Kính gửi: Bà Trần Thị Mai" in text
    assert "Số: ………/………" in text
    assert f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {clock_and_date(view.due_at)}" in text
    assert "Lý do: Cần xác minh nơi sinh với cơ sở y tế." in text
    assert "xin lỗi Bà" in text
    assert clock_and_date(data.new_due_at) in text
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text and "Nơi nhận:" in text


def test_stop_notice_gives_the_reason(view: DossierView) -> None:
    text = page_texts(render("stop", fill("stop", view)))[0]
    assert "UBND phường Hạc Thành thông báo dừng giải quyết hồ sơ nêu trên." in text
    assert "Lý do: Người nộp hồ sơ đề nghị dừng giải quyết." in text


def test_control_slip_prints_the_handovers_and_room_for_more(view: DossierView) -> None:
    handed = HandoverRow(
        "Bộ phận TN&TKQ",
        "Công an phường Hạc Thành",
        dt.datetime(2026, 11, 16, 10, 5),
        giver="Nguyễn Thị Lan",
        receiver="Lê Văn Nam",
        result="Trước hạn",
        note="Chuyển xử lý",
    )
    pdf = render("control", ControlSlipForm(view, (handed,), **HEAD, blank_rows=2))
    text = " ".join(page_texts(pdf))
    for expected in (
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "Người giao",
        "Người nhận",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ Đúng hạn/ Quá hạn)",
        "GHI CHÚ",
        "1. Giao: Bộ phận TN&TKQ 2. Nhận: Công an phường Hạc Thành",
        "10 giờ 05 phút, ngày 16/11/2026",
        "Nguyễn Thị Lan",
        "Lê Văn Nam",
        "Chuyển xử lý",
    ):
        assert expected in text, expected
    assert text.count("…giờ…phút") == 2


def test_text_typed_with_markup_characters_prints_as_typed(view: DossierView) -> None:
    odd = dataclasses.replace(
        view,
        applicant=dataclasses.replace(view.applicant, address="Ngõ 3 <B> & ngách 5"),
    )
    text = page_texts(render("receipt", ReceiptForm(odd, **HEAD)))[0]
    assert "Địa chỉ: Ngõ 3 <B> & ngách 5" in text


def test_boundary_free_dossier_names_the_competent_unit(view: DossierView) -> None:
    elsewhere = dataclasses.replace(
        view,
        competent_unit=dataclasses.replace(
            view.competent_unit, code="000.00.12.H57", name="UBND phường Quảng Phú"
        ),
    )
    text = page_texts(render("receipt", ReceiptForm(elsewhere, **HEAD)))[0]
    assert "Cơ quan giải quyết hồ sơ: UBND phường Quảng Phú" in text


# Mistakes a caller can make ---------------------------------------------------


def test_render_refuses_a_mix_up(view: DossierView) -> None:
    with pytest.raises(ValueError, match="unknown form 'receit'"):
        render("receit", fill("receipt", view))
    with pytest.raises(ValueError, match="filled from RefusalForm, not ReceiptForm"):
        render("refusal", fill("receipt", view))
    with pytest.raises(ValueError, match="paper must be one of A5, A4"):
        render("receipt", fill("receipt", view), paper="Letter")  # type: ignore[arg-type]


def test_forms_without_their_reason_are_refused(view: DossierView) -> None:
    with pytest.raises(ValidationError) as caught:
        RefusalForm(view, "   ", **HEAD)
    assert set(caught.value.errors) == {"reason"}
    with pytest.raises(ValidationError) as caught:
        SupplementForm(view, ("",), "Thiếu giấy tờ", **HEAD)
    assert set(caught.value.errors) == {"items"}
    with pytest.raises(ValidationError) as caught:
        ExtensionForm(view, "Chậm", view.due_at, **HEAD)
    assert set(caught.value.errors) == {"new_due_at"}
    with pytest.raises(ValidationError):
        ReceiptForm(view, **HEAD, copies=())
