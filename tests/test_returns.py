"""Returning results and taking fees: who may take a result, what is recorded, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.errors import NotAllowed, ValidationError
from counter_app.fees import FeeInput, FeeService
from counter_app.installation import ensure_unit
from counter_app.lifecycle import Status
from counter_app.models import AuditEntry, Dossier, DossierEvent, FeePayment, OutboxEntry
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.store import Store
from counter_app.sync_apply import apply_changes
from counter_app.sync_outbox import PushOutcome, record_push_results
from counter_app.timeliness import Timeliness, classify
from sync.protocol import Change, DossierData, EventData
from tests.support.counter_store import UNIT_CODE, applicant, open_counter
from tests.support.returns import (
    APPLICANT_CCCD,
    BIRTH_REGISTRATION,
    OTHER_CCCD,
    due_of,
    ready,
    receive,
)

NEIGHBOUR = "000.00.12.H57"


@pytest.fixture
def code(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    """A temporary-residence dossier whose result came a day before its appointment."""
    received = receive(store, clock, clerk)
    ready(store, clock, clerk, received, due_of(store, received) - dt.timedelta(days=1))
    clock.at = due_of(store, received) + dt.timedelta(days=2)  # collected two days late
    return received


def test_applicant_takes_the_result_and_everything_is_recorded_at_once(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    done = ReturnService(store, clock).hand_over(
        ReturnRequest(code, recipient_name="Trần Thị Mai", recipient_cccd=APPLICANT_CCCD), clerk
    )
    # Early by the result's release, though the applicant came two days after the appointment.
    assert done.timeliness is Timeliness.EARLY
    with store.read() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        assert dossier is not None and dossier.status == Status.RETURNED
        event = dossier.events[-1]
        assert event.kind == "returned" and event.at == clock.now()
        assert event.data == {
            "recipient": "Trần Thị Mai",
            "cccd": APPLICANT_CCCD,
            "representative": False,
            "method": "counter",
            "tracking_number": None,
            "timeliness": "early",
            "result_at": dossier.events[-2].at.isoformat(),
            "fee_payment_id": None,
        }
        assert event.note == "Trả tận tay người nộp hồ sơ"
        outbox = session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()[-1]
        assert (outbox.entity, outbox.operation) == ("dossier_event", "append_event")
        assert outbox.payload["data"]["timeliness"] == "early"
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[-1]
        assert audit.action == "dossier.returned" and audit.detail["to"] == "Trần Thị Mai"


@pytest.mark.parametrize(
    ("result_shift", "expected"),
    [
        (dt.timedelta(days=-1), Timeliness.EARLY),
        (dt.timedelta(minutes=-30), Timeliness.ON_TIME),
        (dt.timedelta(hours=3), Timeliness.LATE),
    ],
)
def test_the_return_records_the_timeliness_of_the_result(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    result_shift: dt.timedelta,
    expected: Timeliness,
) -> None:
    received = receive(store, clock, clerk)
    due = due_of(store, received)
    ready(store, clock, clerk, received, due + result_shift)
    clock.at = due + dt.timedelta(days=1)
    done = ReturnService(store, clock).hand_over(
        ReturnRequest(received, recipient_name="Trần Thị Mai", recipient_cccd=APPLICANT_CCCD),
        clerk,
    )
    assert done.timeliness is expected is classify(due + result_shift, due)


def test_a_representative_shows_another_cccd_and_the_applicants_is_refused(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    service = ReturnService(store, clock)
    with pytest.raises(ValidationError) as wrong_person:
        service.hand_over(
            ReturnRequest(code, recipient_name="Lê Văn Hùng", recipient_cccd=OTHER_CCCD), clerk
        )
    assert "khác với số của người nộp hồ sơ" in wrong_person.value.errors["recipient_cccd"]
    with pytest.raises(ValidationError) as not_a_proxy:
        service.hand_over(
            ReturnRequest(
                code,
                recipient_name="Trần Thị Mai",
                recipient_cccd=APPLICANT_CCCD,
                representative=True,
            ),
            clerk,
        )
    assert "chính người nộp hồ sơ" in not_a_proxy.value.errors["representative"]
    with pytest.raises(ValidationError) as nothing:
        service.hand_over(ReturnRequest(code, recipient_cccd="0381"), clerk)
    assert nothing.value.errors == {
        "recipient_name": "Chưa nhập họ tên người nhận kết quả.",
        "recipient_cccd": "Số CCCD phải có đúng 12 chữ số (đã nhập 4).",
    }
    done = service.hand_over(
        ReturnRequest(
            code,
            recipient_name="Lê Văn Hùng",
            recipient_cccd=OTHER_CCCD,
            representative=True,
            note="Giấy ủy quyền số 12/UQ",
        ),
        clerk,
    )
    with store.read() as session:
        event = session.scalars(
            select(DossierEvent)
            .where(DossierEvent.dossier_id == done.dossier_id)
            .order_by(DossierEvent.seq.desc())
        ).first()
        assert event is not None
        assert event.data["representative"] is True and event.data["cccd"] == OTHER_CCCD
        assert event.note == "Trả cho người được ủy quyền: Lê Văn Hùng. Giấy ủy quyền số 12/UQ"


def test_a_result_handed_to_the_post_needs_its_item_number(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    service = ReturnService(store, clock)
    with pytest.raises(ValidationError) as missing:
        service.hand_over(ReturnRequest(code, method="post"), clerk)
    assert missing.value.errors == {"tracking_number": "Chưa nhập mã bưu gửi (số hiệu bưu phẩm)."}
    with pytest.raises(ValidationError) as garbled:
        service.hand_over(ReturnRequest(code, method="post", tracking_number="EB 12#"), clerk)
    assert "6-20 chữ cái" in garbled.value.errors["tracking_number"]
    postal_agent = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)
    with pytest.raises(NotAllowed, match="chỉ ghi nhận kết quả chuyển qua bưu chính"):
        service.hand_over(
            ReturnRequest(code, recipient_name="Trần Thị Mai", recipient_cccd=APPLICANT_CCCD),
            postal_agent,
        )
    service.hand_over(
        ReturnRequest(code, method="post", tracking_number="eb123456789vn"), postal_agent
    )
    with store.read() as session:
        event = session.scalars(select(DossierEvent).order_by(DossierEvent.at.desc())).first()
        assert event is not None and event.actor == "hoa.lt"
        assert event.data["tracking_number"] == "EB123456789VN"
        assert event.data["recipient"] == "Trần Thị Mai"  # the applicant, at the address given


def test_only_a_ready_result_can_be_returned(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    received = receive(store, clock, clerk)
    with pytest.raises(NotAllowed, match="đang ở trạng thái 'Đã tiếp nhận', chưa có kết quả"):
        ReturnService(store, clock).hand_over(
            ReturnRequest(received, recipient_name="Trần Thị Mai", recipient_cccd=APPLICANT_CCCD),
            clerk,
        )


def test_the_receiving_unit_returns_a_result_another_unit_decided(
    tmp_path: Path, clock: FixedClock
) -> None:
    """Received here for the neighbouring ward (boundary-free); the neighbour's decision comes
    back by sync, and this counter hands the result over."""
    here = open_counter(tmp_path / "here")
    clerk = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)
    with here.write() as session:
        ensure_unit(session, NEIGHBOUR, "UBND phường Quảng Phú")
    received = receive(here, clock, clerk, competent_unit_code=NEIGHBOUR)
    with here.write() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == received))
        assert dossier is not None
        entries = session.scalars(select(OutboxEntry)).all()
        record_push_results(session, [PushOutcome(e.mutation_id, "applied", 1) for e in entries])
        result_at = clock.now() + dt.timedelta(days=1)
        changes = [
            Change(
                seq=seq,
                kind="event",
                dossier_id=dossier.id,
                event=_event(dossier.id, kind, after, at, seq),
            ).model_dump()
            for kind, after, at, seq in (
                ("processing_started", "in_processing", clock.now() + dt.timedelta(hours=1), 2),
                ("result_ready", "result_ready", result_at, 3),
            )
        ]
        apply_changes(session, changes, next_cursor=3, epoch="e1", at=result_at)
    clock.at = result_at + dt.timedelta(hours=1)
    done = ReturnService(here, clock).hand_over(
        ReturnRequest(received, recipient_name="Trần Thị Mai", recipient_cccd=APPLICANT_CCCD), clerk
    )
    assert done.code == received
    with here.read() as session:
        assert session.scalar(select(Dossier.status).where(Dossier.code == received)) == "returned"
    here.close()


def test_a_dossier_another_unit_received_is_returned_there(
    tmp_path: Path, clock: FixedClock
) -> None:
    """The neighbour received it for us: our counter decides it, theirs hands it over."""
    there = open_counter(tmp_path / "there", unit_code=NEIGHBOUR)
    clerk_there = StaffIdentity("an.nv", "Nguyễn Văn An", Role.CLERK, NEIGHBOUR)
    with there.write() as session:
        ensure_unit(session, UNIT_CODE, "UBND phường Hạc Thành")
    received = receive(there, clock, clerk_there, competent_unit_code=UNIT_CODE)
    with there.read() as session:
        payload = session.scalars(select(OutboxEntry.payload)).one()
    here = open_counter(tmp_path / "here")
    clerk = StaffIdentity("lan.nt", "Nguyễn Thị Lan", Role.CLERK, UNIT_CODE)
    with here.write() as session:
        apply_changes(
            session,
            [
                Change(
                    seq=1,
                    kind="dossier",
                    dossier_id=payload["id"],
                    dossier=DossierData.model_validate(payload),
                ).model_dump()
            ],
            next_cursor=1,
            epoch="e1",
            at=clock.now(),
        )
    ready(here, clock, clerk, received, clock.now() + dt.timedelta(days=1))
    with pytest.raises(NotAllowed, match=f"do đơn vị {NEIGHBOUR} tiếp nhận"):
        ReturnService(here, clock).hand_over(
            ReturnRequest(received, recipient_name="Trần Thị Mai", recipient_cccd=APPLICANT_CCCD),
            clerk,
        )
    there.close()
    here.close()


def _event(dossier_id: str, kind: str, after: str, at: dt.datetime, seq: int) -> EventData:
    """An event of the neighbour's specialist, as the provincial server hands it on."""
    return EventData(
        id=f"00000000-0000-4000-8000-{seq:012d}",
        dossier_id=dossier_id,
        kind=kind,
        status_after=after,
        at=at,
        actor="cv.hotich",
        unit_code=NEIGHBOUR,
        server_seq=seq,
    )


