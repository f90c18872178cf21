"""App updates on the device: check the server's offer, download it in the background, verify
it and install it beside the running version. No Qt; the sync worker calls `Updater.step`.

The install root (config `update_root`, /opt/ontong-kiosk on Linux) holds one folder per
version, `current` (a symlink to the running version's folder), `previous`, and the files this
module and the launcher (packaging/linux/ontong-kiosk-launch) share:

    staged          the version to switch to at the next quiet moment (written here, last)
    bad/VERSION     a version the launcher rolled back; never installed again
    downloads/      the archive being downloaded (resumed with Range after a cut)

Order of checks: the offer's Ed25519 signature against the publisher key pinned in the
device's configuration (before a byte is downloaded), then the archive's size and SHA-256, and
only then unpacking, into `VERSION.partial/`, renamed to `VERSION/` when complete. Nothing here
touches the data directory (database, outbox, content cache).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contract import ed25519
from contract.ed25519 import public_key_of as public_key_of
from contract.wire import UpdateOffer

if TYPE_CHECKING:
    from sync.client import SyncClient

log = logging.getLogger(__name__)

FORMAT = "ontong-app-update"
STAGED_FILE = "staged"
BAD_DIR = "bad"
DOWNLOADS_DIR = "downloads"
CURRENT_LINK = "current"
# The executable every version folder holds (the launcher runs it).
APP_EXECUTABLE = "ontong-kiosk"
# The app exits with this code to have the launcher switch to the staged version.
SWITCH_EXIT_CODE = 76


class UpdateRefused(Exception):
    """The offer or its archive failed a check; nothing was installed."""


# -- the signed statement (both sides) --------------------------------------------------------


def signed_bytes(version: str, sha256: str, size: int) -> bytes:
    """What the publisher signs: the canonical JSON of the offer's identity."""
    statement = {"format": FORMAT, "version": version, "sha256": sha256, "size": size}
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(seed: bytes, version: str, sha256: str, size: int) -> str:
    """The base64 Ed25519 signature by the publisher key `seed` (32 bytes)."""
    return base64.b64encode(ed25519.sign(seed, signed_bytes(version, sha256, size))).decode("ascii")


def verify_offer(offer: UpdateOffer, public_key: str) -> None:
    """UpdateRefused unless `offer` is signed by the publisher key `public_key` (base64)."""
    try:
        signature = base64.b64decode(offer.signature, validate=True)
        signed = ed25519.verifies(
            public_key, signature, signed_bytes(offer.version, offer.sha256, offer.size)
        )
    except (ValueError, binascii.Error) as e:
        raise UpdateRefused(f"unreadable key or signature: {e}") from None
    if not signed:
        raise UpdateRefused(f"version {offer.version}: the signature is not the publisher's")


# -- the install root -------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallRoot:
    path: Path

    def current_version(self) -> str | None:
        try:
            return os.readlink(self.path / CURRENT_LINK).rstrip("/").rsplit("/", 1)[-1]
        except OSError:
            return None

    def staged_version(self) -> str | None:
        try:
            text = (self.path / STAGED_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return text or None

    def is_bad(self, version: str) -> bool:
        return (self.path / BAD_DIR / version).exists()

    def installed(self, version: str) -> bool:
        return (self.path / version / APP_EXECUTABLE).exists()

    def stage(self, version: str) -> None:
        """Name `version` (installed) as the one to switch to; atomic (rename)."""
        tmp = self.path / f".{STAGED_FILE}.tmp"
        with tmp.open("w", encoding="utf-8") as f:
            f.write(version + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path / STAGED_FILE)


def unpack(archive: Path, root: Path, version: str) -> Path:
    """Unpack the .tar.gz `archive` into `root/version/` (through `version.partial/`).

    Members must stay inside the folder (tarfile's "data" filter: no absolute paths, no
    `..`, no links out, no devices); the folder must hold the executable.
    """
    final = root / version
    partial = root / f"{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(partial, filter="data")
    except (tarfile.TarError, OSError, EOFError) as e:
        shutil.rmtree(partial, ignore_errors=True)
        raise UpdateRefused(f"version {version}: the archive cannot be unpacked: {e}") from None
    executable = partial / APP_EXECUTABLE
    if not executable.is_file():
        shutil.rmtree(partial, ignore_errors=True)
        raise UpdateRefused(f"version {version}: the archive has no {APP_EXECUTABLE} at its top")
    # The data filter drops executable bits only for "other": keep the owner's.
    executable.chmod(executable.stat().st_mode | 0o755)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)
    return final


# -- the device side ---------------------------------------------------------------------------


class Updater:
    """Checks for an offer, downloads, verifies and stages it; one `step` per sync cycle.

    Attributes:
        public_key: the publisher's Ed25519 key (base64), pinned in the device configuration.
        root: the install root.
    """

    def __init__(self, client: SyncClient, public_key: str, root: Path) -> None:
        self._client = client
        self.public_key = public_key
        self.root = InstallRoot(root)
        self._refused: set[tuple[str, str]] = set()

    def step(self) -> str | None:
        """Check the offer and, when it is new, download, verify and stage it.

        Returns the version staged by this call (None otherwise). Network and server errors
        are raised (SyncError) and retried by the worker's next cycle; a refused offer is
        logged and not downloaded again by this process.
        """
        offer = self._client.update_offer()
        if offer is None or not self._wanted(offer):
            return None
        key = (offer.version, offer.sha256)
        if key in self._refused:
            return None
        try:
            verify_offer(offer, self.public_key)
            archive = self._download(offer)
            try:
                unpack(archive, self.root.path, offer.version)
            finally:
                archive.unlink(missing_ok=True)
        except UpdateRefused as e:
            self._refused.add(key)
            log.error("update.refused version=%s reason=%s", offer.version, e)
            return None
        self.root.stage(offer.version)
        log.info("update.staged version=%s sha256=%s", offer.version, offer.sha256)
        return offer.version

    def _wanted(self, offer: UpdateOffer) -> bool:
        version = offer.version
        if version == self.root.current_version() or self.root.is_bad(version):
            return False
        return not (self.root.staged_version() == version and self.root.installed(version))

    def _download(self, offer: UpdateOffer) -> Path:
        """The archive, complete and verified, in downloads/; resumed from a partial file."""
        folder = self.root.path / DOWNLOADS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{offer.sha256}.part"
        have = part.stat().st_size if part.exists() else 0
        if have > offer.size:
            part.unlink()
            have = 0
        if have < offer.size:
            with self._client.update_archive(offer.download, have) as answer:
                mode = "ab" if answer.start == have and have > 0 else "wb"
                with part.open(mode) as f:
                    for chunk in answer.chunks():
                        f.write(chunk)
                        if f.tell() > offer.size:
                            break
                    f.flush()
                    os.fsync(f.fileno())
        digest = hashlib.sha256()
        size = 0
        with part.open("rb") as f:
            while block := f.read(1024 * 1024):
                digest.update(block)
                size += len(block)
        if size < offer.size:
            # A cut connection: keep the bytes, the next cycle asks for the rest.
            from sync.client import NetworkError

            raise NetworkError(f"update download stopped at {size} of {offer.size} bytes")
        if size != offer.size or digest.hexdigest() != offer.sha256:
            part.unlink(missing_ok=True)
            raise UpdateRefused(
                f"version {offer.version}: the archive's size or SHA-256 is not the signed one"
            )
        return part
