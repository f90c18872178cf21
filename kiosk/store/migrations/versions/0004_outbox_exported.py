"""Outbox envelopes written to a USB bundle are noted (`exported_at`), and a device reset
(기기 초기화) retires them with the terminal status `exported`: never sent to any server again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.store.migration_ops import OUTBOX_TRIGGERS, UTC_TEXT, create_triggers, drop_triggers

revision = "0004"
down_revision = "0003"


def _rebuild_outbox(statuses: str, *, add: bool) -> None:
    # Rebuilding outbox (batch mode) drops its triggers (0002's, 0003's): they are made again.
    drop_triggers(*OUTBOX_TRIGGERS)
    # SQLite cannot alter a CHECK constraint in place: batch mode copies outbox, rows included.
    with op.batch_alter_table("outbox", recreate="always") as batch:
        if add:
            batch.add_column(sa.Column("exported_at", UTC_TEXT, nullable=True))
        else:
            batch.drop_column("exported_at")
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", f"status IN ({statuses})")
    create_triggers(*OUTBOX_TRIGGERS)


def upgrade() -> None:
    _rebuild_outbox("'pending', 'sent', 'dead', 'exported'", add=True)


def downgrade() -> None:
    # For development only: retired envelopes would have no status to go back to.
    bind = op.get_bind()
    retired = bind.execute(
        sa.text("SELECT count(*) FROM outbox WHERE status = 'exported'")
    ).scalar_one()
    if retired:
        raise RuntimeError(f"{retired} envelopes were retired by a reset; keep this revision")
    _rebuild_outbox("'pending', 'sent', 'dead'", add=False)
