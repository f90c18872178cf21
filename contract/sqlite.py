"""The SQLite rules the device store and the reference server share.

Every connection runs with WAL, synchronous=FULL (a commit has reached the disk before anyone
is told "saved" or "received") and foreign keys on, and waits on a busy writer instead of
failing. Transactions are begun explicitly: writers take the write lock up front (BEGIN
IMMEDIATE), so two writers queue on the busy timeout instead of one failing halfway when its
read transaction tries to become a write one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.pool import ConnectionPoolEntry

if TYPE_CHECKING:
    from alembic.config import Config

# Execution option read by the "begin" listener: how a transaction starts.
BEGIN_OPTION = "ontong_sqlite_begin"


def apply_pragmas(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    # Stop the sqlite3 module from starting transactions itself; we BEGIN explicitly.
    dbapi_connection.isolation_level = None
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={busy_timeout_ms}",
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}").close()


def use_durable_sqlite(engine: Engine, busy_timeout_ms: int) -> Engine:
    """Put the pragmas on every connection of `engine` and begin its transactions explicitly."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        apply_pragmas(dbapi_connection, busy_timeout_ms)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    # Straight to the driver: this runs for every transaction, and SQLAlchemy adds nothing here.
    conn.connection.driver_connection.execute(f"BEGIN {mode}").close()  # type: ignore[union-attr]


def writer(engine: Engine) -> Engine:
    """`engine` with transactions that take the write lock at BEGIN."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


def alembic_config(migrations_dir: Path, connection: Connection) -> Config:
    """An Alembic configuration that migrates through `connection` (already in a transaction)."""
    from alembic.config import Config

    config = Config()
    # Config values are interpolated: a literal % in the install path must be doubled.
    config.set_main_option("script_location", str(migrations_dir).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; None for a new, empty database."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):
            # No alembic_version table yet: nothing has been migrated.
            return None
