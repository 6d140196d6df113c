"""The read model behind the detail screen and the printed forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.errors import NotFound
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.conftest import UNIT_CODE, UNIT_NAME
from tests.test_reception import request


def test_view_carries_what_the_forms_print(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    first = service.receive(request(store), clerk)
    clock.advance(days=1)
    second = service.receive(request(store), clerk)
    DossierService(store, clock).record(second.code, "processing_started", clerk, note="Chuyển")
    with store.read() as session:
        view = load_dossier_view(session, second.code.lower())
        earlier = load_dossier_view(session, first.code)
    assert view.code == second.code
    assert view.receiving_unit.name == UNIT_NAME and view.competent_unit.code == UNIT_CODE
    assert not view.boundary_free
    assert view.procedure_name == "Đăng ký khai sinh"
    assert view.applicant.full_name == "Trần Thị Mai"
    assert view.received_at == dt.datetime(2026, 11, 17, 9, 0)
    assert all(line.received for line in view.documents)
    assert [e.label for e in view.events] == ["Tiếp nhận hồ sơ", "Chuyển xử lý"]
    assert view.status_label == "Đang giải quyết"
    assert (earlier.book_volume, earlier.book_entry) == ("2026/Q1", 1)
    assert (view.book_volume, view.book_entry) == ("2026/Q1", 2)


def test_unknown_code_is_not_found(store: Store) -> None:
    with (
        store.read() as session,
        pytest.raises(NotFound, match=re.escape("000.00.11.H57-261116-1999")),
    ):
        load_dossier_view(session, "000.00.11.H57-261116-1999")
