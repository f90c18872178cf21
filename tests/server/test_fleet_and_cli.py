"""The staff side: init, heartbeats and the device list, the schema, and the ingest ceiling."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.bench import measure_ingest
from server.db import open_database
from server.db.models import Base
from tests.server.conftest import require_postgres
from tests.server.process import POSTGRES_ENV, ROOT, ServerProcess, postgres_database


def server_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args, "--log-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_init_creates_the_database_and_one_keypair(tmp_path: Path) -> None:
    first = server_cli("init", "--data-dir", str(tmp_path))
    second = server_cli("init", "--data-dir", str(tmp_path))

    assert first.returncode == 0, first.stderr
    key = first.stdout.splitlines()[-1].split(": ")[1]
    assert second.stdout.splitlines()[-1].endswith(key)
    assert (tmp_path / "server.sqlite3").is_file()
    listing = server_cli("devices", "--data-dir", str(tmp_path))
    assert listing.stdout.strip() == "no devices enrolled"


def test_init_on_postgresql_never_prints_the_password(tmp_path: Path) -> None:
    require_postgres()
    with postgres_database() as url:
        result = server_cli("init", "--data-dir", str(tmp_path), "--db", url)

    assert result.returncode == 0, result.stderr
    assert "database ready: postgresql+psycopg://" in result.stdout
    password = url.split(":")[2].split("@")[0]
    assert f":{password}@" not in result.stdout + result.stderr
    assert ":***@" in result.stdout


def heartbeat(server: ServerProcess, token: str, **fields: object) -> requests.Response:
    body = {
        "app_version": "0.2.0",
        "content_version": None,
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 60.0,
        **fields,
    }
    return requests.post(
        f"{server.api}/devices/heartbeat",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_a_devices_first_heartbeats_at_once_are_all_answered(any_server: ServerProcess) -> None:
    """Two server processes, or a retry racing the first try: the status row is made once."""
    device = any_server.enroll(name="동시 신호")
    start = threading.Barrier(8)
    codes: list[int] = []

    def beat(depth: int) -> None:
        start.wait(timeout=30)
        codes.append(heartbeat(any_server, device.token, queue_depth=depth).status_code)

    threads = [threading.Thread(target=beat, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert codes == [200] * 8


def test_heartbeat_is_kept_as_the_devices_last_status(server: ServerProcess) -> None:
    device = server.enroll(name="신당동 주민센터")
    before = datetime.now(UTC)

    first = heartbeat(server, device.token, queue_depth=12, last_error="timeout")
    r = heartbeat(server, device.token, queue_depth=3, disk_free=10**12, staff_call=True)

    assert r.status_code == 200
    body = r.json()
    # The call is open now (server.calls), but this device does not say it reads its state:
    # the answer is what a device older than those fields can read.
    assert set(body) == {"server_time", "content_version"}
    server_time = datetime.fromisoformat(body["server_time"])
    assert before - timedelta(seconds=1) <= server_time <= datetime.now(UTC) + timedelta(seconds=1)
    # The HTTP Date header agrees with the body to the second (the client uses either).
    date = datetime.strptime(r.headers["Date"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert abs(date - server_time) < timedelta(seconds=2)
    assert first.status_code == 200

    listing = {d["device_id"]: d for d in json.loads(server.cli("devices", "--json").stdout)}
    mine = listing[device.device_id]
    assert mine["queue_depth"] == 3
    assert mine["app_version"] == "0.2.0"
    assert mine["last_error"] is None
    assert datetime.fromisoformat(mine["last_heartbeat_at"]) >= before
    table = server.cli("devices").stdout.splitlines()
    header, row = table[0], next(line for line in table if line.startswith(device.device_id))
    assert "신당동 주민센터" in row
    # Columns line up under their headings, Korean names (two cells wide) included.
    assert _cell_at(row, _width(header[: header.index("QUEUE")])) == "3"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_at(row: str, column: int) -> str:
    used = 0
    for i, _ch in enumerate(row):
        if used >= column:
            return row[i:].split()[0]
        used += _width(row[i])
    return ""


def test_a_device_that_never_called_in_is_listed_as_never(server: ServerProcess) -> None:
    device = server.enroll(name="quiet")

    listing = server.cli("devices").stdout

    row = next(line for line in listing.splitlines() if line.startswith(device.device_id))
    assert "never" in row


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_build_exactly_the_models_schema(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        db = open_database(str(tmp_path / "server.sqlite3"))
        _assert_schema_matches(db.engine)
        db.close()
        return
    require_postgres()
    with postgres_database() as url:
        db = open_database(url)
        _assert_schema_matches(db.engine)
        db.close()


def _assert_schema_matches(engine: object) -> None:
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_ingest_ceiling_can_be_measured_without_http() -> None:
    figures = measure_ingest(count=1000, batch_size=200)

    assert figures.count == 1000
    assert figures.database == "sqlite"
    assert figures.per_s > 0
    assert figures.per_s == pytest.approx(1000 / figures.seconds, rel=0.01)


def test_ingest_ceiling_from_the_command_line(tmp_path: Path) -> None:
    result = server_cli("bench-ingest", "--count", "400", "--data-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["count"] == 400 and figures["per_s"] > 0


def test_postgres_env_name_is_the_one_ci_sets() -> None:
    assert POSTGRES_ENV in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_database_gone_is_503_with_retry_after_not_500(tmp_path: Path) -> None:
    require_postgres()
    import psycopg
    from sqlalchemy import make_url

    from tests.server.conftest import envelope
    from tests.server.process import start_server

    with postgres_database() as url:
        running = start_server(tmp_path, url)
        try:
            device = running.enroll()
            admin = make_url(url).set(drivername="postgresql")
            name = admin.database
            with psycopg.connect(
                admin.set(database="postgres").render_as_string(hide_password=False),
                autocommit=True,
            ) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

            r = requests.post(
                f"{running.api}/submissions/batch",
                json={"items": [envelope(1)]},
                headers=device.headers,
                timeout=30,
            )

            assert r.status_code == 503, r.text
            assert r.headers["Retry-After"] == "5"
            assert "try again" in r.json()["detail"]
        finally:
            running.stop()
