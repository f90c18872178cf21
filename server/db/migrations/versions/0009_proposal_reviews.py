"""제안 검토: staff's decision on each new proposal written at a kiosk (게시 or 반려), the
district's answer, and the proposal id it was published under.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "proposal_reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("envelope_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("proposal_id", sa.String(64), nullable=True),
        sa.Column("content_version", sa.String(64), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("answered_by", sa.Text(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.UniqueConstraint("device_id", "envelope_id", name="uq_proposal_reviews_envelope"),
        sa.ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_proposal_reviews_submission",
        ),
    )
    op.create_index("ix_proposal_reviews_status", "proposal_reviews", ["status", "decided_at"])


def downgrade() -> None:
    op.drop_index("ix_proposal_reviews_status", table_name="proposal_reviews")
    op.drop_table("proposal_reviews")
