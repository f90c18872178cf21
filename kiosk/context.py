"""Everything a running device holds open, handed to the UI in one object (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.domain.admin import PinLockout
from kiosk.domain.content import ContentPack
from kiosk.pack import AssetCache
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import Database
from kiosk.store.outbox import Outbox


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    """The device's open database, its active content and its configuration.

    Attributes:
        pack: the active content pack, or None on a device that has none yet.
        content_error: why the last attempt to load content failed, for the staff page.
    """

    config: KioskConfig
    db: Database
    outbox: Outbox
    content: ContentRepository
    assets: AssetCache
    pack: ContentPack | None
    content_error: str | None = None
    clock: Callable[[], datetime] = utc_now
    # One per running app, so leaving and re-entering the PIN page does not reset it.
    pin_lockout: PinLockout = field(default_factory=PinLockout)

    @property
    def data_dir(self) -> Path:
        return self.config.resolved_data_dir()

    def asset_file(self, pack_path: str) -> Path | None:
        """The cached file for a path named in the content pack, or None if it is unknown."""
        if self.pack is None:
            return None
        for entry in self.pack.files:
            if entry.path == pack_path:
                return self.assets.path(entry.sha256)
        return None
