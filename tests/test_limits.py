"""Lengths are the same on both ends and refused where the value is typed (issue 14, point 2).

The province refuses a push whose text is longer than its column; the counter
must refuse the same text when the clerk or the administrator types it, with a
message naming the field, so that nothing it stores can be refused later.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import String, select

from counter_app import auth, limits
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossiers import DossierService
from counter_app.errors import ValidationError
from counter_app.models import Applicant, DossierEvent, StaffUser
from counter_app.reception import ReceptionService
from counter_app.store import Store
from sync import protocol
from sync.server.models import ServerEvent, ServerFeePayment
from tests.support.admin_screen import admin_services, usernames
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, applicant
from tests.support.reception import request
from tests.support.returns import receive
from ui.admin_screen import AdminScreen

LONG_USERNAME = "nguyen.thi.lan.phong.tiep.nhan.va.tra.ket.qua.phuong.hac.thanh.sang"


def column_length(column: object) -> int | None:
    kind = getattr(column, "type", None)
    return kind.length if isinstance(kind, String) else None


def test_one_definition_of_each_limit_serves_both_ends() -> None:
    actor = protocol.EventData.model_fields["actor"].metadata
    assert {
        column_length(StaffUser.__table__.c.username),
        column_length(DossierEvent.__table__.c.actor),
        column_length(ServerEvent.__table__.c.actor),
        column_length(ServerFeePayment.__table__.c.collected_by),
        next(m.max_length for m in actor if getattr(m, "max_length", None)),
    } == {limits.USERNAME}
    name = protocol.ApplicantData.model_fields["full_name"].metadata
    assert column_length(Applicant.__table__.c.full_name) == limits.PERSON_NAME
    assert next(m.max_length for m in name if getattr(m, "max_length", None)) == limits.PERSON_NAME


def test_a_username_longer_than_the_province_stores_is_refused_when_typed(
    store: Store,
) -> None:
    assert len(LONG_USERNAME) == limits.USERNAME + 3
    with store.write() as session, pytest.raises(ValidationError) as refused:
        auth.add_user(
            session,
            username=LONG_USERNAME,
            full_name="Nguyễn Thị Lan",
            role="clerk",
            password="mat-khau-lan",
            unit_code=UNIT_CODE,
            at=MONDAY_MORNING,
        )
    assert "quá giới hạn 64 ký tự" in refused.value.errors["username"]
    with store.write() as session:
        auth.add_user(
            session,
            username=LONG_USERNAME[: limits.USERNAME],
            full_name="Nguyễn Thị Lan",
            role="clerk",
            password="mat-khau-lan",
            unit_code=UNIT_CODE,
            at=MONDAY_MORNING,
        )


def test_the_user_admin_screen_says_so_and_keeps_what_was_typed(
    qtbot: QtBot, store: Store, clock: FixedClock
) -> None:
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    qtbot.keyClicks(screen.username, LONG_USERNAME)
    screen.full_name.setText("Nguyễn Thị Lan")
    qtbot.keyClicks(screen.password, "mat-khau-lan")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    screen.services.runner.wait()
    assert "Tên đăng nhập dài 67 ký tự" in screen.user_errors["username"].text()
    assert screen.username.text() == LONG_USERNAME, "nothing typed is lost"
    assert usernames(screen) == ["admin"]


def test_reception_refuses_a_name_or_address_too_long_and_drops_a_nul(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    too_long = applicant(full_name="Trần Thị Mai " * 20, address="Số 12 đường Lê Lợi " * 30)
    with pytest.raises(ValidationError) as refused:
        ReceptionService(store, clock).receive(request(store, applicant=too_long), clerk)
    assert "quá giới hạn 255 ký tự" in refused.value.errors["full_name"]
    assert "quá giới hạn 500 ký tự" in refused.value.errors["address"]

    receive(store, clock, clerk, applicant=applicant(full_name="Trần Thị\x00 Mai"))
    with store.read() as session:
        assert session.scalars(select(Applicant.full_name)).all() == ["Trần Thị Mai"]


def test_a_reason_longer_than_the_province_stores_is_refused(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = receive(store, clock, clerk)
    service = DossierService(store, clock)
    with pytest.raises(ValidationError) as refused:
        service.refuse(code, "Thiếu giấy tờ. " * 200, clerk)
    assert "quá giới hạn 2000 ký tự" in refused.value.errors["reason"]
    with pytest.raises(ValidationError) as refused:
        service.request_supplement(code, ["Giấy chứng sinh"] * 101, "Thiếu", clerk)
    assert "100" in refused.value.errors["items"]


def test_a_supplements_new_appointment_is_checked_like_the_apologys() -> None:
    # Decree 297/2025 art. 6(4)(a): the appointment a supplement restarts becomes the
    # dossier's due date on every counter that pulls it, so the province checks it.
    from counter_app.event_data import event_data_error

    assert event_data_error("supplement_received", {"due_at": "2026-12-08T17:00:00"}) is None
    ok = {"due_at": "2026-12-08T17:00:00", "previous_due_at": None}
    assert event_data_error("supplement_received", ok) is None
    assert "due_at" in (event_data_error("supplement_received", {"due_at": "thứ ba"}) or "")
    aware = {"due_at": "2026-12-08T17:00:00+07:00"}
    assert "múi giờ" in (event_data_error("supplement_received", aware) or "")
