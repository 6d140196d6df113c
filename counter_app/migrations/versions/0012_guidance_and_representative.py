"""Dossiers turned away at the counter before reception, and a dossier's representative.

The 2025 forms (Đồng Tháp 138/2025/QĐ-UBND; MOH 3621/QĐ-BYT reproducing forms
BM.01-06): an incomplete dossier gets form 02 and a refused one form 03 without
being received, so no code is used up; ``counter_guidance`` records who gave
which form, when, for which procedure and applicant, and why, for the day's
tally. A dossier filed on another's behalf records the representative
(người được ủy quyền), printed on forms 01 and 03.

Revision ID: 0012_guidance_and_representative
Revises: 0008_calendar_swaps
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012_guidance_and_representative"
down_revision: str | None = "0008_calendar_swaps"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("representative_name", sa.String(255), nullable=True))
        batch_op.add_column(sa.Column("representative_cccd", sa.String(12), nullable=True))
        batch_op.add_column(sa.Column("representative_relation", sa.String(100), nullable=True))
    op.create_table(
        "counter_guidance",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("competent_unit_code", sa.String(32), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("applicant_id", sa.String(36), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("representative_name", sa.String(255), nullable=True),
        sa.Column("representative_cccd", sa.String(12), nullable=True),
        sa.Column("representative_relation", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"]),
        sa.ForeignKeyConstraint(["procedure_code"], ["procedure.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_counter_guidance_at", "counter_guidance", ["at"])


def downgrade() -> None:
    op.drop_index("ix_counter_guidance_at", table_name="counter_guidance")
    op.drop_table("counter_guidance")
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_column("representative_relation")
        batch_op.drop_column("representative_cccd")
        batch_op.drop_column("representative_name")
