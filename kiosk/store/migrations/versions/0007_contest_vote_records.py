"""This kiosk's one-vote records also hold contest votes (a contest whose vote is one per
resident, kiosk.store.civic_records): the kind's CHECK takes 'contest_vote'. SQLite cannot
change a CHECK in place, so the table is rebuilt with its rows and index.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"

_TABLE = """CREATE TABLE civic_records (
kind VARCHAR NOT NULL,
item_id VARCHAR NOT NULL,
scoped_key VARCHAR NOT NULL,
given_at VARCHAR(27) NOT NULL,
CONSTRAINT ck_civic_records_kind CHECK (kind IN ({kinds})),
CONSTRAINT pk_civic_records PRIMARY KEY (kind, item_id, scoped_key)
)"""
_COLUMNS = "kind, item_id, scoped_key, given_at"


def _rebuild(kinds: str, keep: str) -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("ALTER TABLE civic_records RENAME TO civic_records_old")
    conn.exec_driver_sql("DROP INDEX ix_civic_records_given")
    conn.exec_driver_sql(_TABLE.format(kinds=kinds))
    conn.exec_driver_sql(
        f"INSERT INTO civic_records ({_COLUMNS}) SELECT {_COLUMNS} FROM civic_records_old"
        f" WHERE kind IN ({keep})"
    )
    conn.exec_driver_sql("DROP TABLE civic_records_old")
    op.create_index("ix_civic_records_given", "civic_records", ["kind", "item_id", "given_at"])


def upgrade() -> None:
    _rebuild("'agree', 'ballot', 'contest_vote'", "'agree', 'ballot'")


def downgrade() -> None:
    # A contest vote's record has no place before this revision: it goes.
    _rebuild("'agree', 'ballot'", "'agree', 'ballot'")
