"""What the store keeps beside the dossiers so the list stays quick at millions of rows.

Two things, both kept in step by SQLite triggers so that every writer (the
services, a bulk load, the province sync, a repair in SQL) keeps them right:

* ``applicant_name``: an FTS5 trigram index of every applicant's folded name
  (``counter_app.text.fold``: "Đặng" as "dang"), so a part of a name is found
  from an index instead of a LIKE scan of every applicant. FTS5's own
  ``remove_diacritics`` leaves "đ" alone, so the folded text is computed in
  Python and handed to SQLite as the function ``counter_name_key``, which every
  connection the counter opens registers (``counter_app.store``). The folded
  names live in ``applicant_name_key`` (external content), keyed by an integer
  of its own: the applicant table's text primary key leaves its rowids for
  SQLite to renumber (VACUUM, a batch migration), which would silently point
  the index at other people.
* ``dossier_day_count``: how many received dossiers each day has per status and
  procedure, and per status for all procedures together (``ALL_PROCEDURES``).
  A count of any status, procedure and period is a sum of at most a few
  thousand of its rows (the days of one procedure, or of all) rather than a
  walk of an index of millions, and a jump to row N of a long list finds N's
  day from it and reads only that day.

A batch migration that copies the applicant or dossier table drops their
triggers with the old table: such a migration must create them again
(``APPLICANT_NAME_TRIGGERS``, ``DAY_COUNT_TRIGGERS``).
"""

from __future__ import annotations

import sqlite3

from counter_app.text import fold

NAME_KEY_FUNCTION = "counter_name_key"
# The procedure code of the day counts of every procedure together; no procedure has it.
ALL_PROCEDURES = ""
APPLICANT_NAME = "applicant_name"
APPLICANT_NAME_KEY = "applicant_name_key"

APPLICANT_NAME_KEY_DDL = (
    f"CREATE TABLE IF NOT EXISTS {APPLICANT_NAME_KEY} (id INTEGER PRIMARY KEY, "
    "applicant_id VARCHAR(36) NOT NULL UNIQUE, name TEXT NOT NULL)"
)
APPLICANT_NAME_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {APPLICANT_NAME} USING fts5("
    f"name, content = '{APPLICANT_NAME_KEY}', content_rowid = 'id', tokenize = 'trigram')"
)
APPLICANT_NAME_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS applicant_name_insert AFTER INSERT ON applicant BEGIN
  INSERT INTO {APPLICANT_NAME_KEY} (applicant_id, name)
    VALUES (new.id, {NAME_KEY_FUNCTION}(new.full_name));
  INSERT INTO {APPLICANT_NAME} (rowid, name) VALUES (last_insert_rowid(),
    {NAME_KEY_FUNCTION}(new.full_name));
END""",
    f"""CREATE TRIGGER IF NOT EXISTS applicant_name_update
AFTER UPDATE OF id, full_name ON applicant BEGIN
  INSERT INTO {APPLICANT_NAME} ({APPLICANT_NAME}, rowid, name)
    SELECT 'delete', id, name FROM {APPLICANT_NAME_KEY} WHERE applicant_id = old.id;
  UPDATE {APPLICANT_NAME_KEY} SET applicant_id = new.id,
    name = {NAME_KEY_FUNCTION}(new.full_name) WHERE applicant_id = old.id;
  INSERT INTO {APPLICANT_NAME} (rowid, name)
    SELECT id, name FROM {APPLICANT_NAME_KEY} WHERE applicant_id = new.id;
END""",
    f"""CREATE TRIGGER IF NOT EXISTS applicant_name_delete AFTER DELETE ON applicant BEGIN
  INSERT INTO {APPLICANT_NAME} ({APPLICANT_NAME}, rowid, name)
    SELECT 'delete', id, name FROM {APPLICANT_NAME_KEY} WHERE applicant_id = old.id;
  DELETE FROM {APPLICANT_NAME_KEY} WHERE applicant_id = old.id;
END""",
)

# The day is the first ten characters of the stored reception time ("2026-11-16 09:00:…").
_DAY_NEW = "substr(new.received_at, 1, 10)"
_DAY_OLD = "substr(old.received_at, 1, 10)"
# Each dossier counts twice: under its procedure and under ALL_PROCEDURES.
_ADD_NEW = f"""INSERT INTO dossier_day_count (procedure_code, day, status, dossiers)
    SELECT p.code, {_DAY_NEW}, new.status, 1
    FROM (SELECT new.procedure_code AS code UNION ALL SELECT '') AS p
    WHERE new.received_at IS NOT NULL
    ON CONFLICT (procedure_code, day, status) DO UPDATE SET dossiers = dossiers + 1;"""
_TAKE_OLD = f"""UPDATE dossier_day_count SET dossiers = dossiers - 1
    WHERE old.received_at IS NOT NULL AND procedure_code IN (old.procedure_code, '')
    AND day = {_DAY_OLD} AND status = old.status;"""
DAY_COUNT_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS dossier_day_count_insert AFTER INSERT ON dossier BEGIN
  {_ADD_NEW}
END""",
    f"""CREATE TRIGGER IF NOT EXISTS dossier_day_count_update
AFTER UPDATE OF status, procedure_code, received_at ON dossier BEGIN
  {_TAKE_OLD}
  {_ADD_NEW}
END""",
    f"""CREATE TRIGGER IF NOT EXISTS dossier_day_count_delete AFTER DELETE ON dossier BEGIN
  {_TAKE_OLD}
END""",
)


def name_key(full_name: str | None) -> str:
    """A name as the index holds it: folded, with a space at each end.

    The spaces make the start of a word a trigram of its own (" vu"), which is
    how a search of one or two letters finds the names with a word starting so.
    """
    return f" {fold(full_name or '')} "


def register_functions(connection: sqlite3.Connection) -> None:
    """Give a SQLite connection the function the name index's triggers call."""
    connection.create_function(NAME_KEY_FUNCTION, 1, name_key, deterministic=True)
