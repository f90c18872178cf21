"""코치: the district's digital coaches (디지털 코칭단), kept on the server (server.coaches) and
given to approved devices (GET /api/v1/coaches) instead of travelling in the content pack.

Each row's `version` is the coaches' version when it last changed: the newest is the version
the heartbeat answers, and it is unique, so two changes never share one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "coaches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, unique=True),
    )


def downgrade() -> None:
    op.drop_table("coaches")
