"""Content from the server: the manifest (If-None-Match), its assets downloaded beside the active
content, each verified by size and SHA-256, and the new version activated in one transaction
only when every file is in the cache. Files no version on screen uses are then removed.

A download in progress lives in ``downloads/<sha256>.part`` and is resumed with a Range request
after a cut connection; a file whose bytes are wrong is thrown away and fetched again. The
active content never uses a file that is not complete and verified.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from contract.content import ContentPack, FileEntry
from contract.pack import PackError, validate_manifest
from kiosk.pack import AssetCache
from kiosk.pack.install import activate
from kiosk.store.content_repo import ContentRepository
from kiosk.store.settings import DeviceSettings
from sync.client import NetworkError, ProtocolError, SyncClient, SyncError

log = logging.getLogger(__name__)

ETAG_KEY = "sync.content_etag"
_SHA256_NAME = re.compile(r"[0-9a-f]{64}")
_PART_SUFFIX = ".part"
# Tries per file in one pull before giving up until the next backoff: a flaky mirror may send
# a bad copy once; three bad copies in a row is the server's file itself.
ATTEMPTS_PER_FILE = 3


class ContentRefusedError(ProtocolError):
    """The server's manifest does not pass this app's content rules; nothing was activated."""

    message_id = "sync.error.content"


class CorruptDownloadError(ProtocolError):
    """A file kept arriving with the wrong size or bytes; nothing was activated."""

    message_id = "sync.error.corrupt"


class DiskError(SyncError):
    """This device's disk refused a write (full, or failing)."""

    kind = "device"
    retry = "backoff"
    message_id = "sync.error.disk"


@dataclass(frozen=True)
class ContentOutcome:
    """What one pull did.

    Attributes:
        version: the active content version afterwards.
        activated: True when this pull made a new version active.
        files_fetched: files downloaded (complete and verified) in this pull.
        bytes_fetched: bytes received for them, resumed parts included.
        files_removed: cache files removed because no version on screen uses them.
    """

    version: str | None
    activated: bool = False
    files_fetched: int = 0
    bytes_fetched: int = 0
    files_removed: int = 0


