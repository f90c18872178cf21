"""The real server as a child process on 127.0.0.1, for tests (server's own and the client's).

`start_server(data_dir)` runs ``python -m server serve --port 0``, waits for its "serving URL"
line and returns a `ServerProcess`; `ServerProcess.stop()` ends it. `postgres_database()` makes
a fresh, empty PostgreSQL database when ONTONG_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import os
import secrets
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import requests

from contract.wire import API_PREFIX
from tests.helpers.server_cli import run_server_cli

POSTGRES_ENV = "ONTONG_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


@dataclass
class EnrolledDevice:
    device_id: str
    token: str
    server_public_key: str
    content_public_key: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class ServerProcess:
    """A running ``python -m server serve``.

    Attributes:
        url: e.g. http://127.0.0.1:41234
        api: url + /api/v1
        data_dir, db: what the server was started on (db None: SQLite in data_dir).
        process: the child process; its stderr goes to `log_path`.
    """

    url: str
    data_dir: Path
    db: str | None
    process: subprocess.Popen[str]
    log_path: Path
    extra: tuple[str, ...] = ()
    _log: IO[str] | None = field(default=None, repr=False)

    @property
    def api(self) -> str:
        return self.url + API_PREFIX

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def db_args(self) -> list[str]:
        return ["--data-dir", str(self.data_dir)] + (["--db", self.db] if self.db else [])

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``python -m server ARGS`` on the same data as this server, run in this process
        (tests.helpers.server_cli)."""
        command, *rest = args
        result = run_server_cli([command, *self.db_args(), "--log-level", "WARNING", *rest])
        if check and result.returncode != 0:
            raise AssertionError(f"server {args} failed: {result.stdout}{result.stderr}")
        return result

    @contextmanager
    def database(self) -> Iterator[Any]:
        """The server's database opened in this process (as a staff tool would)."""
        from server.db import open_database

        db = open_database(self.db or str(self.data_dir / "server.sqlite3"))
        try:
            yield db
        finally:
            db.close()

    def new_code(self, hours: float = 1, now: datetime | None = None) -> str:
        from server.auth import new_enrollment_code

        with self.database() as db:
            return new_enrollment_code(db, hours=hours, now=now).code

    def enroll(
        self, name: str = "회현동 주민센터 1층", mode: str = "kiosk", approve: bool = True
    ) -> EnrolledDevice:
        """A device enrolled with a new code and, unless `approve` is False, approved as staff
        approve it (server.auth.approve, which the console and the command line call): until
        then the server holds what it sends."""
        r = requests.post(
            f"{self.api}/devices/enroll",
            json={
                "enrollment_code": self.new_code(),
                "name": name,
                "mode": mode,
                "app_version": "0.1.0",
            },
            timeout=10,
        )
        assert r.status_code == 200, r.text
        device = EnrolledDevice(**r.json())
        if approve:
            self.approve(device.device_id)
        return device

    def approve(self, device_id: str) -> None:
        """Approve the device as staff on this machine's command line would."""
        from server.audit import Actor
        from server.auth import approve

        with self.database() as db:
            assert approve(db, device_id, Actor.command_line()), device_id

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self._log is not None:
            self._log.close()


def heartbeat(server: ServerProcess, device: EnrolledDevice, highest_seq: int | None) -> None:
    """The device's heartbeat, reporting `highest_seq` as the highest device_seq it made."""
    body: dict[str, Any] = {
        "app_version": "0.1.0",
        "content_version": None,
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 60.0,
        "highest_seq": highest_seq,
    }
    r = requests.post(
        f"{server.api}/devices/heartbeat", json=body, headers=device.headers, timeout=10
    )
    assert r.status_code == 200, r.text


def content_etag(server: ServerProcess, device: EnrolledDevice, dong: str) -> str:
    """The heartbeat of a kiosk whose configuration names `dong`; the ETag of the manifest the
    server answers that it receives now (server.groups: its groups and dong decide it)."""
    body = {
        "app_version": "0.9.1",
        "content_version": None,
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 60.0,
        "dong": dong,
        "reads_content_etag": True,
    }
    r = requests.post(
        f"{server.api}/devices/heartbeat", json=body, headers=device.headers, timeout=10
    )
    assert r.status_code == 200, r.text
    return str(r.json()["content_etag"])


def start_server(
    data_dir: Path, db: str | None = None, *extra: str, env: dict[str, str] | None = None
) -> ServerProcess:
    """Start the server on a free port of 127.0.0.1 and wait until it answers (`env`: the
    process's environment, this one's by default)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"server-{secrets.token_hex(3)}.log"
    log = log_path.open("w", encoding="utf-8")
    command = [sys.executable, "-m", "server", "serve", "--data-dir", str(data_dir)]
    command += (["--db", db] if db else []) + ["--host", "127.0.0.1", "--port", "0", *extra]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env if env is not None else os.environ.copy(),
    )
    assert process.stdout is not None
    line = _read_line(process.stdout, START_TIMEOUT_S)
    if not line.startswith("serving "):
        process.kill()
        process.wait()
        log.close()
        raise AssertionError(f"server did not start: {line!r}\n{log_path.read_text()}")
    return ServerProcess(
        url=line.split()[1],
        data_dir=data_dir,
        db=db,
        process=process,
        log_path=log_path,
        extra=tuple(extra),
        _log=log,
    )


def _read_line(stream: IO[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                return stream.readline().strip()
    return ""


@contextmanager
def postgres_database(server_url: str | None = None) -> Iterator[str]:
    """A new, empty PostgreSQL database (its URL), dropped afterwards, in the server of
    `server_url` (by default ONTONG_TEST_POSTGRES_URL's), whose role may CREATE DATABASE."""
    import psycopg
    from sqlalchemy import make_url

    admin = make_url(server_url or os.environ[POSTGRES_ENV]).set(drivername="postgresql")
    name = f"ontong_test_{secrets.token_hex(4)}"
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        # An autovacuum worker (the superuser's) may be in the new database for a moment, and
        # FORCE may not end another role's process: try again until it has left.
        for attempt in range(20):
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.errors.InsufficientPrivilege:
                if attempt == 19:
                    raise
                time.sleep(0.5)
