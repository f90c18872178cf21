"""Dead letters, device settings, delivery receipts; outbox rows become immutable."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.store.migration_ops import JSON_TEXT, UTC_TEXT, create_triggers, drop_triggers

revision = "0002"
down_revision = "0001"

# Envelopes are immutable, outbox rows and dead letters never deleted.
TRIGGERS = ("outbox_envelope_immutable", "outbox_never_deleted", "dead_letters_never_deleted")


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
    create_triggers(*TRIGGERS)


def downgrade() -> None:
    # For development only: settings and receipts are lost; dead letters block the downgrade.
    bind = op.get_bind()
    dead = bind.execute(sa.text("SELECT count(*) FROM outbox WHERE status = 'dead'")).scalar_one()
    if dead:
        raise RuntimeError(f"{dead} dead letters would be lost; export them before downgrading")
    drop_triggers(*TRIGGERS)
    op.drop_table("device_settings")
    op.drop_table("dead_letters")
    with op.batch_alter_table("outbox", recreate="always") as batch:
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", "status IN ('pending', 'sent')")
        batch.drop_column("receipt")
        batch.drop_column("last_attempt_at")
