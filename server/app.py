"""The HTTP face of the server (protocol v1): routes, authentication, limits and error bodies.

Every answer that is not a success carries an `ErrorBody` ({"detail": "one plain sentence"});
bad input is answered 4xx, never 500. The services behind the routes (`server.auth`,
`server.ingest`, `server.content`, `server.fleet`, `server.bundles`) know nothing of HTTP.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from contract.content import ContentPack
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
    ItemResult,
    PointsLedger,
    PointsLedgerLine,
    PointsLedgerRequest,
    SubmissionBatch,
    UpdateOffer,
)
from server import (
    auth,
    bundles,
    calls,
    coaches,
    console,
    content,
    drafts,
    emergency,
    fleet,
    groups,
    pledge,
    residents,
    tallies,
    updates,
)
from server.config import LOG_FORMAT, ServerSettings
from server.db import DB_CONNECTIONS, ServerDatabase, open_database
from server.faults import FaultInjector, faults_router
from server.ingest import BadBatch, BatchTooLarge, Ingest, parse_batch
from server.keys import ServerKeys, ensure_keys
from server.limits import BodyLimit
from server.previews import PREVIEWS_DIRNAME, Previews

log = logging.getLogger(__name__)

ASSET_CHUNK = 256 * 1024
FASTAPI_BODY_ERROR = "There was an error parsing the body"
BUSY_RETRY_AFTER_S = 5


class ApiError(StarletteHTTPException):
    """An answer other than success, with its ErrorBody sentence and optional headers."""


@dataclass
class WindowLimit:
    """At most `limit` uses per key in each window of `window_s` seconds; None means no limit.
    Counted in this process only: several server processes each allow as much.

    Attributes:
        what: says in the 429 answer what was used too often.
        windows: key -> (start of its current window, uses in it).
    """

    limit: int | None
    window_s: float
    what: str
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, key: str, now: float | None = None) -> None:
        if self.limit is None:
            return
        now = time.monotonic() if now is None else now
        with self.lock:
            if len(self.windows) > 100_000:
                # Keys of finished windows go; memory stays bounded whatever keys arrive.
                self.windows = {k: v for k, v in self.windows.items() if now - v[0] < self.window_s}
            start, count = self.windows.get(key, (now, 0))
            if now - start >= self.window_s:
                start, count = now, 0
            if count >= self.limit:
                retry = max(1, math.ceil(start + self.window_s - now))
                raise ApiError(
                    429,
                    f"Too many {self.what}; try again in {retry} seconds.",
                    headers={"Retry-After": str(retry)},
                )
            self.windows[key] = (start, count + 1)


@dataclass
class LedgerLimits:
    """The points look-up is no birth-date oracle: per device (checked before the seal is
    opened) and per resident key (known only after)."""

    per_device_minute: WindowLimit
    per_device_hour: WindowLimit
    per_resident_hour: WindowLimit

    @classmethod
    def of(cls, settings: ServerSettings) -> LedgerLimits:
        what = "points look-ups from this device"
        return cls(
            WindowLimit(settings.ledger_per_device_per_minute, 60, what),
            WindowLimit(settings.ledger_per_device_per_hour, 3600, what),
            WindowLimit(
                settings.ledger_per_resident_per_hour, 3600, "points look-ups for this resident"
            ),
        )


@dataclass
class ServerState:
    """What the routes share for the life of the app."""

    settings: ServerSettings
    db: ServerDatabase
    keys: ServerKeys
    ingest: Ingest
    rate_limit: WindowLimit
    ledger_limits: LedgerLimits
    # The per-dong alert hooks of 직원 호출 (server.calls), posting from a thread of their own.
    call_alerts: calls.CallAlerts = field(default_factory=lambda: calls.CallAlerts({}))
    # What the published packs say of surveys' and contests' openings (server.pledge).
    pledge_openings: pledge.Openings = field(default_factory=pledge.Openings)
    # 미리보기 of draft items, drawn by the kiosk in subprocesses (server.previews).
    previews: Previews | None = None
    # The 긴급 공지 in force, read at most once a second for all the devices polling.
    emergency: emergency.InForce | None = None


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("No device token, or one the server does not know"),
    403: _error("The device was revoked"),
    429: _error("Too many requests; the Retry-After header says when to try again"),
    503: _error("The database is busy or unreachable; Retry-After says when to try again"),
}
HEADER_ERRORS: dict[int | str, dict[str, Any]] = {
    422: _error("A request header could not be read"),
}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: _error("The body is larger than 1 MiB, or the batch has more than 200 envelopes"),
    422: _error("The body is not valid JSON or does not follow the schema"),
}

bearer = HTTPBearer(auto_error=False, description="The token the device got at enrolment")


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def require_device(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> auth.DeviceIdentity:
    """The enrolled, unrevoked device making the request (401/403 otherwise), within its limit."""
    return _device_of(state_of(request), credentials)


def _device_of(
    state: ServerState, credentials: HTTPAuthorizationCredentials | None
) -> auth.DeviceIdentity:
    token = credentials.credentials if credentials is not None else None
    try:
        device = auth.authenticate(state.db, token)
    except auth.Unauthenticated as e:
        raise ApiError(401, str(e), headers={"WWW-Authenticate": "Bearer"}) from None
    except auth.DeviceRevoked as e:
        raise ApiError(403, str(e)) from None
    state.rate_limit.check(device.device_id)
    return device


Device = Annotated[auth.DeviceIdentity, Depends(require_device)]


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match comparison (weak, as RFC 9110 requires for it)."""
    if header is None:
        return False
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


