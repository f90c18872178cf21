"""포인트 교환 신청: one request per accepted points_exchange, decided by staff (지급 완료 / 반려).

Exchanges accepted before this migration become requests (신청), received when they were.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "point_exchanges",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("envelope_id", sa.Uuid(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.UniqueConstraint("device_id", "envelope_id", name="uq_point_exchanges_envelope"),
        sa.ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_point_exchanges_submission",
        ),
    )
    op.create_index("ix_point_exchanges_status", "point_exchanges", ["status", "requested_at"])
    # Every exchange already accepted is a request waiting for staff.
    op.execute(
        "INSERT INTO point_exchanges (device_id, envelope_id, points, requested_at, status)"
        " SELECT device_id, envelope_id, -points, received_at, 'requested'"
        " FROM resident_entries WHERE kind = 'points_exchange' ORDER BY id"
    )


def downgrade() -> None:
    op.drop_index("ix_point_exchanges_status", table_name="point_exchanges")
    op.drop_table("point_exchanges")
