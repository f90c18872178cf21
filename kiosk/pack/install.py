"""Installing a content pack as the device's active content, and reading the active one back.

Installation is all or nothing: the pack is verified, its files are put into the cache (new
files never disturb the active content, which only uses files already there), and then the
store switches versions in one transaction. Until that commit the previous content stays active.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from contract.content import ContentPack
from contract.pack import MANIFEST_NAME, PackError, load_pack, validate_manifest
from kiosk.pack.cache import AssetCache
from kiosk.pack.items import pack_items
from kiosk.store.content_repo import AssetRecord, ContentRepository

log = logging.getLogger(__name__)


def install_pack(pack_dir: Path, repo: ContentRepository, cache: AssetCache) -> str:
    """Verify the pack in `pack_dir`, cache its files and make it active; returns its version.

    Raises PackError, and leaves the previously active content active, on any problem.
    """
    pack = load_pack(pack_dir)
    for entry in pack.files:
        cache.put_file(pack_dir / entry.path, entry.sha256, entry.size, source=entry.path)
    activate(pack, repo)
    log.info(
        "pack.installed version=%s files=%d items=%d",
        pack.content_version,
        len(pack.files),
        len(pack_items(pack)),
    )
    return pack.content_version


def activate(pack: ContentPack, repo: ContentRepository) -> None:
    """Make `pack` (validated, every file already in the cache) the active content in one
    transaction: the one way a pack becomes active, from a folder, a USB stick or the server.
    Raises PackError, and the previously active content stays active, when the store refuses."""
    assets = {f.sha256: AssetRecord(f.sha256, f.size, f.media_type) for f in pack.files}
    try:
        repo.activate(
            pack.content_version,
            pack.schema_version,
            pack.model_dump(mode="json"),
            pack_items(pack),
            {str(kind): points for kind, points in pack.district.points.rules.items()},
            assets.values(),
        )
    except (SQLAlchemyError, ValueError) as e:
        raise PackError.about(MANIFEST_NAME, "activate_failed", error=_short(e)) from e


def _short(error: Exception) -> str:
    # SQLAlchemy's text carries the whole statement and its parameters (the pack's JSON);
    # the driver's own message says what happened.
    text = str(getattr(error, "orig", None) or error)
    return text if len(text) <= 200 else text[:197] + "..."


def active_pack(repo: ContentRepository) -> ContentPack | None:
    """The active content, validated again; None when nothing is installed yet.

    Raises PackError when the stored manifest no longer passes this app's rules (e.g. after
    an upgrade that changed them): the caller should install a fresh pack.
    """
    manifest = repo.active_manifest()
    if manifest is None:
        return None
    return validate_manifest(manifest, source=f"{MANIFEST_NAME} ({repo.active_version()})")


def cached_file(pack: ContentPack, cache: AssetCache, path: str) -> Path | None:
    """The cached copy of the pack file `path` (e.g. "media/promo.png"); None when the pack
    does not list it or the cache lacks it (or holds a truncated copy)."""
    entry = pack.file(path)
    if entry is None or not cache.has(entry.sha256, entry.size):
        return None
    return cache.path(entry.sha256)
