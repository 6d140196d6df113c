"""Scans of results, and when each document's scan was linked to it.

A dossier's result (kết quả giải quyết) can now be digitized like a document
handed in: ``result_sha256`` names its scan in the blob store, with since when
and by whom it counts as digitized. ``dossier_document.attached_at`` is when a
scan was linked to a document, which the digitization index judges "digitized
at reception" on; links made before this revision get the time their file was
first stored, the best this store knows (a scan fetched from the province and
not yet downloaded has no such time and stays without one).

Columns are added and dropped with SQLite's own ALTER TABLE, not by copying the
table: the dossier table carries the list's triggers (0016), which a copy would
lose.

Revision ID: 0018_result_scans
Revises: 0017_signed_copies
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018_result_scans"
down_revision: str | None = "0017_signed_copies"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("dossier", sa.Column("result_sha256", sa.String(64), nullable=True))
    op.add_column("dossier", sa.Column("result_digitized_at", sa.DateTime(), nullable=True))
    op.add_column("dossier", sa.Column("result_digitized_by", sa.String(64), nullable=True))
    op.create_index(
        "ix_dossier_result_sha256",
        "dossier",
        ["result_sha256"],
        sqlite_where=sa.text("result_sha256 IS NOT NULL"),
    )
    op.add_column("dossier_document", sa.Column("attached_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE dossier_document SET attached_at = ("
        " SELECT a.created_at FROM attachment a"
        " WHERE a.sha256 = dossier_document.attachment_sha256)"
        " WHERE attachment_sha256 IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("dossier_document", "attached_at")
    op.drop_index("ix_dossier_result_sha256", table_name="dossier")
    op.drop_column("dossier", "result_digitized_by")
    op.drop_column("dossier", "result_digitized_at")
    op.drop_column("dossier", "result_sha256")
