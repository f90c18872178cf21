"""What the server keeps of a sealed identity once it has opened it: a hash, never the seal.

The seal is opened on arrival (server.residents) and only its SHA-256 is stored in the
envelope's body, under "sealed_identity_sha256": staff can still see that two envelopes carried
the same seal (a copied seal), but a copy of the database, even with the private key, opens
nothing. The rule is here once, for ingest and for the migration that stripped older bodies.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

SEAL_FIELD = "sealed_identity"
SEAL_HASH_FIELD = "sealed_identity_sha256"


def seal_digest(seal: object) -> str:
    """SHA-256 (hex) of a seal as sent: of the string itself, else of its JSON text."""
    text = seal if isinstance(seal, str) else json.dumps(seal, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def without_seal(document: dict[str, Any]) -> dict[str, Any]:
    """`document` (an envelope as JSON) with a present seal replaced by its hash."""
    seal = document.get(SEAL_FIELD)
    if seal is None:
        return document
    kept = {k: v for k, v in document.items() if k != SEAL_FIELD}
    kept[SEAL_HASH_FIELD] = seal_digest(seal)
    return kept
