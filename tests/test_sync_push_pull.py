"""Push and pull against the real provincial server over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from sqlalchemy import func, select

from counter_app.applicants import RepresentativeInput
from counter_app.auth import Role, StaffIdentity
from counter_app.dossier_view import load_dossier_view
from counter_app.lifecycle import Status
from counter_app.models import Dossier, DossierEvent, OutboxEntry, new_id
from counter_app.reception import ReceptionRequest
from counter_app.sync_outbox import SENT
from sync import protocol
from sync.client.engine import utc_now
from sync.server import admin
from sync.server.models import AppliedMutation, ChangeRow, ServerDossier, ServerEvent
from tests.support.counter_store import applicant
from tests.support.counters import OTHER_UNIT, Counter, CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]


def server_counts(province: ThreadedServer) -> dict[str, int]:
    with province.database.read() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (ServerDossier, ServerEvent, ChangeRow, AppliedMutation)
        }


def local_codes(counter: Counter) -> set[str]:
    with counter.store.read() as session:
        return {c for c in session.scalars(select(Dossier.code)) if c}


def test_health_and_openapi_are_served(province: ThreadedServer) -> None:
    health = requests.get(f"{province.url}/api/v1/health", timeout=5)
    assert health.status_code == 200
    body = protocol.Health.model_validate(health.json())
    assert body.server_epoch == province.database.epoch()
    spec = requests.get(f"{province.url}/api/v1/openapi.json", timeout=5).json()
    for name in ("health", "enrol", "push", "changes", "catalog", "holidays", "blobs/{sha256}"):
        assert f"/api/v1/{name}" in spec["paths"]


def test_enrolment_code_is_one_time_and_bound_to_its_slot(province: ThreadedServer) -> None:
    code = admin.enrol(province.database, unit_code="000.00.11.H57", unit_name="X", slot=2)
    request: dict[str, Any] = {
        "code": code.lower().replace("-", " "),  # read over the phone, typed loosely
        "unit_code": "000.00.11.H57",
        "device_slot": 3,
        "device_id": "d-1",
    }
    wrong_slot = requests.post(f"{province.url}/api/v1/enrol", json=request, timeout=5)
    assert wrong_slot.status_code == 400
    assert "máy số 2" in wrong_slot.json()["message"]
    request["device_slot"] = 2
    first = requests.post(f"{province.url}/api/v1/enrol", json=request, timeout=5)
    assert first.status_code == 200, first.text
    other_device = requests.post(
        f"{province.url}/api/v1/enrol", json={**request, "device_id": "d-2"}, timeout=5
    )
    assert other_device.status_code == 400, "the code is spent for every other device"
    assert other_device.json()["code"] == protocol.ERR_BAD_ENROLMENT
    # The same device asking again (its answer lost on the way) gets a new token.
    again = requests.post(f"{province.url}/api/v1/enrol", json=request, timeout=5)
    assert again.status_code == 200, again.text
    lost = first.json()["device_token"]
    token = again.json()["device_token"]
    assert token != lost
    void = requests.get(
        f"{province.url}/api/v1/changes", headers={"Authorization": f"Bearer {lost}"}, timeout=5
    )
    assert void.status_code == 401, "the token of the lost answer is void"
    changes = requests.get(
        f"{province.url}/api/v1/changes", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert changes.status_code == 200
    forged = requests.get(
        f"{province.url}/api/v1/changes", headers={"Authorization": "Bearer nope"}, timeout=5
    )
    assert forged.status_code == 401
    assert forged.json()["code"] == protocol.ERR_UNKNOWN_TOKEN


def test_two_counters_offline_for_a_day_sync_to_exactly_the_union(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    # A whole day offline: both receive, and record what happens at their desks.
    a_receipts = first.receive(12)
    b_receipts = second.receive(9)
    first.record(a_receipts[0].code, "withdrawn")
    second.record(b_receipts[-1].code, "supplement_requested")
    second.record(b_receipts[-1].code, "supplement_received")
    first.enrol(province)
    second.enrol(province)

    report_a = first.sync()
    report_b = second.sync()
    assert (report_a.pushed, report_b.pushed) == (13, 11)
    assert report_a.complete and report_b.complete
    first.sync()  # picks up what the second counter sent after the first's pull

    expected = {r.code for r in a_receipts + b_receipts}
    rows = admin.list_dossiers(province.database)
    assert [r["code"] for r in rows] == sorted(expected), "exactly the union, each once"
    assert server_counts(province)["dossier_event"] == 21 + 1 + 2
    statuses = {r["code"]: r["status"] for r in rows}
    assert statuses[a_receipts[0].code] == Status.WITHDRAWN
    assert statuses[b_receipts[-1].code] == Status.RECEIVED
    for counter in (first, second):
        assert local_codes(counter) == expected, "each counter sees the whole unit"
        with counter.store.read() as session:
            assert session.scalar(select(func.count()).select_from(DossierEvent)) == 24
            unnumbered = select(func.count()).where(DossierEvent.server_seq.is_(None))
            assert session.scalar(unnumbered) == 0
            withdrawn = session.scalar(select(Dossier).where(Dossier.code == a_receipts[0].code))
            assert withdrawn is not None and withdrawn.status == Status.WITHDRAWN


def test_the_same_push_replayed_is_answered_duplicate_and_changes_nothing(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.receive(4)
    counter.enrol(province)
    counter.sync()
    before = server_counts(province)
    with counter.store.read() as session:
        entries = session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
        assert {e.state for e in entries} == {SENT}
        mutations = [
            protocol.Mutation(
                mutation_id=e.mutation_id,
                entity=e.entity,
                entity_id=e.entity_id,
                operation=e.operation,
                payload=e.payload,
            ).model_dump(mode="json")
            for e in entries
        ]
        numbers = {e.dossier_id: e.server_seq for e in session.scalars(select(DossierEvent))}
    with counter.connection() as connection:
        for _ in range(2):
            answer = connection.call("POST", "push", json={"mutations": mutations + mutations})
            results = protocol.PushResponse.model_validate_json(answer.content).results
            assert [r.outcome for r in results] == ["duplicate"] * 8
            assert [r.server_seq for r in results[:4]] == [
                numbers[m["entity_id"]] for m in mutations
            ], "a duplicate gets the very answer the first push got"
    assert server_counts(province) == before
    again = counter.sync()
    assert (again.pushed, again.pulled) == (0, 0)


def test_a_rejected_change_holds_back_only_its_own_dossier(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    stale, other = counter.receive(2)
    counter.enrol(province)
    counter.sync()
    # The province refuses the dossier while the counter, not yet told, asks for a supplement.
    admin.set_status(province.database, stale.code, Status.REJECTED)
    counter.record(stale.code, "supplement_requested")
    counter.record(stale.code, "supplement_received")
    counter.record(other.code, "withdrawn")
    [fresh] = counter.receive(1)

    report = counter.sync()

    assert report.rejected == 1
    assert report.pushed == 2, "the other dossier's change and the new dossier went through"
    assert not report.complete
    assert report.waiting == 1, "the stale dossier's next change waits behind the refused one"
    [problem] = report.problems
    assert problem.dossier_code == stale.code
    assert "Từ chối" in problem.reason and "supplement_requested" in problem.reason
    statuses = {r["code"]: r["status"] for r in admin.list_dossiers(province.database)}
    assert statuses == {
        stale.code: Status.REJECTED,
        other.code: Status.WITHDRAWN,
        fresh.code: Status.RECEIVED,
    }
    with counter.store.read() as session:
        local = session.scalar(select(Dossier).where(Dossier.code == stale.code))
        assert local is not None
        assert local.status == Status.REJECTED, "the clerk sees the province's word"


def test_a_device_cannot_write_another_units_dossier(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    ours = make_counter("a")
    theirs = make_counter("b", unit_code=OTHER_UNIT)
    [receipt] = ours.receive(1)
    ours.enrol(province)
    theirs.enrol(province)
    ours.sync()
    with ours.store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == receipt.code))
        assert dossier_id is not None
        event = {
            "id": new_id(),
            "dossier_id": dossier_id,
            "kind": "withdrawn",
            "status_after": "withdrawn",
            "at": "2026-11-16T10:00:00",
            "actor": "mallory",
            "unit_code": OTHER_UNIT,
        }
        receive_payload = session.scalars(select(OutboxEntry.payload)).one()
    forged_id = new_id()
    forged_receive = {**receive_payload, "id": forged_id, "code": receipt.code + "9"}
    mutations = [
        {"mutation_id": new_id(), "entity": "dossier_event", "entity_id": dossier_id,
         "operation": "append_event", "payload": event},
        {"mutation_id": new_id(), "entity": "dossier", "entity_id": forged_id,
         "operation": "receive", "payload": forged_receive},
    ]  # fmt: skip
    with theirs.connection() as connection:
        answer = connection.call("POST", "push", json={"mutations": mutations})
    results = protocol.PushResponse.model_validate_json(answer.content).results
    assert [(r.outcome, r.reason_code) for r in results] == [
        ("rejected", "wrong_unit"),
        ("rejected", "wrong_unit"),
    ]
    assert theirs.sync().pulled == 0, "another unit's own dossiers are not visible"
    assert local_codes(theirs) == set()


def test_a_counter_clock_off_from_the_servers_is_warned_about(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    with counter.connection() as connection:
        on_time = counter.engine(connection).run_once()
        fast = counter.engine(connection, utc_clock=lambda: utc_now() + dt.timedelta(minutes=12))
        skewed = fast.run_once()
    assert not on_time.warnings
    assert on_time.clock_skew is not None and abs(on_time.clock_skew) < dt.timedelta(seconds=5)
    [warning] = skewed.warnings
    assert "nhanh hơn máy chủ tỉnh khoảng 12 phút" in warning
    assert skewed.complete, "a warning, not a failure: the counter keeps working"


def test_a_new_server_epoch_makes_the_counter_resend_and_repull(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    receipts = counter.receive(3)
    counter.enrol(province)
    counter.sync()
    province.database.new_epoch()  # what `province-server epoch new` does after a restore

    report = counter.sync()

    assert report.full_resync
    assert (report.pushed, report.duplicates, report.pulled) == (0, 3, 3)
    assert local_codes(counter) == {r.code for r in receipts}
    with counter.store.read() as session:
        assert session.scalar(select(func.count()).where(DossierEvent.server_seq.is_(None))) == 0


def test_a_pulled_supplement_and_apology_move_the_appointments_as_where_recorded(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    # Decree 297/2025 art. 6(4)(a): the clock restarts at the supplement, on every counter.
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    (receipt,) = first.receive(1)
    first.enrol(province)
    second.enrol(province)
    first.sync()
    second.sync()  # the second counter knows the dossier with its first appointment
    first.record(receipt.code, "supplement_requested")
    first.clock.advance(days=1)  # Tuesday: birth registration is then due Tuesday 17:00
    first.record(receipt.code, "supplement_received")
    boss = StaffIdentity("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR, first.unit_code)
    promised = receipt.due_at + dt.timedelta(days=4)
    first.dossiers.extend(receipt.code, promised, "Cần xác minh", boss, "Chờ xác minh")
    third = make_counter("c", slot=3)  # one that first meets the dossier with all its events
    third.enrol(province)
    first.sync()
    second.sync()
    third.sync()

    def appointments(counter: Counter) -> tuple[Any, ...]:
        with counter.store.read() as session:
            dossier = session.scalar(select(Dossier).where(Dossier.code == receipt.code))
            assert dossier is not None
            return dossier.first_due_at, dossier.due_at, dossier.extended_due_at

    recorded = appointments(first)
    assert recorded == (receipt.due_at, dt.datetime(2026, 11, 17, 17, 0), promised)
    assert appointments(second) == recorded
    assert appointments(third) == recorded

    # Pulled on its own, a later supplement carries on from the appointments stored here:
    # its new appointment replaces the apology's, which the citizen no longer holds.
    first.record(receipt.code, "supplement_requested")
    first.clock.advance(days=1)
    first.record(receipt.code, "supplement_received")
    first.sync()
    second.sync()
    again = appointments(first)
    assert again[0] == receipt.due_at and again[1] > recorded[1] and again[2] is None
    assert appointments(second) == again


def test_the_representative_travels_with_the_dossier_to_the_other_counters(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    # MOH 3621/QĐ-BYT: forms 01 and 03 print the representative, on whichever counter prints.
    first, second = make_counter("a", slot=1), make_counter("b", slot=2)
    request = ReceptionRequest(
        procedure_code="1.001193",
        applicant=applicant(),
        documents=first.checklist(),
        representative=RepresentativeInput("Lê Văn Hùng", "001085004321", "Chồng"),
    )
    receipt = first.reception.receive(request, first.clerk)
    first.enrol(province)
    second.enrol(province)
    first.sync()
    second.sync()
    with second.store.read() as session:
        agent = load_dossier_view(session, receipt.code).representative
    assert agent is not None
    assert (agent.full_name, agent.cccd, agent.relation) == ("Lê Văn Hùng", "001085004321", "Chồng")
