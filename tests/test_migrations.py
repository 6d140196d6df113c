"""Migrations: an empty store reaches the models' schema; an older store keeps its data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from counter_app import catalog, migrate
from counter_app.dossier_query import DossierFilter, prepare
from counter_app.lifecycle import Status
from counter_app.models import Base, Dossier, is_search_index_table
from counter_app.paths import database_url
from counter_app.store import Store, make_engine


def alembic_head(store: Store) -> str | None:
    """The head as Alembic itself reads the scripts, to check the store against."""
    return ScriptDirectory.from_config(migrate.alembic_config(store.engine)).get_current_head()


def _first_dossier(connection: Connection, *, status: str) -> None:
    """A unit, an applicant, a procedure and their dossier ``d1`` with ``status``, as rows."""
    connection.execute(
        text("INSERT INTO unit (code, name) VALUES ('000.00.11.H57', 'UBND phường Hạc Thành')")
    )
    connection.execute(
        text(
            "INSERT INTO applicant (id, cccd, full_name, address, created_at, updated_at) "
            "VALUES ('a1', '001190012345', 'Trần Thị Mai', 'Hạc Thành', "
            "'2026-11-16 09:00:00', '2026-11-16 09:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO procedure (code, name, search_key, field, level, processing_amount,"
            " processing_unit, fee_vnd, charge_vnd, fee_note, legal_basis, catalog_version,"
            " active) VALUES ('1.001193', 'Đăng ký khai sinh', 'dang ky khai sinh', 'Hộ tịch',"
            " 'commune', 0, 'working_day', 0, 0, '', '', 'v1', 1)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO dossier (id, code, procedure_code, applicant_id, receiving_unit_code,"
            " competent_unit_code, channel, return_method, sets_count, status, note,"
            " created_at) VALUES ('d1', '000.00.11.H57-261116-1001', '1.001193', 'a1',"
            " '000.00.11.H57', '000.00.11.H57', 'direct', 'counter', 1, :status, '',"
            " '2026-11-16 09:00:00')"
        ),
        {"status": status},
    )


def test_empty_store_upgraded_to_head_matches_the_models(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # The FTS5 index is no model; its own test is below.
                "include_name": lambda name, kind, _parents: (
                    not (kind == "table" and is_search_index_table(name))
                ),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert migrate.current_revision(store.engine) == alembic_head(store)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_store_of_the_first_schema_upgrades_in_place_keeping_its_rows(tmp_path: Path) -> None:
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0001_core")
    with engine.begin() as connection:
        _first_dossier(connection, status="received")
        connection.execute(
            text(
                "INSERT INTO dossier_document (id, dossier_id, position, name, form, count,"
                " received) VALUES ('doc1', 'd1', 1, 'Giấy chứng sinh', 'original', 1, 1)"
            )
        )
    engine.dispose()

    store = Store.open(tmp_path)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT code FROM dossier")).scalar() == (
            "000.00.11.H57-261116-1001"
        )
        assert connection.execute(text("SELECT full_name FROM applicant")).scalar() == (
            "Trần Thị Mai"
        )
        row = connection.execute(text("SELECT name, attachment_sha256 FROM dossier_document")).one()
        assert tuple(row) == ("Giấy chứng sinh", None)
        assert connection.execute(text("SELECT count(*) FROM fee_payment")).scalar() == 0
    assert migrate.current_revision(store.engine) == alembic_head(store)


def test_a_store_before_the_dossier_clock_keeps_its_appointments(tmp_path: Path) -> None:
    """0007: the first appointment is the one the dossier had; an apology's date is read back."""
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0005_event_index_once")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO unit (code, name) VALUES ('000.00.11.H57', 'UBND phường Hạc Thành')",
            "INSERT INTO applicant (id, full_name, address, created_at, updated_at) VALUES"
            " ('a1', 'Trần Thị Mai', '', '2026-11-16 09:00:00', '2026-11-16 09:00:00')",
            "INSERT INTO procedure (code, name, search_key, field, level, processing_amount,"
            " processing_unit, fee_vnd, charge_vnd, fee_note, legal_basis, catalog_version,"
            " active) VALUES ('1.004194', 'Đăng ký tạm trú', 'dang ky tam tru', 'Cư trú',"
            " 'commune', 3, 'working_day', 0, 0, '', '', 'v1', 1)",
            "INSERT INTO dossier (id, code, procedure_code, applicant_id, receiving_unit_code,"
            " competent_unit_code, channel, return_method, sets_count, status, received_at,"
            " due_at, note, created_at) VALUES ('d1', '000.00.11.H57-261116-1001', '1.004194',"
            " 'a1', '000.00.11.H57', '000.00.11.H57', 'direct', 'counter', 1, 'received',"
            " '2026-11-16 09:00:00.000000', '2026-11-19 09:00:00.000000', '',"
            " '2026-11-16 09:00:00')",
            "INSERT INTO dossier_event (id, dossier_id, seq, kind, status_after, at, actor,"
            " unit_code, note, data) VALUES ('e1', 'd1', 1, 'extended', 'received',"
            " '2026-11-17 09:00:00.000000', 'lan.nt', '000.00.11.H57', 'Xác minh',"
            ' \'{"new_due_at": "2026-11-25T09:00:00"}\')',
        ):
            connection.execute(text(statement))
    engine.dispose()

    store = Store.open(tmp_path)
    with store.read() as session:
        dossier = session.get(Dossier, "d1")
        assert dossier is not None
        assert dossier.first_due_at == dossier.due_at == dt.datetime(2026, 11, 19, 9, 0)
        assert dossier.extended_due_at == dt.datetime(2026, 11, 25, 9, 0)


