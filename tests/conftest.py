"""Shared test setup: Qt runs offscreen, and every test gets its own data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty device data directory."""
    d = tmp_path / "data"
    d.mkdir()
    return d
