"""A kiosk window on the demo content, offscreen, with an idle clock the test controls."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent

from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.shell import KioskWindow
from tests.helpers.stubs import FakeMonotonic


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
        window = KioskWindow(ctx, idle=idle)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        window.start()
        qtbot.waitExposed(window)
        return window

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
