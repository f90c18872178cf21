"""Work off the GUI thread, its outcome back on it: the one way the app does that.

`Background.run(work, on_done, on_failed)` runs a plain-Python callable on a worker thread and
calls `on_done(result)` or `on_failed(error)` later on the GUI thread; `Background.reporter`
gives a long-lived plain thread of its own (the sync loop) a function that carries values to
the GUI thread the same way.

The rule, stated here once: **a worker thread makes no Qt call.** No signal, no QObject, no
timer, no widget (value types that own no thread, such as QImage for the picture decoder, are
the one exception). PySide holds Python's GIL while Qt takes its signal-slot locks; the GUI
thread may hold such a lock while it waits for the GIL, and the two wait for ever (a media board
met exactly that after some hours). So a worker puts its outcome into one queue and writes one
byte to a socket; the GUI thread's QSocketNotifier wakes on that byte and empties the queue.
Nothing crosses threads through Qt, and nothing polls while there is nothing to do.

What this module enforces of the rule:
- callbacks run only on the thread that made the helper (the GUI thread), never on a worker;
- work may not be a method of a QObject, and a QObject returned by work is refused (it would
  live on the worker's thread);
- the work and its callbacks are released on the GUI thread, so no QObject a closure holds is
  ever destroyed on a worker (see kiosk.ui.main_thread_gc for what that does).

A call whose owner (a QObject, usually a screen) was destroyed is not delivered: a resident who
walked away gets no late answer on someone else's screen. `Call.cancel()` does the same by
hand, and a call cancelled before a worker took it never runs.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import socket
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QSocketNotifier, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
V = TypeVar("V")

_STOP = None  # what a worker thread takes from its jobs to end


class Call(Generic[T]):
    """One piece of work handed to a `Background`; create it with `Background.run`.

    Use it on the GUI thread only, except `wait`.

    Attributes:
        name: what the work is, for the log.
    """

    def __init__(
        self,
        name: str,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[Exception], None] | None,
        owner: QObject | None,
    ) -> None:
        self.name = name
        self._work: Callable[[], T] | None = work
        self._on_done: Callable[[T], None] | None = on_done
        self._on_failed: Callable[[Exception], None] | None = on_failed
        self._owner = weakref.ref(owner) if owner is not None else None
        self._cancelled = False
        self._delivered = False
        self._finished = threading.Event()  # set by the worker once the outcome is queued

    def __repr__(self) -> str:
        return f"Call({self.name!r}, pending={self.pending})"

    @property
    def pending(self) -> bool:
        """Neither delivered nor cancelled yet."""
        return not (self._delivered or self._cancelled)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Never deliver this call's outcome; if no worker took it yet, it never runs."""
        if self.pending:
            self._cancelled = True
            self._on_done = self._on_failed = None  # on the GUI thread, as they were made

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the work has ended (or was skipped), at most `timeout_s`; True when it
        has. For shutting down only: the GUI thread never waits on work otherwise."""
        return self._finished.wait(timeout_s)

    def _owner_gone(self) -> bool:
        if self._owner is None:
            return False
        owner = self._owner()
        return owner is None or not shiboken6.isValid(owner)

    def _release(self) -> None:
        # On the GUI thread, once the worker let go: what the closures hold dies here.
        self._work = self._on_done = self._on_failed = None


@dataclass(frozen=True)
class _Outcome:
    """What goes back to the GUI thread, plain data only: a call's result or error, or a
    reporter's value (`key` is the call's or the reporter's id)."""

    key: int
    result: object = None
    error: Exception | None = None
    report: bool = False


# What a worker takes: the call's id and the call, and the work to run (shared with the Call,
# which keeps the last reference on the GUI thread); None ends the worker.
_Job = tuple[int, "Call[Any]", Callable[[], object]]


