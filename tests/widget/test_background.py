"""The background-call helper (kiosk.services.background): work off the GUI thread, its outcome
delivered on it, never to a screen that went away, and threads that end when it shuts down."""

from __future__ import annotations

import functools
import threading

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.services.background import Background

WAIT_MS = 5000


@pytest.fixture
def background(qtbot):
    helper = Background(name="test-background")
    yield helper
    assert helper.shutdown(wait_s=5), "a worker thread did not end"


def test_work_runs_off_the_gui_thread_and_its_result_arrives_on_it(qtbot, background):
    ran_on: list[threading.Thread] = []
    delivered_on: list[threading.Thread] = []
    results: list[int] = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 6 * 7

    def done(result: int) -> None:
        delivered_on.append(threading.current_thread())
        results.append(result)

    call = background.run(work, done)
    assert call.pending
    qtbot.waitUntil(lambda: results == [42], timeout=WAIT_MS)
    assert ran_on[0] is not threading.main_thread()
    assert ran_on[0].name == "test-background" and ran_on[0].daemon
    assert delivered_on == [threading.main_thread()]
    assert not call.pending and not call.cancelled


@pytest.mark.logs_error(r"background\.failed call=explode error=ValueError\('no ledger'\)")
def test_an_error_is_logged_once_and_reaches_the_failure_callback_on_the_gui_thread(
    qtbot, background, caplog
):
    failures: list[tuple[Exception, threading.Thread]] = []

    def explode() -> int:
        raise ValueError("no ledger")

    background.run(
        explode,
        lambda _result: pytest.fail("success after an error"),
        lambda error: failures.append((error, threading.current_thread())),
    )
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    error, thread = failures[0]
    assert isinstance(error, ValueError) and str(error) == "no ledger"
    assert thread is threading.main_thread()
    logged = [r for r in caplog.records if "background.failed" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None


def test_a_result_for_an_owner_that_is_gone_is_not_delivered(qtbot, background):
    release = threading.Event()
    screen = QWidget()
    later = QObject()
    delivered: list[str] = []
    call = background.run(
        lambda: release.wait(WAIT_MS / 1000) and "ledger",
        delivered.append,
        owner=screen,
        name="ledger",
    )
    # A second call with a live owner shows when the first one's outcome has come back.
    background.run(lambda: "after", delivered.append, owner=later)
    screen.deleteLater()  # the resident walked away: the shell drops the screen
    qtbot.waitUntil(lambda: not _alive(screen), timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: delivered == ["after"], timeout=WAIT_MS)
    assert call.cancelled and not call.pending


def test_a_cancelled_call_delivers_nothing_and_never_runs_if_not_started(qtbot, background):
    release = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []
    running = background.run(lambda: release.wait(WAIT_MS / 1000) and "first", delivered.append)
    waiting = background.run(lambda: ran.append("second") or "second", delivered.append)
    background.run(lambda: "third", delivered.append)
    running.cancel()
    waiting.cancel()
    release.set()
    qtbot.waitUntil(lambda: delivered == ["third"], timeout=WAIT_MS)
    assert ran == [] and running.cancelled and waiting.cancelled


def test_one_thread_runs_and_delivers_calls_in_the_order_they_were_made(qtbot, background):
    order: list[int] = []
    for n in range(50):
        background.run(lambda n=n: n, order.append)
    qtbot.waitUntil(lambda: len(order) == 50, timeout=WAIT_MS)
    assert order == list(range(50))


def test_many_calls_on_several_threads_all_arrive_once(qtbot):
    helper = Background(threads=3, name="many")
    seen_threads: set[str] = set()
    lock = threading.Lock()
    results: list[int] = []

    def work(n: int) -> int:
        with lock:
            seen_threads.add(threading.current_thread().name)
        return n * n

    for n in range(500):
        helper.run(lambda n=n: work(n), results.append)
    qtbot.waitUntil(lambda: len(results) == 500, timeout=WAIT_MS * 2)
    assert sorted(results) == [n * n for n in range(500)]
    assert seen_threads <= {"many-1", "many-2", "many-3"}
    assert helper.delivered == 500
    assert helper.shutdown(wait_s=5)


def test_shutdown_runs_nothing_more_delivers_nothing_more_and_joins_its_threads(qtbot):
    helper = Background(threads=2, name="closing")
    started = threading.Semaphore(0)
    release = threading.Event()
    ran: list[int] = []
    delivered: list[int] = []

    def slow() -> int:
        started.release()
        release.wait(WAIT_MS / 1000)
        return 0

    helper.run(slow, delivered.append)
    helper.run(slow, delivered.append)  # both threads busy
    for n in range(1, 20):
        helper.run(lambda n=n: ran.append(n) or n, delivered.append)
    assert started.acquire(timeout=WAIT_MS / 1000) and started.acquire(timeout=WAIT_MS / 1000)
    threads = list(helper._pool.threads)
    assert len(threads) == 2
    threading.Timer(0.2, release.set).start()
    assert helper.shutdown(wait_s=5)
    assert not any(t.is_alive() for t in threads)
    qtbot.wait(50)
    assert delivered == []  # nothing after shutdown, not even what was running
    assert ran == []  # calls that had not started were dropped
    with pytest.raises(RuntimeError, match="after shutdown"):
        helper.run(lambda: 1, delivered.append)


def test_shutdown_says_when_work_outlives_the_wait(qtbot, caplog):
    helper = Background(name="stuck")
    release = threading.Event()
    call = helper.run(lambda: release.wait(WAIT_MS / 1000), lambda _r: None)
    assert helper.shutdown(wait_s=0.05) is False
    assert "background.busy_at_shutdown name=stuck" in caplog.text
    release.set()
    assert call.wait(WAIT_MS / 1000)


def test_a_reporter_carries_a_plain_threads_values_to_the_gui_thread_in_order(qtbot, background):
    got: list[tuple[int, threading.Thread]] = []
    report = background.reporter(lambda n: got.append((n, threading.current_thread())))

    def loop() -> None:
        for n in range(100):
            report(n)

    thread = threading.Thread(target=loop, name="long-lived")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(got) == 100, timeout=WAIT_MS)
    assert [n for n, _ in got] == list(range(100))
    assert {t for _, t in got} == {threading.main_thread()}


