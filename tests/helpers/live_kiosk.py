"""A real kiosk window enrolled to a real server process, with the app's own sync worker: what
the console's end-to-end tests drive by taps while staff act in the browser."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.services.sync_link import start_sync_link
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.shell import KioskWindow
from sync.client import Timeouts
from sync.worker import SyncTuning, enroll_device
from tests.helpers.stubs import FakeMonotonic
from tests.server.process import ServerProcess


def quick_sync(heartbeat_every_s: float) -> SyncTuning:
    """The worker's timing for a test: retries at once and a heartbeat every few seconds
    (production: 60 s), so "at the next heartbeat" is seconds away."""
    return SyncTuning(
        backoff_base_s=0.05,
        backoff_cap_s=0.5,
        timeouts=Timeouts(connect_s=1.0, read_s=5.0),
        idle_check_s=0.05,
        heartbeat_every_s=heartbeat_every_s,
        content_every_s=600.0,
    )


def newest_version(server: ServerProcess) -> str | None:
    """The content version the server publishes now (None before anything is published)."""
    from server.content import newest_version as newest

    with server.database() as db:
        return newest(db)


@contextmanager
def live_kiosk(
    qtbot: Any,
    server: ServerProcess,
    data_dir: Path,
    *,
    name: str,
    dong: str,
    tuning: SyncTuning,
    wait_ms: int = 20_000,
) -> Iterator[KioskWindow]:
    """An enrolled, approved kiosk window (not in demo mode) in `dong`, portrait, with its sync
    worker running; once the server has published content, it is open only after the kiosk
    shows that version."""
    load_bundled_fonts()
    with open_database(data_dir) as db:
        enrolment = enroll_device(
            DeviceSettings(db), server.url, server.new_code(), name=name, mode="kiosk"
        )
    server.cli("approve", enrolment.device_id)
    ctx = open_context(KioskConfig(data_dir=data_dir, dong=dong))
    ctx.open_store()
    idle = IdleMonitor(
        ctx.config.idle_timeout_s, ctx.config.idle_warning_s, monotonic=FakeMonotonic()
    )
    window = KioskWindow(ctx, idle=idle)
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    window.start()
    qtbot.waitExposed(window)
    controller = start_sync_link(ctx, tuning=tuning)
    assert controller is not None
    window.attach_sync(controller)
    try:
        version = newest_version(server)
        if version is not None:
            qtbot.waitUntil(
                lambda: ctx.pack is not None and ctx.pack.content_version == version,
                timeout=wait_ms,
            )
        yield window
    finally:
        controller.stop()
        ctx.close()
