"""긴급 공지 end to end: the real server process, two real media-board processes
(`python -m kiosk --mode board`, enrolled, at production pace) and a member of staff signed in
to the console over HTTP. A notice posted on the console is painted by both boards within 10 s
(each board's log says when its sign was first painted, and with which notice); 내리기 takes it
off both within 10 s; a notice for one dong reaches that dong's board and not the other's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from kiosk.paths import asset_path
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from sync.worker import enroll_device
from tests.console.conftest import ADMIN, add_account, csrf_of, signed_in_session
from tests.server.process import ServerProcess, start_server

ROOT = Path(__file__).resolve().parents[2]
WITHIN_S = 10.0
START_TIMEOUT_S = 90.0
PAGE = "/staff/emergency"


@dataclass
class BoardProcess:
    """A media board running as the kiosk service runs it, its log read by the test."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def painted(self, notice_id: int) -> bool:
        return re.search(rf"emergency\.sign_painted id={notice_id}\b", self.log()) is not None

    def hidden(self, notice_id: int) -> bool:
        return re.search(rf"emergency\.sign_hidden id={notice_id}\b", self.log()) is not None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_board(server: ServerProcess, root: Path, name: str, dong: str) -> BoardProcess:
    data_dir = root / name
    with open_database(data_dir) as db:
        enroll_device(DeviceSettings(db), server.url, server.new_code(), name=name, mode="board")
    config = root / f"{name}.toml"
    config.write_text(
        f'mode = "board"\ndong = "{dong}"\nserver_url = "{server.url}"\n', encoding="utf-8"
    )
    log_path = root / f"{name}.log"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--windowed", "--size", "1920x1080",
             "--config", str(config), "--data-dir", str(data_dir)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    return BoardProcess(name, process, log_path)


def wait_for(condition, timeout_s: float, boards: list[BoardProcess]) -> float:
    """Seconds until `condition()` held; fails (with the boards' logs) after `timeout_s`."""
    started = time.monotonic()
    while not condition():
        for board in boards:
            assert board.process.poll() is None, f"{board.name} ended:\n{board.log()[-3000:]}"
        if time.monotonic() - started > timeout_s:
            logs = "\n".join(f"--- {b.name}\n{b.log()[-2000:]}" for b in boards)
            raise AssertionError(f"not within {timeout_s} s\n{logs}")
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    running = start_server(tmp_path / "server")
    running.cli("publish", str(asset_path("demo")))
    add_account(running, ADMIN, tmp_path)
    yield running
    running.stop()


@pytest.fixture
def boards(server: ServerProcess, tmp_path: Path) -> Iterator[list[BoardProcess]]:
    started = [
        start_board(server, tmp_path, "sindang-apt", "sindang"),
        start_board(server, tmp_path, "hoehyeon-apt", "hoehyeon"),
    ]
    try:
        # Both are running and syncing: their emergency watch asks from now on.
        wait_for(
            lambda: all("sync.worker_started" in b.log() for b in started),
            START_TIMEOUT_S,
            started,
        )
        yield started
    finally:
        for board in started:
            board.stop()


def post(http: requests.Session, server: ServerProcess, **fields: str) -> int:
    token = csrf_of(http.get(server.url + PAGE, timeout=10).text)
    form = {"level": "danger", "dong": "", "hours": "1", **fields, "csrf_token": token}
    r = http.post(server.url + PAGE, data=form, allow_redirects=False, timeout=10)
    assert r.status_code == 303, r.text
    ids = re.findall(r'id="clear-(\d+)"', http.get(server.url + PAGE, timeout=10).text)
    return max(int(i) for i in ids)


def clear(http: requests.Session, server: ServerProcess, notice_id: int) -> None:
    token = csrf_of(http.get(server.url + PAGE, timeout=10).text)
    r = http.post(
        f"{server.url}{PAGE}/{notice_id}/clear",
        data={"csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 303, r.text


def test_a_notice_from_the_console_is_on_both_boards_within_10_s_and_goes_when_cleared(
    server: ServerProcess, boards: list[BoardProcess]
) -> None:
    sindang, hoehyeon = boards
    staff = signed_in_session(server, ADMIN)

    for_all = post(staff, server, text="지진 발생. 엘리베이터를 쓰지 말고 계단으로 대피하세요.")
    shown_s = wait_for(lambda: all(b.painted(for_all) for b in boards), WITHIN_S, boards)

    clear(staff, server, for_all)
    gone_s = wait_for(lambda: all(b.hidden(for_all) for b in boards), WITHIN_S, boards)

    for_one_dong = post(
        staff, server, text="신당동 단수: 오후 4시까지", level="warning", dong="sindang"
    )
    wait_for(lambda: sindang.painted(for_one_dong), WITHIN_S, boards)
    # A whole poll (5 s) and more later, the other dong's board still has not shown it.
    time.sleep(6.0)
    assert not hoehyeon.painted(for_one_dong)
    print(f"both boards painted it {shown_s:.1f} s after posting; both took it down {gone_s:.1f} s")
