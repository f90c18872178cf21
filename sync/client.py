"""The HTTP client of sync protocol v1: one method per endpoint, a timeout on every request, and
every failure turned into one of a few error classes, each with its retry rule.

- NetworkError: no connection, a timeout, a connection cut midway. Backoff; state "offline".
- ServerError: 5xx, 429, 413 of one small envelope. Backoff, Retry-After as its floor.
- AuthError: 401 wrong token, 403 revoked device. Tried again only at the backoff cap or when
  staff ask.
- RejectedError: 400/409/413/422, the server refuses this request as it is. The worker halves
  the batch until the one envelope at fault is found and dead-letters it.
- ProtocolError: an answer that is not protocol v1 (garbage body, 404). Backoff; state "error".

The bearer token is sent in a header only and never appears in a log line or an error.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar
from urllib.parse import urlencode

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter

from contract.wire import (
    API_PREFIX,
    BatchResult,
    CoachList,
    Counts,
    DeviceKeyRequest,
    DeviceKeyResponse,
    EmergencyNotices,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    Heartbeat,
    HeartbeatResponse,
    PointsLedger,
    PointsLedgerRequest,
    UpdateOffer,
)
from sync.backoff import parse_retry_after

log = logging.getLogger(__name__)

ErrorKind = Literal[
    "network", "server", "auth", "rejected", "protocol", "device", "sealed_elsewhere"
]
RetryRule = Literal["backoff", "slow", "split"]
_Model = TypeVar("_Model", bound=BaseModel)

DOWNLOAD_CHUNK_BYTES = 256 * 1024
# The longest server message kept in an error; the rest is noise on a staff page.
_DETAIL_CHARS = 300


def utc_now() -> datetime:
    return datetime.now(UTC)


class SyncError(Exception):
    """A failed exchange with the server.

    Attributes:
        kind: which class of failure (network, server, auth, rejected, protocol).
        retry: "backoff" (try again after a backoff delay), "slow" (only at the backoff cap or
            when staff ask), or "split" (this request will never pass as it is).
        message_id: the catalogue id (kiosk/i18n/sync.toml) that tells staff what to do.
        detail: what exactly happened, for the log and the staff page (English, no secrets).
        status: the HTTP status, when there was an answer.
        retry_after_s: the server's Retry-After, in seconds, when it sent one.
    """

    kind: ClassVar[ErrorKind]
    retry: ClassVar[RetryRule]
    message_id: ClassVar[str]

    def __init__(
        self, detail: str, *, status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.retry_after_s = retry_after_s


class NetworkError(SyncError):
    """The server could not be reached, or the connection failed before a whole answer came."""

    kind = "network"
    retry = "backoff"
    message_id = "sync.error.network"


class ServerError(SyncError):
    """The server answered that it cannot take the request now (5xx, 429)."""

    kind = "server"
    retry = "backoff"
    message_id = "sync.error.server"


class AuthError(SyncError):
    """The server does not accept this device: wrong token (401) or revoked device (403)."""

    kind = "auth"
    retry = "slow"
    message_id = "sync.error.auth"

    @property
    def revoked(self) -> bool:
        return self.status == 403


class RevokedError(AuthError):
    message_id = "sync.error.revoked"


class RejectedError(SyncError):
    """The server refuses this request as it is (400, 409, 413, 422); resending it unchanged
    cannot help."""

    kind = "rejected"
    retry = "split"
    message_id = "sync.error.rejected"


class TooLargeError(RejectedError):
    """413: the request body is larger than the server takes."""


class ProtocolError(SyncError):
    """An answer that is not what protocol v1 says: unreadable body, wrong shape, unknown path."""

    kind = "protocol"
    retry = "backoff"
    message_id = "sync.error.protocol"


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection, and for each read from it."""

    connect_s: float = 5.0
    read_s: float = 30.0

    def as_requests(self) -> tuple[float, float]:
        return (self.connect_s, self.read_s)


