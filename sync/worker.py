"""The sync worker: drains the outbox to the server exactly once, keeps the clock offset, sends
heartbeats and pulls content, off the GUI thread.

`SyncCore` is plain Python with no Qt at all: the CLI runs it on its own, and the app runs it
on a plain thread whose reports reach the window through kiosk.services.sync_link.

Delivery rules (DESIGN.md "Durability"): an envelope is marked sent only when the server says
"accepted" or "duplicate"; "rejected" moves it to the dead letters with the server's reason;
anything else leaves it pending for the next try, after an exponential backoff with full jitter.
An envelope sealed to another server key than the one this device is enrolled with is never
sent: it stays pending (for a USB export to its own server) and the status says so.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from contract.content import Coach
from contract.wire import (
    MAX_BATCH_ITEMS,
    MAX_BODY_BYTES,
    BatchResult,
    DeviceKeyRequest,
    EmergencyNotice,
    EnrollRequest,
    Envelope,
    Heartbeat,
    canonical_json,
)
from kiosk import __version__
from kiosk.domain.staff_call import STAFF_CALL_KIND, ServerCallState
from kiosk.pack import AssetCache
from kiosk.store.coaches import CoachStore
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import Database
from kiosk.store.outbox import Outbox
from kiosk.store.published_counts import CountsStore
from kiosk.store.settings import DeviceSettings
from sync import emergency
from sync.backoff import Backoff
from sync.client import (
    AuthError,
    NetworkError,
    ProtocolError,
    RejectedError,
    ServerError,
    SyncClient,
    SyncError,
    Timeouts,
    TooLargeError,
)
from sync.clock import ClockKeeper, sample_from_date_header, sample_from_server_time
from sync.content import ContentSync
from sync.updates import Updater

log = logging.getLogger(__name__)

Mode = Literal["kiosk", "board"]

# DeviceSettings keys. The token is a secret: it is read here and handed to the client only.
SERVER_URL_KEY = "sync.server_url"
TOKEN_KEY = "sync.token"
SERVER_PUBLIC_KEY_KEY = "sync.server_public_key"
# The key the server signs USB content packs with (contract.pack_signature), from enrolment.
CONTENT_PUBLIC_KEY_KEY = "sync.content_public_key"
LAST_SUCCESS_KEY = "sync.last_success_at"
LAST_ERROR_KEY = "sync.last_error"
# The public key the server confirmed for this device (it verifies USB bundles with it).
DEVICE_KEY_REGISTERED_KEY = "sync.device_key_registered"

_BATCH_OPEN = b'{"items":['
_BATCH_CLOSE = b"]}"

# A batch: each envelope with its canonical JSON, encoded once.
_Batch = list[tuple[Envelope, bytes]]


def _batch_body(batch: _Batch) -> bytes:
    """The SubmissionBatch request body, from envelopes already encoded."""
    return _BATCH_OPEN + b",".join(body for _, body in batch) + _BATCH_CLOSE


def utc_now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------------------
# Enrolment as stored on the device
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """Which server this device talks to, and as whom. `token` is never logged or shown."""

    server_url: str
    device_id: str
    token: str = field(repr=False)
    server_public_key: str | None = None


def load_enrolment(settings: DeviceSettings) -> Enrolment | None:
    """The device's enrolment; None when it has never been enrolled."""
    url, token, device_id = (
        settings.get(SERVER_URL_KEY),
        settings.get(TOKEN_KEY),
        settings.device_id(),
    )
    if not (isinstance(url, str) and isinstance(token, str) and device_id):
        return None
    public_key = settings.get(SERVER_PUBLIC_KEY_KEY)
    return Enrolment(url, device_id, token, public_key if isinstance(public_key, str) else None)


def enroll_device(
    settings: DeviceSettings,
    server_url: str,
    code: str,
    *,
    name: str,
    mode: Mode,
    timeouts: Timeouts | None = None,
    pin_hash: str | None = None,
) -> Enrolment:
    """Exchange a one-time enrolment code for a device id and token, and store them, with
    `pin_hash` as the new staff PIN when given.

    The device is pinned to the server it first enrolled with (sync.enrolment): another address,
    or the same address answering with another public key, raises ServerPinnedError. Raises
    SyncError (e.g. RejectedError for a used or expired code), StaffPinError for a PIN hash that
    may not be the staff PIN; nothing is stored then.
    """
    # Here, not at the top: only enrolment needs them.
    from kiosk.store.staff_pin import check_pin_hash, reset_lockout_count, store_pin_hash
    from sync.bundle import public_key_of
    from sync.enrolment import check_address, check_public_key

    if pin_hash is not None:
        check_pin_hash(pin_hash)
    check_address(settings, server_url)
    public_key = public_key_of(settings.device_signing_key())
    client = SyncClient(server_url, timeouts=timeouts, user_agent=_user_agent())
    try:
        answer = client.enroll(
            EnrollRequest(
                enrollment_code=code,
                name=name,
                mode=mode,
                app_version=__version__,
                device_public_key=public_key,
            )
        )
    finally:
        client.close()
    check_public_key(settings, answer.server_public_key)
    if pin_hash is not None:
        store_pin_hash(settings, pin_hash)
    reset_lockout_count(settings)
    settings.set(SERVER_URL_KEY, client.base_url)
    settings.set(TOKEN_KEY, answer.token)
    settings.set(SERVER_PUBLIC_KEY_KEY, answer.server_public_key)
    if answer.content_public_key is not None:
        settings.set(CONTENT_PUBLIC_KEY_KEY, answer.content_public_key)
    settings.set_device_id(answer.device_id)
    settings.set(DEVICE_KEY_REGISTERED_KEY, public_key)
    log.info("sync.enrolled device_id=%s server=%s", answer.device_id, client.base_url)
    return Enrolment(client.base_url, answer.device_id, answer.token, answer.server_public_key)


