"""`python -m sync enroll|run|status`, as staff use them from a shell on a kiosk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from sync.worker import TOKEN_KEY
from tests.sync.conftest import survey_payload
from tests.sync.reference_server import REPO_ROOT


def sync_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_enroll_run_once_and_status(srv, tmp_path: Path):
    data_dir = tmp_path / "kiosk"
    enrolled = sync_cli("enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir))
    assert enrolled.returncode == 0, enrolled.stderr
    assert "enrolled as dev-" in enrolled.stdout

    with open_database(data_dir) as db:
        token = DeviceSettings(db).get(TOKEN_KEY)
        outbox = Outbox(db)
        for i in range(3):
            outbox.enqueue("survey_response", survey_payload(i), content_version=None)
        outbox.enqueue("survey_response", {"answers": {}}, content_version=None)

    ran = sync_cli("run", "--once", "--data-dir", str(data_dir))
    assert ran.returncode == 0, ran.stderr

    status = sync_cli("status", "--data-dir", str(data_dir))
    assert status.returncode == 0, status.stderr
    out = status.stdout
    assert f"server:          {srv.url}" in out
    assert "queue:           pending 0, sent 3, dead 1" in out
    assert "dead letters:    1" in out and "#4 survey_response" in out and "survey_id" in out
    assert "last error:      none" in out
    assert "last success:    never" not in out
    # Staff hand the rejected submission to the district as a file.
    letters = sync_cli("dead-letters", "--data-dir", str(data_dir))
    assert letters.returncode == 0, letters.stderr
    (letter,) = [json.loads(line) for line in letters.stdout.splitlines()]
    assert letter["envelope"]["device_seq"] == 4 and "survey_id" in letter["reason"]
    assert letter["envelope"]["payload"] == {"answers": {}}
    # The token is a secret: never printed, never logged.
    for result in (enrolled, ran, status, letters):
        assert token not in result.stdout + result.stderr


def test_a_used_enrolment_code_is_refused_and_nothing_is_stored(srv, tmp_path: Path):
    code = srv.enroll_code()
    assert sync_cli("enroll", srv.url, code, "--data-dir", str(tmp_path / "a")).returncode == 0
    second = sync_cli("enroll", srv.url, code, "--data-dir", str(tmp_path / "b"))
    assert second.returncode == 1
    assert "등록하지 못했습니다" in second.stderr
    status = sync_cli("status", "--data-dir", str(tmp_path / "b"))
    assert "server:          not enrolled" in status.stdout


def test_run_on_a_device_that_is_not_enrolled_says_how_to_enrol(tmp_path: Path):
    ran = sync_cli("run", "--once", "--data-dir", str(tmp_path / "fresh"))
    assert ran.returncode == 2
    assert "python -m sync enroll URL CODE" in ran.stderr


def test_run_once_reports_a_failure_with_its_class(tmp_path: Path, srv):
    data_dir = tmp_path / "kiosk"
    assert (
        sync_cli("enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir)).returncode == 0
    )
    with open_database(data_dir) as db:
        DeviceSettings(db).set("sync.server_url", "http://127.0.0.1:9")  # nothing listens there
        Outbox(db).enqueue("survey_response", survey_payload(), content_version=None)
    ran = sync_cli("run", "--once", "--data-dir", str(data_dir), "--timeout", "2")
    assert ran.returncode == 1
    assert "sync failed (network)" in ran.stderr
    status = sync_cli("status", "--data-dir", str(data_dir)).stdout
    assert "queue:           pending 1, sent 0, dead 0" in status
    assert "(network)" in status and "서버에 연결되지 않습니다" in status
