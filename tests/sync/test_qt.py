"""The sync worker in the app: on its own plain thread, reporting to the GUI thread; the
calm indicator in the top bar; the staff page's queue, last error and "지금 동기화".

All against the real server process, through the fault proxy when the network must fail.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.context import AppContext
from kiosk.pack import AssetCache
from kiosk.services import Receipt
from kiosk.services.sync_link import SyncLink, start_sync_link
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.navigation import Route
from kiosk.ui.shell import KioskWindow
from kiosk.ui.sync_indicator import SyncIndicator
from sync.worker import SyncState, SyncStatus
from tests.helpers.audit import clipped_labels, small_targets
from tests.helpers.resident import on_the_glass
from tests.helpers.stubs import FakeMonotonic
from tests.sync.conftest import FAST, Device, survey_payload
from tests.sync.proxy import Fault, FaultProxy

TAP = Qt.MouseButton.LeftButton
WAIT_MS = 15_000


@pytest.fixture
def proxy(srv):
    p = FaultProxy(srv.port)
    yield p
    p.close()


@pytest.fixture
def app_of(qtbot):
    """app_of(device) -> (ctx, controller): the app's context and its running sync worker."""
    started: list[tuple[AppContext, SyncLink | None]] = []

    def make(device: Device) -> tuple[AppContext, SyncLink]:
        ctx = context_of(device)
        controller = start_sync_link(ctx, tuning=FAST)
        assert controller is not None
        started.append((ctx, controller))
        return ctx, controller

    yield make
    for ctx, controller in started:
        if controller is not None:
            assert controller.stop(wait_ms=10_000), "the sync thread did not end"
        ctx.close()


def context_of(device: Device) -> AppContext:
    return AppContext(
        config=KioskConfig(data_dir=device.data_dir), assets=AssetCache(device.data_dir / "assets")
    )


def idle_and_empty(status: SyncStatus) -> bool:
    return status.state is SyncState.IDLE and status.pending == 0


def test_worker_runs_on_its_own_thread_and_reports_to_the_gui_thread(
    qtbot, srv, make_device, app_of
):
    device = make_device()
    device.queue(30)
    threads: list[QThread] = []
    worker_threads: set[str] = set()
    ctx, controller = app_of(device)
    controller.status_changed.connect(lambda _s: threads.append(QThread.currentThread()))
    # Where the work happens: the outbox is read on the worker's thread, never the GUI's.
    pending = ctx.outbox.pending

    def noting_pending(*args, **kwargs):
        worker_threads.add(threading.current_thread().name)
        return pending(*args, **kwargs)

    ctx.outbox.pending = noting_pending

    with qtbot.waitSignal(
        controller.status_changed, timeout=WAIT_MS, check_params_cb=idle_and_empty
    ):
        pass
    assert device.outbox.counts_by_status()["sent"] == 30
    gui = QApplication.instance().thread()
    assert threads and all(t is gui for t in threads)
    assert controller.running and worker_threads == {"sync"}


def test_a_submission_from_a_screen_wakes_the_worker_at_once(qtbot, srv, make_device):
    device = make_device()
    window = make_window(qtbot, device)
    tuning_slow_check = replace(FAST, idle_check_s=30.0)
    controller = start_sync_link(window.ctx, tuning=tuning_slow_check)
    assert controller is not None
    window.attach_sync(controller)
    try:
        with qtbot.waitSignal(
            controller.status_changed, timeout=WAIT_MS, check_params_cb=idle_and_empty
        ):
            pass
        # The one way every screen queues a submission (kiosk.services), as its 보내기 does.
        acts = window.current_screen.env.services.acts
        receipt = acts.submit("survey_response", survey_payload())
        assert isinstance(receipt, Receipt)
        # Far sooner than the 30 s the idle check would take.
        qtbot.waitUntil(
            lambda: device.outbox.get(receipt.envelope_id).status == "sent", timeout=5_000
        )
    finally:
        assert controller.stop(wait_ms=10_000)
        window.ctx.close()


def make_window(qtbot, device: Device) -> KioskWindow:
    load_bundled_fonts()
    ctx = open_context(KioskConfig(data_dir=device.data_dir))
    window = KioskWindow(ctx, idle=IdleMonitor(120, 20, monotonic=FakeMonotonic()))
    return on_the_glass(qtbot, window)


def visible(window: QWidget, cls, name: str):
    found = [w for w in window.findChildren(cls, name) if w.isVisible()]
    assert len(found) == 1, f"{len(found)} visible {name}"
    return found[0]


