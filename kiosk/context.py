"""Everything a running device holds open, handed to the UI in one object (no globals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract.pack import PackError
from kiosk.config import KioskConfig
from kiosk.pack.cache import AssetCache

if TYPE_CHECKING:
    from contract.content import ContentPack
    from kiosk.store.content_repo import ContentRepository
    from kiosk.store.db import Database
    from kiosk.store.outbox import Outbox
    from kiosk.store.staff_pin import StaffPinGate


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeviceStore:
    """The SQLAlchemy-backed device database and the two services built on it."""

    db: Database
    outbox: Outbox
    content: ContentRepository


@dataclass
class AppContext:
    """The device's configuration, its active content, and its database.

    The database opens on first use (`open_store`); the app calls that on a worker thread right
    after the first paint, because importing SQLAlchemy costs more than starting Qt and the
    first screen does not need it. A caller on another thread meanwhile waits for that store
    rather than opening a second one. Schema migrations still run before any screen (see
    `kiosk.app.open_context`).

    Attributes:
        pack: the active content pack, or None on a device that has none yet.
        content_error: why the last attempt to load content failed, for the staff page.
    """

    config: KioskConfig
    assets: AssetCache
    pack: ContentPack | None = None
    content_error: str | None = None
    # The active content as start-up read it, (version, manifest), until it is checked and made
    # `pack` (kiosk.app.check_stored_content); None once checked, or when there is none.
    stored_content: tuple[str, Any] | None = None
    # The configuration file the app was started with (--config); None: the default file
    # (kiosk.paths.default_config_file), which the staff page's settings then write.
    config_path: Path | None = None
    clock: Callable[[], datetime] = utc_now
    # Demo mode (`python -m kiosk --demo`, what ./dev demo runs): the staff PIN is the demo's
    # 2580. Never set from the configuration file, so no file can turn the demo PIN on.
    demo: bool = False
    _store: DeviceStore | None = field(default=None, init=False, repr=False)
    _staff_pin: StaffPinGate | None = field(default=None, init=False, repr=False)
    _store_lock: threading.RLock = field(
        default_factory=threading.RLock, init=False, repr=False, compare=False
    )

    @property
    def data_dir(self) -> Path:
        return self.config.resolved_data_dir()

    def open_store(self) -> DeviceStore:
        """Open the database (migrating it if needed) once; later calls return the same store.
        Any thread may call it."""
        with self._store_lock:
            if self._store is None:
                # Imported here, not at the top: see the class docstring.
                from kiosk.store.content_repo import ContentRepository
                from kiosk.store.db import open_database
                from kiosk.store.outbox import Outbox

                db = open_database(self.data_dir)
                self._store = DeviceStore(db, Outbox(db), ContentRepository(db))
            return self._store

    @property
    def db(self) -> Database:
        return self.open_store().db

    @property
    def outbox(self) -> Outbox:
        return self.open_store().outbox

    @property
    def content(self) -> ContentRepository:
        return self.open_store().content

    @property
    def staff_pin(self) -> StaffPinGate:
        """The staff PIN check, with its lock-out kept in the database (one per running app)."""
        if self._staff_pin is None:
            from kiosk.store.settings import DeviceSettings
            from kiosk.store.staff_pin import StaffPinGate

            self._staff_pin = StaffPinGate(
                DeviceSettings(self.db), configured=self.config.admin_pin_hash, demo=self.demo
            )
        return self._staff_pin

    def reload_pack(self) -> bool:
        """Take the content the store now holds as active (after a sync activated a new
        version, or the same version chosen anew for this device's groups); True when it
        changed. A manifest this app refuses leaves the old pack."""
        from kiosk.pack.install import active_pack

        try:
            pack = active_pack(self.content)
        except PackError as e:
            self.content_error = str(e)
            return False
        if pack is None:
            return False
        pack = self.for_device(pack)
        if pack == self.pack:
            return False
        self.pack, self.content_error = pack, None
        return True

    def for_device(self, pack: ContentPack) -> ContentPack:
        """`pack` with only the items that target this device's dong and groups as its
        configuration names them (contract.audience, the rule the server applies to the
        manifest it sends: an offline pack honours it too)."""
        # Imported here, as the pack's models are: the home screen is painted before them.
        from contract.audience import Audience, receives_pack

        audience = Audience(dong=self.config.dong, groups=frozenset(self.config.device_groups))
        return receives_pack(pack, audience)

    def close(self) -> None:
        with self._store_lock:  # a store being opened on a worker is closed once it is open
            if self._store is not None:
                self._store.db.close()
                self._store = None
                self._staff_pin = None

    def asset_file(self, pack_path: str) -> Path | None:
        """The cached file for a path named in the content pack, or None if it is unknown."""
        if self.pack is None:
            return None
        entry = self.pack.file(pack_path)
        return self.assets.path(entry.sha256) if entry is not None else None
