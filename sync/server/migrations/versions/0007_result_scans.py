"""The scan of each dossier's result, as its receiving unit sent it.

Revision ID: 0007_result_scans
Revises: 0006_change_order

A counter may now store a scan of a dossier's result (kết quả giải quyết) and
send it like a document's scan; the dossier row keeps which scan it is and
since when the result counts as digitized. Nothing is filled in: no result
scan reached the province before this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_result_scans"
down_revision: str | None = "0006_change_order"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("result_digitized_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_column("result_digitized_at")
        batch_op.drop_column("result_sha256")
