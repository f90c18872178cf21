"""Migration 0004 keys envelopes per device and keeps every stored row: a database at 0003 with
submissions and resident entries is upgraded on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from server.db import HEAD_REVISION, make_engine, upgrade
from tests.server.conftest import require_postgres
from tests.server.process import postgres_database

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC).replace(tzinfo=None)
KEY = "ab" * 32


def _fill_at_0003(engine: Engine) -> tuple[uuid.UUID, uuid.UUID]:
    upgrade(engine, "0003")
    first, second = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO devices (id, name, mode, app_version, token_sha256, enrolled_at)"
                " VALUES ('dev-a', 'a', 'kiosk', '0.1', :t, :at)"
            ),
            {"t": "0" * 64, "at": AT},
        )
        for seq, envelope_id in enumerate((first, second), start=1):
            conn.execute(
                text(
                    "INSERT INTO submissions (id, body_sha256, device_id, device_seq, kind,"
                    " schema_version, content_version, created_at, clock_offset_s,"
                    " created_at_server, received_at, practice, counted, note, body)"
                    " VALUES (:id, :sha, 'dev-a', :seq, 'proposal_agree', 1, NULL, :at, 0, :at,"
                    " :at, false, true, NULL, '{}')"
                ),
                {
                    "id": envelope_id if engine.dialect.name == "postgresql" else envelope_id.hex,
                    "sha": "1" * 64,
                    "seq": seq,
                    "at": AT,
                },
            )
        conn.execute(
            text(
                "INSERT INTO resident_entries (envelope_id, resident_key, kind, target, counted,"
                " points, received_at) VALUES (:id, :key, 'proposal_agree', 'p1', true, 10, :at)"
            ),
            {
                "id": first if engine.dialect.name == "postgresql" else first.hex,
                "key": KEY,
                "at": AT,
            },
        )
    return first, second


def _check_kept(engine: Engine, first: uuid.UUID) -> None:
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM submissions")).scalar() == 2
        entry = conn.execute(
            text("SELECT device_id, resident_key, points FROM resident_entries")
        ).one()
        assert tuple(entry) == ("dev-a", KEY, 10)
        seen = conn.execute(text("SELECT resident_key, device_id FROM residents_seen")).one()
        assert tuple(seen) == (KEY, "dev-a")
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == HEAD_REVISION
    # The same id from another device is now its own envelope.
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO devices (id, name, mode, app_version, token_sha256, enrolled_at)"
                " VALUES ('dev-b', 'b', 'kiosk', '0.1', :t, :at)"
            ),
            {"t": "2" * 64, "at": AT},
        )
        conn.execute(
            text(
                "INSERT INTO submissions (id, body_sha256, device_id, device_seq, kind,"
                " schema_version, content_version, created_at, clock_offset_s,"
                " created_at_server, received_at, practice, counted, note, body)"
                " SELECT id, body_sha256, 'dev-b', device_seq, kind, schema_version,"
                " content_version, created_at, clock_offset_s, created_at_server, received_at,"
                " practice, counted, note, body FROM submissions WHERE device_id = 'dev-a'"
            )
        )
        assert conn.execute(text("SELECT count(*) FROM submissions")).scalar() == 4


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_to_ids_per_device_keeps_every_row(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        engine = make_engine(str(tmp_path / "server.sqlite3"))
        try:
            first, _ = _fill_at_0003(engine)
            _check_kept(engine, first)
        finally:
            engine.dispose()
        return
    require_postgres()
    with postgres_database() as url:
        engine = make_engine(url)
        try:
            first, _ = _fill_at_0003(engine)
            _check_kept(engine, first)
        finally:
            engine.dispose()
