"""A small fault-injecting TCP proxy for the sync tests.

It sits between the device and the real server on 127.0.0.1. For each answer the server sends
it asks `plan(request_line)` what to do: pass it through, delay it, cut the connection partway
through it (the request reached the server; its answer never reaches the device), or send it no
faster than a slow line. At connect time `plan(None)` may refuse the connection (the device is
offline). It understands just enough HTTP/1.1 to see where a request starts: devices send one
request at a time on a connection and wait for its answer.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fault:
    """What happens to one connection attempt (refuse) or one answer (the rest).

    Attributes:
        refuse: close the connection at once, before anything reaches the server.
        delay_s: hold the answer this long before its first byte.
        cut_after: forward this many bytes of the answer, then cut the connection.
        bytes_per_s: forward the answer no faster than this (a slow line).
    """

    refuse: bool = False
    delay_s: float = 0.0
    cut_after: int | None = None
    bytes_per_s: int | None = None


PASS = Fault()
Plan = Callable[[str | None], Fault]


@dataclass
class ProxyStats:
    connections: int = 0
    refused: int = 0
    delayed: int = 0
    cut: int = 0
    cut_requests: list[str] = field(default_factory=list)


@dataclass
class _Exchange:
    """One connection's turn-taking: request lines seen, waiting for their answers."""

    waiting: list[str] = field(default_factory=list)
    expect_request: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)


class FaultProxy:
    """Listens on 127.0.0.1:`port` (0 picks one) and forwards to 127.0.0.1:`upstream_port`.

    Attributes:
        port: the port devices connect to.
        upstream_port: the server's port (tests may change it after a restart).
        plan: what to do, per connection attempt (None) and per answer (its request line).
        stats: what the proxy did so far.
    """

    def __init__(self, upstream_port: int, port: int = 0) -> None:
        self.upstream_port = upstream_port
        self.plan: Plan = lambda _line: PASS
        self.stats = ProxyStats()
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port: int = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, name="proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stopped.set()
        # shutdown() wakes the accept() blocked on another thread; close() alone would not.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self.cut_all()
        self._thread.join(timeout=5)

    def switch(self, plan: Plan) -> None:
        """Apply `plan` from now on, to kept-alive connections too (they are cut)."""
        self.plan = plan
        self.cut_all()

    def cut_all(self) -> None:
        """Break every open connection, as a network outage would."""
        with self._lock:
            sockets = list(self._sockets)
        for s in sockets:
            _close(s)

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.stats.connections += 1
            if self.plan(None).refuse:
                self.stats.refused += 1
                _close(client, reset=True)
                continue
            threading.Thread(
                target=self._serve, args=(client,), name="proxy-conn", daemon=True
            ).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            # The server is down: the device sees its connection closed without an answer.
            _close(client, reset=True)
            return
        upstream.settimeout(None)
        with self._lock:
            self._sockets.update((client, upstream))
        exchange = _Exchange()
        try:
            up = threading.Thread(
                target=self._requests, args=(client, upstream, exchange), daemon=True
            )
            up.start()
            self._answers(upstream, client, exchange)
            up.join()
        finally:
            with self._lock:
                self._sockets.difference_update((client, upstream))
            _close(client)
            _close(upstream)

    def _requests(self, client: socket.socket, upstream: socket.socket, ex: _Exchange) -> None:
        # A closed or reset side simply ends the pump; the other side is then shut down.
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                with ex.lock:
                    if ex.expect_request:
                        ex.expect_request = False
                        ex.waiting.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                upstream.sendall(data)
        with contextlib.suppress(OSError):
            upstream.shutdown(socket.SHUT_WR)

    def _answers(self, upstream: socket.socket, client: socket.socket, ex: _Exchange) -> None:
        fault, forwarded, line = PASS, 0, ""
        with contextlib.suppress(OSError):
            while data := upstream.recv(16384):
                with ex.lock:
                    starts = bool(ex.waiting)
                    if starts:
                        line = ex.waiting.pop(0)
                        # The request is in; whatever the client sends next is a new one.
                        ex.expect_request = True
                if starts:
                    fault, forwarded = self.plan(line), 0
                    if fault.delay_s:
                        self.stats.delayed += 1
                        time.sleep(fault.delay_s)
                if fault.cut_after is not None and forwarded + len(data) >= fault.cut_after:
                    client.sendall(data[: max(0, fault.cut_after - forwarded)])
                    self.stats.cut += 1
                    self.stats.cut_requests.append(line)
                    _close(client, reset=True)
                    _close(upstream, reset=True)
                    return
                client.sendall(data)
                forwarded += len(data)
                if fault.bytes_per_s:
                    time.sleep(len(data) / fault.bytes_per_s)
        with contextlib.suppress(OSError):
            client.shutdown(socket.SHUT_WR)


def _close(s: socket.socket, *, reset: bool = False) -> None:
    with contextlib.suppress(OSError):
        if reset:
            # SO_LINGER 0: the peer gets a RST, the way a crashed or unplugged server looks.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # close() alone waits for a recv() blocked on another thread; shutdown() does not.
        s.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        s.close()


def random_plan(
    rng: random.Random,
    *,
    cut: float = 0.15,
    delay: float = 0.15,
    delay_s: float = 0.3,
    cut_range: int = 3000,
    always_cut_first: str | None = None,
) -> Plan:
    """Cut `cut` of answers somewhere in their first `cut_range` bytes and delay `delay` of
    them by `delay_s`. The first answer to a request line containing `always_cut_first` is
    always cut, so a test knows the fault happened at least once."""
    pending_first = [always_cut_first] if always_cut_first else []

    def plan(line: str | None) -> Fault:
        if line is None:
            return PASS
        if pending_first and pending_first[0] in line:
            pending_first.clear()
            return Fault(cut_after=rng.randint(1, 2000))  # inside even a short answer
        roll = rng.random()
        if roll < cut:
            return Fault(cut_after=rng.randint(1, cut_range))
        if roll < cut + delay:
            return Fault(delay_s=delay_s)
        return PASS

    return plan
