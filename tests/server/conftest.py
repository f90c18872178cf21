"""Fixtures for the central server's tests: the real server process on 127.0.0.1."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.server.process import POSTGRES_ENV, ServerProcess, postgres_database, start_server


def require_postgres() -> None:
    if not os.environ.get(POSTGRES_ENV):
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL: .ci/run sets {POSTGRES_ENV}")
        pytest.skip(f"PostgreSQL run: set {POSTGRES_ENV} to a database URL (.ci/run does)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server on SQLite for the whole test module; tests enrol their own devices."""
    running = start_server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def any_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The server on SQLite, then on PostgreSQL (when ONTONG_TEST_POSTGRES_URL is set)."""
    data_dir = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "sqlite":
        running = start_server(data_dir)
        yield running
        running.stop()
        return
    require_postgres()
    with postgres_database() as url:
        running = start_server(data_dir, url)
        yield running
        running.stop()


def envelope(device_seq: int, **changes: Any) -> dict[str, Any]:
    """A valid envelope as the device sends it (JSON-ready); `changes` replace fields."""
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "kind": "survey_response",
        "schema_version": 1,
        "content_version": "2026.11.25-demo",
        "device_seq": device_seq,
        "created_at": datetime.now(UTC).isoformat(),
        "clock_offset_s": 0.0,
        "boot_id": "boot-1",
        "practice": False,
        "payload": {"survey_id": "s-park", "answers": {"q1": "o2", "q2": 4}},
        "sealed_identity": None,
    }
    body.update(changes)
    return body
