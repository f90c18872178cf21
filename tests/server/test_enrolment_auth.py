"""Enrolment codes, device tokens and revocation, as an installer and a device meet them."""

from __future__ import annotations

import base64
import hashlib
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import select

from server.db.models import Device, EnrollmentCode
from tests.server.conftest import envelope
from tests.server.process import ServerProcess


def enroll_with(server: ServerProcess, code: str, name: str = "명동 주민센터") -> requests.Response:
    return requests.post(
        f"{server.api}/devices/enroll",
        json={"enrollment_code": code, "name": name, "mode": "kiosk", "app_version": "0.1.0"},
        timeout=10,
    )


def test_code_from_the_command_line_enrols_one_device_once(server: ServerProcess) -> None:
    result = server.cli("enroll-code", "--hours", "2")
    code = result.stdout.strip()
    assert len(code) == 14 and code.count("-") == 2
    assert "expires" in result.stderr

    first = enroll_with(server, code)
    second = enroll_with(server, code, name="another kiosk")

    assert first.status_code == 200, first.text
    body = first.json()
    assert body["device_id"] and body["token"]
    assert len(base64.b64decode(body["server_public_key"])) == 32
    assert second.status_code == 403
    assert "already used" in second.json()["detail"]


def test_code_is_accepted_as_people_type_it(server: ServerProcess) -> None:
    code = server.new_code()

    r = enroll_with(server, " " + code.lower().replace("-", " ") + " ")

    assert r.status_code == 200, r.text


def test_expired_code_is_refused(server: ServerProcess) -> None:
    code = server.new_code(hours=1, now=datetime.now(UTC) - timedelta(hours=2))

    r = enroll_with(server, code)

    assert r.status_code == 403
    assert "expired" in r.json()["detail"]


def test_unknown_code_is_refused(server: ServerProcess) -> None:
    r = enroll_with(server, "AAAA-BBBB-CCCC")

    assert r.status_code == 403
    assert "not known" in r.json()["detail"]


def test_two_devices_racing_for_one_code_enrol_once(server: ServerProcess) -> None:
    code = server.new_code()
    barrier = threading.Barrier(6)
    statuses: list[int] = []
    lock = threading.Lock()

    def race() -> None:
        barrier.wait(timeout=10)
        r = enroll_with(server, code)
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(statuses) == [200] + [403] * 5


def test_codes_and_tokens_are_stored_only_as_hashes(server: ServerProcess) -> None:
    code = server.new_code()
    r = enroll_with(server, code)
    token = r.json()["token"]

    with server.database() as db, db.read() as session:
        device = session.get(Device, r.json()["device_id"])
        codes = session.scalars(select(EnrollmentCode.code_sha256)).all()
    assert device is not None
    assert device.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert hashlib.sha256(code.replace("-", "").encode()).hexdigest() in codes
    raw = b"".join(p.read_bytes() for p in server.data_dir.glob("server.sqlite3*"))
    assert token.encode() not in raw
    assert code.replace("-", "").encode() not in raw


def protected_requests(server: ServerProcess) -> list[tuple[str, str, dict[str, Any] | None]]:
    heartbeat = {
        "app_version": "0.1.0",
        "content_version": None,
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 1.0,
    }
    return [
        ("POST", f"{server.api}/submissions/batch", {"items": [envelope(1)]}),
        ("GET", f"{server.api}/content/manifest", None),
        ("GET", f"{server.api}/assets/{'0' * 64}", None),
        ("POST", f"{server.api}/devices/heartbeat", heartbeat),
    ]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "bearer"],
    ids=["missing", "empty", "wrong", "basic", "scheme-only"],
)
def test_every_endpoint_but_enrol_refuses_a_missing_or_wrong_token(
    server: ServerProcess, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, url, body in protected_requests(server):
        r = requests.request(method, url, json=body, headers=headers, timeout=10)
        assert r.status_code == 401, (method, url, r.text)
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert r.json()["detail"]


def test_revoked_device_gets_403_everywhere(server: ServerProcess) -> None:
    device = server.enroll()
    ok = requests.post(
        f"{server.api}/submissions/batch",
        json={"items": [envelope(1)]},
        headers=device.headers,
        timeout=10,
    )
    assert ok.status_code == 200

    result = server.cli("revoke", device.device_id)
    assert device.device_id in result.stdout

    for method, url, body in protected_requests(server):
        r = requests.request(method, url, json=body, headers=device.headers, timeout=10)
        assert r.status_code == 403, (method, url, r.text)
        assert "revoked" in r.json()["detail"]
    again = server.cli("revoke", device.device_id, check=False)
    assert again.returncode == 1
    listing = server.cli("devices").stdout
    assert any(device.device_id in line and "revoked" in line for line in listing.splitlines())