def _user_agent() -> str:
    return f"ontong-kiosk/{__version__}"


# ---------------------------------------------------------------------------------------------
# Status
# ---------------------------------------------------------------------------------------------


class SyncState(enum.StrEnum):
    IDLE = "idle"  # everything sent that could be; waiting
    SYNCING = "syncing"
    OFFLINE = "offline"  # the server cannot be reached; retrying with backoff
    ERROR = "error"  # the server answered, but not as it should; see last_error


@dataclass(frozen=True)
class LastError:
    """The latest failure, as kept in DeviceSettings for the staff page and `sync status`."""

    kind: str
    message_id: str
    detail: str
    at: datetime

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "message_id": self.message_id,
            "detail": self.detail,
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_json(cls, value: Any) -> LastError | None:
        try:
            return cls(
                str(value["kind"]),
                str(value["message_id"]),
                str(value["detail"]),
                datetime.fromisoformat(value["at"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class SyncRecord:
    """What the worker last recorded in the database; readable from any process."""

    last_success: datetime | None
    last_error: LastError | None


def read_record(settings: DeviceSettings) -> SyncRecord:
    success = settings.get(LAST_SUCCESS_KEY)
    try:
        last_success = datetime.fromisoformat(success) if isinstance(success, str) else None
    except ValueError:
        last_success = None
    return SyncRecord(last_success, LastError.from_json(settings.get(LAST_ERROR_KEY)))


@dataclass(frozen=True)
class SyncStatus:
    """One picture of the worker, sent to the UI after every change.

    Attributes:
        state: idle, syncing, offline or error.
        pending: envelopes waiting to be sent.
        dead: envelopes the server rejected (dead letters).
        last_success: when a whole sync cycle last succeeded.
        last_error: the latest failure (kept after a later success, with its time).
        content_version: the active content version.
        retry_in_s: seconds until the next try after a failure, else None.
    """

    state: SyncState
    pending: int = 0
    dead: int = 0
    last_success: datetime | None = None
    last_error: LastError | None = None
    content_version: str | None = None
    retry_in_s: float | None = None


@dataclass(frozen=True)
class SyncTuning:
    """Timings of the worker; the defaults are the production values of DESIGN.md."""

    backoff_base_s: float = 2.0
    backoff_cap_s: float = 300.0
    timeouts: Timeouts = field(default_factory=Timeouts)
    # How often an idle worker looks for newly queued envelopes (another process may queue).
    idle_check_s: float = 2.0
    heartbeat_every_s: float = 60.0
    content_every_s: float = 300.0
    # While a 직원 호출 is open, the heartbeat (which answers its state) comes this often.
    staff_call_poll_s: float = 5.0
    # How often the device asks for 긴급 공지, on a thread of its own (sync.emergency).
    emergency_poll_s: float = emergency.POLL_S


@dataclass
class DrainReport:
    """What one drain did: envelopes marked sent (accepted or duplicate) and dead-lettered."""

    accepted: int = 0
    duplicate: int = 0
    dead: int = 0
    batches: int = 0

    @property
    def sent(self) -> int:
        return self.accepted + self.duplicate


# ---------------------------------------------------------------------------------------------
# The core
# ---------------------------------------------------------------------------------------------


class SyncCore:
    """Runs sync cycles: drain the outbox, heartbeat (clock offset), pull content.

    Thread-safe entry points: `wake`, `sync_now`, `stop`. Everything else runs on the thread
    that calls `run_forever` (or `run_once`).
    """

    def __init__(
        self,
        *,
        outbox: Outbox,
        settings: DeviceSettings,
        client: SyncClient,
        content: ContentSync | None,
        repo: ContentRepository | None = None,
        mode: Mode = "kiosk",
        dong: str | None = None,
        data_dir: Path | None = None,
        tuning: SyncTuning | None = None,
        backoff: Backoff | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_content: Callable[[str], None] | None = None,
        on_staff_call: Callable[[ServerCallState], None] | None = None,
        coaches: CoachStore | None = None,
        on_coaches: Callable[[list[str]], None] | None = None,
        on_emergency: Callable[[list[EmergencyNotice]], None] | None = None,
        on_receipts: Callable[[dict[str, dict[str, Any]]], None] | None = None,
    ) -> None:
        self.tuning = tuning if tuning is not None else SyncTuning()
        self._outbox = outbox
        self._settings = settings
        self._client = client
        self._content = content
        self._repo = repo
        self._mode: Mode = mode
        self._dong = dong
        self._data_dir = data_dir
        self._backoff = backoff or Backoff(self.tuning.backoff_base_s, self.tuning.backoff_cap_s)
        self._monotonic = monotonic
        self._on_status = on_status
        self._on_content = on_content
        self._on_staff_call = on_staff_call
        # The server's receipts of a batch just recorded (envelope id -> receipt): a screen
        # waiting for one (the thank-you's points) hears it here, never by reading the outbox.
        self._on_receipts = on_receipts
        # The district's coaches kept on the device (a kiosk; None on a board): the heartbeat
        # asks for their version and the revoked codes, and a new version is fetched.
        self._coaches = coaches
        self._on_coaches = on_coaches
        self._coaches_wanted = False
        # What the server last said of this device's open call (None: none open).
        self._staff_call_state: ServerCallState = None
        self._clock = ClockKeeper(self._read_offset, self._write_offset)
        self._offset: float | None = None
        self._started = monotonic()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._force = False
        self._heartbeat_due = 0.0
        # What the last heartbeat told of a call for staff; None before the first one.
        self._reported_staff_call: bool | None = None
        self._content_due = 0.0
        # App updates (sync.updates): off until enable_updates; checked at heartbeat pace.
        self._updater: Updater | None = None
        self._update_due = 0.0
        self._update_thread: threading.Thread | None = None
        # Staff calls queued and not yet taken by the server: the heartbeat says so, so the
        # centre hears of one even while a long queue is still on its way.
        self._staff_calls: set[Any] = set()
        self._staff_calls_lock = threading.Lock()
        self._batch_items = MAX_BATCH_ITEMS
        # The server key of this drain: only envelopes sealed to it (or unsealed) are sent.
        self._sealed_to: str | None = None
        self._counts = CountsStore(settings)
        # Device time when the latest drain began (see _pull_counts).
        self._drain_started: datetime | None = None
        # Batches are posted from here, one at a time, while this thread records the last one.
        self._http = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-http")
        # 긴급 공지 beside the loop, so a long download never holds one back (a device with
        # a screen; the headless sync has no one to show it to).
        self._emergency = (
            emergency.EmergencyWatch(
                client.for_another_thread(emergency.TIMEOUTS),
                settings,
                dong,
                on_emergency,
                self.tuning.emergency_poll_s,
            )
            if on_emergency is not None
            else None
        )
        record = read_record(settings)
        # "syncing" until the first cycle has ended: nothing is known about the server yet.
        self._status = SyncStatus(
            SyncState.SYNCING, last_success=record.last_success, last_error=record.last_error
        )

    # -- thread-safe controls -------------------------------------------------------------

    def wake(self) -> None:
        """Something changed (an envelope was queued, the network came back): try now.

        A Retry-After the server asked for is still honoured.
        """
        self._wake.set()

    def sync_now(self) -> None:
        """Staff asked: a full cycle now, heartbeat and content included."""
        self._force = True
        self._wake.set()

    def staff_called(self, envelope_id: Any) -> None:
        """A resident called staff (envelope `envelope_id` is queued): heartbeat now, with
        `staff_call` set until the server has taken the envelope."""
        with self._staff_calls_lock:
            self._staff_calls.add(envelope_id)
        self._heartbeat_due = 0.0
        self._wake.set()

    @property
    def staff_call_pending(self) -> bool:
        with self._staff_calls_lock:
            return bool(self._staff_calls)

    def _staff_calls_settled(self, envelope_ids: Iterable[Any]) -> None:
        with self._staff_calls_lock:
            self._staff_calls.difference_update(envelope_ids)

    def enable_updates(self, public_key: str, root: Path) -> None:
        """Check the server's app update offer each heartbeat interval, and stage it.

        The check and download run on a thread of their own with a client of their own (a
        requests session is not shared between threads): an archive of a few hundred MB on a
        slow line must not hold back the residents' submissions behind it."""
        self._updater = Updater(self._client.for_another_thread(), public_key, root)

    def stop(self) -> None:
        """Ask `run_forever` to return; an exchange in flight ends first (its timeout bounds)."""
        self._stop.set()
        if self._emergency is not None:
            self._emergency.stop()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def status(self) -> SyncStatus:
        return self._status

    # -- the loop -------------------------------------------------------------------------

    def run_forever(self) -> None:
        """Cycle until `stop`: right away when woken or when envelopes are queued, on schedule
        otherwise, and after a backoff delay when a cycle failed."""
        log.info("sync.worker_started server=%s", self._client.base_url)
        if self._emergency is not None:
            self._emergency.start()
        while not self._stop.is_set():
            try:
                error = self._cycle(force=self._take_force())
            except Exception as e:
                # A bug must not end syncing for good on an unattended kiosk: log it with its
                # traceback, show it to staff, and try again after a backoff.
                log.exception("sync.cycle_crashed")
                error = DeviceError(f"internal error: {type(e).__name__}: {str(e)[:200]}")
                try:
                    self._record_failure(error)
                except (SQLAlchemyError, OSError):
                    log.exception("sync.record_failure_failed")
            if self._stop.is_set():
                break
            if error is None:
                self._pause(self._next_due_in(), watch_outbox=True)
                continue
            if error.retry == "slow":
                delay, floor = self._backoff.cap_s, 0.0
            else:
                floor = error.retry_after_s or 0.0
                delay = self._backoff.next_delay_s(error.retry_after_s)
            self._publish(replace(self._status, retry_in_s=round(delay, 1)))
            log.info(
                "sync.retry_scheduled kind=%s delay_s=%.2f failures=%d",
                error.kind,
                delay,
                self._backoff.failures,
            )
            self._pause(delay, floor_s=floor, watch_outbox=False)
        self.close()
        log.info("sync.worker_stopped")

    def close(self) -> None:
        """Release the connection pool and the sending thread; the core is done."""
        self._http.shutdown(wait=True)
        self._client.close()

    def run_once(self, *, force: bool = True) -> SyncError | None:
        """One cycle; returns its first error, or None when everything succeeded."""
        return self._cycle(force=force)

    def _take_force(self) -> bool:
        force, self._force = self._force, False
        return force

    def _next_due_in(self) -> float:
        return max(0.0, min(self._heartbeat_due, self._content_due) - self._monotonic())

    def _pause(self, seconds: float, *, floor_s: float = 0.0, watch_outbox: bool) -> None:
        """Wait `seconds`, or less: a wake (after `floor_s`) or, when idle, queued envelopes."""
        start = self._monotonic()
        end, floor_end = start + seconds, start + floor_s
        while not self._stop.is_set():
            now = self._monotonic()
            if now >= end:
                return
            if now < floor_end:
                self._stop.wait(min(floor_end, end) - now)
                continue
            if self._wake.is_set():
                self._wake.clear()
                return
            if watch_outbox and self._queued():
                return
            self._wake.wait(min(end - now, self.tuning.idle_check_s))

    def _queued(self) -> bool:
        """Whether an envelope waits; True when the database cannot say (the cycle will)."""
        try:
            return bool(self._outbox.pending(limit=1, sealed_to=self._server_key()))
        except SQLAlchemyError:
            log.warning("sync.queue_check_failed", exc_info=True)
            return True

    def _cycle(self, *, force: bool) -> SyncError | None:
        self._wake.clear()
        self._publish(replace(self._status, state=SyncState.SYNCING, retry_in_s=None))
        errors: list[SyncError] = []
        now = self._monotonic()
        steps: list[tuple[str, Callable[[], None]]] = []
        if force or now >= self._heartbeat_due:
            # Before the drain: the heartbeat reports the highest device_seq made so far, so a
            # kiosk that was offline vouches for its queued envelopes before sending them (the
            # server refuses or holds those of a closed vote it has no such word for).
            steps.append(("heartbeat", self._heartbeat))
        steps.append(("drain", self._drain_step))
        # The drain may deliver a call for staff, or find one queued: staff hear it this cycle.
        steps.append(("staff_call", self._heartbeat_if_staff_call_changed))
        if force or now >= self._content_due:
            steps.append(("content", self._pull_content))
        # When the heartbeat named a coaches version this device does not keep.
        steps.append(("coaches", self._pull_coaches))
        # Every cycle (one small GET): the counts the proposal and ballot screens show.
        steps.append(("counts", self._pull_counts))
        if self._updater is not None and (force or now >= self._update_due):
            steps.append(("update", self._check_update))
        done: list[str] = []
        for name, step in steps:
            if self._stop.is_set():
                break
            if name == "counts" and "drain" not in done:
                # Counts cover this kiosk's agrees up to the drain's start only when the drain
                # delivered everything; otherwise keep the last good ones.
                continue
            try:
                try:
                    step()
                except (SQLAlchemyError, OSError) as e:
                    # The device's own database or disk: retried like the rest, shown to staff.
                    raise DeviceError(f"{type(e).__name__}: {str(e)[:200]}") from e
                done.append(name)
            except SyncError as e:
                log.warning(
                    "sync.step_failed step=%s kind=%s status=%s detail=%s",
                    name,
                    e.kind,
                    e.status,
                    e.detail,
                )
                errors.append(e)
                # Without a connection or a valid token, the other steps fail the same way.
                if isinstance(e, NetworkError | AuthError):
                    break
        if "heartbeat" not in done:
            # No precise server time this cycle: the Date header is the next best thing.
            self._observe_date_header()
        if errors:
            self._record_failure(errors[0])
            return errors[0]
        self._record_success()
        return None

    # -- steps ----------------------------------------------------------------------------

    def _drain_step(self) -> None:
        self._drain_started = utc_now()
        self.drain()

    def _server_key(self) -> str | None:
        key = self._settings.get(SERVER_PUBLIC_KEY_KEY)
        return key if isinstance(key, str) and key else None

    def drain(self) -> DrainReport:
        """Send every pending envelope, in device_seq order, in batches of at most
        MAX_BATCH_ITEMS envelopes and MAX_BODY_BYTES bytes.

        One request is in flight at a time; while it is, the previous answer is recorded and
        the next batch read, so the device's disk work overlaps the server's. Raises SyncError
        when a batch could not be delivered; what was delivered before stays delivered.
        """
        report = DrainReport()
        answered: tuple[_Batch, BatchResult] | None = None
        # Read once per drain: an enrolment that changes meanwhile is seen by the next one.
        self._sealed_to = self._server_key()
        try:
            batch = self._next_batch(0, report)
            while batch and not self._stop.is_set():
                future = self._http.submit(self._client.submit_batch, _batch_body(batch))
                try:
                    if answered is not None:
                        self._record(*answered, report)
                        answered = None
                    following = self._next_batch(batch[-1][0].device_seq, report)
                finally:
                    # Never leave a request running behind our back, even when recording failed.
                    wait([future])
                result = self._answer_of(batch, future, report)
                if result is not None:
                    answered = (batch, result)
                batch = following
            if answered is not None:
                self._record(*answered, report)
            withheld = self._outbox.sealed_elsewhere(self._sealed_to)
            if withheld:
                raise SealedElsewhereError(
                    f"{withheld} pending envelopes are sealed to another server's key than this"
                    " server's; they are kept and never sent here: export them to USB for the"
                    " server they were sealed to"
                )
        finally:
            # Also when a later batch failed: what went through before is worth knowing.
            if report.batches or report.dead:
                log.info(
                    "sync.drained accepted=%d duplicate=%d dead=%d batches=%d",
                    report.accepted,
                    report.duplicate,
                    report.dead,
                    report.batches,
                )
        return report

    def _next_batch(self, after_seq: int, report: DrainReport) -> _Batch:
        """The next pending envelopes after `after_seq` (the batch in flight) that fit one
        request. Envelopes are made in device_seq order and never become pending again, so
        none can appear before it."""
        while True:
            envelopes = self._outbox.pending(
                limit=self._batch_items, after_seq=after_seq, sealed_to=self._sealed_to
            )
            if not envelopes:
                return []
            calls = [e.id for e in envelopes if e.kind == STAFF_CALL_KIND]
            if calls:  # also those queued before a restart
                with self._staff_calls_lock:
                    self._staff_calls.update(calls)
            batch = self._fit_batch(envelopes, report)
            if batch:
                return batch
            # Every one read was too large and is now a dead letter: read the next ones.

    def _fit_batch(self, envelopes: Sequence[Envelope], report: DrainReport) -> _Batch:
        """The longest prefix of `envelopes` whose request body fits MAX_BODY_BYTES."""
        batch: _Batch = []
        size = len(_BATCH_OPEN) + len(_BATCH_CLOSE)
        for envelope in envelopes:
            body = canonical_json(envelope)
            if size + len(body) > MAX_BODY_BYTES and not batch:
                # Alone it is already too large: no server following protocol v1 can take it.
                self._dead_letter(
                    envelope.id,
                    f"too large to send: {len(body)} bytes, the limit is {MAX_BODY_BYTES}",
                    report,
                )
                continue
            if size + len(body) + (1 if batch else 0) > MAX_BODY_BYTES:
                break
            size += len(body) + (1 if batch else 0)
            batch.append((envelope, body))
        return batch

    def _answer_of(
        self, batch: _Batch, future: Future[BatchResult], report: DrainReport
    ) -> BatchResult | None:
        """The server's answer to `batch`; None when it was refused and handled by splitting."""
        try:
            return future.result()
        except RejectedError as e:
            self._split(batch, e, report)
            return None
        except SyncError as e:
            self._outbox.record_failure([env.id for env, _ in batch], f"{e.kind}: {e.detail}")
            raise

    def _split(self, batch: _Batch, error: RejectedError, report: DrainReport) -> None:
        """Halve a refused batch until the one envelope the server refuses is found; the rest
        go through."""
        ids = [e.id for e, _ in batch]
        if len(batch) > 1:
            if isinstance(error, TooLargeError):
                self._batch_items = max(1, len(batch) // 2)
            middle = len(batch) // 2
            self._send_now(batch[:middle], report)
            self._send_now(batch[middle:], report)
            return
        if isinstance(error, TooLargeError):
            # One small envelope refused as too large: the server's limit is wrong, not it.
            self._outbox.record_failure(ids, error.detail)
            raise ServerError(error.detail, status=error.status) from error
        self._dead_letter(ids[0], f"refused by the server: {error.detail}", report)

    def _send_now(self, batch: _Batch, report: DrainReport) -> None:
        """Send one batch and record its answer, without overlap (used while splitting)."""
        try:
            result = self._client.submit_batch(_batch_body(batch))
        except RejectedError as e:
            self._split(batch, e, report)
            return
        except SyncError as e:
            self._outbox.record_failure([env.id for env, _ in batch], f"{e.kind}: {e.detail}")
            raise
        self._record(batch, result, report)

    def _record(self, batch: _Batch, result: BatchResult, report: DrainReport) -> None:
        """Mark what the server took as sent, with its receipt; dead-letter what it refused."""
        ids = [e.id for e, _ in batch]
        report.batches += 1
        sent: dict[Any, dict[str, Any]] = {}
        dead: list[tuple[Any, str]] = []
        wanted = set(ids)
        duplicates = 0
        for item in result.results:
            if item.id not in wanted:
                log.warning("sync.unexpected_result id=%s status=%s", item.id, item.status)
                continue
            wanted.discard(item.id)
            if item.status == "rejected":
                dead.append((item.id, item.reason or "rejected without a reason"))
                continue
            receipt = item.receipt.model_dump(mode="json") if item.receipt else {}
            sent[item.id] = receipt
            if item.status == "duplicate":
                duplicates += 1
        self._outbox.mark_sent(sent)
        if self._on_receipts is not None and sent:
            self._on_receipts({str(envelope_id): receipt for envelope_id, receipt in sent.items()})
        # Taken, or refused for good (a dead letter staff can see): no longer pending either way.
        self._staff_calls_settled([*sent, *(envelope_id for envelope_id, _ in dead)])
        report.accepted += len(sent) - duplicates
        report.duplicate += duplicates
        if duplicates:
            # A resend after a lost answer or a crash: normal, but worth seeing in the log.
            log.info("sync.batch_resent duplicate=%d of=%d", duplicates, len(batch))
        for envelope_id, reason in dead:
            self._dead_letter(envelope_id, reason, report)
        if wanted:
            # Left pending: the next try resends them and the server answers "duplicate".
            self._outbox.record_failure(wanted, "no result in the server's answer")
            raise _NoResultError(
                f"the server answered for {len(ids) - len(wanted)} of {len(ids)} envelopes"
            )
        self._publish_counts()

    def _dead_letter(self, envelope_id: Any, reason: str, report: DrainReport) -> None:
        self._outbox.move_to_dead_letter(envelope_id, reason)
        report.dead += 1
        log.warning("sync.dead_letter id=%s reason=%s", envelope_id, reason)

    def _heartbeat_if_staff_call_changed(self) -> None:
        reported = self._reported_staff_call
        if reported is not None and reported != self.staff_call_pending:
            self._heartbeat()

    def _heartbeat(self) -> None:
        now_wall = utc_now()
        staff_call = self.staff_call_pending
        counts = self._outbox.counts_by_status()
        last_error = self._status.last_error
        answer = self._client.heartbeat(
            Heartbeat(
                app_version=__version__,
                content_version=self._repo.active_version() if self._repo else None,
                queue_depth=counts["pending"],
                oldest_pending_s=self._outbox.oldest_pending_age_s(now_wall),
                disk_free=_disk_free(self._data_dir),
                last_error=f"{last_error.kind}: {last_error.detail}"[:500] if last_error else None,
                mode=self._mode,
                uptime_s=max(0.0, self._monotonic() - self._started),
                memory_rss=_memory_rss(),
                staff_call=staff_call,
                reads_staff_call=True,
                dong=self._dong,
                highest_seq=self._outbox.highest_seq(),
                **_pin_lockouts(self._settings),
                reads_coaches=self._coaches is not None,
                reads_content_etag=self._content is not None,
                reads_content_key=self._settings.get(CONTENT_PUBLIC_KEY_KEY) is None,
            )
        )
        if answer.content_public_key is not None:
            self._keep_content_key(answer.content_public_key)
        # A call open (or still queued): its acknowledgement must reach the resident in seconds.
        call_open = staff_call or answer.staff_call is not None
        self._heartbeat_due = self._monotonic() + (
            self.tuning.staff_call_poll_s if call_open else self.tuning.heartbeat_every_s
        )
        self._reported_staff_call = staff_call
        changed = answer.staff_call != self._staff_call_state
        if changed:
            self._staff_call_state = answer.staff_call
            log.info("sync.staff_call_state state=%s", answer.staff_call)
        # Every answer while a call is open (the window may have learnt of its call only now,
        # after a restart), and the change when it closes.
        if self._on_staff_call is not None and (changed or answer.staff_call is not None):
            self._on_staff_call(answer.staff_call)
        timing = self._client.last_answer
        if timing is not None:
            self._clock.observe(
                sample_from_server_time(answer.server_time, timing.sent, timing.received)
            )
        active = self._repo.active_version() if self._repo else None
        if answer.content_version is not None and answer.content_version != active:
            self._content_due = 0.0  # newer content is published: pull it in this cycle
        elif self._selection_changed(answer.content_etag):
            self._content_due = 0.0  # same version, chosen anew for this device: pull it now
        self._coaches_said(answer.coaches_version, answer.revoked_coaches)
        self._register_bundle_key()

    def _keep_content_key(self, public_key: str) -> None:
        """The server's content key, for a device enrolled before enrolment gave it: kept once,
        never replaced (USB content packs are checked against it)."""
        if self._settings.get(CONTENT_PUBLIC_KEY_KEY) is None:
            self._settings.set(CONTENT_PUBLIC_KEY_KEY, public_key)
            log.info("sync.content_key_received")

    def _selection_changed(self, etag: str | None) -> bool:
        """True when the server's manifest for this device (what targets its device groups and
        dong) has another ETag than the active content came with: its groups changed."""
        return etag is not None and self._content is not None and not self._content.holds(etag)

    def _coaches_said(self, version: int | None, revoked: list[str] | None) -> None:
        """The heartbeat's word on the coaches: revoked codes are refused from now on (and the
        window ends an open session of one); another version is fetched this cycle."""
        if self._coaches is None or version is None:
            return
        newly = self._coaches.revoke(revoked or [])
        if newly:
            log.info("sync.coaches_revoked codes=%s", ",".join(newly))
            if self._on_coaches is not None:
                self._on_coaches(newly)
        if version != self._coaches.version():
            self._coaches_wanted = True

    def _pull_coaches(self) -> None:
        """Fetch GET /coaches when the heartbeat named a version this device does not keep,
        and keep the answer (kiosk.store.coaches). A device still waiting for approval is
        refused (403): logged, and asked again at the next heartbeat; the coaches kept stay."""
        if self._coaches is None or not self._coaches_wanted:
            return
        try:
            answer = self._client.coaches(self._coaches.version())
        except NetworkError:
            raise
        except SyncError as e:
            log.warning("sync.coaches_refused kind=%s detail=%s", e.kind, e.detail)
            self._coaches_wanted = False
            return
        self._coaches_wanted = False
        if answer is None:
            return
        usable: list[Coach] = []
        for c in answer.coaches:
            try:
                usable.append(Coach(code=c.code, name=c.name, pin_hash=c.pin_hash))
            except ValidationError:
                # A PIN hash this app cannot check: that coach cannot sign in here.
                log.warning("sync.coach_unreadable code=%s", c.code)
        self._coaches.replace(answer.version, usable, answer.revoked)
        log.info(
            "sync.coaches_stored version=%d coaches=%d revoked=%d",
            answer.version,
            len(answer.coaches),
            len(answer.revoked),
        )
        if self._on_coaches is not None:
            self._on_coaches(list(answer.revoked))

    def _register_bundle_key(self) -> None:
        """A device enrolled before devices sent their USB bundle key registers it by itself,
        once, the first time it reaches the server (`python -m sync register-key` by hand)."""
        from sync.bundle import public_key_of

        public_key = public_key_of(self._settings.device_signing_key())
        if self._settings.get(DEVICE_KEY_REGISTERED_KEY) in (public_key, f"refused:{public_key}"):
            return
        try:
            self._client.register_device_key(DeviceKeyRequest(device_public_key=public_key))
        except RejectedError as e:
            # The server holds another key (a restored device?): asking again every minute
            # changes nothing; staff look into it and run register-key by hand.
            log.warning("sync.device_key_refused detail=%s", e.detail)
            self._settings.set(DEVICE_KEY_REGISTERED_KEY, f"refused:{public_key}")
            return
        self._settings.set(DEVICE_KEY_REGISTERED_KEY, public_key)
        log.info("sync.device_key_registered")

    def _pull_content(self) -> None:
        if self._content is None:
            return
        outcome = self._content.pull()
        self._content_due = self._monotonic() + self.tuning.content_every_s
        if outcome.activated and outcome.version is not None and self._on_content:
            self._on_content(outcome.version)

    def _check_update(self) -> None:
        """Start a check (download, verify, stage) of the offered app version in the
        background, unless one is still running."""
        self._update_due = self._monotonic() + self.tuning.heartbeat_every_s
        if self._update_thread is not None and self._update_thread.is_alive():
            return
        self._update_thread = threading.Thread(
            target=self._update_in_background, name="app-update", daemon=True
        )
        self._update_thread.start()

    def _update_in_background(self) -> None:
        # Errors are logged and retried at the next check: a server without updates, or a
        # line that drops mid-download (the download resumes), must not fail the sync.
        assert self._updater is not None
        try:
            self._updater.step()
        except SyncError as e:
            log.warning("sync.update_check_failed kind=%s detail=%s", e.kind, e.detail)
        except Exception:
            log.exception("sync.update_check_crashed")

    def _pull_counts(self) -> None:
        """Fetch GET /counts and keep it on the device, with the device time up to which this
        kiosk's own agrees are in it (the start of this cycle's drain, which delivered every
        envelope queued before it). A malformed or refused answer is logged and ignored: the
        last good counts stay. No connection (or no valid token) fails the step as usual."""
        as_of = self._drain_started
        if as_of is None:
            return
        try:
            answer = self._client.counts()
        except (NetworkError, AuthError):
            raise
        except SyncError as e:
            log.warning("sync.counts_ignored kind=%s detail=%s", e.kind, e.detail)
            return
        self._counts.save(answer, as_of)
        log.info(
            "sync.counts_stored proposals=%d dongs=%d server_time=%s",
            len(answer.proposals),
            len(answer.ballot_results),
            answer.server_time.isoformat(),
        )

    def _observe_date_header(self) -> None:
        timing = self._client.last_answer
        if timing is None:
            return
        sample = sample_from_date_header(timing.date_header, timing.sent, timing.received)
        if sample is not None:
            self._clock.observe(sample)

    def _read_offset(self) -> float:
        if self._offset is None:
            self._offset = self._settings.clock_offset_s()
        return self._offset

    def _write_offset(self, offset_s: float) -> None:
        self._settings.set_clock_offset_s(offset_s)
        self._offset = offset_s

    # -- status ---------------------------------------------------------------------------

    def _record_success(self) -> None:
        now = utc_now()
        self._backoff.reset()
        self._settings.set(LAST_SUCCESS_KEY, now.isoformat())
        self._publish(
            replace(self._status, state=SyncState.IDLE, last_success=now, retry_in_s=None)
        )

    def _record_failure(self, error: SyncError) -> None:
        last = LastError(error.kind, error.message_id, error.detail, utc_now())
        self._settings.set(LAST_ERROR_KEY, last.to_json())
        state = SyncState.OFFLINE if isinstance(error, NetworkError) else SyncState.ERROR
        self._publish(replace(self._status, state=state, last_error=last))

    def _publish_counts(self) -> None:
        if self._on_status is not None:
            self._publish(self._status)

    def _publish(self, status: SyncStatus) -> None:
        if self._on_status is None:
            self._status = status
            return
        counts = self._outbox.counts_by_status()
        version = self._repo.active_version() if self._repo else None
        self._status = replace(
            status, pending=counts["pending"], dead=counts["dead"], content_version=version
        )
        self._on_status(self._status)


class DeviceError(SyncError):
    """This device's database or disk failed during a sync step (locked, full, broken)."""

    kind = "device"
    retry = "backoff"
    message_id = "sync.error.device"


class SealedElsewhereError(SyncError):
    """Pending envelopes are sealed to another server key than the enrolled server's: they are
    never sent to it (its key would not open them, or a rogue server's would) and stay pending
    for a USB export to their own server."""

    kind = "sealed_elsewhere"
    retry = "slow"
    message_id = "sync.error.sealed_elsewhere"


class _NoResultError(ProtocolError):
    """The server's answer left some envelopes of the batch without a result."""


def _disk_free(data_dir: Path | None) -> int | None:
    if data_dir is None:
        return None
    try:
        return shutil.disk_usage(data_dir).free
    except OSError:
        return None


def _pin_lockouts(settings: DeviceSettings) -> dict[str, Any]:
    """The staff PIN lock-outs since enrolment and the latest one's time (Heartbeat fields)."""
    from kiosk.store.staff_pin import read_failures

    failures = read_failures(settings)
    last = failures.last_lockout_at
    return {
        "pin_lockouts": failures.lockouts,
        "last_pin_lockout_at": datetime.fromtimestamp(last, UTC) if last is not None else None,
    }


def _memory_rss() -> int | None:
    """This process's resident memory in bytes (Linux); None where /proc is absent."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def build_core(
    db: Database,
    data_dir: Path,
    *,
    mode: Mode = "kiosk",
    dong: str | None = None,
    tuning: SyncTuning | None = None,
    outbox: Outbox | None = None,
    wall_clock: Callable[[], datetime] = utc_now,
    on_status: Callable[[SyncStatus], None] | None = None,
    on_content: Callable[[str], None] | None = None,
    on_staff_call: Callable[[ServerCallState], None] | None = None,
    on_coaches: Callable[[list[str]], None] | None = None,
    on_emergency: Callable[[list[EmergencyNotice]], None] | None = None,
    on_receipts: Callable[[dict[str, dict[str, Any]]], None] | None = None,
) -> SyncCore | None:
    """A core for the device whose database is `db`; None when it is not enrolled."""
    settings = DeviceSettings(db)
    enrolment = load_enrolment(settings)
    if enrolment is None:
        return None
    tuning = tuning if tuning is not None else SyncTuning()
    client = SyncClient(
        enrolment.server_url,
        enrolment.token,
        timeouts=tuning.timeouts,
        user_agent=_user_agent(),
        wall_clock=wall_clock,
    )
    repo = ContentRepository(db)
    content = ContentSync(
        client, repo, AssetCache(data_dir / "assets"), settings, data_dir / "downloads"
    )
    return SyncCore(
        outbox=outbox if outbox is not None else Outbox(db),
        settings=settings,
        client=client,
        content=content,
        repo=repo,
        mode=mode,
        dong=dong,
        data_dir=data_dir,
        tuning=tuning,
        on_status=on_status,
        on_content=on_content,
        on_staff_call=on_staff_call,
        # Coaches sign in at kiosks only; a board neither asks for them nor keeps them.
        coaches=CoachStore(db) if mode == "kiosk" else None,
        on_coaches=on_coaches,
        on_emergency=on_emergency,
        on_receipts=on_receipts,
    )
