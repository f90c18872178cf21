"""Content packs for tests: a copy of the demo pack under a version of its own, changed by the
test (`demo_copy`), with files of its own added (`add_file`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from contract.pack import file_digest
from kiosk.paths import asset_path

Manifest = dict[str, Any]


def demo_copy(dest: Path, version: str, change: Callable[[Manifest], None]) -> Path:
    """The demo pack copied to `dest` as `version`, its manifest changed by `change`."""
    shutil.copytree(asset_path("demo"), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    manifest["content_version"] = version
    change(manifest)
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


def add_file(dest: Path, manifest: Manifest, path: str, data: bytes, media_type: str) -> str:
    """`data` written as the pack's file `path` and listed in its manifest; its SHA-256."""
    (dest / path).write_bytes(data)
    size, sha256 = file_digest(dest / path)
    manifest["files"].append(
        {"path": path, "size": size, "sha256": sha256, "media_type": media_type}
    )
    return sha256
