"""Outbox bundles: a device's pending envelopes in one signed JSON file, carried to the server
on a USB stick when the network has been gone for weeks (DESIGN.md "Durability").

The file holds {format, version, device_id, created_at, count, first_seq, last_seq, chain,
signature, envelopes}. The hash chain binds the envelopes, in device_seq order, to the device:

    h0 = sha256(device_id);  h_i = sha256(h_{i-1} || canonical_json(envelope_i));  chain = hex(h_n)

and the signature is Ed25519, by the device's own key, over the canonical JSON of the header
(every field but `signature` and `envelopes`). The device writes bundles (`python -m sync
export`), the server reads them (`python -m server import-bundle`); this module is both sides
of the format and has no Qt and no I/O beyond writing the file.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# The device key's public half, as the server keeps it (`device_public_key` in contract.wire).
from contract.ed25519 import public_key_of as public_key_of
from contract.ed25519 import sign, verifies
from contract.wire import Envelope, canonical_json

FORMAT = "ontong-outbox-bundle"
VERSION = 1


class BundleError(Exception):
    """The bundle is refused as a whole; the message names what is wrong with it."""


@dataclass(frozen=True)
class Bundle:
    """A bundle whose structure and hash chain were checked (the signature is checked apart,
    with the key the reader keeps for `device_id`)."""

    device_id: str
    created_at: str
    first_seq: int
    last_seq: int
    envelopes: tuple[Envelope, ...]
    chain: str
    signature: str

    @property
    def count(self) -> int:
        return len(self.envelopes)

    def header(self) -> dict[str, Any]:
        return _header(
            self.device_id, self.created_at, self.count, self.first_seq, self.last_seq, self.chain
        )


# -- keys -------------------------------------------------------------------------------------


# -- the format -------------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _header(
    device_id: str, created_at: str, count: int, first_seq: int, last_seq: int, chain: str
) -> dict[str, Any]:
    # Exactly the fields the signature covers.
    return {
        "format": FORMAT,
        "version": VERSION,
        "device_id": device_id,
        "created_at": created_at,
        "count": count,
        "first_seq": first_seq,
        "last_seq": last_seq,
        "chain": chain,
    }


def chain_of(device_id: str, envelopes: Sequence[Envelope]) -> str:
    """The hex hash chain over `envelopes` (in the order given) of `device_id`."""
    h = hashlib.sha256(device_id.encode("utf-8")).digest()
    for envelope in envelopes:
        h = hashlib.sha256(h + canonical_json(envelope)).digest()
    return h.hex()


def file_name(device_id: str, first_seq: int, last_seq: int) -> str:
    return f"ontong-outbox-{device_id}-{first_seq}-{last_seq}.json"


def encode_bundle(
    device_id: str, envelopes: Sequence[Envelope], seed: bytes, now: datetime | None = None
) -> bytes:
    """The bundle file of `envelopes` (at least one), signed with the device key `seed`."""
    ordered = sorted(envelopes, key=lambda e: e.device_seq)
    if not ordered:
        raise ValueError("a bundle holds at least one envelope")
    created_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    header = _header(
        device_id,
        created_at,
        len(ordered),
        ordered[0].device_seq,
        ordered[-1].device_seq,
        chain_of(device_id, ordered),
    )
    signature = sign(seed, _canonical(header))
    document = {
        **header,
        "signature": base64.b64encode(signature).decode("ascii"),
        "envelopes": [e.model_dump(mode="json") for e in ordered],
    }
    return _canonical(document) + b"\n"


def write_bundle(directory: Path, name: str, data: bytes) -> Path:
    """Write `data` as `directory/name` atomically: a temporary name, fsync, rename, fsync of
    the directory. Raises OSError (nothing is left behind then) if the directory is missing,
    read-only or full."""
    target = directory / name
    temporary = directory / f".{name}.{os.getpid()}.tmp"
    try:
        with temporary.open("xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except OSError:
        # A directory that refuses even this has nothing of ours in it.
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    return target


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory is on the stick; Windows cannot do this.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- reading ----------------------------------------------------------------------------------


class _Document(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    format: str
    version: int
    device_id: str = Field(min_length=1, max_length=40)
    created_at: str
    count: int = Field(ge=1)
    first_seq: int = Field(ge=1)
    last_seq: int = Field(ge=1)
    chain: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str
    envelopes: list[dict[str, Any]]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_bundle(data: bytes) -> Bundle:
    """Read a bundle file and check everything but its signature: format and version, count,
    the seq range and its order, every envelope, the hash chain. BundleError if anything is
    wrong."""
    try:
        raw = json.loads(data, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise BundleError(f"The file is not a bundle: it is not valid JSON ({e}).") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BundleError(f"The file is not an Ontong outbox bundle (format is not {FORMAT!r}).")
    if raw.get("version") != VERSION:
        raise BundleError(
            f"The bundle is version {raw.get('version')!r}; this program reads version {VERSION}."
        )
    try:
        doc = _Document.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BundleError(f"The bundle's field {where!r} is wrong: {first['msg']}.") from None
    if doc.count != len(doc.envelopes):
        raise BundleError(
            f"The bundle says it holds {doc.count} envelopes but holds {len(doc.envelopes)}:"
            " envelopes were added or removed."
        )
    envelopes = tuple(_envelope(i, raw_env) for i, raw_env in enumerate(doc.envelopes))
    seqs = [e.device_seq for e in envelopes]
    if any(a >= b for a, b in zip(seqs, seqs[1:], strict=False)):
        raise BundleError("The bundle's envelopes are not in increasing device_seq order.")
    if (seqs[0], seqs[-1]) != (doc.first_seq, doc.last_seq):
        raise BundleError(
            f"The bundle says it holds device_seq {doc.first_seq} to {doc.last_seq} but holds"
            f" {seqs[0]} to {seqs[-1]}."
        )
    if chain_of(doc.device_id, envelopes) != doc.chain:
        raise BundleError(
            "The bundle's hash chain does not match its envelopes: an envelope or the device id"
            " was changed after the device wrote it."
        )
    return Bundle(
        device_id=doc.device_id,
        created_at=doc.created_at,
        first_seq=doc.first_seq,
        last_seq=doc.last_seq,
        envelopes=envelopes,
        chain=doc.chain,
        signature=doc.signature,
    )


def _envelope(index: int, raw: dict[str, Any]) -> Envelope:
    try:
        return Envelope.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BundleError(
            f"Envelope {index + 1} of the bundle is not a valid envelope: {where}: {first['msg']}."
        ) from None


def check_signature(bundle: Bundle, public_key: str) -> None:
    """BundleError unless the bundle's header is signed by `public_key` (base64 raw Ed25519)."""
    try:
        signature = base64.b64decode(bundle.signature, validate=True)
        signed = verifies(public_key, signature, _canonical(bundle.header()))
    except (binascii.Error, ValueError):
        raise BundleError("The bundle's signature (or the device's key) is not readable.") from None
    if not signed:
        raise BundleError(
            f"The bundle's signature is not that of device {bundle.device_id}: it was changed"
            " after the device wrote it, or another device wrote it."
        )
