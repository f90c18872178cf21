"""Secrets out of the database: the private key and the resident secret move to key files, and
stored bodies keep a hash of each sealed identity instead of the seal (as does each resident
entry, so a seal does one act).

Before this, a copy of the database alone opened every identity (the seals and the key that
opens them were side by side). The keys are written to the keys folder the server names
(config attribute "keys_dir"; server.keys), then dropped from the database.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op
from alembic.util import CommandError

from server.keys import PRIVATE_KEY_FILE, RESIDENT_SECRET_FILE, read_key_file, write_key_file
from server.seals import SEAL_FIELD, seal_digest, without_seal

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# How each table's bodies were written (server.ingest): kept so the hash of a body does not
# change its form.
_BODY_FORMS = {"submissions": False, "rejected_envelopes": True}  # ensure_ascii


def upgrade() -> None:
    conn = op.get_bind()
    private_key = conn.execute(sa.text("SELECT private_key FROM server_keys WHERE id = 1")).scalar()
    secret = conn.execute(
        sa.text("SELECT secret FROM server_secrets WHERE name = 'resident_key'")
    ).scalar()
    if private_key or secret:
        keys_dir = context.config.attributes.get("keys_dir")
        if keys_dir is None:
            raise CommandError(
                "this database still holds the server's keys: migrate it with the server's"
                " --keys-dir so they can be moved into key files"
            )
        _move(Path(keys_dir) / PRIVATE_KEY_FILE, private_key)
        _move(Path(keys_dir) / RESIDENT_SECRET_FILE, secret)
    with op.batch_alter_table("server_keys") as batch:
        batch.drop_column("private_key")
    op.drop_table("server_secrets")
    op.add_column("resident_entries", sa.Column("seal_sha256", sa.String(64), nullable=True))
    op.create_index("ix_resident_entries_seal", "resident_entries", ["seal_sha256"])
    for table, ascii_only in _BODY_FORMS.items():
        _strip_seals(conn, table, ascii_only)


def _move(path: Path, value: str | None) -> None:
    if not value:
        return
    raw = base64.b64decode(value)
    if not write_key_file(path, raw) and read_key_file(path) != raw:
        raise CommandError(f"{path.name} in the keys folder holds another key than the database")


def _strip_seals(conn: sa.Connection, table: str, ascii_only: bool) -> None:
    # The keys of the rows first (small), then one body at a time: memory stays bounded.
    keys = conn.execute(
        sa.text(f"SELECT id, device_id FROM {table} WHERE body LIKE :seal"),
        {"seal": f'%"{SEAL_FIELD}":%'},
    ).all()
    for envelope_id, device_id in keys:
        where = {"id": envelope_id, "device_id": device_id}
        body = conn.execute(
            sa.text(f"SELECT body FROM {table} WHERE id = :id AND device_id = :device_id"),
            where,
        ).scalar_one()
        document = json.loads(body)
        if not isinstance(document, dict) or document.get(SEAL_FIELD) is None:
            continue  # "sealed_identity" only inside the payload, or null
        stripped = json.dumps(
            without_seal(document), sort_keys=True, separators=(",", ":"), ensure_ascii=ascii_only
        )
        conn.execute(
            sa.text(f"UPDATE {table} SET body = :body WHERE id = :id AND device_id = :device_id"),
            {**where, "body": stripped},
        )
        if table == "submissions":  # its resident entry keeps the seal's hash: one act a seal
            conn.execute(
                sa.text(
                    "UPDATE resident_entries SET seal_sha256 = :seal"
                    " WHERE envelope_id = :id AND device_id = :device_id"
                ),
                {**where, "seal": seal_digest(document[SEAL_FIELD])},
            )


def downgrade() -> None:
    raise CommandError(
        "0006 cannot be undone: the seals it removed are gone, and the keys stay in the keys folder"
    )
