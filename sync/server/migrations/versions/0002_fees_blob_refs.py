"""Fee payments pushed by counters, and which dossier names which blob.

Revision ID: 0002_fees_blob_refs
Revises: 0001_initial

``blob_ref`` is filled from the dossiers already stored, so blobs received
before this revision can be downloaded by the units that see their dossiers.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002_fees_blob_refs"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "fee_payment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("collected_at", sa.DateTime(), nullable=False),
        sa.Column("collected_by", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id"),
    )
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_payment_unit_code"), ["unit_code"], unique=False)
    blob_ref = op.create_table(
        "blob_ref",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "dossier_id"),
    )
    connection = op.get_bind()
    refs: set[tuple[str, str]] = set()
    for dossier_id, payload in connection.execute(sa.text("SELECT id, payload FROM dossier")):
        data: dict[str, Any] = json.loads(payload) if isinstance(payload, str) else payload
        for document in data.get("documents") or []:
            if document.get("attachment_sha256"):
                refs.add((document["attachment_sha256"], dossier_id))
    if refs:
        op.bulk_insert(blob_ref, [{"sha256": s, "dossier_id": d} for s, d in sorted(refs)])


def downgrade() -> None:
    op.drop_table("blob_ref")
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_payment_unit_code"))
    op.drop_table("fee_payment")
