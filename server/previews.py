"""미리보기: a draft item drawn by the kiosk's own screens, for the console.

The server never imports the kiosk (the import contract says so): it runs `python -m
kiosk.preview` in a subprocess, offscreen, with a time limit, at most `workers` at a time and
never on a request's thread. The pictures are kept under the item's content hash (the item,
the district it is drawn with, the media files it names), so an unchanged item is not drawn
again and a changed one is. A server without the kiosk package says so in Korean instead of
failing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from server.content import asset_file

log = logging.getLogger(__name__)

# The pictures `python -m kiosk.preview` writes, in the order the page shows them.
PICTURES: tuple[tuple[str, str], ...] = (
    ("portrait_100", "세로 화면 · 글자 보통"),
    ("portrait_200", "세로 화면 · 글자 아주 크게"),
    ("landscape_100", "가로 화면 · 글자 보통"),
    ("landscape_200", "가로 화면 · 글자 아주 크게"),
)
# An item's further screens (portrait, 100 %), in order: a survey's questions (question_1.png
# …), 주민참여예산's steps (step_1.png …).
FURTHER = re.compile(r"(?:question|step)_([0-9]{1,3})")
# Run in the subprocess: the kiosk's entry point, or exit NOT_INSTALLED when it cannot be
# imported (the server may well be installed without the kiosk and Qt).
NOT_INSTALLED = 3
INVALID_PACK = 2  # kiosk.preview's own exit code for a pack it refuses
BOOT = (
    "import sys\n"
    "try:\n"
    "    from kiosk.preview import main\n"
    "except ImportError as e:\n"
    "    print(e, file=sys.stderr)\n"
    f"    sys.exit({NOT_INSTALLED})\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
NOT_INSTALLED_TEXT = (
    "이 서버에는 키오스크 프로그램(ontong-kiosk와 Qt)이 설치되어 있지 않아 미리보기 그림을 "
    "만들 수 없습니다. 초안 저장과 게시는 그대로 할 수 있습니다."
)
# A lesson is drawn over the kiosk's own screens (its first target is on the home screen, say),
# which show the other sections: its pictures depend on the whole pack, not on one item.
DRAWN_OVER_EVERYTHING = ("lessons",)
PACK_STAMPS = ("content_version", "published_at")  # what names a version, not what is drawn
PREVIEWS_DIRNAME = "previews"
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_WORKERS = 2
# Previews kept on disk; past this many the oldest are removed (about 1 MB each).
KEPT = 200

State = Literal["ready", "drawing", "failed"]


@dataclass(frozen=True)
class Outcome:
    """Where a preview stands: its pictures' folder when ready, the Korean reason when failed."""

    state: State
    digest: str
    message: str = ""
    # The item's further screens' pictures (their names, in order) once ready.
    further: tuple[str, ...] = ()


def referenced_files(body: Any, files: Mapping[str, Any]) -> list[Any]:
    """The pack's file entries (path -> entry) that a string anywhere in `body` names."""
    found: list[Any] = []
    if isinstance(body, str):
        if body in files:
            found.append(files[body])
    elif isinstance(body, dict):
        for value in body.values():
            found += referenced_files(value, files)
    elif isinstance(body, list):
        for value in body:
            found += referenced_files(value, files)
    return found


