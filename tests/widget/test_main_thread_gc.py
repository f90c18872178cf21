"""The cycle collector runs on the GUI thread only, so a QObject in a reference cycle is never
destroyed by a worker thread that happened to allocate."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from kiosk.ui.main_thread_gc import MainThreadCollector


class Cyclic(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.me = self  # only the cycle collector can free it


def allocate() -> None:
    junk: list[list[object]] = []
    for i in range(200_000):  # far past the first generation's threshold
        junk.append([i])
        junk[-1].append(junk[-1])


def test_objects_in_cycles_die_on_the_gui_thread_however_much_workers_allocate(qtbot):
    gc.enable()  # as Python starts; the tests' own setup turns it off
    collector = MainThreadCollector(interval_ms=20)
    assert not gc.isenabled()
    died_on: list[str] = []
    worker = threading.Thread(target=allocate, name="worker")
    gc.collect()  # a clean start: nothing below is collected before the worker runs
    for _ in range(20):
        obj = Cyclic()
        weakref.finalize(obj, lambda: died_on.append(threading.current_thread().name))
        del obj
    worker.start()
    worker.join()
    # With automatic collection on, the worker's allocations would have freed all 20 there.
    assert died_on == []
    qtbot.waitUntil(lambda: len(died_on) == 20, timeout=5000)
    assert set(died_on) == {threading.main_thread().name}
    collector.deleteLater()
