"""The request size limit (1 MiB; a few upload paths their own), enforced before any route
reads a body.

The declared Content-Length is checked first; the streamed body is counted too, so a chunked
upload that never declared its size is held to the same limit.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract.wire import MAX_BODY_BYTES

# Past this much, an oversized body is no longer read to the end before the 413.
DRAIN_LIMIT = 64 * 1024 * 1024


class BodyLimit:
    """ASGI middleware answering 413 to any body over `limit` bytes.

    Attributes:
        app: the wrapped application.
        limit: the largest body accepted, in bytes.
        uploads: path -> the largest body accepted there (the console's archive import).
        streamed: paths whose body is handed on as it arrives, unread and uncounted: their
            route streams it to disk and holds it to its own limit (the console's media upload,
            far larger than memory should hold).
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int = MAX_BODY_BYTES,
        uploads: dict[str, int] | None = None,
        streamed: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.limit = limit
        self.uploads = uploads or {}
        self.streamed = streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "") in self.streamed:
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope.get("path", ""), self.limit)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(receive, send, 0, limit=limit)
            return
        # Read the whole body now (at most `limit` bytes held), then hand it on.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                more = message.get("more_body", False)
                await self._refuse(receive, send, size, more=more, limit=limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(
        self, receive: Receive, send: Send, read: int, more: bool = True, limit: int = 0
    ) -> None:
        # Read (and drop) the rest first: a client still sending when the server closes gets a
        # reset instead of the 413, and would retry the same body forever.
        while more and read <= DRAIN_LIMIT:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            read += len(message.get("body", b""))
            more = message.get("more_body", False)
        await self._too_large(send, limit or self.limit)

    async def _too_large(self, send: Send, limit: int) -> None:
        detail = f"The request body is larger than {limit // 1024} KiB; send smaller batches."
        payload = json.dumps({"detail": detail}).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode("ascii")),
                    # The rest of the body is not read; the client must not reuse the connection.
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
