"""After the first paint the store opens on a worker thread (SQLAlchemy's import and the
database file take many frames); what needs it then runs on the GUI thread (kiosk.app)."""

from __future__ import annotations

import threading

import pytest

from kiosk.app import open_store_then
from kiosk.context import DeviceStore


def test_the_store_opens_off_the_gui_thread_then_its_users_run_on_it(window, qtbot):
    ctx = window.ctx
    ctx.close()  # as at start: nothing has opened it yet
    opened_on: list[threading.Thread] = []
    real_open = ctx.open_store

    def open_store() -> DeviceStore:
        opened_on.append(threading.current_thread())
        return real_open()

    ctx.open_store = open_store  # type: ignore[method-assign]
    ran: list[tuple[threading.Thread, bool]] = []
    open_store_then(
        window, ctx, [lambda: ran.append((threading.current_thread(), ctx._store is not None))]
    )
    qtbot.waitUntil(lambda: bool(ran), timeout=30_000)
    assert opened_on and opened_on[0] is not threading.main_thread()
    # Run on the GUI thread with the store already open: they do not wait for it.
    assert ran == [(threading.main_thread(), True)]


@pytest.mark.logs_error("background.failed call=open_store", "after_store_failed")
def test_what_needs_the_store_still_runs_when_it_cannot_open(window, qtbot):
    ctx = window.ctx
    ctx.close()

    def cannot_open() -> DeviceStore:
        raise OSError("disk gone")

    ctx.open_store = cannot_open  # type: ignore[method-assign]
    ran: list[str] = []

    def needs_store() -> None:
        ran.append("first")
        ctx.open_store()  # says why, as a start without the worker would have

    open_store_then(window, ctx, [needs_store, lambda: ran.append("second")])
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=30_000)
    assert ran == ["first", "second"]
