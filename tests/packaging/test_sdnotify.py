"""The systemd watchdog the app feeds (kiosk/sdnotify.py), over a real unix datagram socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.sdnotify import Watchdog, notify, start_watchdog, watchdog_interval_ms

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A datagram socket bound where systemd's would be, as $NOTIFY_SOCKET names it."""
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.05)
    yield sock, path
    sock.close()


def received(sock: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except TimeoutError:
            return messages


def test_notify_sends_one_datagram(notify_socket):
    sock, path = notify_socket
    assert notify("READY=1", {"NOTIFY_SOCKET": path})
    assert received(sock) == ["READY=1"]


def test_notify_is_a_no_op_without_a_socket_or_with_a_gone_one(tmp_path):
    assert not notify("READY=1", {})
    assert not notify("READY=1", {"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")})


def test_abstract_socket_names_work():
    name = f"ontong-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(1)
        assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(100) == b"WATCHDOG=1"


def test_interval_is_a_third_of_watchdog_usec_and_only_for_this_process():
    assert watchdog_interval_ms({"WATCHDOG_USEC": "60000000"}) == 20_000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": str(os.getpid())})
    assert watchdog_interval_ms({"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval_ms({}) is None
    assert watchdog_interval_ms({"WATCHDOG_USEC": "soon"}) is None


def test_watchdog_says_ready_then_pings_and_stops_when_the_gui_thread_hangs(qapp, notify_socket):
    sock, path = notify_socket
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "150000"}  # a ping every 50 ms
    dog = Watchdog(qapp, env)
    try:
        deadline = time.monotonic() + 5
        messages: list[str] = []
        while messages.count("WATCHDOG=1") < 3 and time.monotonic() < deadline:
            QApplication.processEvents()
            messages += received(sock)
        assert messages[0].startswith("READY=1")
        assert messages.count("WATCHDOG=1") >= 3
        # The GUI thread hangs (no events processed) for 0.5 s: no ping gets out meanwhile.
        received(sock)
        time.sleep(0.5)
        assert received(sock) == []
        QApplication.processEvents()
        time.sleep(0.06)
        QApplication.processEvents()
        assert "WATCHDOG=1" in received(sock)  # it comes back with the event loop
    finally:
        dog.timer.stop()
        dog.deleteLater()


def test_no_watchdog_object_without_notify_socket(qapp, monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert start_watchdog(qapp) is None


def test_the_app_started_under_systemd_feeds_the_watchdog(notify_socket, tmp_path):
    """`python -m kiosk` as the service starts it: READY=1 once running, then WATCHDOG=1."""
    sock, path = notify_socket
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        NOTIFY_SOCKET=path,
        WATCHDOG_USEC="600000",  # a ping every 200 ms
        PYTHONPATH=str(REPO_ROOT),
    )
    env.pop("WATCHDOG_PID", None)
    log = (tmp_path / "app.log").open("wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--windowed", "--data-dir", str(tmp_path / "data")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        messages: list[str] = []
        deadline = time.monotonic() + 60
        while messages.count("WATCHDOG=1") < 3 and time.monotonic() < deadline:
            assert app.poll() is None, (tmp_path / "app.log").read_text()
            messages += received(sock)
        assert messages and messages[0].startswith("READY=1"), messages
        assert messages.count("WATCHDOG=1") >= 3
    finally:
        app.terminate()
        app.wait(timeout=20)
        log.close()
