"""Ed25519 public keys as every side writes them: base64 of the raw 32 bytes. The device's
bundle key (sync.bundle), the publisher's update key (sync.updates) and the server's content
key (contract.pack_signature) are all made from a 32-byte seed this way."""

from __future__ import annotations

import base64


def public_key_of(seed: bytes) -> str:
    """The base64 raw public key of the Ed25519 private key `seed` (32 bytes)."""
    # Imported here: cryptography takes longer to import than the modules that name this.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode("ascii")
