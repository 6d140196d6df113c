"""Change numbers from a sequence on PostgreSQL, each change with its horizon.

Revision ID: 0006_change_order
Revises: 0005_fee_receipt_reissue

Pushes numbered their changes under one row lock held until commit, which queued
every push of the province (changes.py says what replaces it). Changes already
stored get horizon 0: they committed before this revision, so they are settled.
The sequence starts after the counter row's value; SQLite keeps the counter row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_change_order"
down_revision: str | None = "0005_fee_receipt_reissue"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("horizon", sa.BigInteger(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE change_seq AS bigint MINVALUE 1 START WITH 1")
        op.execute(
            "SELECT setval('change_seq', greatest("
            "(SELECT coalesce(max(value), 0) FROM seq_counter WHERE name = 'change'),"
            " (SELECT coalesce(max(seq), 0) FROM change)) + 1, false)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE seq_counter SET value = greatest(value,"
            " (SELECT coalesce(max(seq), 0) FROM change)) WHERE name = 'change'"
        )
        op.execute("DROP SEQUENCE change_seq")
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_column("horizon")
