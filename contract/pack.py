"""Reading a content pack folder: manifest.json, its validation, and the files it lists.

The kiosk (before installing a pack), the sync worker (before taking one) and the server
(before publishing one) read a pack the same way, so each refuses the same packs with the same
words. The kiosk's media cache and installing a pack stay in kiosk.pack.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from contract.content_base import explain, message

if TYPE_CHECKING:
    from contract.content import ContentPack, FileEntry

MANIFEST_NAME = "manifest.json"
CHUNK_SIZE = 1024 * 1024
# Enough to fix a pack in one go without burying staff in a wall of text.
_MAX_SHOWN = 20


class PackError(Exception):
    """A content pack that cannot be used.

    Attributes:
        problems: one line per problem, each starting with the file it is about, e.g.
            ``manifest.json: surveys[1].questions[3].type: 알 수 없는 질문 유형 …`` or
            ``media/promo1.png: SHA-256이 매니페스트와 다릅니다 (SHA-256 does not match …)``.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems) or ("?",)
        shown = list(self.problems[:_MAX_SHOWN])
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(f"… 외 {hidden}건 (and {hidden} more)")
        super().__init__("\n".join(shown))

    @classmethod
    def about(cls, source: str, key: str, /, **ctx: object) -> PackError:
        """One problem with `source` (a file of the pack), worded by the content catalogue."""
        return cls([f"{source}: {message(key, **ctx)}"])


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys silently; a pack that says a thing twice is
    # ambiguous, so refuse it.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def read_manifest(pack_dir: Path) -> Any:
    """The parsed manifest.json of the pack in `pack_dir` (not yet validated)."""
    path = pack_dir / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackError.about(MANIFEST_NAME, "manifest_missing") from None
    except OSError as e:
        raise PackError.about(MANIFEST_NAME, "manifest_unreadable", error=e.strerror) from e
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError as e:
        raise PackError.about(
            MANIFEST_NAME, "manifest_unreadable", error=f"not UTF-8 at byte {e.start}"
        ) from e
    except json.JSONDecodeError as e:
        raise PackError.about(
            MANIFEST_NAME, "invalid_json", line=e.lineno, column=e.colno, error=e.msg
        ) from e
    except _DuplicateKey as e:
        raise PackError.about(MANIFEST_NAME, "duplicate_key", key=e.key) from e


def validate_manifest(data: Any, source: str = MANIFEST_NAME) -> ContentPack:
    """`data` (a parsed manifest) as a ContentPack; PackError listing every problem if not."""
    # Imported here: reading a manifest, or saying what is wrong with one, needs no model of the
    # pack, and building them all costs the kiosk's start more than Qt does.
    from contract.content import ContentPack

    try:
        return ContentPack.model_validate(data)
    except ValidationError as e:
        raise PackError([f"{source}: {line}" for line in explain(e, data)]) from e


def load_pack(pack_dir: Path) -> ContentPack:
    """Read, validate and verify the pack in `pack_dir`.

    Every file the manifest lists must be in the folder with the declared size and SHA-256.
    Raises PackError naming each file and field that is wrong.
    """
    pack = validate_manifest(read_manifest(pack_dir))
    problems = [p for entry in pack.files for p in _file_problems(pack_dir, entry)]
    if problems:
        raise PackError(problems)
    return pack


def _file_problems(pack_dir: Path, entry: FileEntry) -> list[str]:
    path = pack_dir / entry.path
    try:
        # A symbolic link inside the pack could still lead anywhere on the disk.
        if not path.resolve().is_relative_to(pack_dir.resolve()):
            return [f"{entry.path}: {message('file_escapes')}"]
        stat = path.stat()
    except FileNotFoundError:
        return [f"{entry.path}: {message('file_missing')}"]
    except OSError as e:
        return [f"{entry.path}: {message('file_unreadable', error=e.strerror)}"]
    if not path.is_file():
        return [f"{entry.path}: {message('not_a_file')}"]
    # Cheap size check first: no need to hash a file that is already known to be wrong.
    if stat.st_size != entry.size:
        return [
            f"{entry.path}: " + message("size_mismatch", actual=stat.st_size, expected=entry.size)
        ]
    try:
        size, digest = file_digest(path)
    except OSError as e:
        return [f"{entry.path}: {message('file_unreadable', error=e.strerror)}"]
    if size != entry.size:
        # The file changed between stat() and reading it.
        return [f"{entry.path}: " + message("size_mismatch", actual=size, expected=entry.size)]
    if digest != entry.sha256:
        return [f"{entry.path}: {message('hash_mismatch')}"]
    return []


def read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            yield chunk


def file_digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of the file, read in chunks so large videos never sit in memory."""
    h = hashlib.sha256()
    size = 0
    for chunk in read_chunks(path):
        h.update(chunk)
        size += len(chunk)
    return size, h.hexdigest()
