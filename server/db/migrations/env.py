"""Alembic environment for the central server's database.

The server runs migrations through `server.db.upgrade`, which hands over a connection already
inside a transaction. A developer can also run Alembic's command line:
``alembic -c server/db/alembic.ini -x db=URL_OR_SQLITE_FILE upgrade head``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from server.db.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite changes most columns by copying the table; autogenerate must write it that way.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from server.db import make_engine

    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("name the database: alembic -x db=URL_OR_SQLITE_FILE ...")
    engine = make_engine(db)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; give -x db=...")
run_migrations_online()
