"""The dossier list at millions of rows: a trigram index of names, counts per day.

A part of a name was found by a LIKE scan of every applicant and a count by a
walk of an index of every dossier (counter_app.list_index says what replaces
them); the documents holding a scan by a scan of every document, now by an
index of the few that hold one. The upgrade fills them from the rows already
stored, in SQL: one pass over the dossiers grouped by day, status and
procedure, one over the applicants through the folding function, then FTS5
builds its index in one go ("rebuild"); the triggers come last, so the fill
does not run them.

Revision ID: 0016_dossier_list_scale
Revises: 0015_ocr_search
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from counter_app.text import fold

revision: str = "0016_dossier_list_scale"
down_revision: str | None = "0015_ocr_search"
branch_labels: str | None = None
depends_on: str | None = None

# Frozen copies of counter_app.list_index as of this revision.
NAME_KEY_FUNCTION = "counter_name_key"
CREATE_NAME_KEY = (
    "CREATE TABLE IF NOT EXISTS applicant_name_key (id INTEGER PRIMARY KEY, "
    "applicant_id VARCHAR(36) NOT NULL UNIQUE, name TEXT NOT NULL)"
)
CREATE_NAME_INDEX = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS applicant_name USING fts5("
    "name, content = 'applicant_name_key', content_rowid = 'id', tokenize = 'trigram')"
)
TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS applicant_name_insert AFTER INSERT ON applicant BEGIN
  INSERT INTO applicant_name_key (applicant_id, name)
    VALUES (new.id, counter_name_key(new.full_name));
  INSERT INTO applicant_name (rowid, name) VALUES (last_insert_rowid(),
    counter_name_key(new.full_name));
END""",
    """CREATE TRIGGER IF NOT EXISTS applicant_name_update
AFTER UPDATE OF id, full_name ON applicant BEGIN
  INSERT INTO applicant_name (applicant_name, rowid, name)
    SELECT 'delete', id, name FROM applicant_name_key WHERE applicant_id = old.id;
  UPDATE applicant_name_key SET applicant_id = new.id,
    name = counter_name_key(new.full_name) WHERE applicant_id = old.id;
  INSERT INTO applicant_name (rowid, name)
    SELECT id, name FROM applicant_name_key WHERE applicant_id = new.id;
END""",
    """CREATE TRIGGER IF NOT EXISTS applicant_name_delete AFTER DELETE ON applicant BEGIN
  INSERT INTO applicant_name (applicant_name, rowid, name)
    SELECT 'delete', id, name FROM applicant_name_key WHERE applicant_id = old.id;
  DELETE FROM applicant_name_key WHERE applicant_id = old.id;
END""",
    """CREATE TRIGGER IF NOT EXISTS dossier_day_count_insert AFTER INSERT ON dossier BEGIN
  INSERT INTO dossier_day_count (procedure_code, day, status, dossiers)
    SELECT p.code, substr(new.received_at, 1, 10), new.status, 1
    FROM (SELECT new.procedure_code AS code UNION ALL SELECT '') AS p
    WHERE new.received_at IS NOT NULL
    ON CONFLICT (procedure_code, day, status) DO UPDATE SET dossiers = dossiers + 1;
END""",
    """CREATE TRIGGER IF NOT EXISTS dossier_day_count_update
AFTER UPDATE OF status, procedure_code, received_at ON dossier BEGIN
  UPDATE dossier_day_count SET dossiers = dossiers - 1
    WHERE old.received_at IS NOT NULL AND procedure_code IN (old.procedure_code, '')
    AND day = substr(old.received_at, 1, 10) AND status = old.status;
  INSERT INTO dossier_day_count (procedure_code, day, status, dossiers)
    SELECT p.code, substr(new.received_at, 1, 10), new.status, 1
    FROM (SELECT new.procedure_code AS code UNION ALL SELECT '') AS p
    WHERE new.received_at IS NOT NULL
    ON CONFLICT (procedure_code, day, status) DO UPDATE SET dossiers = dossiers + 1;
END""",
    """CREATE TRIGGER IF NOT EXISTS dossier_day_count_delete AFTER DELETE ON dossier BEGIN
  UPDATE dossier_day_count SET dossiers = dossiers - 1
    WHERE old.received_at IS NOT NULL AND procedure_code IN (old.procedure_code, '')
    AND day = substr(old.received_at, 1, 10) AND status = old.status;
END""",
)
TRIGGER_NAMES = (
    "applicant_name_insert",
    "applicant_name_update",
    "applicant_name_delete",
    "dossier_day_count_insert",
    "dossier_day_count_update",
    "dossier_day_count_delete",
)


def _name_key(full_name: str | None) -> str:
    return f" {fold(full_name or '')} "


def _register(connection: Any) -> None:
    """The upgrade may run on a connection the counter's engine did not open."""
    raw = connection.connection.driver_connection
    raw.create_function(NAME_KEY_FUNCTION, 1, _name_key, deterministic=True)


def upgrade() -> None:
    connection = op.get_bind()
    _register(connection)
    op.create_table(
        "dossier_day_count",
        sa.Column("procedure_code", sa.String(length=32), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("dossiers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("procedure_code", "day", "status"),
        sqlite_with_rowid=False,
    )
    connection.exec_driver_sql(
        "INSERT INTO dossier_day_count (procedure_code, day, status, dossiers)"
        " SELECT procedure_code, substr(received_at, 1, 10), status, count(*) FROM dossier"
        " WHERE received_at IS NOT NULL GROUP BY 1, 2, 3"
    )
    # Every procedure together, under the code '' (no procedure has it).
    connection.exec_driver_sql(
        "INSERT INTO dossier_day_count (procedure_code, day, status, dossiers)"
        " SELECT '', day, status, sum(dossiers) FROM dossier_day_count GROUP BY 2, 3"
    )
    op.create_index(
        "ix_dossier_document_attachment",
        "dossier_document",
        ["attachment_sha256"],
        sqlite_where=sa.text("attachment_sha256 IS NOT NULL"),
    )
    connection.exec_driver_sql(CREATE_NAME_KEY)
    connection.exec_driver_sql(CREATE_NAME_INDEX)
    connection.exec_driver_sql(
        f"INSERT INTO applicant_name_key (applicant_id, name)"
        f" SELECT id, {NAME_KEY_FUNCTION}(full_name) FROM applicant"
    )
    connection.exec_driver_sql("INSERT INTO applicant_name (applicant_name) VALUES ('rebuild')")
    for trigger in TRIGGERS:
        connection.exec_driver_sql(trigger)


def downgrade() -> None:
    connection = op.get_bind()
    for name in TRIGGER_NAMES:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    connection.exec_driver_sql("DROP TABLE IF EXISTS applicant_name")
    connection.exec_driver_sql("DROP TABLE IF EXISTS applicant_name_key")
    op.drop_index("ix_dossier_document_attachment", table_name="dossier_document")
    op.drop_table("dossier_day_count")
