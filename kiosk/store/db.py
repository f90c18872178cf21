"""Opening the device database: the file, its durability settings, its schema migrations, and
the transactions everything else in `kiosk.store` runs in.

Every connection runs with WAL, synchronous=FULL and foreign keys on. Transactions are begun
explicitly: writers take the write lock up front (BEGIN IMMEDIATE) so two writers, in this process
or another, queue on the busy timeout instead of failing halfway; readers use a plain BEGIN and
read a consistent snapshot while a writer works.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import URL, Connection, Engine, create_engine
from sqlalchemy.orm import Session

from contract.sqlite import (
    alembic_config,
    apply_pragmas,
    current_revision,
    use_durable_sqlite,
    writer,
)
from kiosk.store.quick import DB_FILENAME, HEAD_REVISION

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A writer waits this long for another writer (e.g. the sync worker) before giving up.
BUSY_TIMEOUT_MS = 5_000


class MigrationError(Exception):
    """The device database could not be brought to the schema this app version needs."""


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at `path` with the device's pragmas on every connection.

    It does not create or migrate the schema; `open_database` does.
    """
    engine = create_engine(
        # URL.create, not an f-string: a '?' or '#' in the install path must not end the name.
        URL.create("sqlite", database=str(path)),
        # The pool hands each connection to one thread at a time; the UI and the sync worker share.
        connect_args={"check_same_thread": False},
    )
    return use_durable_sqlite(engine, BUSY_TIMEOUT_MS)


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A write transaction with foreign keys off, as SQLite requires for rebuilding tables.

    Foreign keys are checked as a whole before the commit instead.
    """
    with writer(engine).connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        # Only takes effect outside a transaction, so it is set before BEGIN.
        driver.execute("PRAGMA foreign_keys=OFF").close()
        try:
            with conn.begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(f"migration left broken references: {broken[:5]}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON").close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision`, all steps in one transaction: all or nothing."""
    from alembic import command
    from alembic.util import CommandError

    try:
        with _migration_connection(engine) as conn:
            command.upgrade(alembic_config(MIGRATIONS_DIR, conn), revision)
    except CommandError as e:
        # E.g. the database was written by a newer app version than this one.
        raise MigrationError(f"cannot migrate the device database to {revision}: {e}") from e


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate back to `revision` (for development; see each migration's downgrade notes)."""
    from alembic import command

    with _migration_connection(engine) as conn:
        command.downgrade(alembic_config(MIGRATIONS_DIR, conn), revision)


class Database:
    """The open device database.

    Attributes:
        engine: the SQLAlchemy engine; transactions on it begin DEFERRED (reads).
        path: the SQLite file.
    """

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path
        self._write_engine = writer(engine)
        self._raw_writer: sqlite3.Connection | None = None
        self._raw_writer_lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits at the end of the block, rolls back if it raises."""
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A consistent read-only view that never takes the write lock; always rolled back."""
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A Core connection in a write transaction (BEGIN IMMEDIATE), committed at the end."""
        with self._write_engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A Core connection in a read transaction, rolled back at the end."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write_raw(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection in a write transaction (BEGIN IMMEDIATE), committed at the
        end, rolled back if the block raises.

        Only for the hot path (`Outbox.enqueue`): on a fast disk SQLAlchemy's per-statement cost
        is larger than the commit itself. One connection, kept open, one thread at a time.
        """
        with self._raw_writer_lock:
            if self._raw_writer is None:
                conn = sqlite3.connect(self.path, check_same_thread=False)
                apply_pragmas(conn, BUSY_TIMEOUT_MS)
                self._raw_writer = conn
            conn = self._raw_writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._raw_writer_lock:
            if self._raw_writer is not None:
                self._raw_writer.close()
                self._raw_writer = None
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_database(data_dir: Path) -> Database:
    """Open (creating if needed) the device database in `data_dir`, migrated to this app's schema.

    Cheap when the schema is already current: one query, and Alembic is not even imported.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_FILENAME
    engine = make_engine(path)
    try:
        found = current_revision(engine)
        if found != HEAD_REVISION:
            log.info("store.migrate from=%s to=%s path=%s", found, HEAD_REVISION, path)
            upgrade(engine, "head")
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, path)
