"""콘텐츠 초안: the draft staff edit in the console before it becomes a content version.

A draft is the newest content version copied item by item (`content_draft_items`, one row per
survey, promotion, file… and one for the district and the budget), each with a revision counter
that a save must name, so two editors saving the same item never overwrite each other. A draft
is published now or at `publish_at` by whichever server process sees it due first.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "content_drafts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("base_version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("publish_at", TS, nullable=True),
        sa.Column("scheduled_by", sa.Text(), nullable=True),
        sa.Column("published_version", sa.String(64), nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
    )
    op.create_index("ix_content_drafts_status", "content_drafts", ["status", "publish_at"])
    op.create_table(
        "content_draft_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "draft_id",
            sa.Integer(),
            sa.ForeignKey("content_drafts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("section", sa.String(16), nullable=False),
        sa.Column("item_key", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=True),
        sa.UniqueConstraint("draft_id", "section", "item_key", name="uq_content_draft_item"),
    )


def downgrade() -> None:
    op.drop_table("content_draft_items")
    op.drop_index("ix_content_drafts_status", table_name="content_drafts")
    op.drop_table("content_drafts")
