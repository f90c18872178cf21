"""Dead letters, device settings, delivery receipts; outbox rows become immutable.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_TEXT = sa.String(27)
JSON_TEXT = sa.Text()  # see 0001: JSON is stored as TEXT

ENVELOPE_COLUMNS = (
    "id, device_seq, kind, schema_version, content_version, created_at, clock_offset_s, "
    "boot_id, practice, payload, sealed_identity"
)

# Rebuilding a table (batch mode) drops its triggers: a later migration that rebuilds outbox
# or dead_letters must create these again.
TRIGGERS = {
    "outbox_envelope_immutable": f"""
        CREATE TRIGGER outbox_envelope_immutable
        BEFORE UPDATE OF {ENVELOPE_COLUMNS} ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox envelopes are immutable'); END
    """,
    "outbox_never_deleted": """
        CREATE TRIGGER outbox_never_deleted BEFORE DELETE ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox rows are never deleted'); END
    """,
    "dead_letters_never_deleted": """
        CREATE TRIGGER dead_letters_never_deleted BEFORE DELETE ON dead_letters
        BEGIN SELECT RAISE(ABORT, 'dead letters are never deleted'); END
    """,
}


def upgrade() -> None:
    # SQLite cannot alter a CHECK constraint in place: batch mode copies outbox, rows included.
    with op.batch_alter_table("outbox", recreate="always") as batch:
        batch.add_column(sa.Column("last_attempt_at", UTC_TEXT, nullable=True))
        batch.add_column(sa.Column("receipt", JSON_TEXT, nullable=True))
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", "status IN ('pending', 'sent', 'dead')")

    op.create_table(
        "dead_letters",
        sa.Column("envelope_id", sa.String(36), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_at", UTC_TEXT, nullable=False),
        sa.ForeignKeyConstraint(["envelope_id"], ["outbox.id"]),
    )
    op.create_table(
        "device_settings",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", JSON_TEXT, nullable=True),
    )
    for sql in TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    # For development only: settings and receipts are lost; dead letters block the downgrade.
    bind = op.get_bind()
    dead = bind.execute(sa.text("SELECT count(*) FROM outbox WHERE status = 'dead'")).scalar_one()
    if dead:
        raise RuntimeError(f"{dead} dead letters would be lost; export them before downgrading")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("device_settings")
    op.drop_table("dead_letters")
    with op.batch_alter_table("outbox", recreate="always") as batch:
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", "status IN ('pending', 'sent')")
        batch.drop_column("receipt")
        batch.drop_column("last_attempt_at")
