"""코치 (page 6) through the real server process: who may use the page, what a device is given
and when, what the command line does, and that no PIN (nor its hash) is ever in the audit log.
The data logic runs on SQLite and PostgreSQL (`any_server`); the browser and the real kiosk are
in test_coaches_e2e.py."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from contract.pin import verify_pin
from tests.console.conftest import (
    ADMIN,
    DONG,
    VIEWER,
    add_account,
    csrf_of,
    signed_in_session,
)
from tests.server.conftest import require_postgres
from tests.server.process import EnrolledDevice, ServerProcess, postgres_database, start_server

PIN_SHOWN = re.compile(r'id="coach-pin">([0-9]+)<')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def staffed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The server on SQLite, then on PostgreSQL, with an admin, a viewer and a dong officer."""
    data_dir = tmp_path_factory.mktemp(f"coaches-{request.param}")
    if request.param == "sqlite":
        running = start_server(data_dir)
        for account in (ADMIN, VIEWER, DONG):
            add_account(running, account, data_dir)
        yield running
        running.stop()
        return
    require_postgres()
    with postgres_database() as url:
        running = start_server(data_dir, url)
        for account in (ADMIN, VIEWER, DONG):
            add_account(running, account, data_dir)
        yield running
        running.stop()


def page(http: requests.Session, server: ServerProcess, path: str = "/staff/coaches") -> str:
    r = http.get(f"{server.url}{path}", timeout=10)
    assert r.status_code == 200, r.text
    return r.text


def post(
    http: requests.Session, server: ServerProcess, path: str, **form: str
) -> requests.Response:
    token = csrf_of(page(http, server))
    return http.post(
        f"{server.url}{path}",
        data={"csrf_token": token, **form},
        allow_redirects=False,
        timeout=30,
    )


def add(http: requests.Session, server: ServerProcess, code: str, name: str, pin: str) -> str:
    r = post(http, server, "/staff/coaches", code=code, name=name, pin=pin, pin_again=pin)
    assert r.status_code == 200, r.text
    found = PIN_SHOWN.search(r.text)
    assert found is not None and found.group(1) == pin
    return r.text


def coaches_answer(
    server: ServerProcess, device: EnrolledDevice, etag: str | None = None
) -> requests.Response:
    headers = dict(device.headers)
    if etag:
        headers["If-None-Match"] = etag
    return requests.get(f"{server.api}/coaches", headers=headers, timeout=10)


