"""The server's migrations build exactly its models, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sync.server.db import Database
from sync.server.models import Base

pytest_plugins = ["tests.sync_fixtures"]


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
