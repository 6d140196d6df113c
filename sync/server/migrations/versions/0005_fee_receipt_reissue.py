"""Receipt numbers cancelled at the counter, kept beside the payment that was renumbered.

Revision ID: 0005_fee_receipt_reissue
Revises: 0004_blob_uploads_by_device

Decree 123/2020 art. 32(2) as amended by Decree 70/2025: a spoiled receipt keeps
its number, marked cancelled. Nothing is filled in: no reissue reached the
province before this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_fee_receipt_reissue"
down_revision: str | None = "0004_blob_uploads_by_device"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "fee_receipt_cancelled",
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("form_symbol", sa.String(length=32), nullable=False),
        sa.Column("series", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("payment_id", "form_symbol", "series", "number"),
    )


def downgrade() -> None:
    op.drop_table("fee_receipt_cancelled")
