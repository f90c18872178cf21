"""기기 묶음: device groups and their devices, so promotions targeted at a group reach only the
devices in it (server.groups, contract.audience).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "device_groups",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=True),
    )
    op.create_table(
        "device_group_members",
        sa.Column(
            "group_key",
            sa.String(64),
            sa.ForeignKey("device_groups.key", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), primary_key=True),
    )
    op.create_index("ix_device_group_members_device_id", "device_group_members", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_device_group_members_device_id", table_name="device_group_members")
    op.drop_table("device_group_members")
    op.drop_table("device_groups")