def test_a_store_before_the_search_index_gets_one_of_its_procedures(tmp_path: Path) -> None:
    """0014: the FTS5 index is filled from the procedures already stored, "đ" folded."""
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0013_fee_receipts")
    with engine.begin() as connection:
        for code, name, active in (
            ("1.000656", "Đăng ký khai tử", 1),
            ("1.000894", "Đăng ký kết hôn", 0),
        ):
            connection.execute(
                text(
                    "INSERT INTO procedure (code, name, search_key, field, level,"
                    " processing_amount, processing_unit, fee_vnd, charge_vnd, fee_note,"
                    " legal_basis, catalog_version, active) VALUES (:code, :name, '', 'Hộ tịch',"
                    " 'commune', 0, 'working_day', 0, 0, '', '', 'v1', :active)"
                ),
                {"code": code, "name": name, "active": active},
            )
    engine.dispose()

    store = Store.open(tmp_path)
    with store.read() as session:
        assert [h.code for h in catalog.search(session, "dang ky khai tu")] == ["1.000656"]
        assert catalog.search(session, "ket hon") == [], "a retired procedure is not searched"


def test_a_store_before_the_list_indexes_gets_its_names_and_counts(tmp_path: Path) -> None:
    """0016: names indexed folded, counts per day filled from the dossiers already stored."""
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0015_ocr_search")
    people = [("a1", "Trần Thị Mai"), ("a2", "Đặng Văn Hùng"), ("a3", "Nguyễn Thị Hà")]
    received = [
        ("d1", "a1", "received", "2026-11-16 09:00:00.000000"),
        ("d2", "a2", "returned", "2026-11-16 10:30:00.000000"),
        ("d3", "a1", "returned", "2026-11-16 11:00:00.000000"),
        ("d4", "a3", "returned", "2026-11-13 08:00:00.000000"),
        ("d5", "a3", "draft", None),
    ]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO procedure (code, name, search_key, field, level, processing_amount,"
                " processing_unit, fee_vnd, charge_vnd, fee_note, legal_basis, catalog_version,"
                " active) VALUES ('1.004194', 'Đăng ký tạm trú', 'dang ky tam tru', 'Cư trú',"
                " 'commune', 3, 'working_day', 0, 0, '', '', 'v1', 1)"
            )
        )
        for person, name in people:
            connection.execute(
                text(
                    "INSERT INTO applicant (id, full_name, address, created_at, updated_at)"
                    " VALUES (:id, :name, '', '2026-11-16 09:00:00', '2026-11-16 09:00:00')"
                ),
                {"id": person, "name": name},
            )
        for number, (dossier, person, status, at) in enumerate(received):
            connection.execute(
                text(
                    "INSERT INTO dossier (id, code, procedure_code, applicant_id,"
                    " receiving_unit_code, competent_unit_code, channel, return_method,"
                    " sets_count, status, received_at, note, created_at) VALUES (:id, :code,"
                    " '1.004194', :person, '000.00.11.H57', '000.00.11.H57', 'direct',"
                    " 'counter', 1, :status, :at, '', '2026-11-13 08:00:00')"
                ),
                {
                    "id": dossier,
                    "code": None if at is None else f"000.00.11.H57-261116-{1001 + number}",
                    "person": person,
                    "status": status,
                    "at": at,
                },
            )
    engine.dispose()

    store = Store.open(tmp_path)
    try:
        with store.engine.connect() as connection:
            counts = connection.execute(
                text("SELECT * FROM dossier_day_count ORDER BY procedure_code, day, status")
            ).all()
        days = [("2026-11-13", "returned", 1), ("2026-11-16", "received", 1)]
        days.append(("2026-11-16", "returned", 2))
        assert [tuple(c) for c in counts] == [
            *(("", *d) for d in days),  # every procedure together
            *(("1.004194", *d) for d in days),
        ]
        now = dt.datetime(2026, 11, 17, 9, 0)
        with store.read() as session:
            assert prepare(session, DossierFilter(), now).count(session) == 4
            returned = DossierFilter(statuses=frozenset({Status.RETURNED}))
            assert prepare(session, returned, now).count(session) == 3
            codes = [
                r.code
                for r in prepare(session, DossierFilter(text="dang van"), now).fetch(session).rows
            ]
            assert codes == ["000.00.11.H57-261116-1002"]
            assert prepare(session, DossierFilter(text="Thị"), now).count(session) == 3
        # Kept in step from now on: a new applicant is found, a renamed one by the new name.
        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE applicant SET full_name = 'Lê Thị Mai' WHERE id = 'a1'")
            )
            connection.execute(text("UPDATE dossier SET status = 'returned' WHERE id = 'd1'"))
        with store.read() as session:
            assert prepare(session, DossierFilter(text="tran thi"), now).count(session) == 0
            assert prepare(session, DossierFilter(text="le thi mai"), now).count(session) == 2
            assert prepare(session, returned, now).count(session) == 4
    finally:
        store.close()
    # And taken away whole by a downgrade, to come back the same.
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "head")
    from alembic import command

    command.downgrade(migrate.alembic_config(engine), "0015_ocr_search")
    with engine.connect() as connection:
        tables = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
    assert not {"dossier_day_count", "applicant_name", "applicant_name_key"} & tables
    assert not {t for t in tables if t.startswith(("applicant_name_", "dossier_day_count_"))}
    migrate.upgrade(engine, "head")
    engine.dispose()


