"""A kiosk window on the demo content, offscreen, with an idle clock the test controls."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent

from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.shell import KioskWindow
from tests.helpers.resident import on_the_glass
from tests.helpers.stubs import FakeMonotonic
from tests.sync.reference_server import ReferenceServer


@pytest.fixture(scope="session")
def fonts(qapp) -> str:
    return load_bundled_fonts()


@pytest.fixture
def idle_clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def make_window(qtbot, fonts, data_dir: Path, idle_clock):
    """Build a started kiosk window of a given size on a fresh device with the demo pack."""
    contexts = []

    def make(size: tuple[int, int] = (1080, 1920), **config) -> KioskWindow:
        ctx = open_context(KioskConfig(data_dir=data_dir, **config))
        contexts.append(ctx)
        idle = IdleMonitor(
            ctx.config.idle_timeout_s, ctx.config.idle_warning_s, monotonic=idle_clock
        )
        return on_the_glass(qtbot, KioskWindow(ctx, idle=idle), size)

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def window(make_window) -> KioskWindow:
    return make_window()


@pytest.fixture(autouse=True)
def fresh_stylesheet(qapp):
    """The kiosk window styles the whole application; each test starts and ends unstyled.

    It also deletes the windows earlier tests closed: pytest-qt's deleteLater is only carried
    out by an event loop at the level it was posted from, so without this they pile up, and
    each new window's application-wide style is applied to all of them (slower and slower)."""
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet("")


@contextlib.contextmanager
def running_server(data_dir: Path) -> Iterator[ReferenceServer]:
    """The reference server process on `data_dir`, stopped at the end."""
    srv = ReferenceServer(data_dir)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ReferenceServer]:
    """The reference server process, once for a module's tests that enrol with it."""
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv
