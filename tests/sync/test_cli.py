"""`python -m sync enroll|run|status`, as staff use them from a shell on a kiosk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from contract.pin import verify_pin
from kiosk.domain.admin import DEMO_STAFF_PIN_HASH
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from kiosk.store.staff_pin import stored_pin_hash
from sync.worker import TOKEN_KEY
from tests.sync.conftest import survey_payload
from tests.sync.reference_server import REPO_ROOT

STAFF_PIN = "30571946"


def sync_cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
        input=input,
    )


def enroll_cli(url: str, code: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`python -m sync enroll`, with the new staff PIN on stdin (never on the command line)."""
    return sync_cli("enroll", url, code, "--data-dir", str(data_dir), "--pin-file", "-",
                    input=STAFF_PIN + "\n")  # fmt: skip


def test_enroll_run_once_and_status(srv, tmp_path: Path):
    data_dir = tmp_path / "kiosk"
    enrolled = enroll_cli(srv.url, srv.enroll_code(), data_dir)
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
    assert enroll_cli(srv.url, code, tmp_path / "a").returncode == 0
    second = enroll_cli(srv.url, code, tmp_path / "b")
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
    assert enroll_cli(srv.url, srv.enroll_code(), data_dir).returncode == 0
    with open_database(data_dir) as db:
        DeviceSettings(db).set("sync.server_url", "http://127.0.0.1:9")  # nothing listens there
        Outbox(db).enqueue("survey_response", survey_payload(), content_version=None)
    ran = sync_cli("run", "--once", "--data-dir", str(data_dir), "--timeout", "2")
    assert ran.returncode == 1
    assert "sync failed (network)" in ran.stderr
    status = sync_cli("status", "--data-dir", str(data_dir)).stdout
    assert "queue:           pending 1, sent 0, dead 0" in status
    assert "(network)" in status and "서버에 연결되지 않습니다" in status


def test_enrolment_sets_the_staff_pin_and_will_not_go_without_one(srv, tmp_path: Path):
    data_dir = tmp_path / "kiosk"
    bare = sync_cli("enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir))
    assert bare.returncode == 2 and "--pin-file" in bare.stderr  # no terminal to ask on
    weak = sync_cli("enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir),
                    "--pin-file", "-", input="2580\n")  # fmt: skip
    assert weak.returncode == 2 and "6자리에서 8자리" in weak.stderr
    demo = sync_cli("enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir),
                    "--pin-hash", DEMO_STAFF_PIN_HASH)  # fmt: skip
    assert demo.returncode == 2 and "demo PIN" in demo.stderr
    assert "server:          not enrolled" in sync_cli("status", "--data-dir", str(data_dir)).stdout
    pin_file = tmp_path / "pin"
    pin_file.write_text(STAFF_PIN + "\n")
    done = sync_cli("enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir),
                    "--pin-file", str(pin_file))  # fmt: skip
    assert done.returncode == 0, done.stderr
    with open_database(data_dir) as db:
        assert verify_pin(STAFF_PIN, stored_pin_hash(DeviceSettings(db)) or "")
    # Enrolling again with the same server keeps the PIN when asked to.
    again = sync_cli(
        "enroll", srv.url, srv.enroll_code(), "--data-dir", str(data_dir), "--keep-pin"
    )
    assert again.returncode == 0, again.stderr
    for result in (weak, done, again):
        assert STAFF_PIN not in result.stdout + result.stderr


def test_set_pin_keeps_an_existing_pin_for_the_installer(tmp_path: Path):
    data_dir = tmp_path / "kiosk"
    first = sync_cli("set-pin", "--data-dir", str(data_dir), "--keep-existing", "--pin-file", "-",
                     input=STAFF_PIN + "\n")  # fmt: skip
    assert first.returncode == 0, first.stderr
    second = sync_cli("set-pin", "--data-dir", str(data_dir), "--keep-existing", "--pin-file", "-",
                      input="97531864\n")  # fmt: skip
    assert second.returncode == 3 and "kept" in second.stdout
    with open_database(data_dir) as db:
        assert verify_pin(STAFF_PIN, stored_pin_hash(DeviceSettings(db)) or "")


# Every module of sync/ imported, then the status command run as `python -m sync` runs it: what
# Qt modules did that load? (None: a headless device syncs without Qt.)
NO_QT = """
import importlib, pkgutil, runpy, sys
import sync
for module in pkgutil.iter_modules(sync.__path__):
    if module.name != "__main__":
        importlib.import_module("sync." + module.name)
sys.argv = ["sync", "status", "--data-dir", sys.argv[1]]
try:
    runpy.run_module("sync", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print("QT=" + ",".join(loaded))
"""


def test_the_sync_command_and_every_sync_module_load_no_qt(tmp_path: Path):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    ran = subprocess.run(
        [sys.executable, "-c", NO_QT, str(tmp_path / "headless")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert "server:          not enrolled" in ran.stdout, ran.stderr
    assert "QT=\n" in ran.stdout, ran.stdout
