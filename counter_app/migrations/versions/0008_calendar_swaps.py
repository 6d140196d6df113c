"""Province-declared days carry their legal basis and whether they are confirmed.

The government's yearly day swaps are published late, some only in principle
(e.g. "Vietnam Cultural Day"); the supervisor must see which days are certain.

Revision ID: 0008_calendar_swaps
Revises: 0007_dossier_clock
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_calendar_swaps"
down_revision: str | None = "0007_dossier_clock"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_day", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("basis", sa.String(length=255), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_day", schema=None) as batch_op:
        batch_op.drop_column("confirmed")
        batch_op.drop_column("basis")
