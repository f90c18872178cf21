"""Shared test setup: Qt runs offscreen, and every test gets its own data directory."""

from __future__ import annotations

import faulthandler
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A hang inside Qt or FFmpeg can hold Python's GIL, and then pytest-timeout never gets to run.
# faulthandler's watchdog is a plain C thread: it prints every thread's stack and ends the run,
# so a deadlock fails the suite in minutes instead of running CI out of time.
HARD_TIMEOUT_S = 360


@pytest.fixture(autouse=True)
def _hard_timeout() -> Iterator[None]:
    faulthandler.dump_traceback_later(HARD_TIMEOUT_S, exit=True, file=sys.__stderr__)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """As the app does (kiosk.ui.main_thread_gc): the cycle collector never runs on a worker
    thread, where it could destroy a QObject off its own thread."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_between_tests() -> Iterator[None]:
    from kiosk.ui.main_thread_gc import collect_if_due

    yield
    collect_if_due()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty device data directory."""
    d = tmp_path / "data"
    d.mkdir()
    return d