class ContentSync:
    """Brings the device's content to the server's newest published version.

    Attributes:
        downloads: the folder of partial downloads (``<sha256>.part``).
    """

    def __init__(
        self,
        client: SyncClient,
        repo: ContentRepository,
        cache: AssetCache,
        settings: DeviceSettings,
        downloads: Path,
    ) -> None:
        self._client = client
        self._repo = repo
        self._cache = cache
        self._settings = settings
        self.downloads = downloads

    def pull(self) -> ContentOutcome:
        """Ask for the manifest and, when it is new, fetch its files and activate it.

        Raises SyncError (NetworkError, ServerError, AuthError, ContentRefusedError,
        CorruptDownloadError, DiskError); the previously active content then stays active and
        what was downloaded so far is kept for the next try.
        """
        active = self._repo.active_version()
        answer = self._client.manifest(self._etag_for(active))
        if answer is None:
            return ContentOutcome(active)
        try:
            pack = validate_manifest(answer.document, source="manifest (server)")
        except PackError as e:
            raise ContentRefusedError(f"the server's manifest is refused: {e.problems[0]}") from e
        manifest = pack.model_dump(mode="json")
        complete = all(self._cache.has(f.sha256, f.size) for f in pack.files)
        if pack.content_version == active and manifest == self._repo.active_manifest():
            if complete:
                self._remember_etag(answer.etag, active)
                return ContentOutcome(active)
            log.warning("sync.content_files_missing version=%s: fetching them again", active)

        fetched = fetched_bytes = 0
        for entry in pack.files:
            if not self._cache.has(entry.sha256, entry.size):
                fetched_bytes += self._fetch(entry)
                fetched += 1
        # Checked again as a whole: activation must never point at a missing file.
        missing = [f.path for f in pack.files if not self._cache.has(f.sha256, f.size)]
        if missing:
            raise CorruptDownloadError(f"files missing after download: {missing[:5]}")

        previous = self._repo.referenced_assets()
        self._activate(pack)
        self._remember_etag(answer.etag, pack.content_version)
        # The screen may still show the version it replaced until it reloads: keep its files.
        removed = self._remove_unused(self._repo.referenced_assets() | previous)
        log.info(
            "sync.content_activated version=%s previous=%s files=%d fetched=%d bytes=%d removed=%d",
            pack.content_version,
            active,
            len(pack.files),
            fetched,
            fetched_bytes,
            removed,
        )
        return ContentOutcome(pack.content_version, True, fetched, fetched_bytes, removed)

    # -- the ETag -------------------------------------------------------------------------

    def _etag_for(self, active: str | None) -> str | None:
        # An ETag only describes the version it came with: if other content became active
        # since (a pack installed by hand), ask for the whole manifest again.
        stored = self._settings.get(ETAG_KEY)
        if any(not self._cache.has(sha) for sha in self._repo.referenced_assets()):
            return None  # a file of the active content went missing: take the manifest again
        if isinstance(stored, dict) and stored.get("version") == active and active is not None:
            etag = stored.get("etag")
            return etag if isinstance(etag, str) else None
        return None

    def holds(self, etag: str) -> bool:
        """True when the active content came with this manifest ETag (nothing to pull)."""
        stored = self._settings.get(ETAG_KEY)
        return (
            isinstance(stored, dict)
            and stored.get("etag") == etag
            and stored.get("version") == self._repo.active_version()
        )

    def _remember_etag(self, etag: str | None, version: str | None) -> None:
        self._settings.set(ETAG_KEY, {"etag": etag, "version": version})

    # -- one file -------------------------------------------------------------------------

    def _part(self, entry: FileEntry) -> Path:
        return self.downloads / f"{entry.sha256}{_PART_SUFFIX}"

    def _fetch(self, entry: FileEntry) -> int:
        """Download `entry` into the cache, resuming a partial copy; returns bytes received."""
        part = self._part(entry)
        received = 0
        for attempt in range(1, ATTEMPTS_PER_FILE + 1):
            try:
                received += self._download(entry, part)
                if _size(part) != entry.size:
                    raise PackError([f"{entry.path}: {_size(part)} bytes, not {entry.size}"])
                self._cache.put_file(part, entry.sha256, entry.size, source=entry.path)
            except PackError as e:
                # Wrong bytes cannot be resumed: start this file again from nothing.
                part.unlink(missing_ok=True)
                log.warning(
                    "sync.asset_corrupt path=%s sha256=%s attempt=%d reason=%s",
                    entry.path,
                    entry.sha256[:12],
                    attempt,
                    e.problems[0],
                )
                continue
            except OSError as e:
                raise DiskError(f"cannot write {entry.path}: {e.strerror or e}") from e
            part.unlink(missing_ok=True)
            return received
        raise CorruptDownloadError(
            f"{entry.path} arrived damaged {ATTEMPTS_PER_FILE} times (size or SHA-256 wrong)"
        )

    def _download(self, entry: FileEntry, part: Path) -> int:
        """Append the rest of `entry` to `part`; returns bytes received.

        Raises NetworkError (the part is kept for a resume) or PackError (it is not).
        """
        try:
            self.downloads.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DiskError(f"cannot create the download folder: {e.strerror or e}") from e
        have = _size(part)
        if have > entry.size:
            part.unlink()
            have = 0
        if have == entry.size:
            return 0
        try:
            with self._client.asset(entry.sha256, have) as answer:
                if answer.total is not None and answer.total != entry.size:
                    raise PackError(
                        [f"{entry.path}: the server has {answer.total} bytes, not {entry.size}"]
                    )
                if answer.start not in (0, have):
                    raise PackError([f"{entry.path}: answer starts at byte {answer.start}"])
                received = 0
                try:
                    # The server may ignore the Range and send the whole file: start over then.
                    with part.open("r+b" if part.exists() else "wb") as out:
                        out.seek(answer.start)
                        out.truncate()
                        written = answer.start
                        for chunk in answer.chunks():
                            written += len(chunk)
                            received += len(chunk)
                            if written > entry.size:
                                raise PackError(
                                    [f"{entry.path}: longer than its {entry.size} bytes"]
                                )
                            out.write(chunk)
                        out.flush()
                        os.fsync(out.fileno())
                except OSError as e:
                    raise DiskError(f"cannot write {entry.path}: {e.strerror or e}") from e
                if answer.length is not None and received < answer.length:
                    # The connection ended early: keep the part, the next try resumes it.
                    raise NetworkError(
                        f"{entry.path}: connection closed after {received} of {answer.length} bytes"
                    )
                return received
        except SyncError as e:
            if e.status == 416:  # our part is not a prefix of the server's file
                part.unlink(missing_ok=True)
                raise PackError([f"{entry.path}: the server refused the resume"]) from e
            raise

    # -- activation and cleanup -----------------------------------------------------------

    def _activate(self, pack: ContentPack) -> None:
        try:
            activate(pack, self._repo)
        except PackError as e:
            raise ContentRefusedError(
                f"activating {pack.content_version} failed: {e.problems[0]}"
            ) from e

    def _remove_unused(self, keep: set[str]) -> int:
        """Delete cache files (and partial downloads) that are not in `keep`; returns how many."""
        removed = 0
        for folder, suffix in ((self._cache.root, ""), (self.downloads, _PART_SUFFIX)):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                digest = path.name.removesuffix(suffix) if suffix else path.name
                if _SHA256_NAME.fullmatch(digest) and digest not in keep:
                    try:
                        path.unlink()
                        removed += 1
                    except OSError as e:
                        log.warning("sync.cache_remove_failed file=%s error=%s", path.name, e)
        self._cache.discard_partials()
        return removed


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