def test_indicator_shows_connected_then_offline_then_connected(qtbot, srv, make_device, proxy):
    device = make_device(url=proxy.url)
    window = make_window(qtbot, device)
    controller = start_sync_link(window.ctx, tuning=FAST)
    assert controller is not None
    try:
        window.attach_sync(controller)
        qtbot.waitUntil(
            lambda: visible(window, SyncIndicator, "syncIndicator").text() == "● 연결됨",
            timeout=WAIT_MS,
        )
        proxy.switch(lambda _line: Fault(refuse=True))  # the network goes
        window.ctx.outbox.enqueue("survey_response", survey_payload(), content_version=None)
        controller.wake()
        qtbot.waitUntil(
            lambda: visible(window, SyncIndicator, "syncIndicator").text() == "○ 연결 끊김",
            timeout=WAIT_MS,
        )
        shown: list[str] = []
        indicator = visible(window, SyncIndicator, "syncIndicator")
        controller.status_changed.connect(lambda _s: shown.append(indicator.text()))
        proxy.switch(lambda _line: Fault())  # and comes back
        controller.wake()
        qtbot.waitUntil(
            lambda: window.ctx.outbox.counts_by_status()["pending"] == 0, timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: indicator.text() == "● 연결됨", timeout=WAIT_MS)
        # Calm: while it tried again it kept saying "not connected", then said "connected"
        # once, with no blinking back and forth.
        changes = [t for i, t in enumerate(shown) if i == 0 or shown[i - 1] != t]
        assert changes in (["○ 연결 끊김", "● 연결됨"], ["● 연결됨"])
    finally:
        assert controller.stop(wait_ms=10_000)
        window.ctx.close()


def test_staff_page_shows_the_queue_and_the_last_error_and_syncs_now(
    qtbot, srv, make_device, proxy
):
    device = make_device(url=proxy.url)
    device.outbox.enqueue("survey_response", {"answers": {}}, content_version=None)  # refused
    window = make_window(qtbot, device)
    proxy.switch(lambda _line: Fault(refuse=True))
    slow_retry = replace(FAST, backoff_base_s=30.0, backoff_cap_s=60.0)
    controller = start_sync_link(window.ctx, tuning=slow_retry)
    assert controller is not None
    try:
        window.attach_sync(controller)
        window.navigate(Route("admin_status"))
        tr = window.translator.tr
        state = visible(window, QLabel, f"value_{tr('sync.admin.state')}")
        last_error = visible(window, QLabel, f"value_{tr('sync.admin.last_error')}")
        qtbot.waitUntil(lambda: tr("sync.state.offline") in state.text(), timeout=WAIT_MS)
        assert tr("sync.error.network") in last_error.text()
        queue = visible(window, QLabel, f"value_{tr('admin.status.outbox')}")
        assert "1" in queue.text()

        # The network is back; staff do not wait out the 30 s backoff.
        proxy.switch(lambda _line: Fault())
        qtbot.mouseClick(visible(window, QWidget, "syncNow"), TAP)
        assert visible(window, QLabel, "syncMessage").text() == tr("sync.admin.sync_started")
        qtbot.waitUntil(lambda: tr("sync.state.idle") in state.text(), timeout=WAIT_MS)
        letters = visible(window, QLabel, f"value_{tr('admin.status.dead_letters')}")
        assert "#1 survey_response" in letters.text() and "survey_id" in letters.text()
        last_success = visible(window, QLabel, f"value_{tr('sync.admin.last_success')}")
        assert last_success.text() != tr("sync.admin.never")

        # At the largest text, in both orientations, nothing is clipped and targets stay big.
        window.prefs.set_text_scale(200)
        for size in ((1080, 1920), (1920, 1080)):
            window.resize(*size)
            qtbot.waitUntil(lambda s=size: (window.width(), window.height()) == s)
            qtbot.waitUntil(window.current_screen.isVisible)

            def laid_out_whole() -> None:  # a busy machine may take a few passes to lay out
                assert clipped_labels(window) == []
                assert small_targets(window, 96) == []

            qtbot.waitUntil(laid_out_whole, timeout=WAIT_MS)
    finally:
        assert controller.stop(wait_ms=10_000)
        window.ctx.close()


def test_staff_page_on_a_device_that_is_not_enrolled(qtbot, tmp_path: Path):
    device_dir = tmp_path / "fresh"
    load_bundled_fonts()
    ctx = open_context(KioskConfig(data_dir=device_dir))
    assert start_sync_link(ctx) is None
    window = KioskWindow(ctx, idle=IdleMonitor(120, 20, monotonic=FakeMonotonic()))
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    window.start()
    try:
        assert not window.findChildren(SyncIndicator)
        window.navigate(Route("admin_status"))
        tr = window.translator.tr
        state = visible(window, QLabel, f"value_{tr('sync.admin.state')}")
        assert state.text() == tr("sync.state.not_enrolled")
        qtbot.mouseClick(visible(window, QWidget, "syncNow"), TAP)
        assert visible(window, QLabel, "syncMessage").text() == tr("sync.admin.sync_unavailable")
    finally:
        ctx.close()
