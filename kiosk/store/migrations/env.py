"""Alembic environment for the device database.

The app runs migrations through `kiosk.store.db.upgrade`, which hands over a connection that is
already inside a transaction. A developer can also run the Alembic command line against a copy
of a device database: ``alembic -c kiosk/store/alembic.ini -x db=device.sqlite3 upgrade head``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import context
from sqlalchemy.engine import Connection

from kiosk.store.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite changes most columns by copying the table; autogenerate must write it that way.
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from kiosk.store.db import make_engine

    db_file = context.get_x_argument(as_dictionary=True).get("db")
    if not db_file:
        raise SystemExit("name the database file: alembic -x db=path/to/device.sqlite3 ...")
    engine = make_engine(Path(db_file))
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported for the device database")
run_migrations_online()
