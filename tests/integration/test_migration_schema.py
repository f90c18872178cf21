"""The schema each migration makes stays what it was when the migration shipped.

Devices in the field sit at every revision, and the next migration they run assumes the schema
the earlier ones made: a past migration may be tidied in its text, never in what it makes. The
snapshot `device_schema.sql` holds, per revision, what it changed in `sqlite_master` after a
fresh upgrade to it: `+` what it made (tables with their columns and constraints as SQLite
keeps them, indexes, triggers), `-` what it took away, `~` what it changed. A new
migration appends its own section (`python -m tests.integration.test_migration_schema` prints
all of them); the old sections never change.
"""

from __future__ import annotations

import difflib
import sqlite3
import sys
import tempfile
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


def schema_of(path: Path) -> list[str]:
    """Everything in the database's `sqlite_master`, one entry a table, index or trigger."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    # The automatic indexes of UNIQUE and PRIMARY KEY constraints have no SQL of their own.
    return [
        f"{kind} {name} on {table}" + (f"\n{in_order(sql)};" if sql else "")
        for kind, name, table, sql in rows
    ]


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


def section(revision: str, before: list[str], after: list[str]) -> str:
    """What `revision` changed: `+` each entry it made, `-` each it took away, `~` each it
    changed, with the lines that went (`-`) and came (`+`)."""
    lines = [f"{SECTION}{revision}"]
    was = {entry.split("\n")[0]: entry for entry in before}
    now = {entry.split("\n")[0]: entry for entry in after}
    for name, entry in was.items():
        if name not in now:
            lines.append(f"- {entry}")
    for name, entry in now.items():
        if name not in was:
            lines.append(f"+ {entry}")
        elif entry != was[name]:
            lines.append(f"~ {name}")
            changes = difflib.ndiff(was[name].split("\n"), entry.split("\n"))
            lines += [line for line in changes if line.startswith(("- ", "+ "))]
    return "\n".join(lines) + "\n"


def schemas_by_revision(engine: Engine, path: Path) -> dict[str, list[str]]:
    """The schema after a fresh upgrade to each revision, the first first."""
    schemas = {}
    for revision in revisions_in_order():
        upgrade(engine, revision)
        schemas[revision] = schema_of(path)
    return schemas


def sections(schemas: dict[str, list[str]]) -> list[str]:
    before: list[str] = []
    made = []
    for revision, schema in schemas.items():
        made.append(section(revision, before, schema))
        before = schema
    return made


def snapshot() -> list[str]:
    text = SNAPSHOT.read_text(encoding="utf-8")
    return [SECTION + part for part in text.split(SECTION)[1:]]


def test_every_revision_makes_the_schema_it_made_when_it_shipped(
    data_dir: Path, engine: Engine
) -> None:
    made = sections(schemas_by_revision(engine, data_dir / DB_FILENAME))
    expected = snapshot()
    assert made[: len(expected)] == expected
    assert len(made) == len(expected), "a new migration: append its section to the snapshot"


def test_each_downgrade_gives_back_the_schema_of_the_revision_before(
    data_dir: Path, engine: Engine
) -> None:
    schemas = schemas_by_revision(engine, data_dir / DB_FILENAME)
    revisions = list(schemas)
    for revision in reversed(revisions[:-1]):
        downgrade(engine, revision)
        assert schema_of(data_dir / DB_FILENAME) == schemas[revision]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DB_FILENAME
        engine = make_engine(path)
        try:
            sys.stdout.write("".join(sections(schemas_by_revision(engine, path))))
        finally:
            engine.dispose()