class _Pool:
    """The worker threads and the one queue back, in plain Python: a worker holds this, never
    the QObject, so the helper is never destroyed on a worker thread."""

    def __init__(self, name: str, max_threads: int) -> None:
        self.name = name
        self.max_threads = max_threads
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.outcomes: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()
        # Threads waiting for a job and jobs no thread took yet (both guarded by `lock`).
        self.idle = 0
        self.queued = 0
        self.closed = False
        # The wakeup: a worker writes a byte, the GUI thread's notifier wakes on it.
        self.wake_in, self.wake_out = socket.socketpair()
        self.wake_in.setblocking(False)
        self.wake_out.setblocking(False)
        # However the pool goes (a helper dropped without shutdown), its sockets close.
        self._finalizer = weakref.finalize(self, _close_sockets, self.wake_in, self.wake_out)

    def submit(self, job: _Job) -> None:
        with self.lock:
            self.queued += 1
            more = self.queued > self.idle and len(self.threads) < self.max_threads
            if more:
                n = len(self.threads) + 1
                thread = threading.Thread(
                    target=self.work,
                    name=self.name if self.max_threads == 1 else f"{self.name}-{n}",
                    daemon=True,
                )
                self.threads.append(thread)
                self.idle += 1
        self.jobs.put(job)
        if more:
            thread.start()

    def ring(self) -> None:
        """Wake the GUI thread. A full socket buffer already holds a wakeup; a closed one
        means nobody listens any more."""
        with contextlib.suppress(OSError):
            self.wake_out.send(b"\0")

    def stop(self) -> None:
        """Every thread ends once it has finished what it runs now."""
        with self.lock:
            self.closed = True
            count = len(self.threads)
        for _ in range(count):
            self.jobs.put(_STOP)
        if count == 0:
            self.close_sockets()

    def close_sockets(self) -> None:
        self._finalizer()

    # -- on the worker threads: no Qt here ------------------------------------------------

    def work(self) -> None:
        while (job := self.jobs.get()) is not None:
            with self.lock:
                self.idle -= 1
                self.queued -= 1
            call_id, call, work = job
            del job
            # Cancelled before it started: never run (its outcome still goes back, so that
            # the GUI thread lets go of it).
            outcome = _Outcome(call_id) if call.cancelled else _run(call_id, call.name, work)
            finished = call._finished
            del call, work  # the GUI thread's Call keeps the last reference
            self.outcomes.put(outcome)
            finished.set()
            self.ring()
            with self.lock:
                self.idle += 1
        with self.lock:
            last = self.closed and all(
                t is threading.current_thread() or not t.is_alive() for t in self.threads
            )
        if last:
            self.close_sockets()


