"""Content publishing: packs validated with the kiosk's own models, assets stored by SHA-256,
and manifest versions served newest first with a strong ETag.

An asset is written (and verified) before the manifest that names it is committed, so a
device can never be told about a file the server does not have.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from contract.audience import Audience, for_audience
from contract.content import ContentPack, FileEntry, explain
from contract.pack import PackError, load_pack, read_manifest
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
    db: ServerDatabase,
    assets_dir: Path,
    pack_dir: Path,
    by: audit.Actor,
    action: str = "content.publish",
) -> PublishedManifest:
    """Publish the pack in `pack_dir` as the newest content version, audited as `by`'s
    `action` (a publish, or an archive's import).

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
    with db.write() as session:
        lock_publishing(session)
        record_assets(session, [f.model_dump() for f in _unique(pack.files)], now)
        session.add(
            Manifest(
                content_version=pack.content_version, published_at=now, body=body, body_sha256=sha
            )
        )
        audit.record(
            session,
            by,
            action,
            target=f"content:{pack.content_version}",
            after={"content_version": pack.content_version, "files": len(pack.files)},
            now=now,
        )
    log.info(
        "content.published version=%s files=%d etag=%s", pack.content_version, len(pack.files), sha
    )
    return PublishedManifest(pack.content_version, etag_for(sha), now, data)


# One content publish at a time on PostgreSQL (SQLite's writers are one at a time already): a
# version derived from the newest one must see every version published before it.
PUBLISH_LOCK_KEY = 0x0E7C_0DE5
REVISION = re.compile(r"^(?P<base>.+?)\+r(?P<n>[0-9]+)$")
VERSION_MAX = 64


def lock_publishing(session: Session) -> None:
    """Hold the content-publishing lock until `session`'s transaction ends (PostgreSQL; on
    SQLite the write transaction itself is the lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK_KEY})


def next_revision_name(version: str, taken: Callable[[str], bool]) -> str:
    """The name of the next revision of `version`: "2026.11.25-demo" -> "2026.11.25-demo+r1",
    "…+r1" -> "…+r2"; skipping names already `taken`, and within the 64 characters allowed."""
    found = REVISION.match(version)
    base, n = (found["base"], int(found["n"])) if found else (version, 0)
    while True:
        n += 1
        suffix = f"+r{n}"
        name = base[: VERSION_MAX - len(suffix)] + suffix
        if not taken(name):
            return name


def publish_revision(
    session: Session,
    change: Callable[[dict[str, Any]], None],
    by: audit.Actor,
    now: datetime | None = None,
    action: str = "content.publish",
    note: dict[str, Any] | None = None,
) -> PublishedManifest:
    """Publish a new content version derived from the newest one, inside `session`'s write
    transaction (the caller's: its own change commits with it, or neither does).

    `change(document)` edits the newest manifest's document in place; the result is named
    `<base>+r<N>`, validated with the kiosk's own ContentPack model, stored (its media files
    must be ones the server already stores: a change uploads none) and audited as `action`
    (a publish, a draft's publish, a rollback), `note` added to the event's after-document.
    Two revisions at once are taken one after the other (the publishing lock), each from the
    newest version then, so neither change is lost. PublishError when there is no version yet
    or the changed document is not a valid pack.
    """
    now = now or datetime.now(UTC)
    lock_publishing(session)
    newest = session.scalars(select(Manifest).order_by(Manifest.id.desc()).limit(1)).first()
    if newest is None:
        raise PublishError("No content version is published yet: publish a pack first.")
    document: dict[str, Any] = json.loads(newest.body)
    change(document)

    def taken(name: str) -> bool:
        return (
            session.scalar(select(Manifest.id).where(Manifest.content_version == name)) is not None
        )

    version = next_revision_name(newest.content_version, taken)
    document["content_version"] = version
    document["published_at"] = now.isoformat()
    try:
        pack = ContentPack.model_validate(document)
    except ValidationError as e:
        raise PublishError(
            "The changed pack is not valid:\n" + "\n".join(explain(e, document))
        ) from e
    wanted = {f.sha256 for f in pack.files}
    stored = set(session.scalars(select(Asset.sha256).where(Asset.sha256.in_(wanted))))
    if wanted - stored:
        raise PublishError("A revision cannot add media files; publish a pack for that.")
    body = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    session.add(Manifest(content_version=version, published_at=now, body=body, body_sha256=sha))
    audit.record(
        session,
        by,
        action,
        target=f"content:{version}",
        before={"content_version": newest.content_version},
        after={"content_version": version, "files": len(pack.files), **(note or {})},
        now=now,
    )
    session.flush()
    log.info("content.revised from=%s version=%s etag=%s", newest.content_version, version, sha)
    return PublishedManifest(version, etag_for(sha), now, body.encode("utf-8"))


def record_assets(
    session: Session, entries: list[dict[str, Any]], now: datetime, refresh: bool = False
) -> None:
    """The `assets` rows of stored files (pack file entries); a file stored before is kept
    (with `refresh`, its row says it was stored `now`: a sweep started before leaves it)."""
    if not entries:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(Asset.__table__)
    if refresh:
        upsert = insert.on_conflict_do_update(
            index_elements=["sha256"], set_={"stored_at": insert.excluded.stored_at}
        )
    else:
        upsert = insert.on_conflict_do_nothing(index_elements=["sha256"])
    session.connection().execute(
        upsert,
        [
            {
                "sha256": e["sha256"],
                "size": e["size"],
                "media_type": e["media_type"],
                "stored_at": now,
            }
            for e in entries
        ],
    )


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


def device_manifest(db: ServerDatabase, audience: Audience) -> PublishedManifest | None:
    """The newest version's manifest as a device of `audience` receives it (contract.audience:
    only what targets it), with an ETag of its own; the same version, so the device installs it
    as always. None before the first publish."""
    with db.read() as session:
        newest = session.execute(
            select(Manifest.content_version, Manifest.body_sha256, Manifest.published_at)
            .order_by(Manifest.id.desc())
            .limit(1)
        ).first()
    if newest is None:
        return None
    etag, body = _for_device(db, newest.body_sha256, audience)
    return PublishedManifest(newest.content_version, etag, newest.published_at, body)


def etag_for_device(db: ServerDatabase, audience: Audience) -> str | None:
    """The ETag of the manifest a device of `audience` receives now (`device_manifest`); None
    before the first publish. Reads only the newest version's digest while it is unchanged."""
    with db.read() as session:
        newest = session.scalars(
            select(Manifest.body_sha256).order_by(Manifest.id.desc()).limit(1)
        ).first()
    return None if newest is None else _for_device(db, newest, audience)[0]


# Each device asks at every heartbeat (the ETag) and content poll: the body is read and narrowed
# once per process for each version and audience. The key is all that decides the answer: the
# newest version's digest, and the device's groups and dong as the database says at this
# request (server.groups.audience_of), so a publish, a change of groups or of a device's dong
# made through any server process is answered at once by every one (nothing to invalidate).
@functools.lru_cache(maxsize=256)
def _for_device(db: ServerDatabase, body_sha256: str, audience: Audience) -> tuple[str, bytes]:
    with db.read() as session:
        body = session.scalars(
            select(Manifest.body).where(Manifest.body_sha256 == body_sha256).limit(1)
        ).one()
    narrowed = for_audience(json.loads(body), audience)
    if narrowed is None:
        return etag_for(body_sha256), body.encode("utf-8")
    data = json.dumps(narrowed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    encoded = data.encode("utf-8")
    return etag_for(hashlib.sha256(encoded).hexdigest()), encoded


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

    def refresh(self, session: Session | None = None) -> None:
        """Read what was published since; in `session` if given (one round trip less)."""
        with self._lock:
            query = (
                select(Manifest.id, Manifest.content_version, Manifest.body)
                .where(Manifest.id > self._last_id)
                .order_by(Manifest.id)
            )
            if session is not None:
                rows = session.execute(query).all()
            else:
                with self._db.read() as own:
                    rows = own.execute(query).all()
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
        if vote.proposals_open_at is not None and vote.proposals_close_at is not None:
            windows["budget_proposals", vote.id] = Window(
                "budget_proposals", vote.id, vote.proposals_open_at, vote.proposals_close_at
            )
    return windows
