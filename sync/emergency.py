"""긴급 공지 on the device: ask the server every few seconds, on a thread of its own.

A notice must be on screen within 10 s of staff posting it. The sync loop cannot promise that:
one cycle may spend minutes downloading a video or draining a long queue. So `EmergencyWatch`
runs beside it, with a client of its own and short timeouts, and asks GET /api/v1/emergency
every `poll_s` (5 s) with If-None-Match: 304 while nothing changed, the notices in force when
something did (server.emergency says why a short poll rather than the heartbeat or a long poll).

What the server last answered is kept in the device's settings, so a board restarted while the
network is down still shows a notice in force; each notice carries its `until`, so one the
device never hears cleared still ends (kiosk.domain.emergency). An empty answer, the first after
a device comes back, takes down a notice cleared while it was away.

Plain Python, no Qt: it reports through the `on_notices` callable it was given (the app's
SyncLink carries it to the GUI thread).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

from pydantic import ValidationError

from contract.wire import EmergencyNotice, EmergencyNotices
from kiosk.domain.emergency import in_device_time
from kiosk.store.settings import DeviceSettings
from sync.client import AuthError, SyncClient, SyncError, Timeouts

log = logging.getLogger(__name__)

POLL_S = 5.0
# A poll that takes longer than this is abandoned; the next one comes POLL_S later.
TIMEOUTS = Timeouts(connect_s=3.0, read_s=4.0)
# A revoked or unknown token: ask far less often (the sync loop shows staff why).
REFUSED_POLL_S = 60.0
SETTINGS_KEY = "emergency.notices"


def stored_notices(settings: DeviceSettings) -> list[EmergencyNotice]:
    """The notices the server last answered ([] if none, or if what is kept is unreadable)."""
    raw = settings.get(SETTINGS_KEY)
    if not raw:
        return []
    try:
        return EmergencyNotices.model_validate_json(raw).notices
    except ValidationError:
        log.warning("emergency.stored_unreadable")
        return []


class EmergencyWatch:
    """Polls for 긴급 공지 until `stop`; reports each change (and, at start, what is kept).

    Thread-safe entry points: `start`, `stop`. `poll_once` runs on the watch's thread (or a
    test's).
    """

    def __init__(
        self,
        client: SyncClient,
        settings: DeviceSettings,
        dong: str | None,
        on_notices: Callable[[list[EmergencyNotice]], None],
        poll_s: float = POLL_S,
    ) -> None:
        self._client = client
        self._settings = settings
        self._dong = dong
        self._on_notices = on_notices
        self._poll_s = poll_s
        self._etag: str | None = None
        # The notices last reported, as JSON (a 304 or the same answer again reports nothing).
        self._reported = EmergencyNotices(notices=[]).model_dump_json()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync-emergency", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait_s: float = 0.0) -> None:
        self._stop.set()
        if wait_s and self._thread.is_alive():
            self._thread.join(wait_s)

    def _run(self) -> None:
        kept = stored_notices(self._settings)
        if kept:
            self._reported = EmergencyNotices(notices=kept).model_dump_json()
            self._report(kept)
        while not self._stop.is_set():
            pause = self._poll_s
            try:
                self.poll_once()
            except AuthError as e:
                log.warning("emergency.poll_refused status=%s", e.status)
                pause = REFUSED_POLL_S
            except SyncError as e:
                # Offline or the server is busy: what is shown stays until its own `until`.
                log.info("emergency.poll_failed kind=%s", e.kind)
            except Exception:
                # A bug must not end the watch on an unattended board: log it, ask again.
                log.exception("emergency.poll_crashed")
            self._stop.wait(pause)
        self._client.close()

    def poll_once(self) -> bool:
        """Ask once; True when the notices changed (and were reported)."""
        answer = self._client.emergency(self._dong, self._etag)
        if answer is None:
            return False
        self._etag = answer.etag
        document = answer.notices.model_dump_json()
        if document == self._reported:
            return False
        self._settings.set(SETTINGS_KEY, document)
        self._reported = document
        log.info("emergency.notices ids=%s", json.dumps([n.id for n in answer.notices.notices]))
        self._report(answer.notices.notices)
        return True

    def _report(self, notices: list[EmergencyNotice]) -> None:
        """Report `notices` (as the server said them) with their ends on the device's clock."""
        self._on_notices(in_device_time(notices, self._settings.clock_offset_s()))