class Background(QObject):
    """Runs plain-Python work on up to `threads` worker threads and delivers the outcomes on the
    thread that made it (the GUI thread). Threads start on first use and are daemons.

    With one thread (the default) calls run one at a time in the order they were made, and are
    delivered in that order; with more, in the order they end. Reports of one reporter arrive in
    the order they were made, among the outcomes as they happened.

    Attributes:
        name: the worker threads' name (and the log's).
        delivered: outcomes and reports delivered so far (for tests and the log).
    """

    def __init__(
        self, parent: QObject | None = None, *, threads: int = 1, name: str = "background"
    ) -> None:
        super().__init__(parent)
        if threads < 1:
            raise ValueError("a Background needs at least one thread")
        self.name = name
        self.delivered = 0
        self._home = threading.current_thread()
        self._ids = itertools.count(1)
        self._pool = _Pool(name, threads)
        self._calls: dict[int, Call[Any]] = {}
        self._reporters: dict[int, Callable[[Any], None]] = {}
        self._notifier = QSocketNotifier(
            self._pool.wake_in.fileno(), QSocketNotifier.Type.Read, self
        )
        self._notifier.activated.connect(self.on_notifier_activated)
        # Destroyed without a shutdown (its parent went): the threads still end.
        self.destroyed.connect(self._pool.stop)

    def __repr__(self) -> str:
        return f"Background({self.name!r}, calls={len(self._calls)})"

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[Exception], None] | None = None,
        *,
        owner: QObject | None = None,
        name: str | None = None,
    ) -> Call[T]:
        """Run `work()` on a worker thread; then, on this thread, `on_done(result)`, or
        `on_failed(error)` when it raised (the error is logged once either way).

        `work` makes no Qt call (see the module notes). Nothing is delivered once `owner` has
        been destroyed or the call was cancelled.
        """
        self._check_thread("run")
        if self._pool.closed:
            raise RuntimeError(f"{self.name}: run() after shutdown()")
        bound_to = getattr(getattr(work, "func", work), "__self__", None)  # a partial's too
        if isinstance(bound_to, QObject):
            raise TypeError(f"{self.name}: work may not be a method of a QObject ({work!r})")
        call_id = next(self._ids)
        label = name if name is not None else str(getattr(work, "__name__", "work"))
        call = Call(label, work, on_done, on_failed, owner)
        self._calls[call_id] = call
        self._pool.submit((call_id, call, work))
        return call

    def reporter(self, deliver: Callable[[V], None]) -> Callable[[V], None]:
        """A function any thread may call with a value; `deliver(value)` then runs on this
        thread. For a long-lived plain thread of its own (the sync loop)."""
        self._check_thread("reporter")
        reporter_id = next(self._ids)
        self._reporters[reporter_id] = deliver
        pool = self._pool

        def report(value: V) -> None:
            pool.outcomes.put(_Outcome(reporter_id, value, report=True))
            pool.ring()

        return report

    def deliver_pending(self) -> int:
        """Deliver every outcome and report waiting now (the notifier's slot; a test may call
        it too). Returns how many were delivered."""
        self._check_thread("deliver_pending")
        self._drain_wakeups()
        count = 0
        while True:
            try:
                item = self._pool.outcomes.get_nowait()
            except queue.Empty:
                return count
            if item.report:
                deliver = self._reporters.get(item.key)
                if deliver is not None:
                    count += self._callback(f"report {item.key}", deliver, item.result)
                continue
            call = self._calls.pop(item.key, None)
            if call is not None:
                count += self._deliver(call, item)

    def shutdown(self, wait_s: float = 5.0) -> bool:
        """Run nothing more: calls not yet started never run, and no outcome or report is
        delivered any more; waits up to `wait_s` for the work running now. True when every
        worker thread has ended (a daemon still running past that is abandoned)."""
        self._check_thread("shutdown")
        if not self._pool.closed:
            self._notifier.setEnabled(False)
            for call in self._calls.values():
                call.cancel()
            self._reporters.clear()
            self._pool.stop()
        deadline = time.monotonic() + wait_s
        for thread in self._pool.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.deliver_pending()  # all cancelled: this only lets go of them, here
        busy = [t.name for t in self._pool.threads if t.is_alive()]
        if busy:
            log.warning("background.busy_at_shutdown name=%s threads=%s", self.name, busy)
        else:
            self._pool.close_sockets()
        return not busy

    @Slot()
    def on_notifier_activated(self) -> None:
        self.deliver_pending()

    def _deliver(self, call: Call[Any], outcome: _Outcome) -> int:
        if call.pending and call._owner_gone():
            log.info("background.owner_gone name=%s call=%s", self.name, call.name)
            call.cancel()
        if call.cancelled:
            call._release()
            return 0
        on_done, on_failed = call._on_done, call._on_failed
        call._delivered = True
        call._release()
        if outcome.error is None:
            assert on_done is not None
            return self._callback(call.name, on_done, outcome.result)
        if on_failed is None:
            return 1
        return self._callback(call.name, on_failed, outcome.error)

    def _callback(self, what: str, callback: Callable[[Any], None], value: object) -> int:
        self.delivered += 1
        try:
            callback(value)
        except Exception:  # one broken callback must not stop the others' delivery
            log.exception("background.callback_failed name=%s call=%s", self.name, what)
        return 1

    def _drain_wakeups(self) -> None:
        # The bytes first, then the queue: a byte written after this still wakes us again.
        with contextlib.suppress(OSError):
            while self._pool.wake_in.recv(4096):
                pass

    def _check_thread(self, what: str) -> None:
        if threading.current_thread() is not self._home:
            raise RuntimeError(f"{self.name}: {what}() on a worker thread")


def _run(call_id: int, name: str, work: Callable[[], object]) -> _Outcome:
    try:
        result = work()
    except Exception as error:
        log.error("background.failed call=%s error=%r", name, error, exc_info=error)
        return _Outcome(call_id, error=error)
    if isinstance(result, QObject):
        # Made on this worker thread, it would belong to it; the GUI thread could not use it.
        refused = TypeError(f"work {name} returned a QObject")
        log.error("background.failed call=%s error=%r", name, refused)
        return _Outcome(call_id, error=refused)
    return _Outcome(call_id, result)


def _close_sockets(*sockets: socket.socket) -> None:
    for sock in sockets:
        sock.close()