def content_hash(document: Mapping[str, Any], section: str, key: str) -> str:
    """The digest of what the item's pictures depend on."""
    files = {f["path"]: f for f in document.get("files") or [] if isinstance(f, dict)}
    items = document.get(section)
    if isinstance(items, list):
        body = next((i for i in items if isinstance(i, dict) and i.get("id") == key), None)
    else:
        body = items
    shown = {
        "section": section,
        "key": key,
        "item": body,
        "district": document.get("district"),
        "files": referenced_files(body, files),
    }
    if section in DRAWN_OVER_EVERYTHING:
        shown["pack"] = {k: v for k, v in document.items() if k not in PACK_STAMPS}
    canonical = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Previews:
    """Draws previews in subprocesses and keeps their pictures under `cache_dir/<digest>/`."""

    def __init__(
        self,
        cache_dir: Path,
        assets_dir: Path,
        *,
        python: str = sys.executable,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        self.cache_dir = cache_dir
        self.assets_dir = assets_dir
        self.python = python
        self.timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="preview")
        self._lock = threading.Lock()
        self._drawing: set[str] = set()
        self._failed: dict[str, str] = {}

    def folder(self, digest: str) -> Path:
        return self.cache_dir / digest

    def picture(self, digest: str, name: str) -> Path | None:
        """A ready picture's file; None for an unknown digest or name."""
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            return None
        if name not in dict(PICTURES) and not FURTHER.fullmatch(name):
            return None
        path = self.folder(digest) / f"{name}.png"
        return path if path.is_file() else None

    def outcome(self, digest: str) -> Outcome | None:
        """Where the preview of `digest` stands; None when it was never asked for here."""
        if (self.folder(digest) / "done").is_file():
            return Outcome("ready", digest, further=self._further(digest))
        with self._lock:
            if digest in self._drawing:
                return Outcome("drawing", digest)
            if digest in self._failed:
                return Outcome("failed", digest, self._failed[digest])
        return None

    def _further(self, digest: str) -> tuple[str, ...]:
        found = [
            (int(m[1]), p.stem)
            for p in self.folder(digest).glob("*_*.png")
            if (m := FURTHER.fullmatch(p.stem))
        ]
        return tuple(name for _n, name in sorted(found))

    def request(
        self, document: Mapping[str, Any], section: str, key: str, *, again: bool = False
    ) -> Outcome:
        """The item's preview, started in the background unless it is ready or being drawn
        (`again`: a failed one is tried again)."""
        digest = content_hash(document, section, key)
        known = self.outcome(digest)
        if known is not None and not (again and known.state == "failed"):
            return known
        with self._lock:
            if digest in self._drawing:
                return Outcome("drawing", digest)
            self._failed.pop(digest, None)
            self._drawing.add(digest)
        self._pool.submit(self._draw, digest, dict(document), section, key)
        return Outcome("drawing", digest)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- in the pool ----------------------------------------------------------------------

    def _draw(self, digest: str, document: dict[str, Any], section: str, key: str) -> None:
        try:
            failure = self._run(digest, document, section, key)
        except Exception:
            log.exception("preview.error digest=%s", digest)
            failure = "미리보기를 만들다가 서버 오류가 났습니다. 다시 누르세요."
        with self._lock:
            self._drawing.discard(digest)
            if failure is not None:
                self._failed[digest] = failure

    def _run(self, digest: str, document: dict[str, Any], section: str, key: str) -> str | None:
        """Draw into a work folder, then move it into place; the failure's words, or None."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".drawing-", dir=self.cache_dir))
        try:
            manifest = work / "manifest.json"
            manifest.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            assets = work / "assets"
            assets.mkdir()
            for entry in document.get("files") or []:
                stored = asset_file(self.assets_dir, entry["sha256"])
                if stored.is_file():
                    (assets / entry["sha256"]).symlink_to(stored.resolve())
            out = work / "out"
            command = [self.python, "-c", BOOT, "--manifest", str(manifest)]
            command += ["--assets", str(assets), "--section", section, "--key", key]
            command += ["--out", str(out)]
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            try:
                done = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=self.timeout_s,
                    env=env,
                    cwd=work,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                log.warning("preview.timeout digest=%s after=%ss", digest, self.timeout_s)
                return (
                    f"미리보기를 {self.timeout_s:g}초 안에 만들지 못해 멈췄습니다. "
                    "서버가 바쁠 수 있습니다. 잠시 뒤 다시 누르세요."
                )
            return self._finish(digest, done, out)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _finish(self, digest: str, done: subprocess.CompletedProcess[str], out: Path) -> str | None:
        if done.returncode == NOT_INSTALLED:
            log.warning("preview.no_kiosk %s", done.stderr.strip()[-300:])
            return NOT_INSTALLED_TEXT
        if done.returncode == INVALID_PACK:
            return "키오스크가 이 초안을 그릴 수 없습니다: " + " ".join(
                done.stderr.strip().splitlines()[-5:]
            )
        missing = [n for n, _label in PICTURES if not (out / f"{n}.png").is_file()]
        if done.returncode != 0 or missing:
            log.error(
                "preview.failed digest=%s rc=%s %s", digest, done.returncode, done.stderr[-500:]
            )
            return (
                f"미리보기를 만들지 못했습니다 (키오스크 프로그램이 {done.returncode}번으로 끝남)."
            )
        (out / "done").write_text(digest, encoding="utf-8")
        target = self.folder(digest)
        try:
            out.rename(target)
        except OSError:  # another process drew it meanwhile: theirs is as good
            if not (target / "done").is_file():
                raise
        log.info("preview.drawn digest=%s", digest)
        self._prune()
        return None

    def _prune(self) -> None:
        """Remove the oldest previews past `KEPT` (a removed one is drawn again if asked)."""
        kept = [p for p in self.cache_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
        if len(kept) <= KEPT:
            return
        kept.sort(key=lambda p: p.stat().st_mtime)
        for old in kept[: len(kept) - KEPT]:
            shutil.rmtree(old, ignore_errors=True)
