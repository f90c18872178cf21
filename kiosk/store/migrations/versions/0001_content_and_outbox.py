"""Content pack tables and the outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Aware datetimes are stored as fixed-width UTC text, e.g. 2026-11-25T07:46:50.123456Z.
UTC_TEXT = sa.String(27)
# JSON values are TEXT: a column declared JSON would get numeric affinity and mangle "1.5".
JSON_TEXT = sa.Text()


def _content_table(name: str, *columns: sa.schema.SchemaItem) -> None:
    """A content item table: (content_version, id) key, pack order, title and the full item."""
    op.create_table(
        name,
        sa.Column("content_version", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("data", JSON_TEXT, nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("content_version", "id"),
        sa.ForeignKeyConstraint(["content_version"], ["content_versions.version"]),
    )


def upgrade() -> None:
    op.create_table(
        "content_versions",
        sa.Column("version", sa.String(), primary_key=True),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("manifest", JSON_TEXT, nullable=False),
        sa.Column("loaded_at", UTC_TEXT, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    # At most one active version: a unique index over the active rows only.
    op.create_index(
        "uq_content_versions_one_active",
        "content_versions",
        ["active"],
        unique=True,
        sqlite_where=sa.text("active"),
    )

    _content_table(
        "surveys",
        sa.Column("opens_at", UTC_TEXT, nullable=True),
        sa.Column("closes_at", UTC_TEXT, nullable=True),
    )
    _content_table(
        "contests",
        sa.Column("opens_at", UTC_TEXT, nullable=True),
        sa.Column("closes_at", UTC_TEXT, nullable=True),
    )
    _content_table(
        "proposals",
        sa.Column("dong", sa.String(), nullable=True),
        sa.Column("topic", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("agree_count", sa.Integer(), nullable=True),
        sa.Column("deadline", UTC_TEXT, nullable=True),
    )
    op.create_index("ix_proposals_dong_topic", "proposals", ["content_version", "dong", "topic"])
    _content_table(
        "ballots",
        sa.Column("dong", sa.String(), nullable=True),
        sa.Column("opens_at", UTC_TEXT, nullable=True),
        sa.Column("closes_at", UTC_TEXT, nullable=True),
    )
    _content_table(
        "ballot_projects",
        sa.Column("ballot_id", sa.String(), nullable=False),
        sa.Column("dong", sa.String(), nullable=True),
        sa.Column("cost_won", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_version", "ballot_id"], ["ballots.content_version", "ballots.id"]
        ),
    )
    op.create_index(
        "ix_ballot_projects_ballot", "ballot_projects", ["content_version", "ballot_id"]
    )
    _content_table(
        "promotions",
        sa.Column("starts_at", UTC_TEXT, nullable=True),
        sa.Column("ends_at", UTC_TEXT, nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("emergency", sa.Boolean(), nullable=True),
    )
    _content_table("videos", sa.Column("duration_s", sa.Float(), nullable=True))

    op.create_table(
        "point_rules",
        sa.Column("content_version", sa.String(), nullable=False),
        sa.Column("activity_kind", sa.String(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("content_version", "activity_kind"),
        sa.ForeignKeyConstraint(["content_version"], ["content_versions.version"]),
    )
    op.create_table(
        "assets",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
    )
    op.create_table(
        "content_assets",
        sa.Column("content_version", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("content_version", "sha256"),
        sa.ForeignKeyConstraint(["content_version"], ["content_versions.version"]),
        sa.ForeignKeyConstraint(["sha256"], ["assets.sha256"]),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("content_version", sa.String(), nullable=True),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.Column("clock_offset_s", sa.Float(), nullable=False),
        sa.Column("boot_id", sa.String(), nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("sealed_identity", sa.Text(), nullable=True),
        sa.Column("status", sa.String(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", UTC_TEXT, nullable=True),
        sa.UniqueConstraint("device_seq", name="uq_outbox_device_seq"),
        sa.CheckConstraint("status IN ('pending', 'sent')", name="ck_outbox_status"),
        sa.CheckConstraint("device_seq >= 1", name="ck_outbox_device_seq"),
    )
    op.create_index("ix_outbox_status_seq", "outbox", ["status", "device_seq"])


def downgrade() -> None:
    # Dependants first; dropping a table drops its indexes with it.
    for name in (
        "outbox",
        "content_assets",
        "assets",
        "point_rules",
        "videos",
        "promotions",
        "ballot_projects",
        "ballots",
        "proposals",
        "contests",
        "surveys",
        "content_versions",
    ):
        op.drop_table(name)