def heartbeat(server: ServerProcess, device: EnrolledDevice, **fields: Any) -> dict[str, Any]:
    body = {
        "app_version": "0.9.1",
        "content_version": None,
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 60.0,
        **fields,
    }
    r = requests.post(
        f"{server.api}/devices/heartbeat", json=body, headers=device.headers, timeout=10
    )
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def audit_rows(server: ServerProcess) -> list[dict[str, str]]:
    http = signed_in_session(server, ADMIN)
    text = http.get(f"{server.url}/staff/audit.csv", timeout=10).text.lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_admin_adds_resets_and_revokes_and_devices_hear_of_each(staffed: ServerProcess):
    http = signed_in_session(staffed, ADMIN)
    device = staffed.enroll()
    older = staffed.enroll(name="예전 앱의 키오스크")
    before = heartbeat(staffed, device, reads_coaches=True)["coaches_version"]

    added = add(http, staffed, "3101", "박코치", "4826")
    assert "박코치" in added and "사용 중" in added and "한 번만" in added
    assert "4826" not in page(http, staffed)  # shown once, on the answering page only

    # The heartbeat names a new version; the device fetches the coach with the PIN's hash.
    beat = heartbeat(staffed, device, reads_coaches=True)
    assert beat["coaches_version"] > before and "3101" not in beat["revoked_coaches"]
    r = coaches_answer(staffed, device)
    assert r.status_code == 200 and r.headers["ETag"] == f'"coaches-{beat["coaches_version"]}"'
    [coach] = [c for c in r.json()["coaches"] if c["code"] == "3101"]
    assert coach["name"] == "박코치" and verify_pin("4826", coach["pin_hash"])
    assert coaches_answer(staffed, device, r.headers["ETag"]).status_code == 304
    # A device of before this field neither asks nor is told.
    assert "coaches_version" not in heartbeat(staffed, older)

    # PIN 재설정 with a generated PIN: shown once; the old one no longer matches.
    form = page(http, staffed, "/staff/coaches/3101/reset-pin")
    reset = http.post(
        f"{staffed.url}/staff/coaches/3101/reset-pin",
        data={"csrf_token": csrf_of(form), "generate_pin": "yes"},
        timeout=30,
    )
    assert reset.status_code == 200, reset.text
    found = PIN_SHOWN.search(reset.text)
    assert found is not None and len(found.group(1)) == 6
    new_pin = found.group(1)
    beat2 = heartbeat(staffed, device, reads_coaches=True)
    assert beat2["coaches_version"] > beat["coaches_version"]
    r = coaches_answer(staffed, device, r.headers["ETag"])
    assert r.status_code == 200
    [coach] = [c for c in r.json()["coaches"] if c["code"] == "3101"]
    assert verify_pin(new_pin, coach["pin_hash"]) and not verify_pin("4826", coach["pin_hash"])

    # 사용 중지: the heartbeat lists the code; the coaches answer no longer gives its hash.
    assert "3101" in page(http, staffed, "/staff/coaches/3101/revoke")
    revoked = post(http, staffed, "/staff/coaches/3101/revoke")
    assert revoked.status_code == 303
    beat3 = heartbeat(staffed, device, reads_coaches=True)
    assert "3101" in beat3["revoked_coaches"]
    answer = coaches_answer(staffed, device).json()
    assert "3101" in answer["revoked"] and all(c["code"] != "3101" for c in answer["coaches"])
    assert answer["version"] == beat3["coaches_version"]
    listed = page(http, staffed)
    assert re.search(r'id="coach-3101" class="row-revoked"', listed)
    assert 'id="reset-3101"' not in listed

    # Every change in the audit log, by the admin, with no PIN and no hash.
    rows = [r for r in audit_rows(staffed) if r["target"] == "coach:3101"]
    assert [(r["actor"], r["action"]) for r in rows] == [
        (ADMIN.name, "coach.add"),
        (ADMIN.name, "coach.reset_pin"),
        (ADMIN.name, "coach.revoke"),
    ]
    text = " ".join(" ".join(r.values()) for r in rows)
    assert "4826" not in text and new_pin not in text and "scrypt" not in text
    assert '"status": "revoked"' in rows[2]["after"]


def test_bad_input_is_answered_beside_the_field(staffed: ServerProcess):
    http = signed_in_session(staffed, ADMIN)
    cases = [
        ({"code": "12", "name": "가", "pin": "1234", "pin_again": "1234"}, "error-code"),
        ({"code": "3201", "name": "", "pin": "1234", "pin_again": "1234"}, "error-name"),
        ({"code": "3201", "name": "가", "pin": "12a4", "pin_again": "12a4"}, "error-pin"),
        ({"code": "3201", "name": "가", "pin": "123", "pin_again": "123"}, "error-pin"),
        ({"code": "3201", "name": "가", "pin": "1234", "pin_again": "1243"}, "error-pin-again"),
    ]
    for form, field in cases:
        r = post(http, staffed, "/staff/coaches", **form)
        assert r.status_code == 400, form
        assert f'id="{field}"' in r.text, (form, r.text)
    add(http, staffed, "3202", "최코치", "13579")
    again = post(
        http, staffed, "/staff/coaches", code="3202", name="다른", pin="2468", pin_again="2468"
    )
    assert again.status_code == 400 and "이미 있습니다" in again.text
    assert "3201" not in page(http, staffed)


