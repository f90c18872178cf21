"""The app's side of updates: switch at a quiet moment, and say when it is healthy.

sync/updates.py downloads and stages a new version beside the running one; the launcher
(packaging/linux/ontong-kiosk-launch) switches `current` to it when the app exits with
`SWITCH_EXIT_CODE`, and rolls it back unless the new app writes the health file the launcher
names in ONTONG_HEALTH_FILE within its deadline. The app asks for the switch from the attract
loop, between two items: on a kiosk that is when nobody uses it; a board waits for its
`update_hours` (night).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from contract.content_base import KST
from kiosk.config import KioskConfig
from sync.updates import SWITCH_EXIT_CODE, InstallRoot

log = logging.getLogger(__name__)

HEALTH_FILE_ENV = "ONTONG_HEALTH_FILE"

__all__ = ["SWITCH_EXIT_CODE", "report_healthy", "switch_due"]


def switch_due(config: KioskConfig, now: datetime | None = None) -> str | None:
    """The staged version to switch to now, at an item boundary; None to carry on."""
    if not config.updates_enabled or config.update_root is None:
        return None
    root = InstallRoot(config.update_root)
    version = root.staged_version()
    if version is None or version == root.current_version() or root.is_bad(version):
        return None
    if not root.installed(version):
        return None
    if config.mode == "board":
        local = (now or datetime.now(UTC)).astimezone(KST).time()
        if not any(window.contains(local) for window in config.update_hours):
            return None
    return version


def report_healthy(env: dict[str, str] | None = None) -> Path | None:
    """Write the health file the launcher asked for (nothing when it asked for none)."""
    name = (os.environ if env is None else env).get(HEALTH_FILE_ENV, "")
    if not name:
        return None
    path = Path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(datetime.now(UTC).isoformat() + "\n", encoding="utf-8")
    except OSError as e:
        log.error("update.health_not_written path=%s error=%s", path, e)
        return None
    log.info("update.healthy path=%s", path)
    return path
