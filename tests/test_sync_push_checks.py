"""The province believes nothing a counter pushes that it can check (issue 14, points 1-2).

Each case is a counter whose outbox holds what a damaged or forged counter
would send, pushed to the real server over loopback HTTP, on SQLite and (with
PROVINCE_TEST_DATABASE_URL) on PostgreSQL. A bad mutation is refused alone,
with a reason; everything else in the batch lands, and the units that see the
dossier keep syncing.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text

from counter_app import sync_apply, sync_outbox
from counter_app.auth import Role, StaffIdentity
from counter_app.fees import CASH, RECEPTION, FeeInput, FeeService
from counter_app.lifecycle import Status
from counter_app.models import Dossier, DossierEvent, OutboxEntry, SetAsideChange
from counter_app.reception import ReceptionRequest, ReceptionService
from sync.server import admin
from sync.server.models import ChangeRow, ServerDossier, ServerEvent, ServerFeePayment
from tests.support.counter_store import applicant
from tests.support.counters import (
    BIRTH_REGISTRATION,
    OTHER_UNIT,
    Counter,
    CounterFactory,
    fast_policy,
)
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

Payload = dict[str, Any]


def tamper(counter: Counter, code: str, change: Callable[[Payload], None], op: str = "") -> None:
    """Rewrite the newest outbox entry of dossier ``code`` (of operation ``op``, if given)."""
    with counter.store.write() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == code))
        query = select(OutboxEntry).where(OutboxEntry.entity_id == dossier_id)
        if op:
            query = query.where(OutboxEntry.operation == op)
        entry = session.scalars(query.order_by(OutboxEntry.id.desc())).first()
        assert entry is not None
        payload = copy.deepcopy(entry.payload)
        change(payload)
        entry.payload = payload


def codes_at(counter: Counter) -> set[str]:
    with counter.store.read() as session:
        return {c for c in session.scalars(select(Dossier.code)) if c}


def server_codes(province: ThreadedServer) -> set[str]:
    with province.database.read() as session:
        return set(session.scalars(select(ServerDossier.code)))


def reasons(counter: Counter) -> dict[str, str]:
    report = counter.sync()
    return {p.dossier_code or "": p.reason for p in report.problems}


def test_documents_sharing_an_id_are_refused_and_the_competent_unit_keeps_syncing(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    bad, good = a.receive(2, competent_unit_code=OTHER_UNIT)

    def share_an_id(payload: Payload) -> None:
        payload["documents"][1]["id"] = payload["documents"][0]["id"]

    tamper(a, bad.code, share_an_id)
    a.enrol(province)
    b.enrol(province)

    report = a.sync()

    assert (report.pushed, report.rejected) == (1, 1)
    [problem] = report.problems
    assert problem.dossier_code == bad.code
    assert "hai giấy tờ cùng mã" in problem.reason
    assert b.sync().dossiers_added == 1, "B's pull is not stopped by A's bad dossier"
    [later] = a.receive(1, competent_unit_code=OTHER_UNIT)
    a.sync()
    b.sync()
    assert codes_at(b) == {good.code, later.code}, "and B keeps receiving"


def test_ids_that_belong_to_another_dossier_are_refused(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    [first] = a.receive(1, competent_unit_code=OTHER_UNIT)
    a.enrol(province)
    b.enrol(province)
    a.sync()
    b.sync()
    with a.store.read() as session:
        taken = session.scalars(select(OutboxEntry.payload)).one()
    document_thief, event_thief, fine = a.receive(3, competent_unit_code=OTHER_UNIT)

    def take_document_id(payload: Payload) -> None:
        payload["documents"][0]["id"] = taken["documents"][0]["id"]

    def take_event_id(payload: Payload) -> None:
        payload["events"][0]["id"] = taken["events"][0]["id"]

    tamper(a, document_thief.code, take_document_id)
    tamper(a, event_thief.code, take_event_id)

    found = reasons(a)

    assert set(found) == {document_thief.code, event_thief.code}
    assert all("đã thuộc một hồ sơ khác" in reason for reason in found.values())
    assert server_codes(province) == {first.code, fine.code}
    b.sync()
    assert codes_at(b) == {first.code, fine.code}


def test_a_pulled_applicant_whose_id_names_another_person_here_is_not_mixed_with_them(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    [own] = b.receive(1)
    with b.store.read() as session:
        mai = session.scalars(select(Dossier).where(Dossier.code == own.code)).one().applicant
        mai_id, mai_cccd = mai.id, mai.cccd
    [pulled] = a.receive(1, competent_unit_code=OTHER_UNIT)

    def someone_else_with_mais_id(payload: Payload) -> None:
        payload["applicant"].update(id=mai_id, full_name="Lê Văn Nam", cccd="001090054321")

    tamper(a, pulled.code, someone_else_with_mais_id)
    a.enrol(province)
    b.enrol(province)
    a.sync()
    b.sync()

    with b.store.read() as session:
        people = {
            d.code: (d.applicant.full_name, d.applicant.cccd)
            for d in session.scalars(select(Dossier))
        }
    assert people == {
        own.code: ("Trần Thị Mai", mai_cccd),
        pulled.code: ("Lê Văn Nam", "001090054321"),
    }


def test_malformed_ids_are_refused(province: ThreadedServer, make_counter: CounterFactory) -> None:
    a = make_counter("a")
    bad_document, bad_key, fine = a.receive(3)
    tamper(a, bad_document.code, lambda p: p["documents"][0].update(id="giay-to-1"))
    with a.store.write() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == bad_key.code))
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == dossier_id))
        assert entry is not None
        entry.mutation_id = "lan-thu-nhat"
    a.enrol(province)

    found = reasons(a)

    assert set(found) == {bad_document.code, bad_key.code}
    assert "documents.0.id" in found[bad_document.code]
    assert "UUID" in found[bad_key.code]
    assert server_codes(province) == {fine.code}


def test_a_forged_status_is_not_believed(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    [receipt] = a.receive(1, competent_unit_code=OTHER_UNIT)
    tamper(a, receipt.code, lambda p: p["events"][0].update(status_after="hacked"))
    a.record(receipt.code, "withdrawn")
    tamper(a, receipt.code, lambda p: p.update(status_after="hacked"), op="append_event")
    a.enrol(province)
    b.enrol(province)

    assert a.sync().pushed == 2

    with province.database.read() as session:
        stored = list(session.scalars(select(ServerEvent.status_after).order_by(ServerEvent.at)))
    assert stored == [Status.RECEIVED, Status.WITHDRAWN], "derived from the kinds of event"
    b.sync()
    with b.store.read() as session:
        statuses = list(
            session.scalars(select(DossierEvent.status_after).order_by(DossierEvent.seq))
        )
        dossier = session.scalar(select(Dossier).where(Dossier.code == receipt.code))
        assert dossier is not None
        assert dossier.status == Status.WITHDRAWN
    assert statuses == [Status.RECEIVED, Status.WITHDRAWN]


def test_event_data_is_checked_per_kind(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    extended, supplement, overpaid, fine = a.receive(4)
    # The dossiers fall due today, past the apology's last day: a supervisor allows it.
    supervisor = StaffIdentity("hung.pq", "Phạm Quốc Hùng", Role.SUPERVISOR, a.clerk.unit_code)
    a.dossiers.extend(
        extended.code, dt.datetime(2026, 12, 30, 17), "Chờ xác minh", supervisor, "Cần xác minh"
    )
    tamper(
        a, extended.code, lambda p: p["data"].update(new_due_at="thứ ba tuần sau"), "append_event"
    )
    a.dossiers.request_supplement(supplement.code, ["Giấy chứng sinh"], "Thiếu", a.clerk)
    tamper(a, supplement.code, lambda p: p["data"].update(items="Giấy chứng sinh"), "append_event")
    taken = FeeService(a.store, a.clock).collect(
        overpaid.code, FeeInput(CASH, amount_vnd=8_000), RECEPTION, a.clerk
    )
    with a.store.write() as session:
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == taken.id))
        assert entry is not None
        entry.payload = {**entry.payload, "amount_vnd": 10**30}
    a.enrol(province)

    report = a.sync()

    found = {p.dossier_code: p.reason for p in report.problems}
    assert set(found) == {extended.code, supplement.code, overpaid.code}
    assert "new_due_at" in found[extended.code]
    assert "items" in found[supplement.code]
    assert "amount_vnd" in found[overpaid.code]
    with province.database.read() as session:
        assert session.scalar(select(func.count()).select_from(ServerFeePayment)) == 0
        kinds = set(session.scalars(select(ServerEvent.kind)))
    assert kinds == {"received"}, "only the four receptions were stored"
    assert server_codes(province) == {extended.code, supplement.code, overpaid.code, fine.code}


def test_an_overlong_username_or_a_nul_refuses_one_dossier_and_the_other_six_land(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    # A counter of an older version let an administrator create this account.
    long_name = "nguyen.thi.lan.phong.tiep.nhan.va.tra.ket.qua.phuong.hac.thanh.sang"
    assert len(long_name) == 67
    clerk = StaffIdentity(long_name, "Nguyễn Thị Lan", Role.CLERK, a.unit_code)
    request = ReceptionRequest(
        procedure_code=BIRTH_REGISTRATION, applicant=applicant(), documents=a.checklist()
    )
    by_long_name = ReceptionService(a.store, a.clock).receive(request, clerk)
    with_nul, *ordinary = a.receive(7)
    tamper(a, with_nul.code, lambda p: p["applicant"].update(full_name="Trần Thị\x00 Mai"))
    a.enrol(province)

    report = a.sync()

    assert (report.pushed, report.rejected) == (6, 2)
    found = {p.dossier_code: p.reason for p in report.problems}
    assert "dài quá 64 ký tự" in found[by_long_name.code]
    assert "NUL" in found[with_nul.code] and "applicant.full_name" in found[with_nul.code]
    assert server_codes(province) == {r.code for r in ordinary}


def test_a_database_error_in_one_mutation_is_answered_for_that_mutation_only(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    before, failing, after = a.receive(3)
    a.record(failing.code, "withdrawn")
    tamper(a, failing.code, lambda p: p["events"][0].update(note="boom"), op="receive")
    _fail_events_noted_boom(province)
    a.enrol(province)

    report = a.sync(policy=fast_policy(5.0))

    assert (report.pushed, report.rejected, report.waiting) == (2, 1, 1)
    [problem] = report.problems
    assert problem.dossier_code == failing.code
    assert "báo quản trị tỉnh" in problem.reason
    assert server_codes(province) == {before.code, after.code}
    with province.database.read() as session:
        assert session.scalar(select(func.count()).select_from(ServerEvent)) == 2


def _fail_events_noted_boom(province: ThreadedServer) -> None:
    """A trigger that fails inserting an event noted "boom": a database error no check foresaw."""
    with province.database.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER boom BEFORE INSERT ON dossier_event WHEN NEW.note = 'boom' "
                "BEGIN SELECT zeroblob(2000000000); END"
            )
            return
        connection.execute(
            text(
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN "
                "IF NEW.note = 'boom' THEN "
                "RAISE EXCEPTION 'boom' USING ERRCODE = 'data_exception'; "
                "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER boom BEFORE INSERT ON dossier_event "
                "FOR EACH ROW EXECUTE FUNCTION boom()"
            )
        )


def _plant(province: ThreadedServer, code: str, change: Callable[[Payload], None]) -> None:
    """Rewrite the pull body of ``code``'s reception, as a server before these checks kept it."""
    with province.database.write() as session:
        dossier_id = session.scalar(select(ServerDossier.id).where(ServerDossier.code == code))
        row = session.scalar(
            select(ChangeRow).where(ChangeRow.dossier_id == dossier_id, ChangeRow.kind == "dossier")
        )
        assert row is not None
        body = json.loads(row.body)
        change(body)
        row.body = json.dumps(body, ensure_ascii=False)


