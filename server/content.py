"""Content publishing: packs validated with the kiosk's own models, assets stored by SHA-256,
and manifest versions served newest first with a strong ETag.

An asset is written (and verified) before the manifest that names it is committed, so a
device can never be told about a file the server does not have.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.domain.content import ContentPack, FileEntry
from kiosk.pack import PackError, load_pack, read_manifest
from server import audit
from server.db import ServerDatabase
from server.db.models import Asset, Manifest
from server.deadlines import TargetKind, Window

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
SHA256_HEX = frozenset("0123456789abcdef")


class PublishError(Exception):
    """The pack cannot be published; the message says why and what to do."""


@dataclass(frozen=True)
class PublishedManifest:
    content_version: str
    etag: str
    published_at: datetime
    body: bytes
    new: bool = True


@dataclass(frozen=True)
class StoredAsset:
    path: Path
    size: int
    media_type: str
    sha256: str


def etag_for(sha256: str) -> str:
    return f'"{sha256}"'


def asset_file(assets_dir: Path, sha256: str) -> Path:
    """Where the asset with this digest lives: two-character fan-out keeps folders small."""
    return assets_dir / sha256[:2] / sha256


def publish(
    db: ServerDatabase, assets_dir: Path, pack_dir: Path, by: audit.Actor
) -> PublishedManifest:
    """Publish the pack in `pack_dir` as the newest content version, audited as `by`'s.

    Publishing the same pack again changes nothing; a different pack under a version already
    published is refused (each version means one set of content, forever).
    """
    try:
        pack = load_pack(pack_dir)
        document = read_manifest(pack_dir)
    except PackError as e:
        raise PublishError("The pack is not valid:\n" + "\n".join(e.problems)) from e
    body = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data = body.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    now = datetime.now(UTC)
    with db.read() as session:
        existing = session.scalars(
            select(Manifest).where(Manifest.content_version == pack.content_version)
        ).first()
    if existing is not None:
        if existing.body_sha256 == sha:
            return PublishedManifest(
                existing.content_version,
                etag_for(sha),
                existing.published_at,
                existing.body.encode("utf-8"),
                new=False,
            )
        raise PublishError(
            f"Version {pack.content_version!r} was already published with other content. "
            "Give the pack a new content_version and publish it again."
        )
    for entry in pack.files:
        _store_asset(assets_dir, pack_dir, entry)
    dialect = postgresql if db.dialect == "postgresql" else sqlite
    with db.write() as session:
        if pack.files:
            session.connection().execute(
                dialect.insert(Asset.__table__).on_conflict_do_nothing(index_elements=["sha256"]),
                [
                    {
                        "sha256": f.sha256,
                        "size": f.size,
                        "media_type": f.media_type,
                        "stored_at": now,
                    }
                    for f in _unique(pack.files)
                ],
            )
        session.add(
            Manifest(
                content_version=pack.content_version, published_at=now, body=body, body_sha256=sha
            )
        )
        audit.record(
            session,
            by,
            "content.publish",
            target=f"content:{pack.content_version}",
            after={"content_version": pack.content_version, "files": len(pack.files)},
            now=now,
        )
    log.info(
        "content.published version=%s files=%d etag=%s", pack.content_version, len(pack.files), sha
    )
    return PublishedManifest(pack.content_version, etag_for(sha), now, data)


def _unique(files: list[FileEntry]) -> list[FileEntry]:
    return list({f.sha256: f for f in files}.values())


def _store_asset(assets_dir: Path, pack_dir: Path, entry: FileEntry) -> None:
    target = asset_file(assets_dir, entry.sha256)
    if target.is_file() and target.stat().st_size == entry.size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # Copied to a temporary name and verified, then renamed: a reader never sees half a file.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out, (pack_dir / entry.path).open("rb") as src:
            while chunk := src.read(CHUNK):
                h.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size != entry.size or h.hexdigest() != entry.sha256:
            raise PublishError(f"{entry.path} changed while it was being published; try again.")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def newest_manifest(db: ServerDatabase) -> PublishedManifest | None:
    """The newest published manifest, or None before the first publish."""
    with db.read() as session:
        m = session.scalars(select(Manifest).order_by(Manifest.id.desc()).limit(1)).first()
    if m is None:
        return None
    return PublishedManifest(
        m.content_version, etag_for(m.body_sha256), m.published_at, m.body.encode("utf-8")
    )


def newest_version(db: ServerDatabase) -> str | None:
    with db.read() as session:
        return session.scalars(
            select(Manifest.content_version).order_by(Manifest.id.desc()).limit(1)
        ).first()


def find_asset(db: ServerDatabase, assets_dir: Path, sha256: str) -> StoredAsset | None:
    """The stored asset with this digest, or None if the server has no such file."""
    if len(sha256) != 64 or not SHA256_HEX.issuperset(sha256):
        return None
    with db.read() as session:
        asset = session.get(Asset, sha256)
    if asset is None:
        return None
    path = asset_file(assets_dir, sha256)
    if not path.is_file():
        log.error("content.asset_missing sha256=%s", sha256)
        return None
    return StoredAsset(path=path, size=asset.size, media_type=asset.media_type, sha256=sha256)


class PublishedWindows:
    """The window of every survey, contest and vote ever published, each from the newest published
    version that has it (a later pack may move a close, or drop a target it no longer shows).

    A published manifest never changes, so each is read once: `refresh` reads only the ones
    published since the last call. Safe to share between threads.
    """

    def __init__(self, db: ServerDatabase) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._last_id = 0
        self._windows: dict[tuple[TargetKind, str], Window] = {}

    def refresh(self) -> None:
        with self._lock:
            with self._db.read() as session:
                rows = session.execute(
                    select(Manifest.id, Manifest.content_version, Manifest.body)
                    .where(Manifest.id > self._last_id)
                    .order_by(Manifest.id)
                ).all()
            for row in rows:
                self._windows.update(_windows_of(row.content_version, row.body))
                self._last_id = row.id

    def find(self, kind: TargetKind, target_id: str) -> Window | None:
        """The target's window; None if no published version ever had it."""
        return self._windows.get((kind, target_id))


def _windows_of(content_version: str, body: str) -> dict[tuple[TargetKind, str], Window]:
    try:
        pack = ContentPack.model_validate(json.loads(body))
    except ValidationError as e:
        # Published under older rules than the kiosk's models now hold: its deadlines are
        # unknown, so its targets are judged by other versions or not at all.
        log.error("content.windows_unreadable version=%s error=%s", content_version, e)
        return {}
    windows: dict[tuple[TargetKind, str], Window] = {}
    for s in pack.surveys:
        windows["survey", s.id] = Window("survey", s.id, s.opens_at, s.closes_at)
    for c in pack.contests:
        windows["contest", c.id] = Window("contest", c.id, c.opens_at, c.closes_at)
    if pack.budget is not None:
        vote = pack.budget
        windows["vote", vote.id] = Window("vote", vote.id, vote.opens_at, vote.closes_at)
    return windows