class RangeNotSatisfiable(ValueError):
    pass


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range (first, last inclusive) a Range header asks for; None for the whole.

    A header that cannot be read, or asks for several ranges, is ignored (the whole file is
    sent, as RFC 9110 allows); a range that starts past the end is not satisfiable.
    """
    if header is None or not header.startswith("bytes=") or "," in header:
        return None
    first_s, sep, last_s = header[len("bytes=") :].strip().partition("-")
    if not sep or not (first_s.isdigit() or last_s.isdigit()):
        return None
    if (first_s and not first_s.isdigit()) or (last_s and not last_s.isdigit()):
        return None
    if not first_s:
        suffix = int(last_s)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_s)
    last = int(last_s) if last_s else size - 1
    if last_s and last < first:
        return None
    if first >= size:
        raise RangeNotSatisfiable
    return first, min(last, size - 1)


def _read_file(path: Path, first: int, last: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        f.seek(first)
        remaining = last - first + 1
        while remaining > 0:
            chunk = f.read(min(ASSET_CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def _plain_validation_message(exc: RequestValidationError) -> str:
    errors = list(exc.errors())
    if not errors:
        return "The request does not follow the schema."
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "The body is not valid JSON."
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    where = ".".join(loc)
    text = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    more = len(errors) - 1
    return text + (f" (and {more} more problems)" if more else "")


def _stored_staff_calls(items: list[dict[str, Any]], results: list[ItemResult]) -> list[uuid.UUID]:
    """The ids of the staff_call envelopes of a batch the server has stored: accepted now, or
    before ("duplicate": server.calls takes each once, so one stored just before the server
    stopped still becomes a call)."""
    # parse_batch made sure every item has a UUID id.
    kinds = {uuid.UUID(str(item["id"])): item.get("kind") for item in items}
    return [
        r.id
        for r in results
        if r.status in ("accepted", "duplicate") and kinds.get(r.id) == calls.STAFF_CALL_KIND
    ]


def worker_app(settings: ServerSettings, log_level: str) -> FastAPI:
    """The app of one of `serve --workers` processes: a fresh process, whose logging is set
    up as the command line's is."""
    logging.basicConfig(stream=sys.stderr, level=log_level, format=LOG_FORMAT)
    return create_app(settings)


