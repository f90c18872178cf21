"""The running app's link to the sync worker: starts it, hears its reports on the GUI thread,
and wakes it when the network comes back.

The worker itself is sync.worker.SyncCore, plain Python on a plain daemon thread that makes no
Qt call (the headless `python -m sync` runs the same core without Qt). Its reports reach the GUI
thread through the app's one background helper (kiosk.services.background), whose notes say why
nothing crosses threads through Qt. At exit an exchange in flight is simply abandoned: the
envelopes it carried stay pending and are answered "duplicate" next time.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from contract.wire import EmergencyNotice
from kiosk.domain.staff_call import ServerCallState
from kiosk.services.background import Background
from kiosk.store.settings import DeviceSettings
from sync.worker import SyncCore, SyncState, SyncStatus, SyncTuning, build_core, load_enrolment

if TYPE_CHECKING:
    from kiosk.context import AppContext

__all__ = ["SyncLink", "SyncReports", "SyncStatus", "start_sync_link"]  # what the window uses

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReports:
    """What the worker thread may call to report; each carries its value to the GUI thread.

    Attributes:
        on_status: the latest SyncStatus.
        on_content: a new content version is active.
        on_staff_call: the server's word on this device's 직원 호출.
        on_coaches: the coaches kept on the device changed (the revoked codes).
        on_emergency: the 긴급 공지 in force for this device changed (sync.emergency).
        on_receipts: the server's receipts of envelopes just sent (envelope id -> receipt).
    """

    on_status: Callable[[SyncStatus], None]
    on_content: Callable[[str], None]
    on_staff_call: Callable[[ServerCallState], None]
    on_coaches: Callable[[list[str]], None]
    on_emergency: Callable[[list[EmergencyNotice]], None]
    on_receipts: Callable[[dict[str, dict[str, Any]]], None]


class SyncLink(QObject):
    """The window's handle on sync: lives on the GUI thread, never blocks it.

    Signals (emitted on the GUI thread):
        status_changed(object): the latest SyncStatus.
        content_activated(str): a new content version is active; the UI should reload it.
        staff_call_changed(object): the server's word on this device's 직원 호출 changed:
            "waiting", "coming" (staff acknowledged it) or None (none open).
        coaches_changed(object): the coaches kept on the device changed (a new list from the
            server, or codes the heartbeat said are revoked): the list of revoked codes.
        emergency_changed(object): the 긴급 공지 in force for this device changed: the list of
            contract.wire.EmergencyNotice (empty: none).
        receipts_arrived(object): the server answered for envelopes this device sent: a dict
            of envelope id (str) -> its receipt, as the outbox keeps it.

    Attributes:
        status: the latest SyncStatus ("syncing" until the first cycle has ended).
    """

    status_changed = Signal(object)
    content_activated = Signal(str)
    staff_call_changed = Signal(object)
    coaches_changed = Signal(object)
    emergency_changed = Signal(object)
    receipts_arrived = Signal(object)

    def __init__(self, core_factory: Callable[[SyncReports], SyncCore]) -> None:
        super().__init__()
        self._reports = Background(self, name="sync-reports")
        self._core = core_factory(
            SyncReports(
                on_status=self._reports.reporter(self._on_status),
                on_content=self._reports.reporter(self.content_activated.emit),
                on_staff_call=self._reports.reporter(self.staff_call_changed.emit),
                on_coaches=self._reports.reporter(self.coaches_changed.emit),
                on_emergency=self._reports.reporter(self.emergency_changed.emit),
                on_receipts=self._reports.reporter(self.receipts_arrived.emit),
            )
        )
        self.status: SyncStatus = self._core.status
        self._thread = threading.Thread(target=self._core.run_forever, name="sync", daemon=True)
        self._watch_network()

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def offline(self) -> bool:
        """The worker's latest try could not reach the server (it retries with backoff)."""
        return self.status.state is SyncState.OFFLINE

    def wake(self) -> None:
        """Call after queueing an envelope: the worker sends it now instead of at its next
        check."""
        self._core.wake()

    def sync_now(self) -> None:
        """Staff's "지금 동기화": a full cycle now."""
        self._core.sync_now()

    def staff_called(self, envelope_id: Any) -> None:
        """A staff call is queued: the next heartbeat, sent now, carries the flag."""
        self._core.staff_called(envelope_id)

    def deliver_reports(self) -> None:
        """Take in now what the worker reported (the helper does this as soon as it can; a
        test that must see a report at once calls it)."""
        self._reports.deliver_pending()

    def stop(self, wait_ms: int = 3000) -> bool:
        """Stop the worker and wait up to `wait_ms` for its thread; True when it ended.

        An exchange in flight can take as long as its timeouts; the app need not wait for it
        (see the module notes), so the wait is short.
        """
        self._core.stop()
        if self._thread.is_alive():
            self._thread.join(wait_ms / 1000)
        self.deliver_reports()  # what it said last
        self._reports.shutdown(0)
        return not self._thread.is_alive()

    def _on_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _watch_network(self) -> None:
        # Qt tells us when the network comes back, so an offline kiosk need not wait out its
        # backoff. Without a backend the backoff alone still gets there.
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadDefaultBackend():
            log.info("sync.network_watch unavailable")
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self.on_network_reachability_changed)

    @Slot(object)
    def on_network_reachability_changed(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            log.info("sync.network_returned")
            self._core.wake()


def start_sync_link(ctx: AppContext, *, tuning: SyncTuning | None = None) -> SyncLink | None:
    """Start syncing for the running app; None when the device is not enrolled.

    Call on the GUI thread after the store is open (after the first paint). The caller owns
    the link and calls `stop()` before the app exits.
    """
    db = ctx.db
    if load_enrolment(DeviceSettings(db)) is None:
        log.info("sync.not_enrolled")
        return None

    config = ctx.config
    for_this_device = functools.partial(build_core, db, ctx.data_dir, mode=config.mode)

    def make_core(reports: SyncReports) -> SyncCore:
        # The app's own outbox, not a second one on the same database.
        core = for_this_device(dong=config.dong, tuning=tuning, outbox=ctx.outbox, **vars(reports))
        assert core is not None  # enrolment was checked just above
        if config.update_public_key is not None and config.update_root is not None:
            core.enable_updates(config.update_public_key, config.update_root)
        return core

    link = SyncLink(make_core)
    link.start()
    return link
