"""The text recognised on scans, indexed for the dossier list's search (SQLite FTS5).

OCR text was kept only as ``ocr/<sha256>.txt`` files beside the blob store; the
dossier list now searches it, so it is indexed (counter_app.ocr). The upgrade
indexes the files already there, found beside the store's database file. A file
that cannot be read is left out (and logged) rather than stopping the upgrade:
the store must open, and the text is only a search aid the scan can give again.

Revision ID: 0015_ocr_search
Revises: 0014_catalog_fts
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from counter_app.text import fold

revision: str = "0015_ocr_search"
down_revision: str | None = "0014_catalog_fts"
branch_labels: str | None = None
depends_on: str | None = None

log = logging.getLogger(__name__)

# Frozen copy of counter_app.models.SCAN_TEXT_DDL as of this revision.
CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS scan_text USING fts5("
    "sha256 UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


def upgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql(CREATE)
    database = connection.engine.url.database
    if not database or database == ":memory:":
        return
    folder = Path(database).parent / "ocr"
    rows = []
    for path in sorted(folder.glob("*.txt")):
        if len(path.stem) != 64:
            continue
        try:
            body = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            log.warning("OCR text %s not indexed: %s", path, exc)
            continue
        rows.append({"sha": path.stem, "body": fold(body)})
    if rows:
        connection.execute(
            sa.text("INSERT INTO scan_text (sha256, body) VALUES (:sha, :body)"), rows
        )


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP TABLE IF EXISTS scan_text")
