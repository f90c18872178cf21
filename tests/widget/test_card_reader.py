"""Payment linked to a device (issue 19, item 5): the practice kiosks' card page waits for a card
on a PC/SC reader when one is attached, and keeps the reader drawn on the screen when none is.

The reader is virtual and real at once: Debian's pcscd runs in the foreground for these tests
with the vsmartcard-vpcd driver (a reader that listens on a TCP port), and vsmartcard-vpicc
(`vicc`) presents a card on it — the kiosk sees it through pyscard exactly as a USB reader.
These tests fail rather than skip in CI (CI is set there, and .ci/run installs the packages);
elsewhere they skip when pcscd, the driver or pyscard is missing.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services import card_tap
from kiosk.ui.navigation import Route
from kiosk.ui.screens import practice
from tests.helpers.audit import practice_unfit
from tests.helpers.resident import find, on, shown, tap_name

VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
# Debian bookworm's python3-virtualsmartcard installs its package one folder too deep, and its
# CryptoUtils falls back to Python 2's `sha` module without PyCrypto: vicc runs with both put
# right (the card it emulates does no cryptography).
VICC_PACKAGE_DIRS = glob.glob("/usr/lib/python3/site-packages/virtualsmartcard")


def missing() -> str | None:
    """What the virtual reader needs that this machine lacks; None when it has it all."""
    if shutil.which("pcscd") is None:
        return "pcscd (apt: pcscd)"
    if not Path(VPCD_DRIVER).exists():
        return "the vpcd reader driver (apt: vsmartcard-vpcd)"
    if shutil.which("vicc") is None:
        return "vicc (apt: vsmartcard-vpicc)"
    if importlib.util.find_spec("smartcard") is None:
        return "pyscard"
    return None


@pytest.fixture
def needs_pcsc() -> None:
    lacking = missing()
    if lacking is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the card reader: {lacking} is missing")
        pytest.skip(f"{lacking} is missing")
    if PCSCD_SOCKET.exists() and card_tap.service_running():
        if os.environ.get("CI"):
            pytest.fail("a pcscd is already running: the test starts its own")
        pytest.skip("a pcscd of this machine is running; the test needs its own")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a process this test started (SIGTERM, then SIGKILL after 10 s) and reap it."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_pcscd(conf: Path) -> Iterator[subprocess.Popen[bytes]]:
    """pcscd in the foreground with the readers of `conf` (a reader.conf.d folder), until the
    block ends; it takes its socket at pcsc-lite's one fixed place."""
    log_path = conf.parent / "pcscd.log"  # not in `conf`: pcscd reads every file there
    log = log_path.open("wb")
    daemon = subprocess.Popen(
        ["pcscd", "--foreground", "--info", "--config", str(conf)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 15
        while not card_tap.service_running():
            assert daemon.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, f"pcscd did not start: {log_path.read_text()}"
            time.sleep(0.05)
        yield daemon
    finally:
        stop(daemon)
        log.close()


@pytest.fixture
def virtual_reader(needs_pcsc, tmp_path: Path) -> Iterator[int]:
    """A pcscd with one virtual reader (vpcd) listening for a card on the port yielded."""
    conf = tmp_path / "readers"
    conf.mkdir()
    port = free_port()
    (conf / "vpcd").write_text(
        f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:{port}\n'
        f"LIBPATH {VPCD_DRIVER}\nCHANNELID {port}\n"
    )
    with running_pcscd(conf):
        deadline = time.monotonic() + 10
        while card_tap.first_reader() is None:
            assert time.monotonic() < deadline, "the virtual reader did not appear"
            time.sleep(0.05)
        yield port


@pytest.fixture
def no_reader(needs_pcsc, tmp_path: Path) -> Iterator[None]:
    """pcscd running with no reader attached."""
    conf = tmp_path / "readers"
    conf.mkdir()
    with running_pcscd(conf):
        assert card_tap.first_reader() is None
        yield


@contextlib.contextmanager
def card_on(port: int, tmp_path: Path) -> Iterator[None]:
    """vicc presenting an ISO 7816 card on the virtual reader, until the block ends."""
    shim = tmp_path / "vicc-shim"
    shim.mkdir(exist_ok=True)
    (shim / "sha.py").write_text("from hashlib import sha1 as new  # noqa: F401\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*VICC_PACKAGE_DIRS, str(shim)])}
    vicc = shutil.which("vicc")
    assert vicc is not None
    log = (tmp_path / "vicc.log").open("wb")
    # The system's python3: vicc is a Debian script for it, not for the test's interpreter.
    python = shutil.which("python3", path="/usr/bin") or sys.executable
    card = subprocess.Popen(
        [python, vicc, "--type", "iso7816", "--hostname", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        yield
    finally:
        stop(card)
        log.close()


@pytest.fixture
def kiosk(make_window, monkeypatch):
    monkeypatch.setattr(practice, "CARD_ANIMATION_MS", 20)
    return make_window()


def to_payment(qtbot, window) -> None:
    """The café by taps: take away, one iced americano, order, pay by card."""
    window.navigate(Route("practice_cafe_where"))
    tap_name(qtbot, window, "choice_takeout")
    tap_name(qtbot, window, "menu_americano")
    tap_name(qtbot, window, "option_temp-ice")
    tap_name(qtbot, window, "addToCart")
    tap_name(qtbot, window, "order")
    assert find(window, "payTotal").text() == "결제할 금액: 2,000원"
    tap_name(qtbot, window, "payCard")
    assert on(window) == "practice_cafe_pay_card"


def test_a_card_on_the_reader_pays_the_practice_order(qtbot, kiosk, virtual_reader, tmp_path):
    to_payment(qtbot, kiosk)
    # The page found the reader off the GUI thread and now waits for a card on it.
    qtbot.waitUntil(lambda: find(kiosk, "cardStatus").text() == "카드를 기다리고 있습니다…")
    assert "카드 단말기 위에 대 주세요" in find(kiosk, "cardHint").text()
    # One way to pay: the card on the reader. No drawn reader, no on-screen button beside it.
    assert not shown(kiosk, "insertCard") and not shown(kiosk, "cardReader")
    assert practice_unfit(kiosk) == []  # the wait's words in the action bar, in sight
    time.sleep(0.5)
    assert on(kiosk) == "practice_cafe_pay_card"  # no card yet: it keeps waiting
    with card_on(virtual_reader, tmp_path):
        qtbot.waitUntil(lambda: on(kiosk) == "practice_cafe_done", timeout=20_000)
    assert find(kiosk, "number").text() == "17"
    assert kiosk.ctx.outbox.pending() == []  # nothing is sent


def test_without_a_reader_the_reader_on_the_screen_takes_the_card(qtbot, kiosk, no_reader):
    to_payment(qtbot, kiosk)
    qtbot.waitUntil(lambda: kiosk.current_screen.reader_checked)
    assert shown(kiosk, "cardReader")
    assert "'카드 꽂기'를 누르면" in find(kiosk, "cardHint").text()
    assert find(kiosk, "insertCard").text_of_lines() == "카드 꽂기 (연습)"
    assert not shown(kiosk, "cardStatus")
    reader = find(kiosk, "cardReader")
    tap_name(qtbot, kiosk, "insertCard")
    assert find(kiosk, "cardStatus").text() == "결제 중입니다…"
    qtbot.waitUntil(lambda: on(kiosk) == "practice_cafe_done")
    assert reader.progress == 1.0
    assert kiosk.ctx.outbox.pending() == []


def test_leaving_the_page_stops_the_wait(qtbot, kiosk, virtual_reader):
    to_payment(qtbot, kiosk)
    qtbot.waitUntil(lambda: find(kiosk, "cardStatus").text() == "카드를 기다리고 있습니다…")
    screen = kiosk.current_screen
    cancelled, pool = screen.cancelled, screen.watcher._pool
    assert pool.threads  # the wait runs on a thread of its own
    kiosk.go_back()
    assert cancelled.is_set() and on(kiosk) == "practice_cafe_pay"
    # The worker notices within one slice of its wait and ends.
    qtbot.waitUntil(lambda: all(not t.is_alive() for t in pool.threads))


def test_a_lesson_keeps_the_drawn_reader_beside_the_wait(qtbot, kiosk, virtual_reader, tmp_path):
    """In a lesson the page keeps its drawn reader and button (the lesson's steps point at
    them) beside the wait for a card, and a card on the reader still pays."""
    kiosk.lesson_player().lesson = kiosk.ctx.pack.lessons[0]  # a lesson is on
    to_payment(qtbot, kiosk)
    qtbot.waitUntil(lambda: find(kiosk, "cardStatus").text() == "카드를 기다리고 있습니다…")
    assert find(kiosk, "insertCard").text_of_lines() == "카드 없이 화면으로 연습하기"
    assert shown(kiosk, "cardReader")
    kiosk.lesson_player().lesson = None


def test_the_drawn_reader_comes_back_when_the_reader_goes(qtbot, kiosk, virtual_reader, tmp_path):
    """The wait ends without a card (the reader unplugged, or the wait's time up): the page
    offers the drawn reader again, so the resident is never left without a way to pay."""
    to_payment(qtbot, kiosk)
    qtbot.waitUntil(lambda: find(kiosk, "cardStatus").text() == "카드를 기다리고 있습니다…")
    assert not shown(kiosk, "insertCard")
    kiosk.current_screen.on_tapped(False)  # what the wait says when the reader is gone
    assert find(kiosk, "insertCard").text_of_lines() == "카드 꽂기 (연습)"
    assert shown(kiosk, "cardReader") and not shown(kiosk, "cardStatus")
    tap_name(qtbot, kiosk, "insertCard")
    qtbot.waitUntil(lambda: on(kiosk) == "practice_cafe_done")