# Fees -------------------------------------------------------------------------


def test_the_fee_taken_at_the_return_is_in_the_same_transaction(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    service = ReturnService(store, clock)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER fail_fee BEFORE INSERT ON fee_payment "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    returning = ReturnRequest(
        code,
        recipient_name="Trần Thị Mai",
        recipient_cccd=APPLICANT_CCCD,
        fee=FeeInput("transfer", reference="FT25320123456"),
    )
    with pytest.raises(Exception, match="injected failure"):
        service.hand_over(returning, clerk)
    with store.read() as session:
        assert session.scalar(select(Dossier.status).where(Dossier.code == code)) == "result_ready"
    with store.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER fail_fee"))
    done = service.hand_over(returning, clerk)
    with store.read() as session:
        payment = session.scalars(select(FeePayment)).one()
        assert (payment.amount_vnd, payment.method, payment.stage) == (15000, "transfer", "return")
        assert payment.reference == "FT25320123456" and done.fee_payment_id == payment.id
        fee_entry = session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity == "fee_payment")
        ).one()
        assert fee_entry.entity_id == payment.id and fee_entry.payload["code"] == code
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "fee.collect" in actions and "dossier.returned" in actions


def test_fee_rules_name_the_field(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    fees = FeeService(store, clock)
    for fee, field, words in (
        (FeeInput("transfer"), "fee_reference", "Chưa nhập mã giao dịch"),
        (FeeInput("exempt"), "exemption_reason", "phải ghi rõ lý do"),
        (FeeInput("cash", amount_vnd=0), "fee_amount", "phải lớn hơn 0"),
        (FeeInput("cash", amount_vnd=500_000_000), "fee_amount", "quá lớn"),
        (FeeInput("cheque"), "fee_method", "tiền mặt, chuyển khoản hoặc miễn thu"),
    ):
        with pytest.raises(ValidationError) as caught:
            fees.collect(code, fee, "return", clerk)
        assert words in caught.value.errors[field]
    with pytest.raises(NotAllowed, match="không thu phí, lệ phí ở bước 'khi tiếp nhận hồ sơ'"):
        fees.collect(code, FeeInput("cash"), "reception", clerk)
    paid = fees.collect(
        code, FeeInput("exempt", exemption_reason="Người có công với cách mạng"), "return", clerk
    )
    assert (paid.amount_vnd, paid.method_label, paid.collected_by_name) == (
        15000,
        "Miễn thu",
        "lan.nt",
    )
    with pytest.raises(NotAllowed, match="đã miễn thu"):
        fees.collect(code, FeeInput("cash"), "return", clerk)


def test_fee_at_reception_and_the_days_totals(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    fees = FeeService(store, clock)
    free = receive(store, clock, clerk, procedure_code=BIRTH_REGISTRATION)
    with pytest.raises(ValidationError) as unpriced:
        fees.collect(free, FeeInput("cash"), "reception", clerk)
    assert "Danh mục không ghi mức phí" in unpriced.value.errors["fee_amount"]
    fees.collect(free, FeeInput("cash", amount_vnd=8000), "reception", clerk)  # late registration
    for cccd, method in (("001190012346", "cash"), ("001190012347", "transfer")):
        clock.advance(hours=1)
        person = applicant(cccd=cccd, full_name="Lê Thị Hồng")
        paid_code = receive(store, clock, clerk, applicant=person)
        fees.collect(paid_code, FeeInput(method, reference="FT1234"), "reception", clerk)
    clock.advance(days=1)
    receive_next = receive(store, clock, clerk, applicant=applicant(cccd="001190012348"))
    fees.collect(receive_next, FeeInput("cash"), "reception", clerk)
    day = clock.now().date()
    totals = [
        (t.day, t.method, t.payments, t.amount_vnd)
        for t in fees.totals(day - dt.timedelta(days=1), day)
    ]
    assert totals == [
        (day - dt.timedelta(days=1), "cash", 2, 23000),
        (day - dt.timedelta(days=1), "transfer", 1, 15000),
        (day, "cash", 1, 15000),
    ]
    assert fees.status(receive_next).settled
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(FeePayment)) == 4


def test_a_central_system_code_is_found_in_the_returns_list(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Circular 04/2025/TT-VPCP art. 13(3): MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX. The dossier stands
    # for one pulled from a central system (tests/test_code_shapes.py pulls one for real).
    central = "H57.123.45-261116-010042"
    with store.write() as session:
        session.execute(
            text("UPDATE dossier SET code = :new WHERE code = :old"), {"new": central, "old": code}
        )
    service = ReturnService(store, clock)
    for typed in (central, central.lower(), " h57.123.45-2611"):
        assert [r.code for r in service.ready(typed)] == [central], typed
