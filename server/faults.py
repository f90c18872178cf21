"""Test-only fault injection: make the next requests fail, slow down or break off on purpose.

Only mounted when the server runs with ``--fault-injection`` (off by default; never in service).
A test arms faults with ``POST /_test/faults``, e.g.::

    {"status": 500, "times": 3}                              next 3 API requests answer 500
    {"status": 503, "retry_after_s": 2}                      one 503 with Retry-After: 2
    {"delay_s": 5, "path_prefix": "/api/v1/submissions"}     one batch answered 5 s late
    {"status": 200, "body": "<html>garbage"}                 one 200 with a body that is not JSON
    {"truncate_after_bytes": 1000, "path_prefix": "/api/v1/assets"}
                                                             one download cut off after 1000 bytes

``GET /_test/faults`` lists what is still armed; ``DELETE /_test/faults`` disarms everything.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

CONTROL_PREFIX = "/_test/"


class Fault(BaseModel):
    """One armed fault (a test hook, not part of the sync protocol)."""

    model_config = ConfigDict(extra="forbid")

    path_prefix: str = "/api/v1/"
    method: str | None = None
    times: int | None = Field(default=1, ge=1, description="How many requests; null: until cleared")
    delay_s: float = Field(default=0, ge=0, le=120)
    status: int | None = Field(default=None, ge=200, le=599)
    retry_after_s: int | None = Field(default=None, ge=0)
    body: str | None = None
    content_type: str = "application/json"
    truncate_after_bytes: int | None = Field(default=None, ge=0)

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and (
            self.method is None or self.method.upper() == method
        )


class _Truncated(Exception):
    """Raised to make the server close a connection mid-body, as a crash would."""


class FaultInjector:
    """The armed faults, consumed by the requests they match, in the order they were armed.

    Attributes:
        faults: what is still armed.
    """

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    def arm(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)
        log.warning("fault.armed fault=%s", fault.model_dump_json(exclude_defaults=True))

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                if fault.matches(method, path):
                    if fault.times is not None:
                        if fault.times <= 1:
                            del self.faults[i]
                        else:
                            self.faults[i] = fault.model_copy(update={"times": fault.times - 1})
                    return fault
        return None

    class Middleware:
        """ASGI middleware applying the injector's faults to the requests they match."""

        def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
            self.app = app
            self.injector = injector

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            path = scope.get("path", "")
            if scope["type"] != "http" or path.startswith(CONTROL_PREFIX):
                await self.app(scope, receive, send)
                return
            fault = self.injector.take(scope["method"], path)
            if fault is None:
                await self.app(scope, receive, send)
                return
            log.warning(
                "fault.applied path=%s fault=%s", path, fault.model_dump_json(exclude_defaults=True)
            )
            if fault.delay_s:
                await asyncio.sleep(fault.delay_s)
            if fault.status is not None:
                await _answer(send, fault)
                return
            if fault.truncate_after_bytes is not None:
                await self._truncated(scope, receive, send, fault.truncate_after_bytes)
                return
            await self.app(scope, receive, send)

        async def _truncated(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
            sent = 0

            async def cut(message: Message) -> None:
                nonlocal sent
                if message["type"] == "http.response.body":
                    body = message.get("body", b"")
                    if sent + len(body) >= limit:
                        await send({**message, "body": body[: limit - sent], "more_body": True})
                        raise _Truncated
                    sent += len(body)
                await send(message)

            try:
                await self.app(scope, receive, cut)
            except _Truncated:
                # Leaving without finishing the body makes the server drop the connection.
                log.warning("fault.truncated path=%s bytes=%d", scope.get("path"), limit)
                raise


async def _answer(send: Send, fault: Fault) -> None:
    status = fault.status or 500
    body = (
        fault.body.encode("utf-8")
        if fault.body is not None
        else json.dumps({"detail": f"Injected fault: status {status}."}).encode("utf-8")
    )
    headers = [
        (b"content-type", fault.content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode("ascii")),
    ]
    if fault.retry_after_s is not None:
        headers.append((b"retry-after", str(fault.retry_after_s).encode("ascii")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


faults_router = APIRouter(prefix="/_test", include_in_schema=False)


def _injector(request: Request) -> FaultInjector:
    injector: FaultInjector = request.app.state.faults
    return injector


@faults_router.post("/faults")
def arm_fault(request: Request, fault: Fault) -> dict[str, int]:
    injector = _injector(request)
    injector.arm(fault)
    return {"armed": len(injector.faults)}


@faults_router.get("/faults")
def list_faults(request: Request) -> list[Fault]:
    return list(_injector(request).faults)


@faults_router.delete("/faults")
def clear_faults(request: Request) -> dict[str, int]:
    _injector(request).clear()
    return {"armed": 0}
