"""Outbox envelopes written to a USB bundle are noted (`exported_at`), and a device reset
(기기 초기화) retires them with the terminal status `exported`: never sent to any server again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_TEXT = sa.String(27)

ENVELOPE_COLUMNS = (
    "id, device_seq, kind, schema_version, content_version, created_at, clock_offset_s, "
    "boot_id, practice, payload, sealed_identity"
)
# Rebuilding outbox (batch mode) drops its triggers (0002's, 0003's): they are created again.
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
    # 0003's
    "outbox_sealed_to_immutable": """
        CREATE TRIGGER outbox_sealed_to_immutable
        BEFORE UPDATE OF sealed_to ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox envelopes are immutable'); END
    """,
}


def _rebuild_outbox(statuses: str, *, add: bool) -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    # SQLite cannot alter a CHECK constraint in place: batch mode copies outbox, rows included.
    with op.batch_alter_table("outbox", recreate="always") as batch:
        if add:
            batch.add_column(sa.Column("exported_at", UTC_TEXT, nullable=True))
        else:
            batch.drop_column("exported_at")
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", f"status IN ({statuses})")
    for sql in TRIGGERS.values():
        op.execute(sql)


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
