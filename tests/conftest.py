"""Shared test setup: Qt runs offscreen, every test gets its own data directory, and a test
that logs an error fails unless it names that error."""

from __future__ import annotations

import faulthandler
import gc
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest.faulthandler import fault_handler_stderr_fd_key

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A hang inside Qt or FFmpeg can hold Python's GIL, and then pytest-timeout never gets to run.
# faulthandler's watchdog is a plain C thread: it prints every thread's stack and ends the run,
# so a deadlock fails the suite in minutes instead of running CI out of time.
HARD_TIMEOUT_S = 360


@pytest.fixture(autouse=True)
def _hard_timeout(request: pytest.FixtureRequest) -> Iterator[None]:
    # A minute past the test's own pytest-timeout (a slow test's marker raises it), so that
    # pytest-timeout speaks first and the watchdog only ends a run that holds the GIL.
    marker = request.node.get_closest_marker("timeout")
    allowed = float(marker.args[0]) + 60 if marker and marker.args else HARD_TIMEOUT_S
    # pytest's own copy of stderr, taken before capturing: sys.__stderr__ is the capture file
    # during a test, which nobody reads after the process ends.
    out = request.config.stash[fault_handler_stderr_fd_key]
    faulthandler.dump_traceback_later(max(allowed, HARD_TIMEOUT_S), exit=True, file=out)
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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "logs_error(*patterns): the test logs errors matching these on purpose"
    )


class _ErrorRecords(logging.Handler):
    """Keeps every record at ERROR or above, from any thread of the test process."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _logged_line(record: logging.LogRecord) -> str:
    return f"{record.levelname} {record.name}: {record.getMessage()}"


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that logs at ERROR or above fails, unless it names what it expects with
    `@pytest.mark.logs_error("regex")` (matched by re.search against "LEVEL logger: message").

    An error nobody asserts on is a defect the suite would hide: the app's only report of a
    failure is often its log line. Every expected pattern must match a record, so a mark
    cannot outlive the failure it excuses. Qt's own warnings are pytest-qt's job
    (qt_log_level_fail in pyproject)."""
    expected = [
        re.compile(pattern)
        for mark in request.node.iter_markers("logs_error")
        for pattern in mark.args
    ]
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    lines = [_logged_line(r) for r in handler.records]
    unexpected = [line for line in lines if not any(p.search(line) for p in expected)]
    unseen = [p.pattern for p in expected if not any(p.search(line) for line in lines)]
    problems = [f"logged an error it does not expect: {line}" for line in unexpected]
    problems += [f"expected an error matching {p!r}, none was logged" for p in unseen]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty device data directory."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The real server process for one test module, with a 관리자 account (tests.console's
    ADMIN)."""
    from tests.console.conftest import ADMIN, add_account
    from tests.server.process import start_server

    data_dir = tmp_path_factory.mktemp("admin-server")
    running = start_server(data_dir)
    add_account(running, ADMIN, data_dir)
    yield running
    running.stop()
