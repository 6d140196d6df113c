"""The hand-over slip and the fee receipt, printed from what was recorded and read back."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from counter_app.auth import StaffIdentity, add_user
from counter_app.clock import FixedClock
from counter_app.errors import NotFound
from counter_app.fees import FeeInput, FeeService
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.settings import Settings
from counter_app.store import Store
from printing.fee_receipt import amount_in_words
from printing.return_forms import fee_receipt_for_payment, handover_for_code
from tests.support.returns import APPLICANT_CCCD, OTHER_CCCD, due_of, ready, receive

A5 = (419.53, 595.28)
SETTINGS = Settings(place_name="Hạc Thành", parent_agency="UBND tỉnh Thanh Hóa")


def read(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def scan(pdf: bytes, page: int = 0) -> dict[str, str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    return {found.format.name: found.text for found in zxingcpp.read_barcodes(image)}


@pytest.fixture
def code(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    """A temporary-residence dossier whose result came on its appointment day, by a clerk
    the store knows by name."""
    with store.write() as session:
        add_user(
            session,
            username=clerk.username,
            full_name=clerk.full_name,
            role=clerk.role,
            password="mat-khau-can-bo",
            unit_code=clerk.unit_code,
            at=clock.now(),
        )
    received = receive(store, clock, clerk)
    ready(store, clock, clerk, received, due_of(store, received).replace(hour=8))
    return received


def test_slip_for_a_representative_with_the_fee_taken(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    returned = ReturnService(store, clock).hand_over(
        ReturnRequest(
            code,
            recipient_name="Lê Văn Hùng",
            recipient_cccd=OTHER_CCCD,
            representative=True,
            fee=FeeInput("transfer", reference="FT25320123456"),
        ),
        clerk,
    )
    slip = handover_for_code(store, code, SETTINGS, clock.now())
    (text,) = read(slip)
    assert size(slip) == A5
    for words in (
        "PHIẾU BÀN GIAO KẾT QUẢ",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "bàn giao kết quả giải quyết hồ sơ của Bà Trần Thị Mai",
        "Nội dung yêu cầu giải quyết: Đăng ký tạm trú",
        "Đúng hạn",
        "Hình thức trả kết quả: Tại Bộ phận Một cửa",
        f"Người nhận kết quả: Lê Văn Hùng (người được ủy quyền), CCCD số {OTHER_CCCD}",
        "Phí, lệ phí: Đã thu 15.000 đồng (chuyển khoản)",
        "NGƯỜI NHẬN KẾT QUẢ",
        "NGƯỜI TRẢ KẾT QUẢ",
        "Nguyễn Thị Lan",
    ):
        assert words in text, words
    assert scan(slip) == {"Code128": code, "QRCode": code}
    assert returned.fee_payment_id is not None
    receipt = fee_receipt_for_payment(store, returned.fee_payment_id, SETTINGS, clock.now())
    copies = read(receipt)
    assert len(copies) == 2 and size(receipt) == A5
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: liên 1 is kept, liên 2 to the payer.
    assert "Liên 1: Lưu" in copies[0] and "Liên 2: Giao người nộp tiền" in copies[1]
    for words in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Người nộp: Lê Văn Hùng (nộp thay Bà Trần Thị Mai)",
        "Nội dung thu: Lệ phí giải quyết thủ tục: Đăng ký tạm trú",
        "Số tiền: 15.000 đồng",
        "Bằng chữ: Mười lăm nghìn đồng.",
        "Hình thức thanh toán: Chuyển khoản, mã giao dịch FT25320123456",
        "(khi trả kết quả)",
        "NGƯỜI NỘP TIỀN",
        "NGƯỜI THU TIỀN",
    ):
        assert words in copies[0], words
    assert scan(receipt, 1)["Code128"] == code


def test_slip_for_the_post_and_receipt_of_an_exemption(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    paid = FeeService(store, clock).collect(
        code,
        FeeInput("exempt", exemption_reason="Hộ nghèo theo Quyết định 12/QĐ-UBND"),
        "return",
        clerk,
    )
    ReturnService(store, clock).hand_over(
        ReturnRequest(code, method="post", tracking_number="EB123456789VN"), clerk
    )
    (text,) = read(handover_for_code(store, code, SETTINGS, clock.now()))
    assert "Qua dịch vụ bưu chính công ích, mã bưu gửi: EB123456789VN" in text
    assert "NHÂN VIÊN BƯU CHÍNH" in text and "NGƯỜI NHẬN KẾT QUẢ" not in text
    assert "Phí, lệ phí: Miễn thu (Hộ nghèo theo Quyết định 12/QĐ-UBND)" in text
    first = read(fee_receipt_for_payment(store, paid.id, SETTINGS, clock.now()))[0]
    assert "Số tiền thu: 0 đồng (miễn thu)" in first
    assert "Số tiền được miễn: 15.000 đồng" in first
    assert "Lý do miễn: Hộ nghèo theo Quyết định 12/QĐ-UBND" in first


def test_nothing_to_print_before_the_deed(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    with pytest.raises(NotFound, match="chưa trả kết quả, nên chưa có phiếu bàn giao"):
        handover_for_code(store, code, SETTINGS, clock.now())
    assert APPLICANT_CCCD


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (2000, "Hai nghìn đồng"),
        (15000, "Mười lăm nghìn đồng"),
        (21000, "Hai mươi mốt nghìn đồng"),
        (105000, "Một trăm linh năm nghìn đồng"),
        (1005000, "Một triệu không trăm linh năm nghìn đồng"),
        (1500000, "Một triệu năm trăm nghìn đồng"),
        (75000, "Bảy mươi lăm nghìn đồng"),
        (24000, "Hai mươi tư nghìn đồng"),
    ],
)
def test_amounts_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words
