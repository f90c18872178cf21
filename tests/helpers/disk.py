"""A small filesystem of its own for the tests of a full disk: a tmpfs mounted for the test."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs_if_possible(where: Path, options: str) -> Iterator[str | None]:
    """A tmpfs mounted at `where` if this process may mount one (root); else `where` is a plain
    folder. Yields None when mounted, else why not."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield f"cannot mount a tmpfs here: {mounted.stderr.strip()}"
        return
    try:
        yield None
    finally:
        subprocess.run(["umount", str(where)], check=True)


@contextlib.contextmanager
def mounted_tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted at `where` (needs root); the test is skipped where mounting fails."""
    with tmpfs_if_possible(where, options) as not_mounted:
        if not_mounted:
            pytest.skip(not_mounted)
        yield where


@contextlib.contextmanager
def nearly_full(where: Path, free_bytes: int) -> Iterator[None]:
    """The filesystem of `where` filled by one file until about `free_bytes` are left."""
    stats = os.statvfs(where)
    filler = where / "filler.bin"
    with filler.open("wb") as out:
        out.truncate(0)
        left = stats.f_bavail * stats.f_frsize - free_bytes
        block = b"\0" * (1024 * 1024)
        while left > 0:
            out.write(block[: min(left, len(block))])
            left -= len(block)
    try:
        yield
    finally:
        filler.unlink()