@dataclass(frozen=True)
class AnswerTime:
    """When an answer was asked for and received (device clock), and its Date header."""

    sent: datetime
    received: datetime
    date_header: str | None


@dataclass(frozen=True)
class ManifestAnswer:
    """A new manifest: its ETag (for the next If-None-Match) and the parsed JSON document."""

    etag: str | None
    document: Any


@dataclass(frozen=True)
class EmergencyAnswer:
    """GET /emergency's 200: the notices, and the ETag to ask with next time."""

    etag: str | None
    notices: EmergencyNotices


@dataclass
class AssetDownload:
    """An asset answer being read.

    Attributes:
        start: the byte offset the body starts at (0 unless the server honoured the Range).
        total: the whole file's size when the server said it, else None.
        length: the body's length (Content-Length) when the server said it, else None.
    """

    start: int
    total: int | None
    length: int | None
    _response: requests.Response

    def chunks(self) -> Iterator[bytes]:
        """The body in chunks; NetworkError if the connection breaks before it ends."""
        try:
            yield from self._response.iter_content(DOWNLOAD_CHUNK_BYTES)
        except requests.RequestException as e:
            raise _network_error(e) from e


class SyncClient:
    """Talks protocol v1 to one server for one device.

    Attributes:
        base_url: the server's address, e.g. "https://ontong.example.kr" (no API prefix).
        last_answer: timing and Date header of the latest answer, for the clock offset.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeouts: Timeouts | None = None,
        user_agent: str = "ontong-kiosk",
        wall_clock: Callable[[], datetime] = utc_now,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeouts = timeouts if timeouts is not None else Timeouts()
        self._wall_clock = wall_clock
        self._session = session if session is not None else _new_session()
        self._session.headers["User-Agent"] = user_agent
        self.last_answer: AnswerTime | None = None

    def close(self) -> None:
        self._session.close()

    def for_another_thread(self, timeouts: Timeouts | None = None) -> SyncClient:
        """A client to the same server as the same device, with its own connection pool (and
        `timeouts`, when given, instead of this one's)."""
        return SyncClient(
            self.base_url,
            self._token,
            timeouts=timeouts if timeouts is not None else self._timeouts,
            user_agent=str(self._session.headers["User-Agent"]),
            wall_clock=self._wall_clock,
        )

    # -- endpoints ------------------------------------------------------------------------

    def enroll(self, request: EnrollRequest) -> EnrollResponse:
        """POST /devices/enroll: exchange a one-time enrolment code for a device id and token."""
        response = self._request(
            "POST", "/devices/enroll", data=request.model_dump_json().encode(), auth=False
        )
        return _parse(response, EnrollResponse)

    def register_device_key(self, request: DeviceKeyRequest) -> DeviceKeyResponse:
        """POST /devices/key: register the key of a device enrolled before devices sent one;
        RejectedError (409) if the server holds a different one."""
        response = self._request("POST", "/devices/key", data=request.model_dump_json().encode())
        return _parse(response, DeviceKeyResponse)

    def manifest(self, etag: str | None) -> ManifestAnswer | None:
        """GET /content/manifest; None when it is unchanged (304) or nothing is published yet
        (404 with the protocol's error body)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/content/manifest", headers=headers, ok=(200, 304, 404))
        if response.status_code == 304:
            return None
        if response.status_code == 404:
            # A protocol server says so in an ErrorBody; anything else is a wrong address.
            try:
                ErrorBody.model_validate(_json(response))
            except (ProtocolError, ValidationError) as e:
                raise ProtocolError(f"HTTP 404: {_detail(response)}", status=404) from e
            return None
        return ManifestAnswer(response.headers.get("ETag"), _json(response))

    def points_ledger(self, request: PointsLedgerRequest) -> PointsLedger:
        """POST /points/ledger: a resident's balance and history, newest first; the resident
        is named by the sealed identity in the body (never in the URL). RejectedError (422)
        when this server cannot open the seal."""
        response = self._request("POST", "/points/ledger", data=request.model_dump_json().encode())
        return _parse(response, PointsLedger)

    def asset(self, sha256: str, offset: int = 0) -> AbstractContextManager[AssetDownload]:
        """GET /assets/{sha256} from byte `offset` (a Range request when offset > 0).

        The answer may start at 0 when the server ignores the Range; `start` says where.
        """
        return self._download(f"/assets/{sha256}", offset)

    def update_offer(self) -> UpdateOffer | None:
        """GET /updates/latest: the app version the server offers; None when it offers none."""
        response = self._request("GET", "/updates/latest", ok=(200, 204))
        if response.status_code == 204:
            return None
        return _parse(response, UpdateOffer)

    def update_archive(self, path: str, offset: int = 0) -> AbstractContextManager[AssetDownload]:
        """GET an offered archive (`UpdateOffer.download`) from byte `offset`, like `asset`."""
        if not path.startswith(f"{API_PREFIX}/updates/"):
            raise ProtocolError(f"the offered archive is not on this server's API: {path!r}")
        return self._download(path.removeprefix(API_PREFIX), offset)

    @contextmanager
    def _download(self, path: str, offset: int) -> Iterator[AssetDownload]:
        headers = {"Range": f"bytes={offset}-"} if offset > 0 else {}
        response = self._request("GET", path, headers=headers, ok=(200, 206), stream=True)
        # A cut connection then ends the body early instead of raising and losing the bytes
        # of the last read: the caller compares with `length` and keeps what came.
        response.raw.enforce_content_length = False
        try:
            length = _int_or_none(response.headers.get("Content-Length"))
            start, total = 0, length
            if response.status_code == 206:
                start, total = _content_range(response.headers.get("Content-Range"))
            yield AssetDownload(start, total, length, response)
        finally:
            response.close()

    def submit_batch(self, body: bytes) -> BatchResult:
        """POST /submissions/batch with an already encoded SubmissionBatch (see the worker)."""
        response = self._request("POST", "/submissions/batch", data=body)
        return _parse(response, BatchResult)

    def heartbeat(self, heartbeat: Heartbeat) -> HeartbeatResponse:
        """POST /devices/heartbeat; the answer carries the server's time."""
        response = self._request(
            "POST", "/devices/heartbeat", data=heartbeat.model_dump_json().encode()
        )
        return _parse(response, HeartbeatResponse)

    def counts(self) -> Counts:
        """GET /counts: agree counts per proposal now, and ballot results of closed votes.

        ProtocolError when the answer is not a valid Counts (the caller keeps what it had).
        """
        response = self._request("GET", "/counts")
        return _parse(response, Counts)

    def coaches(self, version: int | None) -> CoachList | None:
        """GET /coaches: the district's coaches with their PIN hashes; None when `version` (the
        one the device keeps) is still the newest (304). RevokedError (403) also for a device
        still waiting for approval (the detail says which)."""
        headers = {"If-None-Match": f'"coaches-{version}"'} if version is not None else {}
        response = self._request("GET", "/coaches", headers=headers, ok=(200, 304))
        if response.status_code == 304:
            return None
        return _parse(response, CoachList)

    def emergency(self, dong: str | None, etag: str | None) -> EmergencyAnswer | None:
        """GET /emergency: the 긴급 공지 in force for a device in `dong`; None when those named
        by `etag` still are (304)."""
        path = "/emergency" + (f"?{urlencode({'dong': dong})}" if dong else "")
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", path, headers=headers, ok=(200, 304))
        if response.status_code == 304:
            return None
        return EmergencyAnswer(response.headers.get("ETag"), _parse(response, EmergencyNotices))

    # -- the one place requests are made --------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        ok: tuple[int, ...] = (200,),
        stream: bool = False,
    ) -> requests.Response:
        url = f"{self.base_url}{API_PREFIX}{path}"
        sent_headers = dict(headers or {})
        if data is not None:
            sent_headers["Content-Type"] = "application/json"
        if auth:
            if not self._token:
                raise AuthError("this device is not enrolled: no token")
            sent_headers["Authorization"] = f"Bearer {self._token}"
        started = time.monotonic()
        sent = self._wall_clock()
        try:
            response = self._session.request(
                method,
                url,
                data=data,
                headers=sent_headers,
                timeout=self._timeouts.as_requests(),
                stream=stream,
                allow_redirects=False,
            )
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as e:
            raise ProtocolError(f"bad server address {self.base_url!r}: {e}") from e
        except requests.RequestException as e:
            log.info(
                "sync.request method=%s path=%s error=%s ms=%.0f",
                method,
                path,
                type(e).__name__,
                (time.monotonic() - started) * 1000,
            )
            raise _network_error(e) from e
        self.last_answer = AnswerTime(sent, self._wall_clock(), response.headers.get("Date"))
        log.debug(
            "sync.request method=%s path=%s status=%d ms=%.0f",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code not in ok:
            try:
                raise _status_error(response)
            finally:
                response.close()
        return response


def _new_session() -> requests.Session:
    session = requests.Session()
    # No retries inside requests: the worker decides, with backoff, what to try again.
    adapter = HTTPAdapter(max_retries=0, pool_connections=1, pool_maxsize=2)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Proxies from the environment would surprise a kiosk; the server address is configured.
    session.trust_env = False
    return session


def _network_error(e: requests.RequestException) -> NetworkError:
    if isinstance(e, requests.Timeout):
        return NetworkError(f"timed out: {type(e).__name__}")
    # The text of a requests error names the address and the OS reason; never a header.
    return NetworkError(f"{type(e).__name__}: {_short(str(e))}")


def _status_error(response: requests.Response) -> SyncError:
    status = response.status_code
    detail = f"HTTP {status}: {_detail(response)}"
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 401:
        return AuthError(detail, status=status)
    if status == 403:
        return RevokedError(detail, status=status)
    if status == 413:
        return TooLargeError(detail, status=status)
    if status in (400, 409, 422):
        return RejectedError(detail, status=status)
    if status == 429 or status >= 500:
        return ServerError(detail, status=status, retry_after_s=retry_after)
    return ProtocolError(detail, status=status, retry_after_s=retry_after)


def _detail(response: requests.Response) -> str:
    """The server's one-sentence reason (ErrorBody.detail), or the start of whatever it sent."""
    try:
        body = response.json()
    except ValueError:
        return _short(response.text) or response.reason or "no reason given"
    detail = body.get("detail") if isinstance(body, dict) else body
    if isinstance(detail, str):
        return _short(detail)
    return _short(json.dumps(detail, ensure_ascii=False))


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as e:
        raise ProtocolError(
            f"HTTP {response.status_code}: the answer is not JSON: {_short(response.text)!r}",
            status=response.status_code,
        ) from e


def _parse(response: requests.Response, model: type[_Model]) -> _Model:
    document = _json(response)
    try:
        return model.model_validate(document)
    except ValidationError as e:
        raise ProtocolError(
            f"HTTP {response.status_code}: not a {model.__name__}: "
            f"{e.error_count()} problem(s), first: {_short(str(e.errors()[0]['msg']))}",
            status=response.status_code,
        ) from e


def _content_range(value: str | None) -> tuple[int, int | None]:
    """(first byte, whole size) from "bytes 100-199/200"; ProtocolError if unreadable."""
    try:
        unit, _, rest = (value or "").partition(" ")
        span, _, size = rest.partition("/")
        first = int(span.split("-", 1)[0])
        if unit != "bytes" or first < 0:
            raise ValueError(value)
        return first, None if size == "*" else int(size)
    except ValueError as e:
        raise ProtocolError(f"unreadable Content-Range {value!r}", status=206) from e


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"
