"""Events indexed by dossier once, not three times.

``dossier_event`` had an index on ``dossier_id`` alone beside the unique
``(dossier_id, seq)`` and ``(dossier_id, server_seq)``, which serve every
lookup by dossier as well. Each index is one more B-tree written per event,
and a catch-up after a day offline inserts tens of thousands of events.

Revision ID: 0005_event_index_once
Revises: 0004_report_indexes
"""

from __future__ import annotations

from alembic import op

revision: str = "0005_event_index_once"
down_revision: str | None = "0004_report_indexes"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_event_dossier_id")


def downgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.create_index("ix_dossier_event_dossier_id", ["dossier_id"], unique=False)
