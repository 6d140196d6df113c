"""Indexes for the supervisor's reports: events since a time, fees of a period.

The day and range tallies read the events from a period's start on, and the fee
totals read the payments of a period. Without these, both scan their whole
table, which at a busy ward's million dossiers is most of a report's time.

The events' index is on time alone, not (kind, time): SQLite, with no
statistics, would pick a (kind, …) index for "this dossier's event of kind K"
and walk every event of that kind instead of the dossier's few.

Revision ID: 0004_report_indexes
Revises: 0003_sync_status_index
"""

from __future__ import annotations

from alembic import op

revision: str = "0004_report_indexes"
down_revision: str | None = "0003_sync_status_index"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.create_index("ix_dossier_event_at", ["at"], unique=False)
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.create_index("ix_fee_payment_collected_at", ["collected_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_payment_collected_at")
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_event_at")
