"""Receipt numbers travel with the fee payment; a refunded payment's number stays, cancelled.

Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP: the number and
series are kept with the payment, numbered without gaps per series.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select

from counter_app import outbox, sync_outbox
from counter_app.auth import Role, StaffIdentity
from counter_app.errors import NotAllowed
from counter_app.fee_receipts import ReceiptBook
from counter_app.fee_refunds import RefundService
from counter_app.fees import CASH, RECEPTION, TRANSFER, FeeInput, FeeService, PaymentView
from counter_app.lifecycle import Status
from counter_app.models import FeePayment, FeeReceipt, OutboxEntry
from sync.server import admin, push
from sync.server.models import ServerDossier, ServerFeePayment, ServerFeeReceiptCancelled
from tests.support.counters import OTHER_UNIT, Counter, CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]


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
    refused = _taken_twice(
        province, first, second, FeeInput(TRANSFER, amount_vnd=8_000, reference="FT2611230001")
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


BOOK = ReceiptBook("paper", "01BLP0-001", "AA-25P", "2801234567")


SECOND_BOOK = ReceiptBook("paper", "01BLP0-001", "AB-25P", "2801234567")


def _taken_twice(
    province: ThreadedServer, first: Counter, second: Counter, fee: FeeInput
) -> PaymentView:
    """One dossier's fee taken at ``first``, then again offline at ``second`` (to be refused)."""
    for counter in (first, second):
        counter.enrol(province)
    [received] = first.receive(1)
    first.sync()
    second.sync()
    FeeService(first.store, first.clock).collect(
        received.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, first.clerk
    )
    return FeeService(second.store, second.clock, SECOND_BOOK).collect(
        received.code, fee, RECEPTION, second.clerk
    )


def _collected(counter: Counter) -> tuple[str, PaymentView]:
    [received] = counter.receive(1)
    taken = FeeService(counter.store, counter.clock, BOOK).collect(
        received.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, counter.clerk
    )
    assert taken.receipt_number_label == "0000001"
    return received.code, taken


def _server_receipt(province: ThreadedServer, payment_id: str) -> tuple[Any, ...]:
    with province.database.read() as session:
        payment = session.get(ServerFeePayment, payment_id)
        assert payment is not None
        payload = payment.payload
        return (payload["receipt_form"], payload["receipt_series"], payload["receipt_number"])


def _reissues(counter: Counter) -> list[dict[str, Any]]:
    with counter.store.read() as session:
        entries = session.scalars(
            select(OutboxEntry).where(OutboxEntry.operation == "reissue_receipt")
        )
        return [dict(e.payload) for e in entries]


def _queue(counter: Counter, payload: dict[str, Any]) -> None:
    """What a forged or replayed counter would send: the same reissue under a new key."""
    with counter.store.write() as session:
        outbox.enqueue(
            session,
            entity="fee_payment",
            entity_id=payload["payment_id"],
            operation="reissue_receipt",
            payload=payload,
            at=counter.clock.now(),
        )


