"""Signed digitized copies: what each stored scan's digital signatures proved.

A scan signed with the centre's token, or a signed PDF attached or fetched
from the province, is checked (counter_app.signing) and the answer kept by
the scan's hash, so the dossier shows it and a broken signature stays flagged.

Revision ID: 0017_signed_copies
Revises: 0016_dossier_list_scale
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017_signed_copies"
down_revision: str | None = "0016_dossier_list_scale"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "scan_signature",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("signer", sa.String(300), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("why", sa.String(500), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scan_signature")
