"""Fee receipts numbered by the computer, electronic receipts, and per-page fees.

Decree 123/2020/NĐ-CP art. 32(2) as amended by Decree 70/2025/NĐ-CP: a receipt
printed by computer carries its form symbol, series and a number without gaps
within the series; a spoiled one keeps its number, cancelled. ``fee_receipt``
keeps every number given out; the payment keeps the one standing for it (or an
electronic receipt's provider number and look-up code) and, for a per-page
fee, the pages counted. Payments of older stores had no computer-numbered
receipt: their receipt columns stay empty.

Revision ID: 0013_fee_receipts
Revises: 0012_guidance_and_representative
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013_fee_receipts"
down_revision: str | None = "0012_guidance_and_representative"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("procedure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fee_schedule", sa.JSON(), nullable=True))
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pages", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("receipt_form", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("receipt_series", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("receipt_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("e_receipt_number", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("e_receipt_lookup", sa.String(length=64), nullable=True))
    op.create_table(
        "fee_receipt",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("form_symbol", sa.String(length=32), nullable=False),
        sa.Column("series", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("amount_vnd", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.String(length=64), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_symbol", "series", "number"),
    )
    op.create_index("ix_fee_receipt_issued_at", "fee_receipt", ["issued_at"])
    op.create_index("ix_fee_receipt_payment_id", "fee_receipt", ["payment_id"])


def downgrade() -> None:
    op.drop_index("ix_fee_receipt_payment_id", table_name="fee_receipt")
    op.drop_index("ix_fee_receipt_issued_at", table_name="fee_receipt")
    op.drop_table("fee_receipt")
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        for column in (
            "e_receipt_lookup",
            "e_receipt_number",
            "receipt_number",
            "receipt_series",
            "receipt_form",
            "pages",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("procedure", schema=None) as batch_op:
        batch_op.drop_column("fee_schedule")
