"""Ledger look-ups already answered, so a sealed look-up is used once (seals bound to acts).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_requests",
        sa.Column("request_id", sa.Uuid(), primary_key=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ledger_requests_expires_at", "ledger_requests", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_ledger_requests_expires_at", table_name="ledger_requests")
    op.drop_table("ledger_requests")
