"""What the device migrations (`migrations/versions`) share: the column types and the outbox's
triggers, each written once.

Past migrations import from here, so nothing here may change what they make: a test compares
the schema of every revision with a snapshot (tests/integration/test_migration_schema.py).
A migration that needs something else writes it anew, here or in its own file.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import String, Text

# Aware datetimes are stored as fixed-width UTC text, e.g. 2026-11-25T07:46:50.123456Z.
UTC_TEXT = String(27)
# JSON values are TEXT: a column declared JSON would get numeric affinity and mangle "1.5".
JSON_TEXT = Text()

# The envelope's columns as 0001 made them: none may change once written.
ENVELOPE_COLUMNS = (
    "id, device_seq, kind, schema_version, content_version, created_at, clock_offset_s, "
    "boot_id, practice, payload, sealed_identity"
)
# Rebuilding a table (batch mode) drops its triggers: a migration that rebuilds outbox or
# dead_letters creates its triggers again.
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
    # The server key an envelope was sealed to (0003) is as immutable as the envelope.
    "outbox_sealed_to_immutable": """
        CREATE TRIGGER outbox_sealed_to_immutable
        BEFORE UPDATE OF sealed_to ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox envelopes are immutable'); END
    """,
}
# The triggers on outbox itself, which a rebuild of outbox drops.
OUTBOX_TRIGGERS = (
    "outbox_envelope_immutable",
    "outbox_never_deleted",
    "outbox_sealed_to_immutable",
)


def create_triggers(*names: str) -> None:
    for name in names:
        op.execute(TRIGGERS[name])


def drop_triggers(*names: str) -> None:
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
