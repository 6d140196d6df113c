"""The 2025 rules of a dossier's clock: supplements restart it, an apology comes once and early.

Temporary residence (1.004194, 3 working days) received Monday 16/11/2026 09:00 is
due Thursday 19/11 09:00 on its first receipt.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_book import load_book
from counter_app.dossier_query import DossierFilter, is_overdue, prepare
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.errors import NotAllowed, ValidationError
from counter_app.lifecycle import Status
from counter_app.models import AuditEntry, Dossier
from counter_app.reception import ReceptionService
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.tallies import compute_tally
from counter_app.timeliness import Timeliness, classify
from printing import cli as print_cli
from printing.report_print import book_pdf
from tests.support.counter_store import UNIT_CODE
from tests.support.pdf_text import page_texts
from tests.support.reception import full_checklist, request

RESIDENCE = "1.004194"  # temporary residence: 3 working days
FIRST_DUE = dt.datetime(2026, 11, 19, 9, 0)
ASKED = dt.datetime(2026, 11, 17, 10, 0)  # Tuesday: the specialist asks for a paper
SUPPLIED = dt.datetime(2026, 11, 18, 14, 0)  # Wednesday: the citizen brings it
# Wednesday 14:00 + 3 working days = Monday 23/11 14:00 (the weekend skipped).
NEW_DUE = dt.datetime(2026, 11, 23, 14, 0)
SUPERVISOR = StaffIdentity("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR, UNIT_CODE)


@pytest.fixture
def code(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    residence = request(store, procedure_code=RESIDENCE, documents=full_checklist(store, RESIDENCE))
    receipt = ReceptionService(store, clock).receive(residence, clerk)
    assert receipt.due_at == FIRST_DUE
    return receipt.code


def supplemented(store: Store, clock: FixedClock, clerk: StaffIdentity, code: str) -> None:
    service = DossierService(store, clock)
    clock.at = ASKED
    service.request_supplement(code, ["Bản sao sổ hộ khẩu"], "Thiếu giấy tờ", clerk)
    clock.at = SUPPLIED
    service.record(code, "supplement_received", clerk)
    assert dossier_row(store, code).due_at == NEW_DUE


def dossier_row(store: Store, code: str) -> Dossier:
    with store.read() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        assert dossier is not None
        session.expunge(dossier)
        return dossier


def ready_timeliness(store: Store, clock: FixedClock, code: str) -> Timeliness | None:
    """How the returns screen judges the result waiting at the counter."""
    (ready,) = [r for r in ReturnService(store, clock).ready(code) if r.code == code]
    return ready.timeliness


# Point 1: supplements restart the clock -------------------------------------------------


def test_a_received_supplement_recomputes_the_appointment_over_the_full_limit(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Decree 297/2025 art. 6(4)(a): "thời hạn giải quyết được tính lại từ đầu".
    supplemented(store, clock, clerk, code)
    dossier = dossier_row(store, code)
    assert (dossier.due_at, dossier.first_due_at) == (NEW_DUE, FIRST_DUE)
    with store.read() as session:
        view = load_dossier_view(session, code)
        detail = (
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == "dossier.supplement_received")
            )
            .one()
            .detail
        )
    assert view.due_at == NEW_DUE and view.first_due_at == FIRST_DUE
    assert view.supplement_received_at == SUPPLIED
    assert view.events[-1].data["due_at"] == NEW_DUE.isoformat()
    assert detail["previous_due_at"] == FIRST_DUE.isoformat()


def test_a_supplement_cannot_be_received_when_none_was_asked_for(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    with pytest.raises(NotAllowed, match="Đã tiếp nhận"):
        DossierService(store, clock).receive_supplement(code, clerk)
    assert dossier_row(store, code).due_at == FIRST_DUE


def test_the_result_is_judged_against_the_recomputed_appointment(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Decree 297/2025 art. 6(4)(a): on time is judged from the supplement, not the first receipt.
    supplemented(store, clock, clerk, code)
    clock.at = dt.datetime(2026, 11, 20, 10, 0)  # after the first appointment, before the new
    DossierService(store, clock).record(code, "result_ready", clerk)
    with store.read() as session:
        tally = compute_tally(session, UNIT_CODE, dt.date(2026, 11, 16), dt.date(2026, 11, 20),
                              clock.at)  # fmt: skip
    assert (tally.total.resolved_early, tally.total.resolved_late) == (1, 0)
    assert ready_timeliness(store, clock, code) == Timeliness.EARLY


def test_a_dossier_waiting_for_its_supplement_is_neither_running_nor_overdue(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Decree 297/2025 art. 6(4)(a): while the dossier waits for the citizen the clock stops.
    DossierService(store, clock).request_supplement(code, ["Bản sao"], "Thiếu giấy tờ", clerk)
    later = FIRST_DUE + dt.timedelta(days=5)
    with store.read() as session:
        tally = compute_tally(session, UNIT_CODE, later.date(), later.date(), later)
        listed = prepare(session, DossierFilter(overdue_only=True), later).count(session)
    assert (tally.total.overdue_now, tally.total.waiting_supplement) == (0, 1)
    assert tally.total.in_progress_overdue == 0
    assert listed == 0
    assert not is_overdue(Status.SUPPLEMENT_REQUESTED, FIRST_DUE, later)


# Point 3: the apology (form 04), once and one working day early ------------------------------


def test_an_apology_the_working_day_before_the_appointment_is_allowed_once(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Lai Châu 88/2025/QĐ-UBND: "chậm nhất 01 ngày trước ngày hết hạn" (due Thu, so Wed).
    service = DossierService(store, clock)
    clock.at = dt.datetime(2026, 11, 18, 16, 59)
    promised = dt.datetime(2026, 11, 25, 9, 0)
    service.extend(code, promised, "Cần xác minh thêm", clerk)
    dossier = dossier_row(store, code)
    # Lateness keeps counting from the original appointment.
    assert (dossier.due_at, dossier.extended_due_at) == (FIRST_DUE, promised)
    # Decree 297/2025 art. 6(5): "không quá 01 lần".
    with pytest.raises(NotAllowed, match="không quá 01 lần"):
        service.extend(code, promised + dt.timedelta(days=1), "Lần nữa", SUPERVISOR, "Lý do")
    with store.read() as session:
        assert load_dossier_view(session, code).extended_due_at == promised


def test_a_late_apology_needs_a_supervisor_and_a_reason_kept_in_the_audit(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Lai Châu 88/2025/QĐ-UBND: on the appointment's own day the apology is too late.
    service = DossierService(store, clock)
    clock.at = dt.datetime(2026, 11, 19, 7, 30)
    promised = dt.datetime(2026, 11, 25, 9, 0)
    with pytest.raises(NotAllowed, match="chậm nhất ngày 18/11/2026"):
        service.extend(code, promised, "Cần xác minh thêm", clerk)
    with pytest.raises(ValidationError) as caught:
        service.extend(code, promised, "Cần xác minh thêm", SUPERVISOR)
    assert set(caught.value.errors) == {"override_reason"}
    assert dossier_row(store, code).extended_due_at is None, "nothing half-stored"
    service.extend(code, promised, "Cần xác minh thêm", SUPERVISOR, "Chờ kết quả xác minh")
    with store.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "dossier.extended")
        ).one()
        actor, detail = entry.actor, entry.detail
    assert actor == "hung.pq"
    assert detail["override_reason"] == "Chờ kết quả xác minh"


def test_an_apology_for_a_stopped_dossier_names_its_state_not_the_deadline(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Past the deadline too, but the state is what forbids it: say that.
    service = DossierService(store, clock)
    service.stop(code, "Công dân rút hồ sơ", clerk)
    clock.at = dt.datetime(2026, 11, 19, 7, 30)
    with pytest.raises(NotAllowed, match="trạng thái"):
        service.extend(code, dt.datetime(2026, 11, 25, 9, 0), "Cần xác minh thêm", SUPERVISOR)


def test_the_apology_cannot_bypass_its_rules_as_a_plain_event(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Decree 297/2025 art. 6(5): the once-only rule holds on every path that records it.
    service = DossierService(store, clock)
    service.extend(code, dt.datetime(2026, 11, 25, 9, 0), "Cần xác minh thêm", clerk)
    with pytest.raises(NotAllowed, match="văn bản xin lỗi"):
        service.record(code, "extended", clerk, "Lần hai")
    with store.read() as session:
        kinds = [e.kind for e in load_dossier_view(session, code).events]
    assert kinds.count("extended") == 1


def test_the_apology_deadline_skips_the_weekend(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Lai Châu 88/2025/QĐ-UBND, read in working days: due Monday 23/11, so Friday 20/11.
    supplemented(store, clock, clerk, code)
    clock.at = dt.datetime(2026, 11, 21, 9, 0)  # Saturday
    with pytest.raises(NotAllowed, match="chậm nhất ngày 20/11/2026"):
        DossierService(store, clock).extend(code, NEW_DUE + dt.timedelta(days=2), "Xác minh", clerk)


# Point 4: one rule for the tallies and the Python classification, to the minute ------------


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (dt.timedelta(days=-1), Timeliness.EARLY),
        (dt.timedelta(minutes=-1), Timeliness.ON_TIME),
        (dt.timedelta(0), Timeliness.ON_TIME),
        (dt.timedelta(minutes=1), Timeliness.LATE),
        (dt.timedelta(days=1), Timeliness.LATE),
    ],
)
def test_tallies_and_classification_agree_at_the_minute_of_the_appointment(
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    code: str,
    offset: dt.timedelta,
    expected: Timeliness,
) -> None:
    # Decree 297/2025 art. 6(4)(a): judged against the appointment the supplement restarted.
    supplemented(store, clock, clerk, code)
    clock.at = NEW_DUE + offset
    DossierService(store, clock).record(code, "result_ready", clerk)
    assert classify(clock.at, NEW_DUE) == expected
    with store.read() as session:
        day = clock.at.date()
        totals = compute_tally(session, UNIT_CODE, day, day, clock.at).total
    counted = {
        Timeliness.EARLY: totals.resolved_early,
        Timeliness.ON_TIME: totals.resolved_on_time,
        Timeliness.LATE: totals.resolved_late,
    }
    assert counted == {t: int(t == expected) for t in Timeliness}
    assert ready_timeliness(store, clock, code) == expected
    returned = ReturnService(store, clock).hand_over(
        ReturnRequest(code, recipient_name="Trần Thị Mai", recipient_cccd="001190012345"), clerk
    )
    assert returned.timeliness == expected


# Point 5: a reprinted form carries the date of its act ------------------------------------


def printed(store: Store, form: str, code: str, tmp_path: Path) -> str:
    """The form as ``counter-app print`` writes it today, read back from the PDF."""
    out = tmp_path / f"{form}.pdf"
    args = argparse.Namespace(
        data_dir=str(store.data_dir), form=form, code=code, out=str(out), paper=None
    )
    assert print_cli.run(args) == 0
    return " ".join(page_texts(out.read_bytes()))


def test_reprinted_forms_are_dated_by_their_act_and_the_new_receipt_says_why(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str, tmp_path: Path
) -> None:
    # LEGAL-2025 (MOH 3621/QĐ-BYT forms): the date of the act, not of the print.
    supplemented(store, clock, clerk, code)
    receipt = printed(store, "receipt", code, tmp_path)
    # Decree 297/2025 art. 6(4)(a): the receipt issued again after the supplement.
    assert "ngày 18 tháng 11 năm 2026" in receipt
    assert "Cấp lại sau khi nhận hồ sơ bổ sung ngày 18/11/2026" in receipt
    assert "Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 23/11/2026" in receipt
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 16/11/2026" in receipt
    assert "ngày 17 tháng 11 năm 2026" in printed(store, "supplement", code, tmp_path)
    assert "ngày 16 tháng 11 năm 2026" in printed(store, "control", code, tmp_path)


def test_the_book_shows_the_first_the_recomputed_and_the_apologys_appointment(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Decree 297/2025 art. 6(4)(a) and 6(5): both dates where they differ.
    supplemented(store, clock, clerk, code)
    clock.at = dt.datetime(2026, 11, 19, 10, 0)
    DossierService(store, clock).extend(code, dt.datetime(2026, 11, 26, 9, 0), "Xác minh", clerk)
    with store.read() as session:
        book = load_book(session, UNIT_CODE, dt.date(2026, 11, 16), dt.date(2026, 11, 16))
    (line,) = book.lines
    assert (line.first_due_at, line.due_at) == (FIRST_DUE, NEW_DUE)
    text = " ".join(page_texts(book_pdf(book, Settings(), clock.at, "Nguyễn Thị Lan")))
    assert "09:00 19/11/2026 Sau bổ sung: 14:00 23/11/2026 Hẹn lại: 09:00 26/11/2026" in text


def test_a_past_days_tally_judges_an_open_dossier_by_the_appointment_then_in_force(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    # Decree 297/2025 art. 6(4)(a): a later supplement does not undo being overdue before it.
    service = DossierService(store, clock)
    clock.at = dt.datetime(2026, 11, 23, 8, 0)  # Monday after the appointment of Thursday
    service.request_supplement(code, ["Bản sao"], "Thiếu giấy tờ", clerk)
    clock.at = dt.datetime(2026, 11, 23, 10, 0)
    service.record(code, "supplement_received", clerk)
    # Three working days on: Tuesday 24/11 is a holiday in the law's calendar.
    assert dossier_row(store, code).due_at == dt.datetime(2026, 11, 27, 10, 0)
    friday = dt.date(2026, 11, 20)
    with store.read() as session:
        then = compute_tally(session, UNIT_CODE, friday, friday, clock.at).total
        later = clock.at + dt.timedelta(minutes=1)
        now = compute_tally(session, UNIT_CODE, later.date(), later.date(), later).total
    assert (then.in_progress_overdue, then.in_progress_not_due) == (1, 0)
    assert (now.in_progress_overdue, now.in_progress_not_due, now.overdue_now) == (0, 1, 0)


def test_an_apology_reprinted_after_a_supplement_says_what_it_said_then(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str, tmp_path: Path
) -> None:
    # Decree 297/2025 art. 6(4)(a) moved the appointment after the apology was written.
    DossierService(store, clock).extend(code, dt.datetime(2026, 11, 20, 9, 0), "Xác minh", clerk)
    supplemented(store, clock, clerk, code)
    letter = printed(store, "extension", code, tmp_path)
    assert "ngày 16 tháng 11 năm 2026" in letter
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 19/11/2026" in letter
    assert "09 giờ 00 phút, ngày 20/11/2026" in letter


def test_a_dossier_written_without_its_first_appointment_keeps_its_appointment(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    """Rows written in bulk (the benchmarks) have only due_at; an event must not erase it."""
    with store.write() as session:
        session.execute(update(Dossier).values(first_due_at=None))
    DossierService(store, clock).record(code, "processing_started", clerk)
    dossier = dossier_row(store, code)
    assert (dossier.due_at, dossier.first_due_at) == (FIRST_DUE, FIRST_DUE)