def test_a_pulled_change_the_counter_cannot_store_is_set_aside_and_the_pull_goes_on(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    shared, hacked, unreadable, fine = a.receive(4, competent_unit_code=OTHER_UNIT)
    a.enrol(province)
    b.enrol(province)
    assert a.sync().pushed == 4

    def share_an_id(body: Payload) -> None:
        documents = body["dossier"]["documents"]
        documents[1]["id"] = documents[0]["id"]

    _plant(province, shared.code, share_an_id)
    _plant(province, hacked.code, lambda b: b["dossier"]["events"][0].update(status_after="hacked"))
    _plant(province, unreadable.code, lambda b: b["dossier"]["events"][0].update(at="hôm qua"))

    report = b.sync()

    assert report.dossiers_added == 1 and report.set_aside == 3
    assert codes_at(b) == {fine.code}
    with b.store.read() as session:
        state = sync_outbox.state(session)
        cursor = sync_apply.cursor(session).value
    with province.database.read() as session:
        head = session.scalar(select(func.max(ChangeRow.seq)))
    assert cursor == head, "the cursor moved past what was set aside"
    pulled = [p for p in state.problems if p.operation == sync_outbox.PULLED]
    assert len(pulled) == 3
    found = " | ".join(p.reason for p in pulled)
    assert "hai giấy tờ cùng mã" in found and "'hacked'" in found and "đọc được" in found
    assert all(p.operation_label.startswith("Nhận thay đổi từ tỉnh") for p in pulled)
    told = admin.list_set_aside(province.database)
    assert {(r["unit_code"], r["kind"]) for r in told} == {(OTHER_UNIT, "dossier")}
    assert sorted(r["reason"] for r in told) == sorted(p.reason for p in pulled)

    again = b.sync()  # set aside, not failing for ever
    assert (again.set_aside, again.set_aside_stored) == (0, 0)
    assert len(admin.list_set_aside(province.database)) == 3, "each told once"
    [later] = a.receive(1, competent_unit_code=OTHER_UNIT)
    a.sync()
    assert b.sync().dossiers_added == 1
    assert codes_at(b) == {fine.code, later.code}

    # Each sync tries it again: once what it holds can be stored (here its status put
    # right in place), it is stored and leaves the list.
    with b.store.write() as session:
        rows = session.scalars(select(SetAsideChange).where(SetAsideChange.kind == "dossier"))
        for item in rows:
            if item.body["dossier"]["code"] == hacked.code:
                dossier = item.body["dossier"]
                events = [{**dossier["events"][0], "status_after": "received"}]
                item.body = {**item.body, "dossier": {**dossier, "events": events}}
    assert b.sync().set_aside_stored == 1
    assert codes_at(b) == {fine.code, later.code, hacked.code}
    with b.store.read() as session:
        left = [p for p in sync_outbox.state(session).problems if p.operation == "pull"]
    assert len(left) == 2


def test_changes_that_follow_a_set_aside_dossier_wait_with_it_and_are_not_lost(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    [hacked] = a.receive(1, competent_unit_code=OTHER_UNIT)
    a.enrol(province)
    b.enrol(province)
    a.sync()
    _plant(province, hacked.code, lambda b: b["dossier"]["events"][0].update(status_after="hacked"))
    assert b.sync().set_aside == 1
    # The province moves the dossier on while this counter holds it aside.
    admin.set_status(province.database, hacked.code, Status.IN_PROCESSING)

    report = b.sync()

    assert report.set_aside == 1, "the event waits with its dossier instead of being skipped"
    with b.store.write() as session:
        for item in session.scalars(select(SetAsideChange).where(SetAsideChange.kind == "dossier")):
            dossier = item.body["dossier"]
            events = [{**dossier["events"][0], "status_after": "received"}]
            item.body = {**item.body, "dossier": {**dossier, "events": events}}
    assert b.sync().set_aside_stored == 2
    with b.store.read() as session:
        status = session.scalar(select(Dossier.status).where(Dossier.code == hacked.code))
        left = session.scalar(select(func.count()).select_from(SetAsideChange))
    assert (status, left) == (Status.IN_PROCESSING, 0)


def test_a_pulled_event_whose_id_another_dossier_has_is_set_aside(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    b = make_counter("b", unit_code=OTHER_UNIT)
    started, other = a.receive(2, competent_unit_code=OTHER_UNIT)
    a.enrol(province)
    b.enrol(province)
    a.sync()
    b.sync()
    with b.store.read() as session:
        taken = session.scalars(
            select(DossierEvent.id).join(Dossier).where(Dossier.code == other.code)
        ).one()
    admin.set_status(province.database, started.code, Status.IN_PROCESSING)
    with province.database.write() as session:
        row = session.scalars(select(ChangeRow).where(ChangeRow.kind == "event")).one()
        body = json.loads(row.body)
        body["event"]["id"] = taken
        row.body = json.dumps(body)

    report = b.sync()

    assert report.set_aside == 1
    [problem] = [p for p in report.problems if p.operation == sync_outbox.PULLED]
    assert problem.dossier_code == started.code and "đã thuộc hồ sơ khác" in problem.reason
    with b.store.read() as session:
        statuses = {d.code: d.status for d in session.scalars(select(Dossier))}
    assert statuses == {started.code: Status.RECEIVED, other.code: Status.RECEIVED}


def test_a_channel_or_return_method_counters_do_not_know_is_refused(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    a = make_counter("a")
    teleported, fine = a.receive(2, competent_unit_code=OTHER_UNIT)
    tamper(a, teleported.code, lambda p: p.update(channel="teleport"))
    a.enrol(province)

    found = reasons(a)

    assert set(found) == {teleported.code}
    assert "channel" in found[teleported.code] and "'teleport'" in found[teleported.code]
    assert server_codes(province) == {fine.code}
