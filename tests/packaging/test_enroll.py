"""`ontong-kiosk enroll URL CODE` (here `python -m kiosk enroll`, the same entry the bundled
executable runs) enrols the device in one step against the real reference server, with the
configuration file install.sh writes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.reference_server import ReferenceServer

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReferenceServer]:
    srv = ReferenceServer(tmp_path / "server")
    srv.start()
    yield srv
    srv.stop()


def kiosk_cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120, input=input,
    )  # fmt: skip


def test_enroll_in_one_step_then_sync_status_shows_it(server, tmp_path):
    data_dir = tmp_path / "device"
    config = tmp_path / "config.toml"
    config.write_text(f'mode = "kiosk"\ndong = "hoehyeon"\ndata_dir = "{data_dir}"\n')
    enrolled = kiosk_cli("enroll", server.url, server.enroll_code(), "--config", str(config),
                         "--name", "회현동 1번", "--pin-file", "-", input="30571946\n")  # fmt: skip
    assert enrolled.returncode == 0, enrolled.stderr
    assert "enrolled as dev-" in enrolled.stdout
    status = kiosk_cli("sync", "status", "--config", str(config))
    assert status.returncode == 0, status.stderr
    assert server.url in status.stdout
    devices = server.cli("devices")
    assert "회현동 1번" in devices


def test_a_wrong_code_is_refused_and_leaves_the_device_unenrolled(server, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{tmp_path / "device"}"\n')
    refused = kiosk_cli("enroll", server.url, "not-a-code", "--config", str(config),
                        "--pin-file", "-", input="30571946\n")  # fmt: skip
    assert refused.returncode != 0
    status = kiosk_cli("sync", "status", "--config", str(config))
    assert "not enrolled" in status.stdout
