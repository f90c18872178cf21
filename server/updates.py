"""App updates the server offers: one signed archive at a time (the newest offer wins).

Kept as files in the server's data directory, no table: `updates/ARCHIVE_SHA256.tar.gz` and
`updates/latest.json` (the UpdateOffer, replaced atomically). The publisher's Ed25519 key
signs the offer when staff run `python -m server offer-update`; the server only hands the
signature on, and each device checks it against the publisher key pinned in its own
configuration (sync/updates.py), so a server that is broken into cannot push code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from contract.wire import API_PREFIX, UpdateOffer
from sync.updates import sign

UPDATES_DIRNAME = "updates"
LATEST_FILE = "latest.json"


class OfferError(Exception):
    """The offer cannot be made (unreadable archive or key, bad version)."""


def updates_dir(data_dir: Path) -> Path:
    return data_dir / UPDATES_DIRNAME


def read_signing_key(path: Path) -> bytes:
    """The publisher's Ed25519 private key: a file holding base64 of the 32-byte seed."""
    try:
        seed = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except (OSError, ValueError, binascii.Error) as e:
        raise OfferError(f"{path}: cannot read the signing key: {e}") from None
    if len(seed) != 32:
        raise OfferError(f"{path}: a signing key is base64 of 32 bytes")
    return seed


def new_signing_key(path: Path) -> bytes:
    """Write a new publisher key to `path` (mode 0600, never overwritten); its seed."""
    seed = os.urandom(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(seed).decode("ascii") + "\n")
    return seed


def offer_update(data_dir: Path, archive: Path, version: str, seed: bytes) -> UpdateOffer:
    """Copy `archive` into the data directory, sign it as `version` and make it the offer."""
    folder = updates_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = folder / ".incoming.tmp"
    try:
        with archive.open("rb") as src, tmp.open("wb") as dst:
            while block := src.read(1024 * 1024):
                digest.update(block)
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise OfferError(f"{archive}: cannot read the archive: {e}") from None
    sha256, size = digest.hexdigest(), tmp.stat().st_size
    try:
        offer = UpdateOffer(
            version=version,
            sha256=sha256,
            size=size,
            signature=sign(seed, version, sha256, size),
            download=f"{API_PREFIX}/updates/archives/{sha256}",
            published_at=datetime.now(UTC),
        )
    except ValidationError as e:
        tmp.unlink(missing_ok=True)
        raise OfferError(f"cannot offer it: {e.errors()[0]['msg']}") from None
    os.replace(tmp, folder / f"{sha256}.tar.gz")
    latest = folder / f".{LATEST_FILE}.tmp"
    latest.write_text(offer.model_dump_json(indent=2), encoding="utf-8")
    os.replace(latest, folder / LATEST_FILE)
    return offer


def withdraw(data_dir: Path) -> bool:
    """Offer nothing any more (archives stay for devices mid-download); False if none was."""
    latest = updates_dir(data_dir) / LATEST_FILE
    existed = latest.exists()
    latest.unlink(missing_ok=True)
    return existed


def latest_offer(data_dir: Path) -> UpdateOffer | None:
    try:
        text = (updates_dir(data_dir) / LATEST_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return UpdateOffer.model_validate_json(text)


def archive_path(data_dir: Path, sha256: str) -> Path | None:
    """The stored archive with this SHA-256 (lower-case hex); None when there is none."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        return None
    path = updates_dir(data_dir) / f"{sha256}.tar.gz"
    return path if path.is_file() else None
