"""The province's receipts for scans this counter uploaded.

A receipt is the provincial server's signed word that this device sent a
scan's bytes; the counter shows it with the scan's hash in its blob query and
in the push naming the scan, which then notes the holder on the server (see
docs/protocol.md, "Receipts"). Kept so that a push cut after its uploads does
not send the scans again.

Revision ID: 0019_blob_receipts
Revises: 0018_result_scans
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019_blob_receipts"
down_revision: str | None = "0018_result_scans"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "blob_receipt",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("receipt", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("blob_receipt")
