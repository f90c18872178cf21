"""Opening the central server's database: SQLite (a file, WAL) or PostgreSQL (a URL), its
schema migrations, and the transactions every service runs in.

On SQLite, writers take the write lock up front (BEGIN IMMEDIATE) so concurrent requests queue
on the busy timeout instead of failing when a read transaction tries to become a write one. The
files are the server's alone (0600), and deleted content is overwritten (secure_delete), so a
copy of them holds nothing the server has let go of.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry

from contract.sqlite import alembic_config, current_revision, use_durable_sqlite, writer

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0016"
# The migration that took the seals and keys out: a database migrated past it is compacted once.
SECRETS_REMOVED_REVISION = "0006"
# A writer waits this long for another writer before the request fails.
BUSY_TIMEOUT_MS = 30_000
# Connections one server process keeps at most (its request threads are as many, server.app):
# `serve --workers N` on PostgreSQL needs N times this within its max_connections (100 by
# default), with some to spare for staff tools.
DB_CONNECTIONS = 32
_POOL_SIZE = 8


class MigrationError(Exception):
    """The database could not be brought to the schema this server version needs."""


def database_url(db: str) -> URL:
    """The SQLAlchemy URL for `db`: a URL as given, or a path to an SQLite file.

    ``postgresql://`` is read as PostgreSQL through psycopg 3, the driver the server installs.
    """
    if "://" not in db:
        # URL.create, not an f-string: a '?' or '#' in the path must not end the file name.
        return URL.create("sqlite", database=str(Path(db).expanduser().resolve()))
    url = make_url(db)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(db: str | URL) -> Engine:
    """An engine for `db` with the server's settings on every connection; no schema change."""
    url = db if isinstance(db, URL) else database_url(db)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            # Each pooled connection serves one request thread at a time.
            connect_args={"check_same_thread": False},
            pool_size=_POOL_SIZE,
            max_overflow=DB_CONNECTIONS - _POOL_SIZE,
        )
        # A receipt promises the envelope is stored: the same durable settings as the device.
        event.listen(engine, "connect", _secure_delete)
        return use_durable_sqlite(engine, BUSY_TIMEOUT_MS)
    return create_engine(
        url, pool_size=_POOL_SIZE, max_overflow=DB_CONNECTIONS - _POOL_SIZE, pool_pre_ping=True
    )


def _secure_delete(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Deleted and overwritten content is zeroed in the file, not left in free pages.
    dbapi_connection.execute("PRAGMA secure_delete=ON").close()


def private_sqlite_file(path: Path) -> None:
    """Create the SQLite file (and folder) readable by the server alone; tighten existing ones.

    SQLite gives its -wal and -shm files the mode of the database file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def upgrade(engine: Engine, revision: str = "head", keys_dir: Path | None = None) -> None:
    """Migrate the database to `revision` in one transaction: all or nothing.

    `keys_dir`: where a database that still holds the server's keys moves them (0006).
    """
    from alembic import command
    from alembic.util import CommandError

    try:
        with writer(engine).begin() as conn:
            config = alembic_config(MIGRATIONS_DIR, conn)
            config.attributes["keys_dir"] = keys_dir
            command.upgrade(config, revision)
    except CommandError as e:
        raise MigrationError(f"cannot migrate the server database to {revision}: {e}") from e


class ServerDatabase:
    """The open server database.

    Attributes:
        engine: the SQLAlchemy engine; its transactions begin DEFERRED on SQLite (reads).
        dialect: "sqlite" or "postgresql".
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_engine = writer(engine)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that writes: commits at the end of the block, rolls back if it raises."""
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent read-only view; never takes SQLite's write lock; always rolled back."""
        with Session(self.engine) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def open_database(db: str | URL, keys_dir: Path | None = None) -> ServerDatabase:
    """Open `db` (SQLite file path or URL), creating and migrating its schema if needed.

    `keys_dir`: the server's keys folder, needed only to migrate a database that still holds
    its keys (server.keys).
    """
    url = db if isinstance(db, URL) else database_url(db)
    if url.get_backend_name() == "sqlite" and url.database:
        private_sqlite_file(Path(url.database))
    engine = make_engine(url)
    try:
        found = current_revision(engine)
        if found != HEAD_REVISION:
            log.info("server.migrate from=%s to=%s", found, HEAD_REVISION)
            upgrade(engine, keys_dir=keys_dir)
            if found is not None and found < SECRETS_REMOVED_REVISION:
                compact(engine)
    except BaseException:
        engine.dispose()
        raise
    return ServerDatabase(engine)


def compact(engine: Engine) -> None:
    """Rewrite the database without the space of deleted rows, and empty SQLite's WAL, so the
    seals and keys a migration removed are in no page of any file (PostgreSQL: the tables that
    held them are rewritten)."""
    if engine.dialect.name == "sqlite":
        # On the driver's connection: VACUUM runs outside any transaction, and the engine's
        # "begin" listener would open one.
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM").close()  # type: ignore[union-attr]
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()  # type: ignore[union-attr]
        finally:
            raw.close()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM FULL submissions, rejected_envelopes, server_keys"))
    log.info("server.compacted dialect=%s", engine.dialect.name)
