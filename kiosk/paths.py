"""Where the app finds its bundled assets and keeps its data.

One function, `asset_path`, resolves bundled files both in a source checkout and inside a
PyInstaller bundle (where files live under ``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "ontong-kiosk"


def assets_root() -> Path:
    """The folder that holds fonts, icons and the demo content pack."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def asset_path(*parts: str) -> Path:
    """Path of a bundled asset, e.g. ``asset_path("fonts", "PretendardGOV-Regular.otf")``."""
    return assets_root().joinpath(*parts)


def default_data_dir() -> Path:
    """The per-machine data directory (database, content cache, logs) when config names none."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
