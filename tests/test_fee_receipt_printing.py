"""The fee receipt as printed, read back: liên, form symbol, series, number, tax code.

Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP; Circular
226/2016/TT-BTC for the per-page fee of a certified copy.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.errors import NotAllowed
from counter_app.fees import FeeInput, FeeService
from counter_app.store import Store
from counter_app.tallies import compute_tally
from printing.fee_receipt import FeeReceiptForm, render_fee_receipt
from printing.report_print import tally_pdf
from printing.return_forms import fee_receipt_for_payment
from tests.support.counter_store import UNIT_CODE
from tests.support.fees import BOOK, CERTIFIED_COPY, ELECTRONIC, SETTINGS, dossier

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))


def read(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_printed_receipt_has_both_lien_its_number_and_the_tax_code(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: liên 1 kept, liên 2 to the
    # payer; form symbol, series and number printed by the computer; the tax code printed.
    fees = FeeService(store, clock, BOOK)
    code = dossier(store, clock, clerk, 1, procedure_code=CERTIFIED_COPY)
    paid = fees.collect(code, FeeInput("cash", pages=3), "reception", clerk)
    pages = read(fee_receipt_for_payment(store, paid.id, SETTINGS, clock.now()))
    assert len(pages) == 2
    assert "Liên 1: Lưu" in pages[0] and "Liên 2: Giao người nộp tiền" in pages[1]
    for page in pages:
        for words in (
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            "Mẫu số: 01BLP0-001 Ký hiệu: AA-25P Số: 0000001",
            "Mã số thuế: 2801234567",
            "Số tiền: 5.000 đồng",
            "Bằng chữ: Năm nghìn đồng.",
            # Circular 226/2016/TT-BTC: the amount follows the pages of the copy.
            "Số trang: 3 (trang 1-2: 2.000 đ/trang; từ trang 3: 1.000 đ/trang; "
            "tối đa 200.000 đ/bản)",
        ):
            assert words in page, words
        assert "ĐÃ HỦY" not in page


def test_a_spoiled_receipt_prints_again_as_cancelled_under_its_own_number(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: a spoiled receipt keeps its
    # number and is marked cancelled.
    fees = FeeService(store, clock, BOOK)
    paid = fees.collect(dossier(store, clock, clerk, 1), FeeInput("cash"), "reception", clerk)
    fees.spoil(paid.id, clerk, "In lệch khổ giấy")
    current = read(fee_receipt_for_payment(store, paid.id, SETTINGS, clock.now()))
    assert "Số: 0000002" in current[0] and "ĐÃ HỦY" not in current[0]
    payment = fees.spoiled("01BLP0-001", "AA-25P", 1)
    with store.read() as session:
        view = load_dossier_view(session, payment.code)
    form = FeeReceiptForm(view, payment, "Hạc Thành", clock.now(), tax_code=SETTINGS.tax_code)
    spoiled = read(render_fee_receipt(form, "A5"))
    for page in spoiled:
        assert "Số: 0000001" in page
        assert "BIÊN LAI ĐÃ HỦY (In lệch khổ giấy) — không có giá trị thanh toán" in page


def test_an_electronic_receipt_is_not_printed(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32 as amended by Decree 70/2025: the provider issues it.
    fees = FeeService(store, clock, ELECTRONIC)
    paid = fees.collect(
        dossier(store, clock, clerk, 1),
        FeeInput(
            "transfer",
            reference="FT25320123456",
            e_receipt_number="123",
            e_receipt_lookup="TRACUU-0001",
        ),
        "reception",
        clerk,
    )
    with pytest.raises(NotAllowed, match="biên lai điện tử số 123 \\(mã tra cứu TRACUU-0001\\)"):
        fee_receipt_for_payment(store, paid.id, SETTINGS, clock.now())


def test_the_fee_report_shows_each_receipts_series_and_number(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: the number and series are
    # kept with the payment; a spoiled receipt keeps its number, marked cancelled.
    fees = FeeService(store, clock, BOOK)
    first = fees.collect(dossier(store, clock, clerk, 1), FeeInput("cash"), "reception", clerk)
    fees.collect(dossier(store, clock, clerk, 2), FeeInput("transfer", reference="FT9876"),
                 "reception", clerk)  # fmt: skip
    fees.spoil(first.id, clerk, "Ghi sai tên người nộp")
    day = clock.now().date()
    with store.read() as session:
        tally = compute_tally(session, UNIT_CODE, day, day, clock.now())
    assert [(r.series, r.number, r.cancelled) for r in tally.receipts] == [
        ("AA-25P", "0000001", True),
        ("AA-25P", "0000002", False),
        ("AA-25P", "0000003", False),
    ]
    whole = " ".join(read(tally_pdf(tally, SETTINGS, clock.now(), "Phạm Quốc Hùng")))
    assert "Biên lai thu phí, lệ phí (theo ký hiệu và số)" in whole
    assert "01BLP0-001 AA-25P 0000001" in whole and "Đã hủy: Ghi sai tên người nộp" in whole
    assert "01BLP0-001 AA-25P 0000003" in whole
    assert store.data_dir is not None
    done = subprocess.run(
        [COUNTER_APP, "report", "fees", "--from", f"{day}", "--to", f"{day}",
         "--data-dir", str(store.data_dir)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "Biên lai (mẫu số, ký hiệu, số):" in lines
    cancelled = next(line for line in lines if "\t0000001\t" in line)
    assert cancelled.startswith("01BLP0-001\tAA-25P\t0000001\t")
    assert cancelled.endswith("ĐÃ HỦY (Ghi sai tên người nộp)")
    assert any(line.startswith("01BLP0-001\tAA-25P\t0000003\t") for line in lines)
