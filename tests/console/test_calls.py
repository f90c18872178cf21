"""직원 호출 on the server (server.calls) through the real server process: a heartbeat's flag or
the staff_call envelope opens one call per device, the console lists it to admins and to the
officer of its dong only, 가는 중 and 해결 change what the heartbeat answers and are audited, and
the dong's alert hook receives each new call (a receiver on 127.0.0.1 run by the test)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from server.calls import parse_hook
from tests.console.conftest import ADMIN, DONG, Account, add_account, csrf_of, signed_in_session
from tests.server.conftest import envelope
from tests.server.process import EnrolledDevice, ServerProcess, start_server

# 동 담당 of 명동: a call at a 회현동 device is not theirs.
MYEONG = Account("정명동", "myeong-pass-1234", "dong")
HOOK_WAIT_S = 10.0


class HookReceiver:
    """An HTTP server on 127.0.0.1 that keeps every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                with receiver.arrived:
                    receiver.bodies.append(
                        {"path": self.path, "type": self.headers["Content-Type"], **body}
                    )
                    receiver.arrived.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/hook/hoehyeon"

    def wait_for(
        self, device_id: str, count: int, timeout: float = HOOK_WAIT_S
    ) -> list[dict[str, Any]]:
        """The alerts about `device_id`, once there are `count` (or after `timeout`)."""

        def about() -> list[dict[str, Any]]:
            return [b for b in self.bodies if b.get("device_id") == device_id]

        with self.arrived:
            self.arrived.wait_for(lambda: len(about()) >= count, timeout)
            return about()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture(scope="module")
def hook() -> Iterator[HookReceiver]:
    receiver = HookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def calls_server(
    tmp_path_factory: pytest.TempPathFactory, hook: HookReceiver
) -> Iterator[ServerProcess]:
    data_dir = tmp_path_factory.mktemp("calls")
    running = start_server(data_dir, None, "--staff-call-hook", f"hoehyeon={hook.url}")
    for account in (ADMIN, DONG):
        add_account(running, account, data_dir)  # DONG answers for 회현동 (hoehyeon)
    secret = data_dir / "pw-myeong"
    secret.write_text(MYEONG.password + "\n", encoding="utf-8")
    running.cli(
        "staff", "add", MYEONG.name, "--role", "dong", "--dong", "myeong",
        "--password-file", str(secret),
    )  # fmt: skip
    secret.unlink()
    yield running
    running.stop()


def beat(server: ServerProcess, device: EnrolledDevice, **fields: Any) -> dict[str, Any]:
    body = {
        "app_version": "0.9.1",
        "content_version": None,
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 10.0,
        "dong": "hoehyeon",
        "reads_staff_call": True,
        **fields,
    }
    r = requests.post(
        f"{server.api}/devices/heartbeat", json=body, headers=device.headers, timeout=10
    )
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def send_call(
    server: ServerProcess,
    device: EnrolledDevice,
    seq: int,
    screen: str,
    item: dict[str, Any] | None = None,
    status: str = "accepted",
) -> dict[str, Any]:
    item = item or envelope(
        seq, kind="staff_call", content_version=None, payload={"screen": screen}
    )
    r = requests.post(
        f"{server.api}/submissions/batch",
        json={"items": [item]},
        headers=device.headers,
        timeout=10,
    )
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == status, r.text
    return item


def post_form(http: requests.Session, server: ServerProcess, path: str) -> requests.Response:
    token = csrf_of(http.get(f"{server.url}/staff/calls", timeout=10).text)
    return http.post(
        server.url + path, data={"csrf_token": token}, allow_redirects=False, timeout=10
    )


def test_parse_hook() -> None:
    assert parse_hook("hoehyeon=http://127.0.0.1:9/x") == ("hoehyeon", "http://127.0.0.1:9/x")
    for bad in ("hoehyeon", "=http://x", "hoehyeon=ftp://x", "hoehyeon="):
        with pytest.raises(ValueError):
            parse_hook(bad)