def create_app(settings: ServerSettings, db: ServerDatabase | None = None) -> FastAPI:
    """The FastAPI app for `settings`; it opens (and migrates) the database unless given one."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # As many request threads as database connections: a thread never waits for one (a
        # wait past the pool's timeout would be an error, not a slower answer).
        anyio.to_thread.current_default_thread_limiter().total_tokens = DB_CONNECTIONS
        database = db if db is not None else open_database(settings.database, settings.keys)
        # Before the first request: the keys are read (or made, on a fresh install) once.
        server_keys = ensure_keys(database, settings.keys)
        app.state.server = ServerState(
            settings=settings,
            db=database,
            keys=server_keys,
            ingest=Ingest(
                database,
                server_keys,
                closing_grace=settings.closing_grace,
                max_new_residents_per_hour=settings.max_new_residents_per_hour,
                max_counted_per_target=settings.max_counted_per_target,
            ),
            rate_limit=WindowLimit(
                settings.max_requests_per_minute, 60, "requests from this device"
            ),
            ledger_limits=LedgerLimits.of(settings),
            call_alerts=calls.CallAlerts(settings.staff_call_hooks),
            emergency=emergency.InForce(database),
        )
        app.state.server.previews = Previews(
            settings.data_dir / PREVIEWS_DIRNAME,
            settings.assets_dir,
        )
        due_publisher = drafts.DuePublisher(
            database, settings.publish_check_every, settings.assets_dir
        )
        due_publisher.start()
        try:
            yield
        finally:
            due_publisher.stop()
            app.state.server.previews.shutdown()
            app.state.server.call_alerts.close()
            if db is None:
                database.close()

    app = FastAPI(
        title="Ontong central server",
        version="1",
        summary="Sync protocol v1 of the 온통중구 kiosks and media boards",
        lifespan=lifespan,
        # The manifest is published as the document staff wrote: describe what it accepts.
        separate_input_output_schemas=False,
        # Their pages load scripts from a CDN; the document stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    # An archive of the whole content is far larger than any batch (console.content).
    app.add_middleware(
        BodyLimit,
        uploads={console.IMPORT_PATH: settings.max_import_bytes},
        streamed=frozenset({console.MEDIA_PATH}),
    )
    if settings.fault_injection:
        injector = FaultInjector()
        app.state.faults = injector
        app.add_middleware(FaultInjector.Middleware, injector=injector)
        app.include_router(faults_router)
        log.warning("server.fault_injection enabled=true")
    console.install(app)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status, detail = exc.status_code, str(exc.detail)
        if status == 400 and detail == FASTAPI_BODY_ERROR:
            # FastAPI's answer to a body it cannot decode (not UTF-8, nested too deeply).
            status, detail = 422, "The body is not valid JSON."
        return JSONResponse(
            ErrorBody(detail=detail).model_dump(), status_code=status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
        detail = _plain_validation_message(exc)
        return JSONResponse(ErrorBody(detail=detail).model_dump(), status_code=422)

    @app.exception_handler(OperationalError)
    async def on_database_busy(request: Request, exc: OperationalError) -> Response:
        # The database is locked past its timeout or unreachable: nothing was stored.
        log.warning("server.database_unavailable path=%s error=%s", request.url.path, exc.orig)
        return JSONResponse(
            ErrorBody(detail="The server is busy; try again shortly.").model_dump(),
            status_code=503,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_S)},
        )

    @app.exception_handler(Exception)
    async def on_server_fault(request: Request, exc: Exception) -> Response:
        log.exception("server.error path=%s", request.url.path)
        return JSONResponse(
            ErrorBody(detail="The server failed to answer; try again later.").model_dump(),
            status_code=500,
        )

    @app.post(
        f"{API_PREFIX}/devices/enroll",
        response_model=EnrollResponse,
        tags=["devices"],
        responses={
            403: _error("The enrolment code is unknown, already used or expired"),
            503: AUTH_ERRORS[503],
            **BODY_ERRORS,
        },
    )
    def enroll_device(request: Request, body: EnrollRequest) -> EnrollResponse:
        """Enrol a device with a single-use code; answers its id and its token (shown once)."""
        try:
            state = state_of(request)
            return auth.enroll(
                state.db,
                body,
                state.keys.public_key,
                content_public_key=state.keys.content_public_key,
            )
        except auth.EnrollmentRefused as e:
            raise ApiError(403, str(e)) from None

    @app.post(
        f"{API_PREFIX}/submissions/batch",
        response_model=BatchResult,
        tags=["submissions"],
        responses={**AUTH_ERRORS, **BODY_ERRORS},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SubmissionBatch"}}
                },
            }
        },
    )
    async def submit_batch(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Response:
        """Store a batch of envelopes; every envelope gets its own answer.

        `accepted`: stored now. `duplicate`: the same id and body were stored before; the receipt
        is the original one. `rejected`: a different body under a stored id (conflict), an
        invalid envelope or payload, an unknown kind, a survey's, contest's or vote's deadline
        missed (not open, closed, late: see the server's README), an identity the server cannot
        read, or points the resident cannot spend; the body is kept for audit.
        """
        state = state_of(request)
        body = await request.body()

        def store() -> tuple[auth.DeviceIdentity, list[dict[str, Any]], list[ItemResult]]:
            # One trip to a request thread for the whole batch: the device (as every device
            # route checks it: require_device), the body read, its envelopes stored. Each hop
            # between the event loop and a thread waits for the GIL, and a busy server's
            # requests lost more time in those waits than in their work.
            device = _device_of(state, credentials)
            try:
                items = parse_batch(body)
            except BatchTooLarge as e:
                raise ApiError(413, str(e)) from None
            except BadBatch as e:
                raise ApiError(422, str(e)) from None
            return device, items, state.ingest.ingest(device.device_id, items)

        device, items, results = await run_in_threadpool(store)
        staff_calls = _stored_staff_calls(items, results)
        if staff_calls:
            opened = await run_in_threadpool(
                calls.on_envelopes, state.db, device.device_id, staff_calls
            )
            state.call_alerts.notify(opened)
        return Response(
            BatchResult(results=results).model_dump_json(), media_type="application/json"
        )

    @app.get(
        f"{API_PREFIX}/content/manifest",
        response_model=ContentPack,
        tags=["content"],
        responses={
            304: {"description": "The manifest named by If-None-Match is still the newest"},
            404: _error("No content has been published yet"),
            **AUTH_ERRORS,
            **HEADER_ERRORS,
        },
    )
    def get_manifest(
        request: Request,
        device: Device,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The newest content pack manifest as this device receives it (only the promotions,
        surveys, contests, videos and lessons that target its groups and dong, and the files
        they need), with a strong ETag of its own; 304 if If-None-Match matches."""
        db = state_of(request).db
        manifest = content.device_manifest(db, groups.audience_of(db, device.device_id))
        if manifest is None:
            raise ApiError(404, "No content has been published yet.")
        headers = {"ETag": manifest.etag, "Cache-Control": "no-cache"}
        if _matches(if_none_match, manifest.etag):
            return Response(status_code=304, headers=headers)
        return Response(manifest.body, media_type="application/json", headers=headers)

    @app.get(
        f"{API_PREFIX}/assets/{{sha256}}",
        tags=["content"],
        response_class=Response,
        responses={
            200: {
                "description": "The whole file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            },
            206: {
                "description": "The byte range asked for (Content-Range)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            },
            304: {"description": "The file named by If-None-Match"},
            404: _error("No asset with this SHA-256"),
            416: _error("The range starts past the end of the file"),
            **AUTH_ERRORS,
            **HEADER_ERRORS,
        },
    )
    def get_asset(
        request: Request,
        sha256: str,
        device: Device,
        range_: Annotated[str | None, Header(alias="range")] = None,
        if_range: Annotated[str | None, Header()] = None,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """An asset's bytes by SHA-256 (lower-case hex), with single-range support."""
        state = state_of(request)
        asset = content.find_asset(state.db, state.settings.assets_dir, sha256)
        if asset is None:
            raise ApiError(404, "The server has no file with this SHA-256.")
        etag = content.etag_for(asset.sha256)
        headers = {
            "ETag": etag,
            "Accept-Ranges": "bytes",
            "Cache-Control": "public, max-age=31536000, immutable",
        }
        if _matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        wanted = None
        if if_range is None or if_range.strip() == etag:
            try:
                wanted = byte_range(range_, asset.size)
            except RangeNotSatisfiable:
                return JSONResponse(
                    ErrorBody(
                        detail=f"The file has {asset.size} bytes; that range is outside it."
                    ).model_dump(),
                    status_code=416,
                    headers={"Content-Range": f"bytes */{asset.size}"},
                )
        if wanted is None:
            first, last, status = 0, asset.size - 1, 200
        else:
            (first, last), status = wanted, 206
            headers["Content-Range"] = f"bytes {first}-{last}/{asset.size}"
        headers["Content-Length"] = str(last - first + 1)
        return StreamingResponse(
            _read_file(asset.path, first, last),
            status_code=status,
            media_type="application/octet-stream",
            headers=headers,
        )

    @app.post(
        f"{API_PREFIX}/devices/heartbeat",
        response_model=HeartbeatResponse,
        tags=["devices"],
        responses={**AUTH_ERRORS, **BODY_ERRORS},
    )
    def heartbeat(request: Request, body: Heartbeat, device: Device) -> Response:
        """Keep the device's status; answer the server time, the newest content version, the
        state of the device's open 직원 호출 (fields absent when it has none), to a device
        that sent `reads_coaches` the coaches' version and the revoked coach codes, and to one
        that sent `reads_content_etag` the ETag of the manifest it receives now."""
        state = state_of(request)
        fleet.record_heartbeat(state.db, device.device_id, body)
        call, opened = calls.on_heartbeat(state.db, device.device_id, body)
        if opened is not None:
            state.call_alerts.notify([opened])
        coaches_version, revoked_coaches = (
            coaches.version(state.db) if body.reads_coaches else (None, None)
        )
        content_etag = (
            content.etag_for_device(state.db, groups.audience_of(state.db, device.device_id))
            if body.reads_content_etag
            else None
        )
        answer = HeartbeatResponse(
            server_time=datetime.now(UTC),
            content_version=content.newest_version(state.db),
            content_etag=content_etag,
            staff_call=call.status,
            staff_call_acknowledged_at=call.acknowledged_at,
            coaches_version=coaches_version,
            revoked_coaches=revoked_coaches,
            content_public_key=state.keys.content_public_key,
        )
        # The call's fields only to a device that reads them (an older one refuses fields it
        # does not know), and only while it has a call open; the coaches' likewise.
        left_out: set[str] = set()
        if call.status is None or not body.reads_staff_call:
            left_out |= {"staff_call", "staff_call_acknowledged_at"}
        if not body.reads_coaches:
            left_out |= {"coaches_version", "revoked_coaches"}
        if not body.reads_content_etag:
            left_out.add("content_etag")
        if not body.reads_content_key:
            left_out.add("content_public_key")
        return Response(
            answer.model_dump_json(exclude=left_out or None), media_type="application/json"
        )

    @app.get(
        f"{API_PREFIX}/coaches",
        response_model=CoachList,
        tags=["devices"],
        responses={
            304: {"description": "The coaches named by If-None-Match are still the newest"},
            403: _error("The device was revoked, or is still waiting for approval by staff"),
            **{k: v for k, v in AUTH_ERRORS.items() if k != 403},
            **HEADER_ERRORS,
        },
    )
    def get_coaches(
        request: Request,
        device: Device,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The district's digital coaches who may sign in at the device, with their PIN hashes
        (the kiosk checks PINs offline), and the revoked codes; only to an approved device.
        The ETag names the version the heartbeat answers as `coaches_version`."""
        try:
            answer = coaches.for_device(state_of(request).db, device.device_id)
        except coaches.NotApproved as e:
            raise ApiError(403, str(e)) from None
        etag = f'"coaches-{answer.version}"'
        headers = {"ETag": etag, "Cache-Control": "no-store"}
        if _matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        return Response(answer.model_dump_json(), media_type="application/json", headers=headers)

    @app.get(
        f"{API_PREFIX}/emergency",
        response_model=EmergencyNotices,
        tags=["devices"],
        responses={
            304: {"description": "The notices named by If-None-Match are still those in force"},
            **AUTH_ERRORS,
            **HEADER_ERRORS,
        },
    )
    def get_emergency(
        request: Request,
        device: Device,
        dong: Annotated[str | None, Query(max_length=40)] = None,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The 긴급 공지 in force for a device in `dong` (its configuration's; absent: every
        device's only) and in the device groups staff put it in. Devices ask every few
        seconds with If-None-Match (server.emergency says why a short poll): 304 while nothing
        changed; an empty list takes a notice down."""
        in_force = state_of(request).emergency
        assert in_force is not None  # made with the state
        notices = in_force.get()
        member_of = (
            groups.audience_of(state_of(request).db, device.device_id).groups
            if emergency.needs_groups(notices)
            else frozenset()
        )
        answer = emergency.for_device(notices, dong, member_of)
        etag = emergency.etag_of(answer)
        headers = {"ETag": etag, "Cache-Control": "no-store"}
        if _matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        return Response(answer.model_dump_json(), media_type="application/json", headers=headers)

    @app.post(
        f"{API_PREFIX}/devices/key",
        response_model=DeviceKeyResponse,
        tags=["devices"],
        responses={
            409: _error("The device already registered a different key"),
            **AUTH_ERRORS,
            **BODY_ERRORS,
        },
    )
    def register_device_key(
        request: Request, body: DeviceKeyRequest, device: Device
    ) -> DeviceKeyResponse:
        """Register the public key of a device enrolled before devices sent one: accepted once
        (again with the same key), refused for any other key."""
        try:
            bundles.register_device_key(
                state_of(request).db, device.device_id, body.device_public_key
            )
        except bundles.KeyAlreadyRegistered as e:
            raise ApiError(409, str(e)) from None
        return DeviceKeyResponse(
            device_id=device.device_id, device_public_key=body.device_public_key
        )

    @app.get(
        f"{API_PREFIX}/counts",
        response_model=Counts,
        tags=["content"],
        responses={**AUTH_ERRORS},
    )
    def get_counts(request: Request, device: Device) -> Counts:
        """Agree counts per proposal now (one per resident, against the pack's threshold), and
        the participatory-budget results per dong once the vote has closed."""
        state = state_of(request)
        pack = state.ingest.newest_pack.get()
        return tallies.counts(state.db, pack, datetime.now(UTC))

    @app.get(
        f"{API_PREFIX}/updates/latest",
        response_model=UpdateOffer,
        tags=["updates"],
        responses={204: {"description": "No app update is offered"}, **AUTH_ERRORS},
    )
    def get_update_offer(request: Request, device: Device) -> Response:
        """The app version on offer (python -m server offer-update), signed by the publisher;
        the device checks the signature against the key pinned in its configuration."""
        offer = updates.latest_offer(state_of(request).settings.data_dir)
        if offer is None:
            return Response(status_code=204)
        return Response(offer.model_dump_json(), media_type="application/json")

    @app.get(
        f"{API_PREFIX}/updates/archives/{{sha256}}",
        tags=["updates"],
        response_class=Response,
        responses={
            200: {"description": "The whole archive"},
            206: {"description": "The byte range asked for (Content-Range)"},
            404: _error("No archive with this SHA-256"),
            416: _error("The range starts past the end of the file"),
            **AUTH_ERRORS,
            **HEADER_ERRORS,
        },
    )
    def get_update_archive(
        request: Request,
        sha256: str,
        device: Device,
        range_: Annotated[str | None, Header(alias="range")] = None,
    ) -> Response:
        """An offered archive's bytes, with single-range support (a cut download resumes)."""
        path = updates.archive_path(state_of(request).settings.data_dir, sha256)
        if path is None:
            raise ApiError(404, "The server has no update archive with this SHA-256.")
        size = path.stat().st_size
        headers = {"Accept-Ranges": "bytes", "ETag": f'"{sha256}"'}
        try:
            wanted = byte_range(range_, size)
        except RangeNotSatisfiable:
            return JSONResponse(
                ErrorBody(
                    detail=f"The file has {size} bytes; that range is outside it."
                ).model_dump(),
                status_code=416,
                headers={"Content-Range": f"bytes */{size}"},
            )
        first, last, status = 0, size - 1, 200
        if wanted is not None:
            (first, last), status = wanted, 206
            headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        headers["Content-Length"] = str(last - first + 1)
        return StreamingResponse(
            _read_file(path, first, last),
            status_code=status,
            media_type="application/gzip",
            headers=headers,
        )

    @app.post(
        f"{API_PREFIX}/points/ledger",
        response_model=PointsLedger,
        # A line's status is sent only on exchanges: other lines read exactly as before it.
        response_model_exclude_none=True,
        tags=["residents"],
        responses={
            409: _error("This look-up was already answered (a seal is used once)"),
            422: _error(
                "The sealed identity cannot be read by this server, is not bound to this"
                " request, or the request is not from the last few minutes"
            ),
            **AUTH_ERRORS,
            **BODY_ERRORS,
        },
    )
    def points_ledger(request: Request, body: PointsLedgerRequest, device: Device) -> PointsLedger:
        """A resident's points balance and history, newest first; the resident is named by
        their sealed identity, bound to this one request, which the server opens and forgets.
        Each request is answered once, within minutes of when it was made. Look-ups are limited
        per device and per resident (429 with Retry-After), so trying birth dates is no oracle."""
        state = state_of(request)
        limits = state.ledger_limits
        limits.per_device_minute.check(device.device_id)
        limits.per_device_hour.check(device.device_id)
        try:
            resident_key = residents.take_ledger_request(
                state.db, state.ingest.opener, device.device_id, body, state.ingest.clock()
            )
        except residents.LedgerRefused as e:
            raise ApiError(e.status, e.reason) from None
        limits.per_resident_hour.check(resident_key)
        balance, lines = residents.history(state.db, resident_key)
        return PointsLedger(
            balance=balance,
            history=[
                PointsLedgerLine(
                    activity_id=line.activity_id,
                    kind=line.kind,
                    points=line.points,
                    at=line.at,
                    counted=line.counts,
                    status=line.status,
                )
                for line in lines
            ],
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
                separate_input_output_schemas=False,
            )
            # The batch body is read by hand (one bad envelope must not fail the rest), so its
            # model is added to the document here.
            batch = SubmissionBatch.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(batch.pop("$defs", {}))
            components["SubmissionBatch"] = batch
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    # The devices' routes first: a request is matched against the routes in order, and the
    # console's two dozen routers came first, a cost on every batch a kiosk sends. No console
    # path lies under the API's prefix, so no request changes route.
    app.router.routes.sort(key=lambda route: not _is_api_route(route))
    return app


def _is_api_route(route: BaseRoute) -> bool:
    return isinstance(route, APIRoute) and route.path.startswith(f"{API_PREFIX}/")
