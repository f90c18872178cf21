"""Limits and bad input: 413, 422, 429, and never a 500 for anything a client can send."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from contract.wire import MAX_BATCH_ITEMS, MAX_BODY_BYTES
from tests.server.conftest import envelope
from tests.server.process import EnrolledDevice, ServerProcess, start_server


@pytest.fixture(scope="module")
def device(server: ServerProcess) -> EnrolledDevice:
    return server.enroll()


def post_batch(
    server: ServerProcess, device: EnrolledDevice, data: Any, **kw: Any
) -> requests.Response:
    headers = {**device.headers, "Content-Type": "application/json", **kw.pop("headers", {})}
    return requests.post(
        f"{server.api}/submissions/batch", data=data, headers=headers, timeout=30, **kw
    )


def test_body_over_one_mebibyte_is_413(server: ServerProcess, device: EnrolledDevice) -> None:
    big = envelope(1, payload={"survey_id": "s", "answers": {"q": "가" * (MAX_BODY_BYTES // 3)}})
    data = json.dumps({"items": [big]}, ensure_ascii=False).encode()
    assert len(data) > MAX_BODY_BYTES

    r = post_batch(server, device, data)

    assert r.status_code == 413
    assert "1024 KiB" in r.json()["detail"]


@pytest.mark.parametrize("mebibytes", [2, 5, 20])
def test_much_larger_bodies_get_a_readable_413_too(
    server: ServerProcess, device: EnrolledDevice, mebibytes: int
) -> None:
    # The client is still sending when the server decides: it must see the 413, not a reset.
    r = post_batch(server, device, b" " * (mebibytes << 20))

    assert r.status_code == 413
    assert r.json()["detail"]


def test_streamed_body_over_the_limit_without_length_is_413(
    server: ServerProcess, device: EnrolledDevice
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"items": ['
        for _ in range(MAX_BODY_BYTES // 1000 + 10):
            yield b" " * 1000

    # A generator body is sent chunked: no Content-Length to judge by.
    r = post_batch(server, device, chunks())

    assert r.status_code == 413


def test_lying_content_length_is_not_trusted(server: ServerProcess) -> None:
    device = server.enroll()
    body = b'{"items": []}' + b" " * (MAX_BODY_BYTES + 100)
    request = (
        f"POST /api/v1/submissions/batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {device.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: 20\r\nConnection: close\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(request)
        answer = s.recv(4096)
    # Only the declared 20 bytes are the body, and the rest is no request: refused, not stored.
    assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 422")), answer[:200]


def test_body_just_under_the_limit_is_read(server: ServerProcess, device: EnrolledDevice) -> None:
    item = envelope(1)
    data = json.dumps({"items": [item]}).encode()
    data = data[:-1] + b" " * (MAX_BODY_BYTES - len(data)) + b"}"
    assert len(data) == MAX_BODY_BYTES

    r = post_batch(server, device, data)

    assert r.status_code == 200, r.text


def test_more_than_200_envelopes_is_413(server: ServerProcess, device: EnrolledDevice) -> None:
    items = [envelope(seq, payload={"survey_id": "s", "answers": {}}) for seq in range(1, 202)]

    r = post_batch(server, device, json.dumps({"items": items}))
    ok = post_batch(server, device, json.dumps({"items": items[:MAX_BATCH_ITEMS]}))

    assert r.status_code == 413
    assert "200" in r.json()["detail"]
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"items": [], }', "not valid JSON"),
        (b'{"items": [{"id": "a", "x": NaN}]}', "not valid JSON"),
        (b"[]", "JSON object"),
        (b'{"envelopes": []}', "Unexpected field"),
        (b'{"items": {}}', '"items"'),
        (b'{"items": []}', "empty"),
        (b'{"items": [1]}', "items[0]"),
        (b'{"items": [{"kind": "survey_response"}]}', "UUID"),
        (b'{"items": [{"id": "not-a-uuid"}]}', "UUID"),
    ],
)
def test_unreadable_batch_is_422_with_a_message(
    server: ServerProcess, device: EnrolledDevice, body: bytes, words: str
) -> None:
    r = post_batch(server, device, body)

    assert r.status_code == 422, r.text
    assert words in r.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("devices/heartbeat", b"{", "not valid JSON"),
        ("devices/heartbeat", b'{"app_version": "1"}', "Field required"),
        (
            "devices/heartbeat",
            b'{"app_version": "1", "content_version": null, '
            b'"queue_depth": -1, "mode": "kiosk", "uptime_s": 1}',
            "queue_depth",
        ),
        ("devices/enroll", b'{"enrollment_code": "AB"}', "enrollment_code"),
        ("devices/enroll", b'"just a string"', "valid dictionary"),
    ],
)
def test_schema_errors_are_422_with_one_plain_sentence(
    server: ServerProcess, device: EnrolledDevice, path: str, body: bytes, words: str
) -> None:
    r = requests.post(
        f"{server.api}/{path}",
        data=body,
        headers={**device.headers, "Content-Type": "application/json"},
        timeout=10,
    )

    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and words in detail


GARBAGE: list[bytes] = [
    b"\x00" * 100,
    b"null",
    b"1e999999",
    b'"\\ud800"',
    b"[" * 5000 + b"]" * 5000,
    b'{"items": [' + b"[" * 3000 + b"]" * 3000 + b"]}",
    b'{"items": [{"id": "00000000-0000-0000-0000-000000000000", "device_seq": 1e400}]}',
    json.dumps({"items": [envelope(2**70)]}).encode(),
    json.dumps({"items": [envelope(1, schema_version=-5, clock_offset_s=1e308)]}).encode(),
    json.dumps({"items": [envelope(1, clock_offset_s=9e15)]}).encode(),
    json.dumps(
        {"items": [envelope(1, created_at="9999-12-31T23:59:59+00:00", clock_offset_s=86400.0)]}
    ).encode(),
    json.dumps({"items": [envelope(1, kind="\x00\ud800" * 50)]}).encode(),
    json.dumps(
        {"items": [envelope(1, payload={"survey_id": "\x00", "answers": {"\ud800": 1}})]}
    ).encode(),
    json.dumps({"items": [envelope(1, content_version="x" * 10_000, boot_id="\x00")]}).encode(),
    json.dumps(
        {
            "app_version": "\x00\ud800",
            "content_version": None,
            "queue_depth": 2**70,
            "mode": "kiosk",
            "uptime_s": 1e308,
        }
    ).encode(),
    json.dumps(
        {
            "app_version": "1",
            "content_version": "\ud800",
            "queue_depth": 1,
            "mode": "kiosk",
            "uptime_s": 1,
            "last_error": "\x00" * 1000,
        }
    ).encode(),
    json.dumps(
        {
            "enrollment_code": "\x00\x00\x00\x00",
            "name": "\ud800",
            "mode": "kiosk",
            "app_version": "\x00",
        }
    ).encode(),
]


def test_garbage_never_gets_a_500(server: ServerProcess, device: EnrolledDevice) -> None:
    paths = ["submissions/batch", "devices/heartbeat", "devices/enroll"]
    for body in GARBAGE:
        for path in paths:
            for content_type in ("application/json", "text/plain"):
                r = requests.post(
                    f"{server.api}/{path}",
                    data=body,
                    headers={**device.headers, "Content-Type": content_type},
                    timeout=30,
                )
                assert r.status_code < 500, (path, body[:80], r.status_code, r.text[:300])
                assert isinstance(
                    r.json()["detail"] if r.status_code >= 400 else r.json(), (str, dict)
                )
    for path in (
        "content/manifest",
        "assets/..%2F..%2Fserver.sqlite3",
        "assets/" + "A" * 64,
        "assets/%00",
        "nowhere",
    ):
        r = requests.get(f"{server.api}/{path}", headers=device.headers, timeout=10)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
    assert "Traceback" not in server.log_text()


def test_every_answer_has_a_date_header(server: ServerProcess, device: EnrolledDevice) -> None:
    answers = [
        requests.get(f"{server.api}/content/manifest", timeout=10),
        post_batch(server, device, b"{"),
        post_batch(server, device, b" " * (MAX_BODY_BYTES + 1)),
        requests.get(f"{server.api}/assets/{'0' * 64}", headers=device.headers, timeout=10),
        post_batch(server, device, json.dumps({"items": [envelope(1)]})),
    ]
    assert [a.status_code for a in answers] == [401, 422, 413, 404, 200]
    for a in answers:
        assert a.headers["Date"].endswith(" GMT"), a.headers


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    running = start_server(
        tmp_path_factory.mktemp("limited"), None, "--max-requests-per-minute", "3"
    )
    yield running
    running.stop()


def test_too_many_requests_is_429_with_retry_after(limited: ServerProcess) -> None:
    device, other = limited.enroll(), limited.enroll()
    url = f"{limited.api}/content/manifest"

    statuses = [requests.get(url, headers=device.headers, timeout=10).status_code for _ in range(3)]
    refused = requests.get(url, headers=device.headers, timeout=10)
    others = requests.get(url, headers=other.headers, timeout=10)

    assert statuses == [404, 404, 404]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "try again" in refused.json()["detail"]
    # The limit is per device: another kiosk is not held back.
    assert others.status_code == 404


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    running = start_server(tmp_path_factory.mktemp("faulty"), None, "--fault-injection")
    yield running
    running.stop()


def arm(server: ServerProcess, **fault: Any) -> None:
    r = requests.post(f"{server.url}/_test/faults", json=fault, timeout=10)
    assert r.status_code == 200, r.text


def test_fault_injection_is_off_unless_asked(server: ServerProcess) -> None:
    r = requests.post(f"{server.url}/_test/faults", json={"status": 500}, timeout=10)

    assert r.status_code == 404
    assert "/_test" not in json.dumps(requests.get(f"{server.url}/openapi.json", timeout=10).json())


def test_armed_faults_answer_500_then_recover(faulty: ServerProcess) -> None:
    device = faulty.enroll()
    arm(faulty, status=500, times=2, path_prefix="/api/v1/submissions")
    batch = {"items": [envelope(1)]}
    url = f"{faulty.api}/submissions/batch"

    answers = [requests.post(url, json=batch, headers=device.headers, timeout=10) for _ in range(3)]

    assert [a.status_code for a in answers] == [500, 500, 200]
    assert answers[2].json()["results"][0]["status"] == "accepted"


def test_armed_faults_can_ask_to_retry_later_be_slow_or_answer_garbage(
    faulty: ServerProcess,
) -> None:
    device = faulty.enroll()
    url = f"{faulty.api}/content/manifest"
    arm(faulty, status=503, retry_after_s=7, path_prefix=url.split(faulty.url)[1])
    arm(faulty, delay_s=3, path_prefix="/api/v1/content")
    arm(faulty, status=200, body="<html>oops", content_type="text/html")

    unavailable = requests.get(url, headers=device.headers, timeout=10)
    with pytest.raises(requests.Timeout):
        requests.get(url, headers=device.headers, timeout=0.5)
    garbage = requests.get(url, headers=device.headers, timeout=10)
    normal = requests.get(url, headers=device.headers, timeout=10)

    assert (unavailable.status_code, unavailable.headers["Retry-After"]) == (503, "7")
    assert (garbage.status_code, garbage.text) == (200, "<html>oops")
    assert normal.status_code == 404
    requests.delete(f"{faulty.url}/_test/faults", timeout=10)
    assert requests.get(f"{faulty.url}/_test/faults", timeout=10).json() == []


def test_armed_fault_cuts_a_download_short(faulty: ServerProcess, tmp_path: Path) -> None:
    from tests.server.test_content import make_pack

    pack = make_pack(tmp_path / "pack", "2026.12.01-cut", size=300_000)
    faulty.cli("publish", str(pack))
    device = faulty.enroll()
    manifest = requests.get(f"{faulty.api}/content/manifest", headers=device.headers, timeout=10)
    sha = manifest.json()["files"][0]["sha256"]
    arm(faulty, truncate_after_bytes=1000, path_prefix="/api/v1/assets")

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{faulty.api}/assets/{sha}", headers=device.headers, timeout=10)
    whole = requests.get(f"{faulty.api}/assets/{sha}", headers=device.headers, timeout=10)
    assert len(whole.content) == 300_000
