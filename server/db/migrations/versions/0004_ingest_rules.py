"""Ingest rules: ids per device, held envelopes, residents seen, devices' highest-seq marks.

- `submissions` is keyed by (device_id, id): another device reusing an id never blocks the
  owner. `resident_entries` gains `device_id` and references its envelope by both columns.
  Every stored row is kept. PostgreSQL changes the keys in place; SQLite cannot change a
  primary key, so both tables are rebuilt (made anew, rows copied, the old ones dropped).
- `residents_seen`: each resident key counted so far and the device that brought it first,
  filled from the existing entries (the per-device limit on new residents).
- `held_envelopes`: stored envelopes waiting for staff (release or refuse).
- `device_marks`: the highest device_seq each device reported, and when (deadline evidence).

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

TS = sa.DateTime(timezone=True)
_SUBMISSION_COLUMNS = (
    "id, body_sha256, device_id, device_seq, kind, schema_version, content_version, created_at,"
    " clock_offset_s, created_at_server, received_at, practice, counted, note, body"
)


def _submissions(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), nullable=False),
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
        sa.PrimaryKeyConstraint("device_id", "id"),
    )


def _resident_entries(name: str, submissions: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("envelope_id", sa.Uuid(), nullable=False),
        sa.Column("resident_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.UniqueConstraint("device_id", "envelope_id", name="uq_resident_entries_envelope"),
        sa.ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            [f"{submissions}.device_id", f"{submissions}.id"],
            name="fk_resident_entries_submission",
        ),
    )


def _rebuild_on_sqlite() -> None:
    # New tables beside the old ones, rows copied, children dropped before parents (foreign
    # keys stay on), then renamed: SQLite rewrites the references of the renamed table.
    _submissions("submissions_0004")
    op.execute(
        f"INSERT INTO submissions_0004 ({_SUBMISSION_COLUMNS})"
        f" SELECT {_SUBMISSION_COLUMNS} FROM submissions"
    )
    _resident_entries("resident_entries_0004", "submissions_0004")
    op.execute(
        "INSERT INTO resident_entries_0004 (id, device_id, envelope_id, resident_key, kind,"
        " target, counted, points, received_at)"
        " SELECT r.id, s.device_id, r.envelope_id, r.resident_key, r.kind, r.target, r.counted,"
        " r.points, r.received_at FROM resident_entries r JOIN submissions s"
        " ON s.id = r.envelope_id"
    )
    op.drop_table("resident_entries")
    op.drop_table("submissions")
    op.rename_table("submissions_0004", "submissions")
    op.rename_table("resident_entries_0004", "resident_entries")
    op.create_index("ix_submissions_device_seq", "submissions", ["device_id", "device_seq"])
    op.create_index(
        "ix_resident_entries_target", "resident_entries", ["resident_key", "kind", "target"]
    )
    op.create_index("ix_resident_entries_kind_target", "resident_entries", ["kind", "target"])


def _rekey_on_postgresql() -> None:
    op.drop_constraint("resident_entries_envelope_id_fkey", "resident_entries", "foreignkey")
    op.drop_constraint("resident_entries_envelope_id_key", "resident_entries", "unique")
    op.drop_constraint("submissions_pkey", "submissions", "primary")
    op.create_primary_key("submissions_pkey", "submissions", ["device_id", "id"])
    op.add_column("resident_entries", sa.Column("device_id", sa.String(40), nullable=True))
    op.execute(
        "UPDATE resident_entries SET device_id = s.device_id FROM submissions s"
        " WHERE s.id = resident_entries.envelope_id"
    )
    op.alter_column("resident_entries", "device_id", nullable=False)
    op.create_unique_constraint(
        "uq_resident_entries_envelope", "resident_entries", ["device_id", "envelope_id"]
    )
    op.create_foreign_key(
        "fk_resident_entries_submission",
        "resident_entries",
        "submissions",
        ["device_id", "envelope_id"],
        ["device_id", "id"],
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite()
    else:
        _rekey_on_postgresql()
    op.create_index(
        "ix_resident_entries_device_target", "resident_entries", ["device_id", "kind", "target"]
    )

    op.create_table(
        "residents_seen",
        sa.Column("resident_key", sa.String(64), primary_key=True),
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("first_seen_at", TS, nullable=False),
    )
    op.create_index("ix_residents_seen_device", "residents_seen", ["device_id", "first_seen_at"])
    # Every resident already counted is seen, brought by the device of their first entry.
    op.execute(
        "INSERT INTO residents_seen (resident_key, device_id, first_seen_at)"
        " SELECT resident_key, device_id, received_at FROM resident_entries"
        " WHERE id IN (SELECT min(id) FROM resident_entries GROUP BY resident_key)"
    )

    op.create_table(
        "held_envelopes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("envelope_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("resident_key", sa.String(64), nullable=True),
        sa.Column("reason_code", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("held_at", TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.UniqueConstraint("device_id", "envelope_id", name="uq_held_envelope"),
        sa.ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_held_envelope_submission",
        ),
    )
    op.create_index("ix_held_envelopes_status", "held_envelopes", ["status"])

    op.create_table(
        "device_marks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(40), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("highest_seq", sa.BigInteger(), nullable=False),
        sa.Column("first_received_at", TS, nullable=False),
        sa.Column("last_received_at", TS, nullable=False),
    )
    op.create_index("ix_device_marks_device", "device_marks", ["device_id", "last_received_at"])


def downgrade() -> None:
    raise NotImplementedError("0004 keys envelopes per device; going back could lose rows")
