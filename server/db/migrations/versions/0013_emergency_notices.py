"""긴급 공지: notices staff post on the console for every device or one dong's, which devices
poll for every few seconds (server.emergency); kept, so a restart forgets none, and kept after
they end, as the record.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "emergency_notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("dong", sa.Text(), nullable=True),
        sa.Column("posted_at", TS, nullable=False),
        sa.Column("posted_by", sa.Text(), nullable=False),
        sa.Column("until", TS, nullable=False),
        sa.Column("cleared_at", TS, nullable=True),
        sa.Column("cleared_by", sa.Text(), nullable=True),
    )
    op.create_index("ix_emergency_notices_open", "emergency_notices", ["cleared_at", "until"])


def downgrade() -> None:
    op.drop_index("ix_emergency_notices_open", "emergency_notices")
    op.drop_table("emergency_notices")
