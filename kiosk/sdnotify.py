"""systemd's notify protocol in a few lines: READY=1 and WATCHDOG=1 over $NOTIFY_SOCKET.

The Linux kiosk session (packaging/linux/ontong-kiosk.service) runs the app as a
``Type=notify`` service with ``WatchdogSec=``: the app says READY=1 once its event loop runs and
then WATCHDOG=1 from a timer on the GUI thread, so a GUI that hangs stops feeding the watchdog
and systemd restarts it. Without NOTIFY_SOCKET (a developer's shell, the tests, Windows)
every call does nothing.
"""

from __future__ import annotations

import os
import socket

from PySide6.QtCore import QObject, QTimer

# Watchdog pings per WatchdogSec: systemd recommends at least every half of the interval.
PINGS_PER_INTERVAL = 3


def notify(message: str, env: dict[str, str] | None = None) -> bool:
    """Send one notification (e.g. "READY=1"); False when there is no socket to send it to."""
    address = (os.environ if env is None else env).get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):  # abstract namespace socket
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        try:
            sock.connect(address)
            sock.sendall(message.encode())
        except OSError:
            return False
    return True


def watchdog_interval_ms(env: dict[str, str] | None = None) -> int | None:
    """How often to ping, from WATCHDOG_USEC (and WATCHDOG_PID when set); None: no watchdog."""
    e = os.environ if env is None else env
    try:
        usec = int(e.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = e.get("WATCHDOG_PID")
    if usec <= 0 or (pid and pid != str(os.getpid())):
        return None
    return max(100, usec // 1000 // PINGS_PER_INTERVAL)


class Watchdog(QObject):
    """READY=1 at the first turn of the event loop, then WATCHDOG=1 on a GUI-thread timer."""

    def __init__(self, parent: QObject, env: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._env = env
        self.pings = 0
        self.timer = QTimer(self)
        interval = watchdog_interval_ms(env)
        if interval is not None:
            self.timer.setInterval(interval)
            self.timer.timeout.connect(self.ping)
        QTimer.singleShot(0, self, self._ready)
        self._interval = interval

    def _ready(self) -> None:
        notify("READY=1\nSTATUS=running", self._env)
        if self._interval is not None:
            self.ping()
            self.timer.start()

    def ping(self) -> None:
        if notify("WATCHDOG=1", self._env):
            self.pings += 1


def start_watchdog(parent: QObject) -> Watchdog | None:
    """A Watchdog owned by `parent` when systemd asked for notifications, else None."""
    if not os.environ.get("NOTIFY_SOCKET"):
        return None
    return Watchdog(parent)
