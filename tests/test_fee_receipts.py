"""Fee receipts numbered by the computer without gaps, electronic receipts, per-page fees.

Sources: Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP (liên,
form symbol, series, a 7-digit number without gaps, a spoiled receipt keeps its number,
the tax code, electronic receipts); Circular 226/2016/TT-BTC (certified copies per page).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.errors import ValidationError
from counter_app.fee_receipts import receipt_book
from counter_app.fees import FeeInput, FeeService
from counter_app.models import FeePayment, FeeReceipt, OutboxEntry
from counter_app.settings import Settings
from counter_app.store import Store
from tests.support.fees import BOOK, CERTIFIED_COPY, ELECTRONIC, dossier


def numbers(store: Store) -> list[tuple[str, int, bool]]:
    with store.read() as session:
        rows = session.scalars(select(FeeReceipt).order_by(FeeReceipt.number))
        return [(r.series, r.number, r.cancelled_at is not None) for r in rows]


def test_receipts_are_numbered_without_gaps_across_a_spoiled_one(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: numbered from 0000001 without
    # gaps within a series; a spoiled receipt keeps its number and is marked cancelled.
    fees = FeeService(store, clock, BOOK)
    first = fees.collect(dossier(store, clock, clerk, 1), FeeInput("cash"), "reception", clerk)
    second = fees.collect(dossier(store, clock, clerk, 2), FeeInput("cash"), "reception", clerk)
    assert (first.receipt_number_label, second.receipt_number_label) == ("0000001", "0000002")
    assert (first.receipt_form, first.receipt_series) == ("01BLP0-001", "AA-25P")
    with pytest.raises(ValidationError) as no_reason:
        fees.spoil(second.id, clerk, " ")
    assert "lý do hủy" in no_reason.value.errors["cancel_reason"]
    reissued = fees.spoil(second.id, clerk, "Kẹt giấy khi in")
    assert reissued.receipt_number_label == "0000003"
    third = fees.collect(dossier(store, clock, clerk, 3), FeeInput("cash"), "reception", clerk)
    assert third.receipt_number_label == "0000004"
    assert numbers(store) == [
        ("AA-25P", 1, False),
        ("AA-25P", 2, True),
        ("AA-25P", 3, False),
        ("AA-25P", 4, False),
    ]
    spoiled = fees.spoiled("01BLP0-001", "AA-25P", 2)
    assert spoiled.cancelled and spoiled.cancel_reason == "Kẹt giấy khi in"
    assert spoiled.receipt_number_label == "0000002" and spoiled.id == second.id
    with store.read() as session:
        payload = session.scalars(
            select(OutboxEntry.payload).where(OutboxEntry.entity_id == first.id)
        ).one()
    assert (payload["receipt_series"], payload["receipt_number"]) == ("AA-25P", 1)


def test_an_exemption_takes_no_number(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    fees = FeeService(store, clock, BOOK)
    waived = fees.collect(
        dossier(store, clock, clerk, 1),
        FeeInput("exempt", exemption_reason="Người có công với cách mạng"),
        "reception",
        clerk,
    )
    paid = fees.collect(dossier(store, clock, clerk, 2), FeeInput("cash"), "reception", clerk)
    assert waived.receipt_number is None and paid.receipt_number_label == "0000001"


def test_a_payment_that_fails_half_way_leaves_no_gap(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: no gaps within a series.
    fees = FeeService(store, clock, BOOK)
    fees.collect(dossier(store, clock, clerk, 1), FeeInput("cash"), "reception", clerk)
    code = dossier(store, clock, clerk, 2)
    # The number is taken, then the outbox row fails: the payment and its number go together.
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox_entry "
            "WHEN NEW.entity = 'fee_payment' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    with pytest.raises(Exception, match="injected failure"):
        fees.collect(code, FeeInput("cash"), "reception", clerk)
    assert numbers(store) == [("AA-25P", 1, False)]
    with store.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER fail_outbox"))
    assert fees.collect(code, FeeInput("cash"), "reception", clerk).receipt_number == 2


def test_electronic_receipts_record_the_providers_number_and_lookup_code(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32 as amended by Decree 70/2025: an electronic receipt comes from
    # the provider; the counter records its number and look-up code against the payment.
    fees = FeeService(store, clock, ELECTRONIC)
    code = dossier(store, clock, clerk, 1)
    with pytest.raises(ValidationError) as missing:
        fees.collect(code, FeeInput("cash"), "reception", clerk)
    assert "số biên lai điện tử" in missing.value.errors["e_receipt_number"]
    assert "mã tra cứu" in missing.value.errors["e_receipt_lookup"]
    paid = fees.collect(
        code,
        FeeInput("cash", e_receipt_number="0000123", e_receipt_lookup="K7Q2-ZX91-AB"),
        "reception",
        clerk,
    )
    assert (paid.e_receipt_number, paid.e_receipt_lookup) == ("0000123", "K7Q2-ZX91-AB")
    assert paid.electronic and paid.receipt_number is None and numbers(store) == []
    with store.read() as session:
        payload = session.scalars(
            select(OutboxEntry.payload).where(OutboxEntry.entity_id == paid.id)
        ).one()
    assert payload["e_receipt_lookup"] == "K7Q2-ZX91-AB"


@pytest.mark.parametrize(
    ("pages", "amount"), [(1, 2000), (2, 4000), (3, 5000), (10, 12000), (200, 200000)]
)
def test_a_certified_copy_is_charged_per_page(
    store: Store, clock: FixedClock, clerk: StaffIdentity, pages: int, amount: int
) -> None:
    # Circular 226/2016/TT-BTC: 2.000 đ for each of the first two pages, 1.000 đ from the
    # third, at most 200.000 đ a copy.
    fees = FeeService(store, clock, BOOK)
    code = dossier(store, clock, clerk, 1, procedure_code=CERTIFIED_COPY)
    paid = fees.collect(code, FeeInput("cash", pages=pages), "reception", clerk)
    assert (paid.amount_vnd, paid.pages) == (amount, pages)


def test_a_per_page_fee_needs_its_pages_and_refuses_a_flat_amount(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Circular 226/2016/TT-BTC: the fee of a certified copy follows its pages.
    fees = FeeService(store, clock, BOOK)
    code = dossier(store, clock, clerk, 1, procedure_code=CERTIFIED_COPY)
    with pytest.raises(ValidationError) as no_pages:
        fees.collect(code, FeeInput("cash"), "reception", clerk)
    assert "số trang" in no_pages.value.errors["fee_pages"]
    with pytest.raises(ValidationError) as flat:
        fees.collect(code, FeeInput("cash", amount_vnd=2000, pages=3), "reception", clerk)
    assert "3 trang là 5.000 đồng" in flat.value.errors["fee_amount"]
    with store.read() as session:
        assert session.scalars(select(FeePayment)).all() == []


def test_the_settings_say_how_receipts_are_made(tmp_path: object) -> None:
    settings = Settings(
        receipt_form_symbol="01BLP0-001", receipt_series="AA-25P", tax_code="2801234567"
    ).validated()
    assert receipt_book(settings) == BOOK and receipt_book(settings).numbered
    with pytest.raises(ValidationError) as wrong:
        Settings(receipt_mode="giay", receipt_series="aa 25", tax_code="28012").validated()
    assert set(wrong.value.errors) == {"receipt_mode", "receipt_series", "tax_code"}


def test_two_windows_taking_fees_at_once_never_share_a_number(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: numbered without gaps. Two
    # stores on one data directory stand for two processes writing at the same moment.
    codes = [dossier(store, clock, clerk, n) for n in range(1, 11)]
    assert store.data_dir is not None
    other = Store.open(store.data_dir, create=False)
    try:
        services = [FeeService(store, clock, BOOK), FeeService(other, clock, BOOK)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            taken = list(
                pool.map(
                    lambda pair: services[pair[0] % 2].collect(
                        pair[1], FeeInput("cash"), "reception", clerk
                    ),
                    enumerate(codes),
                )
            )
    finally:
        other.close()
    assert sorted(p.receipt_number or 0 for p in taken) == list(range(1, 11))
    assert [n for _, n, _ in numbers(store)] == list(range(1, 11))


def test_a_receipt_reissued_the_next_day_is_listed_under_that_day(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Each day's list holds the numbers written that day; the money stays on its day.
    fees = FeeService(store, clock, BOOK)
    paid = fees.collect(dossier(store, clock, clerk, 1), FeeInput("cash"), "reception", clerk)
    day_one = clock.now().date()
    clock.advance(days=1)
    fees.spoil(paid.id, clerk, "Mực in nhòe")
    day_two = clock.now().date()
    first = [(line.number, line.cancelled) for line in fees.receipts_issued(day_one, day_one)]
    second = [(line.number, line.cancelled) for line in fees.receipts_issued(day_two, day_two)]
    assert first == [("0000001", True)]
    assert second == [("0000002", False)]
    assert [t.amount_vnd for t in fees.totals(day_two, day_two)] == []
    assert sum(t.amount_vnd for t in fees.totals(day_one, day_one)) == paid.amount_vnd
