"""Residents without their identity: the server's HMAC secret and each identified envelope's
resident key, whether it counted, and its points.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "resident_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "envelope_id", sa.Uuid(), sa.ForeignKey("submissions.id"), nullable=False, unique=True
        ),
        sa.Column("resident_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
    )
    op.create_index(
        "ix_resident_entries_target", "resident_entries", ["resident_key", "kind", "target"]
    )
    op.create_index("ix_resident_entries_kind_target", "resident_entries", ["kind", "target"])


def downgrade() -> None:
    op.drop_index("ix_resident_entries_kind_target", table_name="resident_entries")
    op.drop_index("ix_resident_entries_target", table_name="resident_entries")
    op.drop_table("resident_entries")
    op.drop_table("server_secrets")
