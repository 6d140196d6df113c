"""An index for sync: each dossier's newest event numbered by the server.

A pull sets a dossier's status from the event with the highest server number;
without this index every page of a catch-up rereads every event of the dossiers
it touches, and a day's catch-up grows with the square of the dossiers' history.

Revision ID: 0003_sync_status_index
Revises: 0002_attachments_fees_sync
"""

from __future__ import annotations

from alembic import op

revision: str = "0003_sync_status_index"
down_revision: str | None = "0002_attachments_fees_sync"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dossier_event_dossier_server_seq", ["dossier_id", "server_seq"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_event_dossier_server_seq")
