"""The device's content-addressed media cache: ``root/<sha256>``, one file per content.

A file appears under its final name only complete and verified: it is written to a temporary
file in the same folder, checked for size and SHA-256, flushed to disk, then renamed in one
step. A crash leaves at worst a ``.partial-*`` file, which `discard_partials` removes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from contract.pack import PackError, file_digest, read_chunks

_SHA256 = re.compile(r"[0-9a-f]{64}")
_PARTIAL_PREFIX = ".partial-"


class AssetCache:
    """Media files by SHA-256 under `root`.

    Attributes:
        root: the cache folder (created on the first write).
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the file with this digest lives (whether or not it is there yet)."""
        # The digest becomes a file name: refuse anything that could point elsewhere.
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
        return self.root / sha256

    def has(self, sha256: str, size: int | None = None) -> bool:
        """True when the file is in the cache (with `size` bytes, when given).

        Cheap enough to call often; it does not read the file. A truncated file fails the size
        check; `verify` also catches a file whose bytes changed.
        """
        try:
            st = self.path(sha256).stat()
        except FileNotFoundError:
            return False
        return st.st_size == size if size is not None else True

    def verify(self, sha256: str, size: int) -> bool:
        """True when the cached file has exactly `size` bytes and this SHA-256."""
        if not self.has(sha256, size):
            return False
        try:
            return file_digest(self.path(sha256)) == (size, sha256)
        except OSError:
            return False

    def put_file(self, src: Path, sha256: str, size: int, *, source: str | None = None) -> Path:
        """Copy `src` into the cache, verified; returns the cached path.

        `source` names the file in error messages (default: its file name). A file already in
        the cache and intact is not copied again; a damaged one is replaced.
        """
        name = source or src.name
        if self.verify(sha256, size):
            return self.path(sha256)
        try:
            return self.put_stream(read_chunks(src), sha256, size, source=name)
        except OSError as e:
            raise PackError.about(name, "cache_write_failed", error=e.strerror or e) from e

    def put_stream(
        self, chunks: Iterable[bytes], sha256: str, size: int, *, source: str = ""
    ) -> Path:
        """Write `chunks` into the cache as the file `sha256`, verified; returns its path.

        Raises PackError (size or SHA-256 mismatch, nothing written) or OSError (disk).
        """
        final = self.path(sha256)
        name = source or sha256
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=_PARTIAL_PREFIX)
        tmp = Path(tmp_name)
        try:
            h = hashlib.sha256()
            written = 0
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    written += len(chunk)
                    if written > size:
                        break  # longer than declared: stop before filling the disk
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if written != size:
                raise PackError.about(name, "size_mismatch", actual=written, expected=size)
            if h.hexdigest() != sha256:
                raise PackError.about(name, "hash_mismatch")
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.root)
        return final

    def discard_partials(self) -> int:
        """Remove temporary files left by an interrupted write; returns how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for leftover in self.root.glob(f"{_PARTIAL_PREFIX}*"):
            leftover.unlink(missing_ok=True)
            removed += 1
        return removed


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder, and needs not."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
