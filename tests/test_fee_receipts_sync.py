"""Receipt numbers travel with the fee payment; a refunded payment's number stays, cancelled.

Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP: the number and
series are kept with the payment, numbered without gaps per series.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from counter_app.auth import Role, StaffIdentity
from counter_app.errors import NotAllowed
from counter_app.fee_receipts import ReceiptBook
from counter_app.fee_refunds import RefundService
from counter_app.fees import CASH, RECEPTION, TRANSFER, FeeInput, FeeService
from counter_app.models import FeePayment, FeeReceipt
from sync.server.models import ServerFeePayment
from tests.sync_support.counters import CounterFactory
from tests.sync_support.server import ThreadedServer

pytest_plugins = ["tests.sync_fixtures"]


def test_the_receipt_number_reaches_the_province_and_the_units_other_counter(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    for counter in (first, second):
        counter.enrol(province)
    [received] = first.receive(1)
    book = ReceiptBook("paper", "01BLP0-001", "AA-25P", "2801234567")
    taken = FeeService(first.store, first.clock, book).collect(
        received.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, first.clerk
    )
    assert first.sync().complete
    with province.database.read() as session:
        payload = session.scalars(select(ServerFeePayment.payload)).one()
    assert (payload["receipt_form"], payload["receipt_series"], payload["receipt_number"]) == (
        "01BLP0-001",
        "AA-25P",
        1,
    )
    second.sync()
    pulled = FeeService(second.store, second.clock).payment(taken.id)
    assert (pulled.receipt_series, pulled.receipt_number_label) == ("AA-25P", "0000001")
    with second.store.read() as session:
        # Another counter's series is its own: nothing enters this counter's numbering.
        assert session.scalars(select(FeeReceipt)).all() == []
    with pytest.raises(NotAllowed, match="AA-25P số 0000001 do máy khác của đơn vị in"):
        FeeService(second.store, second.clock, book).spoil(taken.id, second.clerk, "In hỏng")


def test_a_refunded_payment_leaves_its_receipt_number_cancelled(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    for counter in (first, second):
        counter.enrol(province)
    [received] = first.receive(1)
    first.sync()
    second.sync()
    FeeService(first.store, first.clock).collect(
        received.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, first.clerk
    )
    book = ReceiptBook("paper", "01BLP0-001", "AB-25P", "2801234567")
    refused = FeeService(second.store, second.clock, book).collect(
        received.code,
        FeeInput(TRANSFER, amount_vnd=8_000, reference="FT2611230001"),
        RECEPTION,
        second.clerk,
    )
    first.sync()
    second.sync()
    agent = StaffIdentity(second.clerk.username, "", Role.CLERK, second.clerk.unit_code)
    RefundService(second.store, second.clock).refund_refused(refused.id, agent, "Đã trả tiền")
    with second.store.read() as session:
        assert session.get(FeePayment, refused.id) is None
        [kept] = session.scalars(select(FeeReceipt)).all()
        assert (kept.series, kept.number, kept.payment_id) == ("AB-25P", 1, refused.id)
        assert kept.cancelled_at is not None and kept.cancel_reason == "Hoàn trả: Đã trả tiền"
