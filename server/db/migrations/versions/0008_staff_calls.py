"""직원 호출: each device's calls for staff, open until staff resolve them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_calls",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("dong", sa.Text(), nullable=True),
        sa.Column("envelope_id", sa.Uuid(), nullable=True),
        sa.Column("last_envelope_id", sa.Uuid(), nullable=True),
        sa.Column("screen", sa.Text(), nullable=True),
        sa.Column("made_at", TS, nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("last_call_at", TS, nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.Column("acknowledged_by", sa.Text(), nullable=True),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
    )
    op.create_index("ix_staff_calls_device", "staff_calls", ["device_id", "status"])
    op.create_index("ix_staff_calls_status", "staff_calls", ["status"])


def downgrade() -> None:
    op.drop_index("ix_staff_calls_status", table_name="staff_calls")
    op.drop_index("ix_staff_calls_device", table_name="staff_calls")
    op.drop_table("staff_calls")
