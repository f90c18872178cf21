"""The real reference server as a process on 127.0.0.1, driven through its command line.

Tests start it, kill it with SIGKILL, restart it on the same port, arm its test-only faults
(``--fault-injection``: ``POST /_test/faults``) and read what it stored straight from its
SQLite file, read-only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.helpers.server_cli import run_server_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@dataclass(frozen=True)
class StoredSubmission:
    id: uuid.UUID
    device_seq: int
    created_at: str
    created_at_server: str
    received_at: str


class ReferenceServer:
    """One server data directory, and the process serving it (when started).

    Attributes:
        port: the port it listens on (fixed after the first start, so restarts keep it).
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log = data_dir / "server.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.cli("init")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "server.sqlite3"

    def cli(self, *args: str) -> str:
        """``python -m server ARGS --data-dir DIR``, run in this process
        (tests.helpers.server_cli); its stdout."""
        result = run_server_cli([*args, "--data-dir", str(self.data_dir)])
        if result.returncode != 0:
            raise RuntimeError(f"server {args}: {result.stdout}{result.stderr}")
        return result.stdout

    def start(self) -> None:
        port_file = self.data_dir / "port"
        port_file.unlink(missing_ok=True)
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server",
                    "serve",
                    "--data-dir",
                    str(self.data_dir),
                    "--port",
                    str(self.port),
                    "--port-file",
                    str(port_file),
                    "--fault-injection",
                    "--log-level",
                    "WARNING",
                ],
                stdout=log,
                stderr=log,
                env=_env(),
                cwd=REPO_ROOT,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not port_file.exists() or not port_file.read_text().strip():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{self._log.read_text()[-3000:]}")
            time.sleep(0.02)  # a process, not Qt: polling its port file is the only way
        self.port = int(port_file.read_text())

    def kill(self) -> None:
        """SIGKILL: the server dies mid-whatever, as in a power cut."""
        if self._process is not None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)
            self._process = None

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process = None

    def restart(self) -> None:
        self.kill()
        self.start()

    # -- what tests ask of it ---------------------------------------------------------------

    def enroll_code(self) -> str:
        return self.cli("enroll-code").strip()

    def publish(self, pack_dir: Path) -> None:
        self.cli("publish", str(pack_dir))

    def approve(self, device_id: str) -> None:
        """Approve an enrolled device as staff do (until then its submissions are held)."""
        self.cli("approve", device_id)

    def revoke(self, device_id: str) -> None:
        self.cli("revoke", device_id)

    def arm(self, **fault: Any) -> None:
        """Arm a test-only fault (see server/faults.py), e.g. arm(status=500, times=2)."""
        requests.post(f"{self.url}/_test/faults", json=fault, timeout=5).raise_for_status()

    def clear_faults(self) -> None:
        requests.delete(f"{self.url}/_test/faults", timeout=5).raise_for_status()

    def submissions(self, device_id: str) -> list[StoredSubmission]:
        """Every envelope the server stored for the device, as rows (duplicates would show)."""
        with contextlib.closing(self._read()) as conn:
            rows = conn.execute(
                "SELECT id, device_seq, created_at, created_at_server, received_at"
                " FROM submissions WHERE device_id = ? ORDER BY device_seq",
                (device_id,),
            ).fetchall()
        return [StoredSubmission(uuid.UUID(str(r[0])), *r[1:]) for r in rows]

    def rejected(self, device_id: str) -> list[tuple[str, str]]:
        """(envelope id, reason code) of every envelope the server refused for the device."""
        with contextlib.closing(self._read()) as conn:
            return conn.execute(
                "SELECT envelope_id, reason_code FROM rejected_envelopes WHERE device_id = ?",
                (device_id,),
            ).fetchall()

    def _read(self) -> sqlite3.Connection:
        return sqlite3.connect(f"{self.db_path.resolve().as_uri()}?mode=ro", uri=True)
