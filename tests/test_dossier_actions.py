"""The actions that print forms 02-05: each records its event, or names what is missing."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.errors import NotAllowed, ValidationError
from counter_app.lifecycle import Status
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.reception import request


@pytest.fixture
def code(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    return ReceptionService(store, clock).receive(request(store), clerk).code


def status_of(store: Store, code: str) -> str:
    with store.read() as session:
        return load_dossier_view(session, code).status


def test_supplement_then_supplied(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    service = DossierService(store, clock)
    with pytest.raises(ValidationError) as caught:
        service.request_supplement(code, [" "], "", clerk)
    assert set(caught.value.errors) == {"items", "reason"}
    done = service.request_supplement(
        code, ["Bản sao giấy chứng nhận kết hôn"], "Thiếu giấy tờ", clerk
    )
    assert done.status == Status.SUPPLEMENT_REQUESTED
    service.record(code, "supplement_received", clerk)
    assert status_of(store, code) == Status.RECEIVED


def test_extension_keeps_status_and_due_date(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    service = DossierService(store, clock)
    with store.read() as session:
        due = load_dossier_view(session, code).due_at
    # Same-day birth registration, so the apology is past its deadline (Lai Châu
    # 88/2025/QĐ-UBND): a supervisor's reason lets it through.
    clerk = StaffIdentity("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR, clerk.unit_code)
    with pytest.raises(ValidationError, match="Ngày hẹn mới phải sau"):
        service.extend(code, due, "Cần xác minh", clerk)
    service.extend(code, due + dt.timedelta(days=3), "Cần xác minh thêm", clerk, "Xác minh")
    with store.read() as session:
        view = load_dossier_view(session, code)
    assert view.status == Status.RECEIVED and view.due_at == due
    assert view.events[-1].label == "Xin lỗi, hẹn lại ngày trả"


def test_refusal_and_stop_close_the_dossier(
    store: Store, clock: FixedClock, clerk: StaffIdentity, code: str
) -> None:
    service = DossierService(store, clock)
    with pytest.raises(ValidationError, match="từ chối"):
        service.refuse(code, "  ", clerk)
    service.stop(code, "Người nộp đề nghị dừng", clerk)
    assert status_of(store, code) == Status.STOPPED
    with pytest.raises(NotAllowed, match="Dừng giải quyết"):
        service.refuse(code, "Không đủ điều kiện", clerk)
