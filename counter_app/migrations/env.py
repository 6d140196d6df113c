"""Alembic environment: runs against the engine the application hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from counter_app.models import Base, is_search_index_table

engine: Engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        # The FTS5 index is no model (see counter_app.models.PROCEDURE_SEARCH).
        include_name=lambda name, kind, _parents: (
            not (kind == "table" and is_search_index_table(name))
        ),
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
