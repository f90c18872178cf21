"""Content pack tables and the outbox."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.store.migration_ops import JSON_TEXT, UTC_TEXT

revision = "0001"
down_revision = None


def _version_table(name: str, key: sa.Column[str], *items: sa.schema.SchemaItem) -> None:
    """A table of one content version's rows, keyed by (content_version, `key`)."""
    op.create_table(
        name,
        sa.Column("content_version", sa.String(), nullable=False),
        key,
        *items,
        sa.PrimaryKeyConstraint("content_version", key.name),
        sa.ForeignKeyConstraint(["content_version"], ["content_versions.version"]),
    )


def _content_table(name: str, *columns: sa.schema.SchemaItem) -> None:
    """A content item table: (content_version, id) key, pack order, title and the full item."""
    _version_table(
        name,
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("data", JSON_TEXT, nullable=False),
        *columns,
    )


def _moments(*names: str) -> list[sa.Column[str]]:
    """Optional moments (opening, closing, ...), one UTC text column each."""
    return [sa.Column(name, UTC_TEXT, nullable=True) for name in names]


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

    _content_table("surveys", *_moments("opens_at", "closes_at"))
    _content_table("contests", *_moments("opens_at", "closes_at"))
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
        *_moments("opens_at", "closes_at"),
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
        *_moments("starts_at", "ends_at"),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("emergency", sa.Boolean(), nullable=True),
    )
    _content_table("videos", sa.Column("duration_s", sa.Float(), nullable=True))

    _version_table(
        "point_rules",
        sa.Column("activity_kind", sa.String(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
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
