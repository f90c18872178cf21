"""Content packs for the sync tests: the demo pack under a new version, with files changed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from kiosk.paths import asset_path

DEMO = asset_path("demo")
# How many files the demo pack lists (a device that targets nothing in particular fetches all).
DEMO_FILES = len(json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))["files"])
# A file every version below replaces; the promotions use it, so it must stay an image path.
CHANGED_FILE = "media/contest-ginkgo.jpg"


def make_pack(root: Path, version: str, changes: dict[str, bytes] | None = None) -> Path:
    """A copy of the demo pack in root/version as `version`, with `changes` (path -> bytes)."""
    dest = root / version
    shutil.copytree(DEMO, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    manifest["content_version"] = version
    for path, data in (changes or {}).items():
        (dest / path).write_bytes(data)
        entry = next(f for f in manifest["files"] if f["path"] == path)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        entry["size"] = len(data)
    (dest / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return dest


def image_bytes(tag: str, size: int = 30_000) -> bytes:
    """Distinct bytes for `tag`, starting like a JPEG, `size` long."""
    seed = hashlib.sha256(tag.encode()).digest()
    body = (seed * (size // len(seed) + 1))[: size - 4]
    return b"\xff\xd8\xff\xe0" + body


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