def test_a_non_admin_is_refused(staffed: ServerProcess):
    for account in (VIEWER, DONG):
        http = signed_in_session(staffed, account)
        assert http.get(f"{staffed.url}/staff/coaches", timeout=10).status_code == 403
        home = http.get(f"{staffed.url}/staff/", timeout=10).text
        assert "/staff/coaches" not in home  # not in the navigation either
        token = csrf_of(home)
        r = http.post(
            f"{staffed.url}/staff/coaches",
            data={"csrf_token": token, "code": "3301", "name": "몰래", "generate_pin": "yes"},
            allow_redirects=False,
            timeout=10,
        )
        assert r.status_code == 403, account
    assert "3301" not in page(signed_in_session(staffed, ADMIN), staffed)


def test_a_post_without_its_csrf_token_is_refused(staffed: ServerProcess):
    http = signed_in_session(staffed, ADMIN)
    add(http, staffed, "3401", "정코치", "8642")
    for path, form in (
        ("/staff/coaches", {"code": "3402", "name": "몰래", "generate_pin": "yes"}),
        ("/staff/coaches/3401/revoke", {}),
        ("/staff/coaches/3401/reset-pin", {"generate_pin": "yes"}),
    ):
        r = http.post(f"{staffed.url}{path}", data=form, allow_redirects=False, timeout=10)
        assert r.status_code == 403, path
    listed = page(http, staffed)
    assert "3402" not in listed and 'id="reset-3401"' in listed
    assert [r["action"] for r in audit_rows(staffed) if r["target"] == "coach:3401"] == [
        "coach.add"
    ]


def test_an_unapproved_or_revoked_device_gets_no_coaches(staffed: ServerProcess):
    add(signed_in_session(staffed, ADMIN), staffed, "3501", "한코치", "97531")
    waiting = staffed.enroll(name="승인 전 키오스크", approve=False)
    r = coaches_answer(staffed, waiting)
    assert r.status_code == 403 and "approval" in r.json()["detail"]
    assert "pin_hash" not in r.text
    approved = staffed.enroll(name="회수할 키오스크")
    assert coaches_answer(staffed, approved).status_code == 200
    staffed.cli("revoke", approved.device_id)
    r = coaches_answer(staffed, approved)
    assert r.status_code == 403 and "pin_hash" not in r.text
    anonymous = requests.get(f"{staffed.api}/coaches", timeout=10)
    assert anonymous.status_code == 401 and "pin_hash" not in anonymous.text


def test_the_command_line_adds_lists_resets_and_revokes(staffed: ServerProcess, tmp_path: Path):
    pin_file = tmp_path / "pin"
    pin_file.write_text("2580\n", encoding="utf-8")
    out = staffed.cli("coach", "add", "3601", "윤코치", "--pin-file", str(pin_file)).stdout
    assert "added coach 3601" in out and "2580" not in out
    generated = staffed.cli("coach", "reset-pin", "3601", "--generate-pin").stdout
    [pin] = re.findall(r"PIN: ([0-9]{6})", generated)
    listed = staffed.cli("coach", "list").stdout
    assert "3601" in listed and "윤코치" in listed and "active" in listed
    assert staffed.cli("coach", "revoke", "3601").returncode == 0
    assert re.search(r"3601\s+윤코치\s+revoked", staffed.cli("coach", "list").stdout)
    again = staffed.cli("coach", "revoke", "3601", check=False)
    assert again.returncode == 1 and "이미 사용 중지" in again.stderr
    bad = tmp_path / "bad"
    bad.write_text("12\n", encoding="utf-8")
    refused = staffed.cli("coach", "add", "3602", "짧은", "--pin-file", str(bad), check=False)
    assert refused.returncode == 1 and "4~8" in refused.stderr
    rows = [r for r in audit_rows(staffed) if r["target"] == "coach:3601"]
    assert [r["action"] for r in rows] == ["coach.add", "coach.reset_pin", "coach.revoke"]
    assert all(r["actor"].startswith("cli:") and r["client"] == "command line" for r in rows)
    text = " ".join(" ".join(r.values()) for r in rows)
    assert "2580" not in text and pin not in text and "scrypt" not in text
