"""The reference central server of sync protocol v1 (FastAPI + SQLAlchemy 2 + Alembic).

It enrols devices, ingests their submissions exactly once, publishes content packs and their
assets, and keeps each device's last status. SQLite by default, PostgreSQL by URL.
Run it with ``python -m server`` (see `server.__main__`); build the app with
`server.app.create_app`; measure ingest without HTTP with `server.bench.measure_ingest`.
"""
