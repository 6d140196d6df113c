"""Which device uploaded which blob, so only units that hold a scan may name it.

Revision ID: 0004_blob_uploads_by_device
Revises: 0003_push_checks

Nothing is filled in: the units that see a dossier already naming a blob keep
their right to it through ``blob_ref``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_blob_uploads_by_device"
down_revision: str | None = "0003_push_checks"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "blob_upload",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "device_id"),
    )


def downgrade() -> None:
    op.drop_table("blob_upload")
