"""Pulled changes set aside because this counter could not store them.

Revision ID: 0006_sync_setaside
Revises: 0005_event_index_once
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sync_setaside"
down_revision: str | None = "0005_event_index_once"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sync_setaside",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dossier_id", sa.Text(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
    )


def downgrade() -> None:
    op.drop_table("sync_setaside")
