"""The one-vote records ("already agreed / voted here", kiosk.store.civic_records) in their own
indexed table instead of one JSON list per item in device_settings, rewritten whole on each
vote; the lists are moved over and deleted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from kiosk.store.migration_ops import UTC_TEXT

revision = "0006"
down_revision = "0005"

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# The device-settings keys the lists were kept under, and the record kind of each.
PREFIXES = {"civic.agrees.": "agree", "civic.ballots.": "ballot"}


def upgrade() -> None:
    op.create_table(
        "civic_records",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("scoped_key", sa.String(), nullable=False),
        sa.Column("given_at", UTC_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", "scoped_key", name="pk_civic_records"),
        sa.CheckConstraint("kind IN ('agree', 'ballot')", name="ck_civic_records_kind"),
    )
    # A proposal's agrees since a moment (its count), without reading every record.
    op.create_index("ix_civic_records_given", "civic_records", ["kind", "item_id", "given_at"])
    conn = op.get_bind()
    moved = []
    old_keys = []
    for key, value in conn.exec_driver_sql("SELECT key, value FROM device_settings").all():
        prefix = next((p for p in PREFIXES if key.startswith(p)), None)
        if prefix is None:
            continue
        old_keys.append(key)
        records = json.loads(value) if value is not None else []
        for r in records if isinstance(records, list) else []:
            if not isinstance(r, dict) or not r.get("k") or not r.get("at"):
                continue
            given = datetime.fromisoformat(str(r["at"]))
            if given.tzinfo is None:  # never written so; kept rather than lost
                given = given.replace(tzinfo=UTC)
            moved.append(
                (PREFIXES[prefix], key[len(prefix) :], str(r["k"]), _utc_text(given))
            )
    if moved:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO civic_records (kind, item_id, scoped_key, given_at)"
            " VALUES (?, ?, ?, ?)",
            moved,
        )
    for key in old_keys:
        conn.exec_driver_sql("DELETE FROM device_settings WHERE key = ?", (key,))


def downgrade() -> None:
    conn = op.get_bind()
    lists: dict[str, list[dict[str, str]]] = {}
    rows = conn.exec_driver_sql(
        "SELECT kind, item_id, scoped_key, given_at FROM civic_records ORDER BY given_at"
    ).all()
    for kind, item_id, scoped_key, given_at in rows:
        prefix = next(p for p, k in PREFIXES.items() if k == kind)
        given = datetime.strptime(given_at, UTC_FORMAT).replace(tzinfo=UTC)
        lists.setdefault(prefix + item_id, []).append({"k": scoped_key, "at": given.isoformat()})
    for key, records in lists.items():
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO device_settings (key, value) VALUES (?, ?)",
            (key, json.dumps(records)),
        )
    op.drop_index("ix_civic_records_given", table_name="civic_records")
    op.drop_table("civic_records")


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime(UTC_FORMAT)
