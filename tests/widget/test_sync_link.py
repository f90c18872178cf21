"""The app's link to the sync worker (kiosk.services.sync_link) with a stand-in worker: what the
worker thread reports arrives on the GUI thread, in order, as signals; stopping ends the thread
and still delivers what it said last. (tests/sync/test_qt.py runs it against the real server.)"""

from __future__ import annotations

import threading

from kiosk.services.sync_link import SyncLink, SyncReports
from sync.worker import SyncState, SyncStatus


class FakeCore:
    """Reports three statuses, a content version and a staff call's state, then waits for
    stop; its last word comes as it stops."""

    def __init__(self, reports: SyncReports) -> None:
        self.reports = reports
        self.status = SyncStatus(SyncState.SYNCING)
        self.stopped = threading.Event()
        self.woken = 0
        self.thread: threading.Thread | None = None

    def run_forever(self) -> None:
        self.thread = threading.current_thread()
        for pending in (3, 2, 1):
            self.reports.on_status(SyncStatus(SyncState.SYNCING, pending=pending))
        self.reports.on_content("v2")
        self.reports.on_staff_call("coming")
        self.stopped.wait(10)
        self.reports.on_status(SyncStatus(SyncState.IDLE))

    def wake(self) -> None:
        self.woken += 1

    def stop(self) -> None:
        self.stopped.set()


def test_reports_arrive_on_the_gui_thread_in_order_and_stop_keeps_the_last(qtbot):
    cores: list[FakeCore] = []

    def make(reports: SyncReports) -> FakeCore:
        cores.append(FakeCore(reports))
        return cores[0]

    link = SyncLink(make)  # type: ignore[arg-type]  # a stand-in for SyncCore
    seen: list[tuple[str, object, threading.Thread]] = []

    def note(kind: str):
        return lambda value: seen.append((kind, value, threading.current_thread()))

    link.status_changed.connect(note("status"))
    link.content_activated.connect(note("content"))
    link.staff_call_changed.connect(note("staff_call"))
    assert link.status.state is SyncState.SYNCING and not link.running
    link.start()
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=5000)
    assert [(kind, getattr(value, "pending", value)) for kind, value, _ in seen] == [
        ("status", 3),
        ("status", 2),
        ("status", 1),
        ("content", "v2"),
        ("staff_call", "coming"),
    ]
    assert {thread for _, _, thread in seen} == {threading.main_thread()}
    assert cores[0].thread is not None and cores[0].thread.name == "sync"
    assert link.status.pending == 1
    link.wake()
    assert cores[0].woken == 1
    assert link.stop(wait_ms=5000)
    assert not link.running
    assert seen[-1][0] == "status" and link.status.state is SyncState.IDLE  # its last word
