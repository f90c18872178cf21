"""The schema each migration makes stays what it was when the migration shipped.

Devices in the field sit at every revision, and the next migration they run assumes the schema
the earlier ones made: a past migration may be tidied in its text, never in what it makes. The
snapshot `device_schema.sql` holds, per revision, everything in `sqlite_master` (tables,
columns and constraints as SQLite keeps them, indexes, triggers) after a fresh upgrade to it.
A new migration appends its own section (the test says how); the old sections never change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from kiosk.store.db import DB_FILENAME, MIGRATIONS_DIR, downgrade, make_engine, upgrade

SNAPSHOT = Path(__file__).with_name("device_schema.sql")
SECTION = "-- revision "
CONSTRAINTS = ("CONSTRAINT ", "PRIMARY KEY", "FOREIGN KEY", "UNIQUE", "CHECK")


@pytest.fixture
def engine(data_dir: Path) -> Iterator[Engine]:
    engine = make_engine(data_dir / DB_FILENAME)
    yield engine
    engine.dispose()


def revisions_in_order() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config).walk_revisions()  # head first
    return [script.revision for script in reversed(list(scripts))]


def schema_of(path: Path, revision: str) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    lines = [f"{SECTION}{revision}"]
    for kind, name, table, sql in rows:
        # The automatic indexes of UNIQUE and PRIMARY KEY constraints have no SQL of their own.
        lines.append(f"-- {kind} {name} on {table}" + (f"\n{in_order(sql)};" if sql else ""))
    return "\n".join(lines) + "\n"


def in_order(sql: str) -> str:
    """`sql` with white space folded; a table's one column or constraint a line, the
    constraints sorted.

    The same schema reads differently by the way it was made: SQLite keeps a trigger's text as
    written, indentation included; ADD COLUMN appends to a table's last line; a batch rebuild
    writes the constraints in an order that varies from run to run (Alembic keeps them in a
    set). None of these means anything to SQLite. Columns keep their order, which does.
    """
    if not sql.startswith("CREATE TABLE"):
        return " ".join(sql.split())
    head, _, body = sql.partition("(")
    items, depth, item = [], 0, ""
    for char in body.rstrip().removesuffix(")"):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(" ".join(item.split()))
            item = ""
        else:
            item += char
    items.append(" ".join(item.split()))
    columns = [item for item in items if not item.startswith(CONSTRAINTS)]
    constraints = sorted(item for item in items if item.startswith(CONSTRAINTS))
    table = head.strip().replace('"', "")  # a table renamed by a rebuild has its name quoted
    return "\n".join([f"{table} (", ",\n".join(columns + constraints), ")"])


def snapshot() -> list[str]:
    text = SNAPSHOT.read_text(encoding="utf-8")
    return [SECTION + part for part in text.split(SECTION)[1:]]


def test_every_revision_makes_the_schema_it_made_when_it_shipped(
    data_dir: Path, engine: Engine
) -> None:
    made = []
    for revision in revisions_in_order():
        upgrade(engine, revision)
        made.append(schema_of(data_dir / DB_FILENAME, revision))
    expected = snapshot()
    # A new revision adds its section at the end: write it with this module's schema_of.
    assert made[: len(expected)] == expected
    assert len(made) == len(expected), "a new migration: append its section to the snapshot"


def test_each_downgrade_gives_back_the_schema_of_the_revision_before(
    data_dir: Path, engine: Engine
) -> None:
    revisions = revisions_in_order()
    upgrade(engine, "head")
    expected = snapshot()
    for index in range(len(revisions) - 2, -1, -1):
        downgrade(engine, revisions[index])
        assert schema_of(data_dir / DB_FILENAME, revisions[index]) == expected[index]
