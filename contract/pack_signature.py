"""The server's signature on a content pack archive: a kiosk cut off from the network takes new
content from a USB stick only when the server it is enrolled with signed it.

The server signs with its content key (Ed25519; `content.key` in its keys folder, beside its
other keys, never in the database: server.keys) whenever it writes an archive (the console's
내보내기 and `python -m server export-content`). The archive then carries `signature.json`
right after manifest.json:

    {"format": "ontong-content-signature", "version": 1, "manifest_sha256": HEX, "signature": B64}

The signature covers the canonical JSON of the first three fields. The manifest lists every file
of the pack with its size and SHA-256, so the signature covers every byte the device will use.
Ed25519 is deterministic: the same published version gives the same signature whenever it is
written out.

`extract_signed_archive` is the device's side: it checks the signature against the key the
device received at enrolment *before* anything is unpacked (only the ZIP's directory and the two
small members are read, in memory, sizes bounded), then unpacks with `extract_archive`'s rules
(no path outside the folder, no links, sizes and counts bounded), then checks that the unpacked
manifest is the one signed. The folder is then installed like any pack.

The demo's key (`DEMO_SEED`) is public on purpose: only a device in demo mode with no server key
of its own trusts it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from contract.archive import MAX_MEMBERS, MAX_UNPACKED_BYTES, SIGNATURE_NAME, extract_archive
from contract.ed25519 import public_key_of as public_key_of
from contract.ed25519 import sign, verifies
from contract.pack import MANIFEST_NAME, PackError, file_digest

FORMAT = "ontong-content-signature"
VERSION = 1
MAX_MANIFEST_BYTES = 16 * 1024**2
_MAX_SIGNATURE_BYTES = 4096
# A public seed, for the demo only (see the module docstring).
DEMO_SEED = hashlib.sha256(b"ontong demo content key: public, never for a real district").digest()


def _problem(key: str, /, **ctx: object) -> PackError:
    return PackError.about(SIGNATURE_NAME, key, **ctx)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _signed_part(manifest_sha256: str) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "manifest_sha256": manifest_sha256}


DEMO_PUBLIC_KEY = public_key_of(DEMO_SEED)


def signature_file(manifest: bytes, seed: bytes) -> bytes:
    """signature.json's bytes for the archive whose manifest.json is exactly `manifest`."""
    signed = _signed_part(hashlib.sha256(manifest).hexdigest())
    signature = sign(seed, _canonical(signed))
    document = {**signed, "signature": base64.b64encode(signature).decode("ascii")}
    return json.dumps(document, indent=2).encode("ascii") + b"\n"


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, most: int, too_large: PackError
) -> bytes:
    # At most `most` bytes are ever decompressed, whatever size the entry claims.
    with archive.open(info) as member:
        data = member.read(most + 1)
    if len(data) > most:
        raise too_large
    return data


def check_archive(archive: Path, public_key: str) -> str:
    """The SHA-256 (hex) of the manifest.json that `public_key` (base64 raw Ed25519) signed in
    `archive`; PackError (Korean first) when it is not a ZIP, has no signature, or the
    signature is not that key's over that manifest. Nothing is written anywhere."""
    try:
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise PackError.about("묶음 파일", "archive_not_zip") from e
    with opened:
        members = opened.infolist()
        if len(members) > MAX_MEMBERS:
            raise PackError.about(
                "묶음 파일", "archive_too_many", count=len(members), most=MAX_MEMBERS
            )
        seen: set[str] = set()
        for info in members:
            # Two entries of one name: which one a reader takes is not for an attacker to pick.
            if info.filename in seen:
                raise PackError.about("묶음 파일", "archive_duplicate_name", name=info.filename)
            seen.add(info.filename)
        if SIGNATURE_NAME not in seen:
            raise _problem("archive_unsigned")
        if MANIFEST_NAME not in seen:
            raise PackError.about("묶음 파일", "archive_no_manifest")
        try:
            raw_signature = _read_member(
                opened,
                opened.getinfo(SIGNATURE_NAME),
                _MAX_SIGNATURE_BYTES,
                _problem("archive_signature_unreadable", problem="too large"),
            )
            manifest = _read_member(
                opened,
                opened.getinfo(MANIFEST_NAME),
                MAX_MANIFEST_BYTES,
                _problem("archive_manifest_too_large", most=MAX_MANIFEST_BYTES // 1024**2),
            )
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as e:
            raise PackError.about("묶음 파일", "archive_damaged", name=MANIFEST_NAME) from e
    digest = hashlib.sha256(manifest).hexdigest()
    _verify(raw_signature, digest, public_key)
    return digest


def _verify(raw_signature: bytes, manifest_sha256: str, public_key: str) -> None:
    try:
        document = json.loads(raw_signature.decode("ascii"))
        if not isinstance(document, dict) or set(document) != {*_signed_part(""), "signature"}:
            raise ValueError("fields are not format, version, manifest_sha256, signature")
        if document["format"] != FORMAT or document["version"] != VERSION:
            raise ValueError(f"not {FORMAT} version {VERSION}")
        signature = base64.b64decode(str(document["signature"]), validate=True)
        signed = verifies(public_key, signature, _canonical(_signed_part(manifest_sha256)))
    except (UnicodeDecodeError, ValueError, binascii.Error) as e:
        raise _problem("archive_signature_unreadable", problem=str(e)[:120]) from None
    if document["manifest_sha256"] != manifest_sha256 or not signed:
        raise _problem("archive_signature_wrong")


def extract_signed_archive(
    archive: Path, into: Path, public_key: str, max_bytes: int = MAX_UNPACKED_BYTES
) -> None:
    """Check `archive`'s signature by `public_key`, then unpack it into the empty folder `into`
    (contract.archive's rules) and check the unpacked manifest.json is the signed one.
    PackError (Korean first) on any problem; `into` may then hold part of the archive and is
    the caller's to remove."""
    signed = check_archive(archive, public_key)
    extract_archive(archive, into, max_bytes)
    # The ZIP was read twice: make sure the second reading gave the bytes the first verified.
    _size, unpacked = file_digest(into / MANIFEST_NAME)
    if unpacked != signed:
        raise _problem("archive_signature_wrong")