@pytest.mark.logs_error(r"background\.failed call=QObject error=TypeError")
def test_the_rule_is_enforced_workers_make_no_qt_objects_and_callbacks_stay_home(qtbot, background):
    widget = QWidget()
    with pytest.raises(TypeError, match="method of a QObject"):
        background.run(widget.grab, lambda _r: None)
    with pytest.raises(TypeError, match="method of a QObject"):
        background.run(functools.partial(widget.resize, 10, 10), lambda _r: None)

    failures: list[Exception] = []
    background.run(QObject, lambda _r: pytest.fail("a QObject crossed"), failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert isinstance(failures[0], TypeError) and "returned a QObject" in str(failures[0])

    errors: list[BaseException] = []

    def from_a_worker() -> None:
        try:
            background.run(lambda: 1, lambda _r: None)
        except RuntimeError as e:
            errors.append(e)

    thread = threading.Thread(target=from_a_worker)
    thread.start()
    thread.join()
    assert errors and "on a worker thread" in str(errors[0])


@pytest.mark.logs_error("background.callback_failed name=test-background call=broken")
def test_a_failing_callback_is_logged_and_the_others_still_arrive(qtbot, background):
    got: list[int] = []

    def broken(_result: int) -> None:
        raise KeyError("screen state")

    background.run(lambda: 1, broken, name="broken")
    background.run(lambda: 2, got.append)
    qtbot.waitUntil(lambda: got == [2], timeout=WAIT_MS)


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
