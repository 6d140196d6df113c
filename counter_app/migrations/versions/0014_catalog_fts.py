"""The catalog's full-text index (SQLite FTS5), filled from the procedures already stored.

Search moved from LIKE scans of every procedure to FTS5 (counter_app.catalog_index).
The index holds the counter's own folded text ("đ" as "d"), which SQL cannot
compute, so the upgrade reads the procedures and folds them in Python.

Revision ID: 0014_catalog_fts
Revises: 0013_fee_receipts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.text import fold

revision: str = "0014_catalog_fts"
down_revision: str | None = "0013_fee_receipts"
branch_labels: str | None = None
depends_on: str | None = None

# Frozen copy of counter_app.models.PROCEDURE_SEARCH_DDL as of this revision.
CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS procedure_search USING fts5("
    "code, name, field, procedure_code UNINDEXED, "
    "tokenize = \"unicode61 remove_diacritics 2 tokenchars '.'\", prefix = '1 2 3')"
)


def _words(value: str) -> str:
    return " ".join(fold(value).replace(".", " ").split())


def upgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql(CREATE)
    rows = [
        {"key": fold(code), "name": _words(name), "field": _words(field or ""), "code": code}
        for code, name, field in connection.execute(
            sa.text("SELECT code, name, field FROM procedure WHERE active")
        )
    ]
    if rows:
        connection.execute(
            sa.text(
                "INSERT INTO procedure_search (code, name, field, procedure_code)"
                " VALUES (:key, :name, :field, :code)"
            ),
            rows,
        )


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP TABLE IF EXISTS procedure_search")
