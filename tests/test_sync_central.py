"""What the province decides reaches the counters: statuses, the catalog, the calendar,
and boundary-free dossiers reach their competent unit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from counter_app import sync_apply
from counter_app.calendar_source import CalendarSource
from counter_app.installation import seed_catalog_text
from counter_app.lifecycle import Status
from counter_app.models import CalendarDay, Dossier, DossierEvent, Procedure, new_id
from counter_app.sync_apply import apply_changes
from sync import protocol
from sync.server import admin
from sync.server import cli as server_cli
from sync.server.models import ServerUnit
from tests.support.counter_store import UNIT_CODE
from tests.support.counters import OTHER_UNIT, Counter, CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

THIRD_UNIT = "000.00.13.H57"


def events_of(counter: Counter, code: str) -> list[tuple[str, str, int | None]]:
    with counter.store.read() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        assert dossier is not None, f"{code} is not at this counter"
        return [(e.kind, e.status_after, e.server_seq) for e in dossier.events]


def status_of(counter: Counter, code: str) -> str:
    with counter.store.read() as session:
        status = session.scalar(select(Dossier.status).where(Dossier.code == code))
        assert status is not None
        return status


def test_a_status_set_centrally_appears_at_the_counter_as_an_event(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    counter.enrol(province)
    counter.sync()
    admin.set_status(province.database, receipt.code, Status.IN_PROCESSING)
    admin.set_status(province.database, receipt.code, Status.RESULT_READY, note="Đã ký")

    report = counter.sync()

    assert report.pulled == 2
    history = events_of(counter, receipt.code)
    assert [(kind, status) for kind, status, _ in history] == [
        ("received", "received"),
        ("processing_started", "in_processing"),
        ("result_ready", "result_ready"),
    ]
    numbers = [seq for _, _, seq in history if seq is not None]
    assert len(numbers) == 3 and numbers == sorted(numbers), "ordered by the server's sequence"
    assert status_of(counter, receipt.code) == Status.RESULT_READY
    # The result goes back to the citizen at the counter, and the province hears of it.
    counter.record(receipt.code, "returned")
    counter.sync()
    [row] = admin.list_dossiers(province.database)
    assert row["status"] == Status.RETURNED


def test_a_pull_never_overwrites_a_status_with_a_local_change_pending(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    counter.enrol(province)
    counter.sync()
    admin.set_status(province.database, receipt.code, Status.IN_PROCESSING)
    counter.record(receipt.code, "withdrawn")  # the citizen withdraws, not yet pushed
    with counter.connection() as connection:
        page = protocol.PullResponse.model_validate_json(
            connection.call("GET", "changes", params={"since": 0}).content
        )
    with counter.store.write() as session:
        apply_changes(
            session,
            [c.model_dump() for c in page.changes],
            next_cursor=page.next_cursor,
            epoch=page.server_epoch,
            at=counter.clock.now(),
        )
    assert status_of(counter, receipt.code) == Status.WITHDRAWN, "the clerk's deed stands"
    assert [k for k, _, _ in events_of(counter, receipt.code)][-1] == "processing_started"
    counter.sync()
    assert status_of(counter, receipt.code) == Status.WITHDRAWN
    [row] = admin.list_dossiers(province.database)
    assert row["status"] == Status.WITHDRAWN


def test_catalog_and_holidays_are_snapshots_that_replace_the_local_ones(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    catalog = json.loads(seed_catalog_text())
    catalog["version"] = "2026.12.1"
    dropped = catalog["procedures"].pop()["code"]
    renamed = catalog["procedures"][0]
    renamed["name"] = "Tên mới của thủ tục"
    admin.publish_catalog(province.database, catalog)
    tuesday = dt.date(2026, 11, 17)
    admin.publish_holidays(
        province.database,
        {"version": "2026", "days": [{"day": str(tuesday), "kind": "day_off", "name": "Nghỉ bù"}]},
    )
    before = counter.reception.appointment("1.001653")  # five working days

    report = counter.sync()

    assert report.catalog_version == "2026.12.1" and report.holidays_updated
    with counter.store.read() as session:
        procedure = session.get(Procedure, renamed["code"])
        assert procedure is not None and procedure.name == "Tên mới của thủ tục"
        gone = session.get(Procedure, dropped)
        assert gone is not None and not gone.active
        assert session.get(CalendarDay, tuesday) is not None
        calendar = CalendarSource().get(session)
        assert not calendar.is_working_day(tuesday)
    assert counter.reception.appointment("1.001653") > before, "the day off moves the date"

    unchanged = counter.sync()
    assert unchanged.catalog_version is None and not unchanged.holidays_updated, "ETag: 304"
    with counter.connection() as connection:
        etag = connection.call("GET", "catalog").headers["ETag"]
        again = connection.call("GET", "catalog", ok=(304,), headers={"If-None-Match": etag})
        assert again.status_code == 304

    admin.publish_holidays(province.database, {"version": "2026b", "days": []})
    assert counter.sync().holidays_updated
    with counter.store.read() as session:
        assert session.get(CalendarDay, tuesday) is None, "withdrawn by the province"


def test_boundary_free_dossier_reaches_its_competent_unit_and_returns_where_received(
    province: ThreadedServer, make_counter: CounterFactory, tmp_path: Path
) -> None:
    receiving = make_counter("a")
    competent = make_counter("b", unit_code=OTHER_UNIT)
    [ours] = receiving.receive(1)
    [theirs] = receiving.receive(1, competent_unit_code=OTHER_UNIT)
    [own_at_b] = competent.receive(1)
    for counter in (receiving, competent):
        counter.enrol(province)
        counter.sync()
    competent.sync()

    with competent.store.read() as session:
        codes = set(session.scalars(select(Dossier.code)))
        dossier = session.scalar(select(Dossier).where(Dossier.code == theirs.code))
        assert dossier is not None
        assert (dossier.receiving_unit_code, dossier.competent_unit_code) == (UNIT_CODE, OTHER_UNIT)
        assert dossier.applicant.full_name == "Trần Thị Mai"
        assert len(dossier.documents) == len(receiving.checklist())
        assert all(d.requirement_id is not None for d in dossier.documents)
    assert codes == {theirs.code, own_at_b.code}, "B sees A's dossier for B, not A's own"

    admin.set_status(province.database, theirs.code, Status.RESULT_READY)
    receiving.sync()
    competent.sync()
    assert status_of(competent, theirs.code) == Status.RESULT_READY
    receiving.record(theirs.code, "returned")  # the citizen collects it where they filed
    receiving.sync()
    competent.sync()
    assert status_of(competent, theirs.code) == Status.RETURNED
    kinds = [k for k, _, _ in events_of(competent, theirs.code)]
    assert kinds == ["received", "result_ready", "returned"]

    # Visible is not writable: the competent unit's counter cannot rewrite the reception.
    with competent.store.read() as session:
        event = session.scalar(
            select(DossierEvent).join(Dossier).where(Dossier.code == theirs.code)
        )
        assert event is not None
        payload = {
            "id": new_id(),
            "dossier_id": event.dossier_id,
            "kind": "withdrawn",
            "status_after": "withdrawn",
            "at": "2026-11-16T10:00:00",
            "actor": "b",
            "unit_code": OTHER_UNIT,
        }
    mutation = {
        "mutation_id": new_id(),
        "entity": "dossier_event",
        "entity_id": payload["dossier_id"],
        "operation": "append_event",
        "payload": payload,
    }
    with competent.connection() as connection:
        answer = connection.call("POST", "push", json={"mutations": [mutation]})
    [result] = protocol.PushResponse.model_validate_json(answer.content).results
    assert (result.outcome, result.reason_code) == ("rejected", "wrong_unit")
    assert ours.code not in codes


def test_the_provinces_units_reach_the_counter_so_any_can_be_named_competent(
    province: ThreadedServer, make_counter: CounterFactory, tmp_path: Path
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    units = tmp_path / "units.json"
    units.write_text(
        json.dumps(
            {
                "schema": "ward-counter.units/1",
                "units": [
                    {"code": THIRD_UNIT, "name": "UBND xã Đông Tiến"},
                    {"code": OTHER_UNIT, "name": "UBND phường Quảng Phú (mới)"},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    url = province.database_url
    assert server_cli.main(["units", "publish", str(units), "--database-url", url]) == 0

    report = counter.sync()

    assert report.units_added == 1
    offered = dict(counter.reception.units())
    assert offered[THIRD_UNIT] == "UBND xã Đông Tiến"
    assert offered[OTHER_UNIT] == "UBND phường Quảng Phú (mới)", "the province's name wins"
    assert next(iter(offered)) == UNIT_CODE, "the counter's own unit first"
    [receipt] = counter.receive(1, competent_unit_code=THIRD_UNIT)
    assert counter.sync().complete
    [listed] = admin.list_dossiers(province.database)
    assert (listed["code"], listed["competent_unit"]) == (receipt.code, THIRD_UNIT)
    assert counter.sync().units_added == 0


def test_a_units_file_with_a_bad_code_or_a_repeated_unit_is_refused(
    province: ThreadedServer,
) -> None:
    good = {"code": THIRD_UNIT, "name": "UBND xã Đông Tiến"}
    for units, said in (
        ([good, good], "hai lần"),
        ([{"code": "H57", "name": "Xã Sai Mã"}], "Xã Sai Mã"),
        ([{"code": THIRD_UNIT, "name": ""}], "không hợp lệ"),
    ):
        with pytest.raises(admin.AdminError, match=said):
            admin.publish_units(province.database, {"units": units})
    with province.database.read() as session:
        assert session.get(ServerUnit, THIRD_UNIT) is None, "nothing half published"


def test_pulled_events_are_stored_exactly_as_the_orm_stores_them(
    make_counter: CounterFactory,
) -> None:
    """The pull's own executemany binds dates and JSON with the columns' own processors."""
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    store = counter.store
    with store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == receipt.code))
    moments = [
        dt.datetime(2026, 11, 16, 9, 30, 15, 250),
        dt.datetime(2026, 11, 16, 2, 30, tzinfo=dt.UTC),
    ]
    rows = [
        {
            "id": f"e-{n}",
            "dossier_id": dossier_id,
            "seq": 10 + n,
            "kind": "processing_started",
            "status_after": "in_processing",
            "at": moments[n % 2],
            "actor": "Sở Tư pháp",
            "unit_code": UNIT_CODE,
            "device_id": None,
            "note": "Chuyển phòng Hộ tịch",
            "data": {"ghi_chú": "đủ hồ sơ", "trang": [1, 2]},
            "server_seq": 100 + n,
        }
        for n in range(4)
    ]
    with store.write() as session:
        sync_apply._insert_events(session, rows[:2], [row["seq"] for row in rows[:2]])
        session.connection().execute(insert(DossierEvent.__table__), rows[2:])
    with store.read() as session:
        stored = (
            session.connection()
            .exec_driver_sql(
                "SELECT at, note, data, server_seq - seq FROM dossier_event"
                " WHERE id LIKE 'e-%' ORDER BY id"
            )
            .all()
        )
        read_back = session.scalars(
            select(DossierEvent).where(DossierEvent.id.like("e-%")).order_by(DossierEvent.id)
        ).all()
        assert [(e.at, e.data) for e in read_back[:2]] == [
            (moments[0], rows[0]["data"]),
            (moments[1].replace(tzinfo=None), rows[1]["data"]),
        ]
    assert stored[0] == stored[2] and stored[1] == stored[3], "same bytes in the file"