def test_a_spoiled_receipt_renumbers_the_provinces_payment_and_the_units_other_counter(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    # Decree 123/2020 art. 32(2) as amended by Decree 70/2025: a spoiled receipt keeps its
    # number, marked cancelled; the payment carries the series' next number.
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    for counter in (first, second):
        counter.enrol(province)
    code, taken = _collected(first)
    assert first.sync().complete
    second.sync()
    assert FeeService(second.store, second.clock).payment(taken.id).receipt_number_label == (
        "0000001"
    )

    first.clock.advance(minutes=5)
    spoiled = FeeService(first.store, first.clock, BOOK).spoil(taken.id, first.clerk, "In hỏng")
    assert spoiled.receipt_number_label == "0000002"
    report = first.sync()

    assert report.complete and not report.problems, report.problems
    assert _server_receipt(province, taken.id) == ("01BLP0-001", "AA-25P", 2)
    with province.database.read() as session:
        [kept] = session.execute(select(ServerFeeReceiptCancelled)).scalars().all()
        assert (kept.payment_id, kept.form_symbol, kept.series, kept.number) == (
            taken.id,
            "01BLP0-001",
            "AA-25P",
            1,
        )
        assert (kept.cancelled_by, kept.reason, kept.cancelled_at) == (
            first.clerk.username,
            "In hỏng",
            first.clock.now(),
        )
    [listed] = admin.list_dossiers(province.database)
    assert (listed["code"], listed["fee"]["receipt_series"], listed["fee"]["receipt_number"]) == (
        code,
        "AA-25P",
        2,
    )

    second.sync()
    pulled = FeeService(second.store, second.clock).payment(taken.id)
    assert (pulled.receipt_series, pulled.receipt_number_label) == ("AA-25P", "0000002")
    # The spoiling counter pulls its own change back and keeps the new number too.
    assert FeeService(first.store, first.clock).payment(taken.id).receipt_number_label == (
        "0000002"
    )


def test_a_reissue_is_refused_to_another_unit_and_for_a_number_no_longer_current(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first = make_counter("a", slot=1)
    stranger = make_counter("x", slot=1, unit_code=OTHER_UNIT)
    for counter in (first, stranger):
        counter.enrol(province)
    _, taken = _collected(first)
    first.sync()
    FeeService(first.store, first.clock, BOOK).spoil(taken.id, first.clerk, "Ghi sai tên")
    [reissue] = _reissues(first)

    # Another unit's device may not renumber this unit's payment.
    _queue(stranger, {**reissue, "receipt": {**reissue["receipt"], "number": 9}})
    [refused] = stranger.sync().problems
    assert refused.operation_label == "Hủy biên lai, cấp số mới"
    assert f"thuộc đơn vị {OTHER_UNIT}, không được ghi hồ sơ" in refused.reason
    assert _server_receipt(province, taken.id) == ("01BLP0-001", "AA-25P", 1)

    assert first.sync().complete
    assert _server_receipt(province, taken.id) == ("01BLP0-001", "AA-25P", 2)
    # The same reissue again, under a new key: 0000001 is no longer the payment's number.
    _queue(first, {**reissue, "receipt": {**reissue["receipt"], "number": 3}})
    [stale] = first.sync().problems
    assert "mang biên lai 01BLP0-001 AA-25P số 0000002, không phải biên lai" in stale.reason
    assert _server_receipt(province, taken.id) == ("01BLP0-001", "AA-25P", 2)
    with province.database.read() as session:
        cancelled = session.scalars(select(ServerFeeReceiptCancelled.number)).all()
    assert cancelled == [1]


def test_a_server_without_reissues_refuses_only_the_reissue(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first = make_counter("a", slot=1)
    first.enrol(province)
    code, taken = _collected(first)
    first.sync()
    FeeService(first.store, first.clock, BOOK).spoil(taken.id, first.clerk, "In hỏng")
    first.record(code, "processing_started")
    older = mock.patch.multiple(
        push, REISSUE_RECEIPT=("fee_payment", "-"), FEE_OPERATIONS=(push.COLLECT_FEE,)
    )
    with older:
        report = first.sync()
    [problem] = report.problems
    assert (problem.operation, problem.dossier_code) == ("reissue_receipt", code)
    assert "không có thao tác fee_payment/reissue_receipt" in problem.reason
    # The dossier's own step went through all the same, and later ones still do.
    with province.database.read() as session:
        dossier = session.scalars(select(ServerDossier)).one()
        assert dossier.status == Status.IN_PROCESSING.value
    with first.store.read() as session:
        assert sync_outbox.state(session).waiting == 0
    assert _server_receipt(province, taken.id) == ("01BLP0-001", "AA-25P", 1)


def test_a_refund_settles_the_reissue_of_a_refused_payments_receipt(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    refused = _taken_twice(province, first, second, FeeInput(CASH, amount_vnd=8_000))
    first.sync()
    [problem] = second.sync().problems
    assert problem.operation == "collect"
    FeeService(second.store, second.clock, SECOND_BOOK).spoil(refused.id, second.clerk, "In hỏng")
    agent = StaffIdentity(second.clerk.username, "", Role.CLERK, second.clerk.unit_code)
    RefundService(second.store, second.clock).refund_refused(refused.id, agent, "Đã trả tiền")

    report = second.sync()
    # The province never had the payment: its reissue is closed with it, not sent.
    assert report.complete and not report.problems, report.problems
    with second.store.read() as session:
        states = session.scalars(
            select(OutboxEntry.state).where(OutboxEntry.entity_id == refused.id)
        ).all()
        assert sorted(states) == ["settled", "settled"]
        # Decree 123/2020 art. 32(2): both numbers stay in the series, cancelled.
        numbers = session.execute(
            select(FeeReceipt.number, FeeReceipt.cancelled_at.is_not(None))
        ).all()
        assert sorted(numbers) == [(1, True), (2, True)]


def test_a_reissue_refused_on_a_payment_an_older_server_let_in_changes_nothing(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first = make_counter("a", slot=1)
    first.enrol(province)
    _, taken = _collected(first)
    first.sync()
    with province.database.write() as session:  # stored before today's length checks
        payment = session.get(ServerFeePayment, taken.id)
        assert payment is not None
        payment.payload = {**payment.payload, "collected_by": "x" * 70}
    FeeService(first.store, first.clock, BOOK).spoil(taken.id, first.clerk, "Ghi sai tên")

    [refused] = first.sync().problems

    assert refused.operation_label == "Hủy biên lai, cấp số mới"
    assert _server_receipt(province, taken.id) == ("01BLP0-001", "AA-25P", 1)
    with province.database.read() as session:
        assert session.scalars(select(ServerFeeReceiptCancelled)).all() == []