def test_a_store_before_result_scans_gets_its_links_timed_by_their_scans(tmp_path: Path) -> None:
    """Links made before 0018 take the time their file was stored; one whose file is only at
    the province stays without one; and the columns go away again on a downgrade."""
    engine = make_engine(database_url(tmp_path))
    migrate.upgrade(engine, "0017_signed_copies")
    stored, elsewhere = "a" * 64, "b" * 64
    with engine.begin() as connection:
        _first_dossier(connection, status="returned")
        connection.execute(
            text(
                "INSERT INTO attachment (sha256, size, page_count, media_type, created_by,"
                f" created_at) VALUES ('{stored}', 10, 1, 'application/pdf', 'lan',"
                " '2026-11-16 08:40:00.000000')"
            )
        )
        for number, sha256 in ((1, stored), (2, elsewhere), (3, None)):
            connection.execute(
                text(
                    "INSERT INTO dossier_document (id, dossier_id, position, name, form, count,"
                    " received, attachment_sha256) VALUES (:id, 'd1', :n, 'Giấy', 'original', 1,"
                    " 1, :sha)"
                ),
                {"id": f"doc{number}", "n": number, "sha": sha256},
            )
    migrate.upgrade(engine, "head")
    with engine.connect() as connection:
        links = dict(connection.execute(text("SELECT id, attached_at FROM dossier_document")).all())
        result = connection.execute(
            text("SELECT result_sha256, result_digitized_at FROM dossier")
        ).one()
    assert links == {"doc1": "2026-11-16 08:40:00.000000", "doc2": None, "doc3": None}
    assert tuple(result) == (None, None)
    from alembic import command

    command.downgrade(migrate.alembic_config(engine), "0017_signed_copies")
    with engine.connect() as connection:
        columns = {r[1] for r in connection.execute(text("PRAGMA table_info(dossier)"))}
        triggers = {
            r[0]
            for r in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            )
        }
    assert not {"result_sha256", "result_digitized_at", "result_digitized_by"} & columns
    assert "dossier_day_count_insert" in triggers, "the list's triggers stay on the dossier table"
    migrate.upgrade(engine, "head")
    engine.dispose()
