"""긴급 공지 for one device group (기기 묶음): the notice names the group's key; devices in it
are answered the notice (server.emergency). Plain text, not a foreign key: a notice stays as the
record when its group is deleted (it then reaches nobody).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("emergency_notices", sa.Column("group_key", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("emergency_notices") as batch:
        batch.drop_column("group_key")