def test_a_call_is_listed_answered_audited_and_alerted(
    calls_server: ServerProcess, hook: HookReceiver
) -> None:
    device = calls_server.enroll(name="회현동 주민센터 1층")
    assert "staff_call" not in beat(calls_server, device)

    # The heartbeat overtakes the queued envelope: the call opens at once, screen unknown yet.
    before = datetime.now(UTC)
    answer = beat(calls_server, device, staff_call=True)
    assert answer["staff_call"] == "waiting"
    assert answer["staff_call_acknowledged_at"] is None
    [alert] = hook.wait_for(device.device_id, 1)
    assert alert["path"] == "/hook/hoehyeon"
    assert alert["type"].startswith("application/json")
    assert alert["event"] == "staff_call"
    assert alert["device_id"] == device.device_id
    assert alert["device_name"] == "회현동 주민센터 1층"
    assert alert["dong"] == "hoehyeon"
    assert set(alert) == {
        "path", "type", "event", "call_id", "device_id", "device_name", "dong", "screen",
        "made_at", "calls",
    }  # fmt: skip
    # The envelope completes the same call: no second call, no second alert.
    send_call(calls_server, device, 1, "survey_question")
    assert beat(calls_server, device, staff_call=False)["staff_call"] == "waiting"

    admin = signed_in_session(calls_server, ADMIN)
    page = admin.get(f"{calls_server.url}/staff/calls/table", timeout=10).text
    assert page.count('id="call-') == 1
    assert "회현동 주민센터 1층" in page and "설문" in page and "survey_question" in page
    call_id = int(page.split('id="call-', 1)[1].split('"', 1)[0])

    # 동 담당 of 명동 neither sees it nor may answer it; 회현동's officer sees it.
    other = signed_in_session(calls_server, MYEONG)
    assert 'id="call-' not in other.get(f"{calls_server.url}/staff/calls", timeout=10).text
    r = post_form(other, calls_server, f"/staff/calls/{call_id}/acknowledge")
    assert r.status_code == 403
    officer = signed_in_session(calls_server, DONG)
    assert f'id="call-{call_id}"' in officer.get(f"{calls_server.url}/staff/calls", timeout=10).text

    # 가는 중: the next heartbeat answer says staff are coming, and since when.
    r = post_form(admin, calls_server, f"/staff/calls/{call_id}/acknowledge")
    assert r.status_code == 303
    answer = beat(calls_server, device)
    assert answer["staff_call"] == "coming"
    acknowledged = datetime.fromisoformat(answer["staff_call_acknowledged_at"])
    assert before - timedelta(seconds=1) <= acknowledged <= datetime.now(UTC)

    # 해결: the call is closed; the answer has no call any more and the page lists none.
    assert post_form(officer, calls_server, f"/staff/calls/{call_id}/resolve").status_code == 303
    assert "staff_call" not in beat(calls_server, device)
    assert 'id="call-' not in admin.get(f"{calls_server.url}/staff/calls", timeout=10).text
    assert post_form(admin, calls_server, f"/staff/calls/{call_id}/resolve").status_code == 404

    audit = admin.get(f"{calls_server.url}/staff/audit.csv", timeout=10).text
    rows = [line for line in audit.splitlines() if "staff_call." in line]
    assert [r.split(",")[2:4] for r in rows] == [
        [ADMIN.name, "staff_call.acknowledge"],
        [DONG.name, "staff_call.resolve"],
    ]
    assert hook.wait_for(device.device_id, 2, timeout=1.0) == [alert]


def test_a_device_that_does_not_read_the_call_state_is_not_sent_it(
    calls_server: ServerProcess,
) -> None:
    device = calls_server.enroll(name="회현동 주민센터 3층")
    answer = beat(calls_server, device, staff_call=True, reads_staff_call=False)
    assert set(answer) == {"server_time", "content_version"}
    assert beat(calls_server, device)["staff_call"] == "waiting"  # the call is open all the same


def test_a_call_again_joins_the_open_one_and_a_new_one_opens_after_it_is_resolved(
    calls_server: ServerProcess, hook: HookReceiver
) -> None:
    device = calls_server.enroll(name="회현동 주민센터 2층")
    beat(calls_server, device)
    send_call(calls_server, device, 1, "home")
    again = send_call(calls_server, device, 2, "budget_review")
    # Its answer lost, the kiosk sends it again: "duplicate", and the call does not count it twice.
    send_call(calls_server, device, 2, "budget_review", item=again, status="duplicate")
    admin = signed_in_session(calls_server, ADMIN)
    page = admin.get(f"{calls_server.url}/staff/calls/table", timeout=10).text
    row = page.split("회현동 주민센터 2층", 1)[1].split("</tr>", 1)[0]
    assert "2번 부름" in row and "주민참여예산" in row and "budget_review" in row
    alerts = hook.wait_for(device.device_id, 2)
    assert [a["calls"] for a in alerts] == [1, 2]
    call_id = alerts[0]["call_id"]
    assert post_form(admin, calls_server, f"/staff/calls/{call_id}/resolve").status_code == 303
    send_call(calls_server, device, 3, "home")
    assert beat(calls_server, device)["staff_call"] == "waiting"
    assert hook.wait_for(device.device_id, 3)[-1]["call_id"] != call_id


def test_a_hook_that_does_not_answer_delays_no_request(tmp_path: Path) -> None:
    """A gateway that accepts the connection and never answers: the heartbeat is answered at
    once, and the alert gives up after its timeout."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    server = start_server(
        tmp_path,
        None,
        "--staff-call-hook",
        f"hoehyeon=http://127.0.0.1:{silent.getsockname()[1]}/hook",
    )
    try:
        device = server.enroll()
        started = datetime.now(UTC)
        assert beat(server, device, staff_call=True)["staff_call"] == "waiting"
        assert datetime.now(UTC) - started < timedelta(seconds=2)
    finally:
        server.stop()
        silent.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_heartbeats_at_once_open_one_call(backend: str, tmp_path: Path) -> None:
    """Two server processes on one database, the device's heartbeat and its envelope arriving
    at the same moment through both: one open call, never two."""
    from concurrent.futures import ThreadPoolExecutor
    from contextlib import ExitStack

    from tests.server.conftest import require_postgres
    from tests.server.process import postgres_database

    with ExitStack() as stack:
        url = None
        if backend == "postgresql":
            require_postgres()
            url = stack.enter_context(postgres_database())
        first = start_server(tmp_path / "a", url)
        stack.callback(first.stop)
        second = start_server(tmp_path / "a", url) if url else first
        if second is not first:
            stack.callback(second.stop)
        for round_ in range(3):
            device = first.enroll(name=f"회현동 {round_}")
            # Its first status is stored first: two first heartbeats at once race for that
            # row (server.fleet), which a device that sends one at a time never does.
            beat(first, device)

            def hit(i: int, device: EnrolledDevice = device) -> None:
                server = (first, second)[i % 2]
                if i % 3 == 0:
                    send_call(server, device, 1 + i // 3, "home")
                else:
                    beat(server, device, staff_call=True)

            with ThreadPoolExecutor(max_workers=6) as pool:
                list(pool.map(hit, range(12)))
            with first.database() as db:
                from server import calls

                mine = [c for c in calls.open_calls(db) if c.device_id == device.device_id]
            assert len(mine) == 1, mine
