"""The server's migrations build exactly its models, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sync.server.db import Database, alembic_config, make_engine, upgrade_to_head
from sync.server.models import Base

pytest_plugins = ["tests.support.sync_fixtures"]

SCAN = "ab" * 32


def test_empty_database_upgraded_to_head_matches_the_models(province_db_url: str) -> None:
    database = Database.open(province_db_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        epoch = database.epoch()
        reopened = Database.open(province_db_url)
        assert reopened.epoch() == epoch, "kept across restarts"
        reopened.close()
        assert database.new_epoch() != epoch
    finally:
        database.close()


def test_dossiers_stored_before_blob_refs_existed_name_their_scans_after_the_upgrade(
    province_db_url: str,
) -> None:
    """Revision 0002 fills blob_ref from stored dossiers, so their scans can be downloaded."""
    engine = make_engine(province_db_url)
    try:
        command.upgrade(alembic_config(engine), "0001_initial")
        payload = {"documents": [{"id": "d1", "attachment_sha256": SCAN}, {"id": "d2"}]}
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO dossier (id, code, procedure_code, receiving_unit_code, "
                    "competent_unit_code, status, payload, stored_at) VALUES "
                    "('x1', 'U-1', '1.001193', 'U', 'V', 'received', :payload, :at)"
                ),
                {"payload": json.dumps(payload), "at": dt.datetime(2026, 11, 23, 8)},
            )
        upgrade_to_head(engine)
        with engine.connect() as connection:
            refs = connection.execute(text("SELECT sha256, dossier_id FROM blob_ref")).all()
        assert [tuple(row) for row in refs] == [(SCAN, "x1")]
    finally:
        engine.dispose()
