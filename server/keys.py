"""The server's secrets, kept in key files outside the database (DESIGN.md "Trust").

- `identity.key`: the X25519 private key residents' identities are sealed to (raw 32 bytes,
  base64). Only its public half is in the database, to hand out at enrolment.
- `resident.secret`: the HMAC key that turns a phone number and birth date into a resident key
  (32 random bytes, base64). A new one would make every resident a new resident.
- `content.key`: the Ed25519 seed that signs content pack archives (contract.pack_signature),
  so a kiosk can take content from a USB stick; devices receive its public half at enrolment.

All live in one folder (mode 0700, files 0600) named by the server's configuration
(`--keys-dir`, by default DATA_DIR/keys), are made by `python -m server init` (and by `serve` on
a fresh install), and are never written to the database, so a copy of the database opens no
identity. Keep a backup of the folder apart from the database backups.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nacl.bindings import crypto_scalarmult_base
from sqlalchemy import select

from contract import pack_signature
from server.db import ServerDatabase
from server.db.models import ServerKey

log = logging.getLogger(__name__)

PRIVATE_KEY_FILE = "identity.key"
RESIDENT_SECRET_FILE = "resident.secret"
CONTENT_KEY_FILE = "content.key"
KEY_BYTES = 32


class KeyFileError(Exception):
    """A key file is missing, unreadable, or does not belong to this server's database."""


@dataclass(frozen=True)
class ServerKeys:
    """The secrets a serving process needs; its repr names no secret.

    Attributes:
        private_key: raw X25519 private key (32 bytes).
        public_key: base64 of the raw public key, as devices receive it at enrolment.
        resident_secret: the HMAC key of resident keys (32 bytes).
        content_seed: the Ed25519 seed that signs content archives; None for a keys folder
            no serving process of this version has opened yet (it makes the file).
    """

    private_key: bytes = field(repr=False)
    public_key: str
    resident_secret: bytes = field(repr=False)
    content_seed: bytes | None = field(default=None, repr=False)

    @property
    def content_public_key(self) -> str | None:
        """The base64 Ed25519 public key devices check USB content packs with."""
        if self.content_seed is None:
            return None
        return pack_signature.public_key_of(self.content_seed)


def public_key_of(private_key: bytes) -> str:
    return base64.b64encode(crypto_scalarmult_base(private_key)).decode("ascii")


def write_key_file(path: Path, value: bytes) -> bool:
    """Write `value` (base64) to a new 0600 file; False if the file already exists.

    O_EXCL: of two processes starting on one fresh folder, one writes and the other reads it.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(value).decode("ascii") + "\n")
        f.flush()
        os.fsync(f.fileno())
    return True


def read_key_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        value = base64.b64decode(text, validate=True)
    except FileNotFoundError:
        raise KeyFileError(
            f"the key file {path.name} is missing from the keys folder: run"
            " `python -m server init` with the same --keys-dir (or restore the folder's backup)"
        ) from None
    except (OSError, UnicodeDecodeError, binascii.Error, ValueError) as e:
        raise KeyFileError(f"the key file {path.name} cannot be read: {e}") from None
    if len(value) != KEY_BYTES:
        raise KeyFileError(f"the key file {path.name} does not hold a {KEY_BYTES}-byte key")
    if path.stat().st_mode & 0o077:
        # Another user could read it: tighten rather than refuse, and say so.
        path.chmod(0o600)
        log.warning("keys.mode_tightened file=%s", path.name)
    return value


def ensure_keys(db: ServerDatabase, keys_dir: Path) -> ServerKeys:
    """The server's keys, made on first use: the files if absent, and the public key's row.

    Refuses (KeyFileError) a keys folder whose private key does not match the public key the
    database already handed out: every seal the devices made would be unreadable.
    """
    private_path = keys_dir / PRIVATE_KEY_FILE
    secret_path = keys_dir / RESIDENT_SECRET_FILE
    with db.read() as session:
        recorded = session.scalar(select(ServerKey.public_key).where(ServerKey.id == 1))
    # A private key is made only for a database that has handed out no public key yet.
    if recorded is None and write_key_file(private_path, secrets.token_bytes(KEY_BYTES)):
        log.info("keys.created file=%s", PRIVATE_KEY_FILE)
    if write_key_file(secret_path, secrets.token_bytes(KEY_BYTES)):
        log.info("keys.created file=%s", RESIDENT_SECRET_FILE)
    if write_key_file(keys_dir / CONTENT_KEY_FILE, secrets.token_bytes(KEY_BYTES)):
        log.info("keys.created file=%s", CONTENT_KEY_FILE)
    keys = load_keys(keys_dir)
    if recorded is None:
        with db.write() as session:
            if session.get(ServerKey, 1) is None:
                session.add(
                    ServerKey(
                        id=1,
                        algorithm="X25519",
                        public_key=keys.public_key,
                        created_at=datetime.now(UTC),
                    )
                )
            recorded = session.scalar(select(ServerKey.public_key).where(ServerKey.id == 1))
    if recorded != keys.public_key:
        raise KeyFileError(
            "the keys folder belongs to another server: its private key does not match the public"
            " key this database gave the devices. Use this server's keys folder."
        )
    return keys


def load_keys(keys_dir: Path) -> ServerKeys:
    """The keys from their files; KeyFileError when they are missing or unreadable."""
    private_key = read_key_file(keys_dir / PRIVATE_KEY_FILE)
    content_path = keys_dir / CONTENT_KEY_FILE
    return ServerKeys(
        private_key=private_key,
        public_key=public_key_of(private_key),
        resident_secret=read_key_file(keys_dir / RESIDENT_SECRET_FILE),
        content_seed=read_key_file(content_path) if content_path.exists() else None,
    )
