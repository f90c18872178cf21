"""The outbox records which server key each envelope was sealed to (device-local, never sent).

Envelopes queued before this revision were sealed to the key the device held then: the key it
holds now is recorded for them (a device could only change key by enrolling again). The column
is immutable like the envelope itself.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from kiosk.store.migration_ops import create_triggers, drop_triggers

revision = "0003"
down_revision = "0002"

# sync.worker.SERVER_PUBLIC_KEY_KEY; device_settings values are JSON text.
SERVER_PUBLIC_KEY_KEY = "sync.server_public_key"


def upgrade() -> None:
    # ADD COLUMN, not a batch rebuild: the rows and 0002's triggers stay as they are.
    op.add_column("outbox", sa.Column("sealed_to", sa.Text(), nullable=True))
    bind = op.get_bind()
    stored = bind.execute(
        sa.text("SELECT value FROM device_settings WHERE key = :key"),
        {"key": SERVER_PUBLIC_KEY_KEY},
    ).scalar()
    key = json.loads(stored) if stored else None
    if isinstance(key, str) and key:
        bind.execute(
            sa.text("UPDATE outbox SET sealed_to = :key WHERE sealed_identity IS NOT NULL"),
            {"key": key},
        )
    create_triggers("outbox_sealed_to_immutable")


def downgrade() -> None:
    drop_triggers("outbox_sealed_to_immutable")
    # SQLite 3.35+ drops a column in place; the other triggers do not name it.
    op.drop_column("outbox", "sealed_to")
