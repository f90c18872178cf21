"""An upload form streamed from the request body straight into the server's asset store.

Each file part is written once: into a landing file in the asset store's own folder (so on the
same disk), hashed and counted as its bytes come. Accepted, the file is renamed to its digest's
name (`server.media.store`); refused, cut off by the client, past its size limit or met by a
full disk, it is removed and no partial file stays. Starlette's form parser is not used for
this: it spools every file part to a temporary file, which had then to be copied a second time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import python_multipart
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server.media import MediaRefused, Received, too_large

log = logging.getLogger(__name__)

LANDING_DIRNAME = ".incoming"
LANDING_PREFIX = ".upload-"
# Bytes gathered before they are handed to a worker thread to write (the event loop never
# waits for the disk).
WRITE_BATCH = 1024 * 1024
# A landing file this old belongs to no upload still running (a process that died mid-upload).
STALE_LANDING_S = 24 * 3600

FULL_DISK = (
    "서버 저장 공간이 모자라 {label}을 저장하지 못했습니다. 올린 것은 저장되지 않았고 "
    "초안도 그대로입니다. 관리자에게 서버 디스크를 비워 달라고 한 뒤 다시 올리세요."
)
UNREADABLE = "보낸 양식을 읽을 수 없습니다. 화면을 새로 열어 다시 올리세요."


def landing_dir(assets_dir: Path) -> Path:
    return assets_dir / LANDING_DIRNAME


def is_full_disk(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


class Landing:
    """One file part being written: counted against `limit`, hashed, written in place."""

    def __init__(
        self,
        folder: Path,
        name: str,
        filename: str,
        limit: int,
        label: str,
    ) -> None:
        self.name, self.filename, self.limit, self._label = name, filename, limit, label
        folder.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=folder, prefix=LANDING_PREFIX)
        self.path = Path(path)
        self._out = os.fdopen(fd, "wb")
        self._digest = hashlib.sha256()
        self.size = 0

    def count(self, data: bytes) -> None:
        """Refuse the part as soon as it passes its limit (before its bytes are written)."""
        self.size += len(data)
        if self.size > self.limit:
            raise MediaRefused(self.name, too_large(self.size, self.limit), 413)

    def write(self, data: bytes) -> None:
        self._digest.update(data)
        try:
            self._out.write(data)
        except OSError as e:
            raise self._refusal(e) from e

    def finish(self) -> Received:
        try:
            self._out.flush()
            os.fsync(self._out.fileno())
            self._out.close()
        except OSError as e:
            raise self._refusal(e) from e
        return Received(self.path, self.size, self._digest.hexdigest())

    def discard(self) -> None:
        # A full disk can fail the close's flush too: the file goes anyway.
        with contextlib.suppress(OSError):
            self._out.close()
        self.path.unlink(missing_ok=True)

    def _refusal(self, error: OSError) -> Exception:
        if is_full_disk(error):
            log.error("uploads.disk_full field=%s size=%d", self.name, self.size)
            return MediaRefused(self.name, FULL_DISK.format(label=self._label), 507)
        return error


@dataclass
class StreamedForm:
    """The form's text fields, and its files as they lie in the landing folder."""

    fields: dict[str, str] = field(default_factory=dict)
    # Every value of each text field, in order (checkboxes of one name send several).
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, tuple[str, Received]] = field(default_factory=dict)
    _landed: list[Path] = field(default_factory=list)

    def text(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    def all(self, name: str) -> list[str]:
        """Every value sent in `name` (the boxes ticked), in order."""
        return list(self.lists.get(name, ()))

    def file(self, name: str) -> tuple[str, Received] | None:
        """The file sent in `name` (its name on the sender's computer), or None."""
        return self.files.get(name)

    def remove_afterwards(self, path: Path) -> None:
        """Have `close` remove `path` too (a file made from the upload, in the same folder)."""
        self._landed.append(path)

    def close(self) -> None:
        """Remove what is still in the landing folder (the stored files were renamed away)."""
        for path in self._landed:
            path.unlink(missing_ok=True)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    disposition: bytes = b""
    header_name: bytes = b""
    header_value: bytes = b""
    data: bytearray = field(default_factory=bytearray)
    landing: Landing | None = None


async def read_form(
    request: Request,
    folder: Path,
    limits: Mapping[str, int],
    labels: Mapping[str, str],
    max_text: int,
) -> StreamedForm:
    """The multipart form of `request`, its file parts (only those named in `limits`) written
    into `folder` as they stream. MediaRefused naming the field: a file past its limit (as its
    bytes come), a full disk, a form that cannot be read (field "form"). Whatever was written is
    removed when anything goes wrong, the client's disconnect included."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    form = StreamedForm()
    if kind == b"application/x-www-form-urlencoded":
        # No file in it (a form sent without one): text only, as Starlette reads it.
        sent = await request.form(max_files=0)
        form.fields = {k: v for k, v in sent.items() if isinstance(v, str)}
        form.lists = {k: [v for v in sent.getlist(k) if isinstance(v, str)] for k in sent}
        return form
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise MediaRefused("form", UNREADABLE)
    landings: list[Landing] = []
    pending: list[tuple[Landing, bytes]] = []
    part = _Part()
    text_bytes = 0

    def on_part_begin() -> None:
        nonlocal part
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part.header_name += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part.header_value += data[start:end]

    def on_header_end() -> None:
        if part.header_name.lower() == b"content-disposition":
            part.disposition = part.header_value
        part.header_name, part.header_value = b"", b""

    def on_headers_finished() -> None:
        _, found = parse_options_header(part.disposition)
        part.name = found.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in found:
            return
        part.filename = found[b"filename"].decode("utf-8", "replace")
        # An empty file input sends a part with no name and no bytes: no file was chosen.
        if part.filename and part.name in limits and part.name not in form.files:
            part.landing = Landing(
                folder,
                part.name,
                part.filename,
                limits[part.name],
                labels.get(part.name, part.name),
            )
            landings.append(part.landing)
            form._landed.append(part.landing.path)

    def on_part_data(data: bytes, start: int, end: int) -> None:
        nonlocal text_bytes
        chunk = data[start:end]
        if part.landing is not None:
            part.landing.count(chunk)
            pending.append((part.landing, chunk))
        elif part.filename is None:
            text_bytes += len(chunk)
            if text_bytes > max_text:
                raise MediaRefused("form", UNREADABLE)
            part.data += chunk

    def on_part_end() -> None:
        if part.landing is not None:
            pending.append((part.landing, b""))  # b"": the part is whole
        elif part.filename is None and part.name:
            form.fields[part.name] = part.data.decode("utf-8", "replace")
            form.lists.setdefault(part.name, []).append(form.fields[part.name])

    def write_pending() -> None:
        for landing, data in pending:
            if data:
                landing.write(data)
            else:
                form.files[landing.name] = (landing.filename, landing.finish())

    parser = python_multipart.MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    try:
        batched = 0
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except FormParserError as e:
                raise MediaRefused("form", UNREADABLE) from e
            batched += len(chunk)
            if batched >= WRITE_BATCH or any(not data for _, data in pending):
                await run_in_threadpool(write_pending)
                pending.clear()
                batched = 0
        parser.finalize()
        await run_in_threadpool(write_pending)
        pending.clear()
    except BaseException:
        # Cut off, refused or failed: no partial file stays (the disconnect lands here too).
        for landing in landings:
            landing.discard()
        raise
    return form


def sweep_landing(assets_dir: Path, now: float | None = None) -> int:
    """Remove landing files older than a day (left by a process that stopped mid-upload)."""
    folder = landing_dir(assets_dir)
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - STALE_LANDING_S
    removed = 0
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
