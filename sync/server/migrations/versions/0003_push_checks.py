"""Document ids of the province, so a pushed dossier cannot reuse one; and the
changes counters pulled but could not store, as they report them.

Revision ID: 0003_push_checks
Revises: 0002_fees_blob_refs

``dossier_document`` is filled from the dossiers already stored; an id that
two stored dossiers share is kept for the first (by dossier id), since a
counter that pulled both has only ever been able to store that one.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003_push_checks"
down_revision: str | None = "0002_fees_blob_refs"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    documents = op.create_table(
        "dossier_document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "setaside_report",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    connection = op.get_bind()
    owners: dict[str, str] = {}
    rows = connection.execute(sa.text("SELECT id, payload FROM dossier ORDER BY id"))
    for dossier_id, payload in rows:
        data: dict[str, Any] = json.loads(payload) if isinstance(payload, str) else payload
        for document in data.get("documents") or []:
            document_id = document.get("id")
            if isinstance(document_id, str) and len(document_id) <= 36:
                owners.setdefault(document_id, dossier_id)
    if owners:
        op.bulk_insert(documents, [{"id": k, "dossier_id": v} for k, v in owners.items()])


def downgrade() -> None:
    op.drop_table("setaside_report")
    op.drop_table("dossier_document")
