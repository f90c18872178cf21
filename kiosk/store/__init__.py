"""The device's SQLite database: content pack versions, the outbox of submissions, device
settings and backups, through SQLAlchemy 2 with Alembic migrations.
"""
