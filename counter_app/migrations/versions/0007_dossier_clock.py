"""A dossier's first appointment and its apology's new one, beside the current appointment.

Decree 297/2025 art. 6(4)(a) restarts the time limit once a supplement is
received, so ``due_at`` can move; ``first_due_at`` keeps the appointment of the
first receipt, so the book can show both. ``extended_due_at`` is the new date
the apology (form 04) gave the citizen, shown but never judged against. Stores
of older schemas had no supplement received yet in their counting, so their
first appointment is the one they have.

Revision ID: 0007_dossier_clock
Revises: 0006_sync_setaside
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_dossier_clock"
down_revision: str | None = "0006_sync_setaside"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_due_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("extended_due_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE dossier SET first_due_at = due_at")
    op.execute(
        "UPDATE dossier SET extended_due_at = ("
        " SELECT datetime(json_extract(e.data, '$.new_due_at')) FROM dossier_event e"
        " WHERE e.dossier_id = dossier.id AND e.kind = 'extended'"
        " ORDER BY e.seq DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_column("extended_due_at")
        batch_op.drop_column("first_due_at")
