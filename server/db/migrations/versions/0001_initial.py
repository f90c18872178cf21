"""Keys, enrolment, devices and their status, submissions and their audit, content.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "server_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("private_key", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.Column("device_id", sa.String(40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("app_version", sa.Text(), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("enrolled_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_table(
        "device_status",
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), primary_key=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("app_version", sa.Text(), nullable=False),
        sa.Column("content_version", sa.Text(), nullable=True),
        sa.Column("queue_depth", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("schema_version", sa.BigInteger(), nullable=False),
        sa.Column("content_version", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("clock_offset_s", sa.Float(), nullable=False),
        sa.Column("created_at_server", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index("ix_submissions_device_seq", "submissions", ["device_id", "device_seq"])
    op.create_table(
        "rejected_envelopes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("envelope_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("reason_code", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.UniqueConstraint("envelope_id", "device_id", "body_sha256", name="uq_rejected_delivery"),
    )
    op.create_index("ix_rejected_device_seq", "rejected_envelopes", ["device_id", "device_seq"])
    op.create_table(
        "manifests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("content_version", sa.String(64), nullable=False, unique=True),
        sa.Column("published_at", TS, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "assets",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("stored_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "assets",
        "manifests",
        "rejected_envelopes",
        "submissions",
        "device_status",
        "devices",
        "enrollment_codes",
        "server_keys",
    ):
        op.drop_table(table)
