"""긴급 공지 through the real reference server and the device's watch (sync.emergency): a notice
posted is reported once (then 304s report nothing), kept in the device database; a device that
was offline while it was cleared takes it down at its first answer back; a device restarted
offline still shows what it kept; the sync core runs the watch beside its loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from contract.wire import EmergencyNotice
from server import audit, emergency
from server.db import ServerDatabase, open_database
from sync.client import NetworkError, SyncClient
from sync.emergency import TIMEOUTS, EmergencyWatch, stored_notices
from tests.sync.reference_server import ReferenceServer

BY = audit.Actor("김관리", "127.0.0.1")


@contextmanager
def server_db(srv: ReferenceServer) -> Iterator[ServerDatabase]:
    db = open_database(str(srv.db_path))
    try:
        yield db
    finally:
        db.close()


def post(srv: ReferenceServer, text: str, dong: str | None = None) -> int:
    with server_db(srv) as db:
        return emergency.post(db, text, "danger", dong, 1, BY).id


def clear(srv: ReferenceServer, notice_id: int) -> None:
    with server_db(srv) as db:
        emergency.clear(db, notice_id, BY)


def changed(watch: EmergencyWatch) -> bool:
    """Poll until the answer changes: each server process reads the notices at most once a
    second (server.emergency.CACHE_S), so one posted just now may be a second away."""
    for _ in range(30):
        if watch.poll_once():
            return True
        threading.Event().wait(0.1)
    return False


def client_of(device: Any) -> SyncClient:
    return SyncClient(device.enrolment.server_url, device.enrolment.token, timeouts=TIMEOUTS)


def test_a_notice_is_reported_once_and_kept(srv, make_device):
    device = make_device()
    told: list[list[EmergencyNotice]] = []
    watch = EmergencyWatch(client_of(device), device.settings, "sindang", told.append)
    assert watch.poll_once() is False and told == []  # none in force: nothing to say

    notice_id = post(srv, "단수 예정: 오후 2시부터 4시까지")
    other_dong = post(srv, "회현동만", dong="hoehyeon")

    assert changed(watch)
    assert [[n.id for n in notices] for notices in told] == [[notice_id]]
    assert watch.poll_once() is False  # 304: unchanged
    assert [n.id for n in stored_notices(device.settings)] == [notice_id]
    clear(srv, notice_id)
    clear(srv, other_dong)

    assert changed(watch)
    assert told[-1] == [] and stored_notices(device.settings) == []


def test_a_device_offline_while_a_notice_was_cleared_takes_it_down_when_back(srv, make_device):
    device = make_device()
    told: list[list[EmergencyNotice]] = []
    watch = EmergencyWatch(client_of(device), device.settings, None, told.append)
    notice_id = post(srv, "가스 점검 중")
    assert changed(watch)

    srv.stop()
    try:
        try:
            watch.poll_once()
            raise AssertionError("the server is down: the poll must fail")
        except NetworkError:
            pass
        # Offline, it keeps what it knew: a restarted board shows the notice at once.
        restarted: list[list[EmergencyNotice]] = []
        again = EmergencyWatch(client_of(device), device.settings, None, restarted.append, 0.05)
        again.start()
        deadline = threading.Event()
        for _ in range(100):
            if restarted:
                break
            deadline.wait(0.05)
        again.stop(wait_s=5)
        assert [n.id for n in restarted[0]] == [notice_id]
        clear(srv, notice_id)  # by staff, while the device is away
    finally:
        srv.start()

    assert changed(watch)
    assert told[-1] == [] and stored_notices(device.settings) == []


def test_the_sync_core_runs_the_watch_beside_its_loop(srv, make_device):
    device = make_device()
    heard = threading.Event()
    told: list[list[EmergencyNotice]] = []

    def on_emergency(notices: list[EmergencyNotice]) -> None:
        told.append(notices)
        heard.set()

    notice_id = post(srv, "대피 훈련 중입니다")
    core = device.core(on_emergency=on_emergency)
    loop = threading.Thread(target=core.run_forever)
    loop.start()
    try:
        assert heard.wait(10)
        assert [n.id for n in told[-1]] == [notice_id]
    finally:
        core.stop()
        loop.join(10)
        clear(srv, notice_id)
    assert not loop.is_alive()
