"""The staff page's USB stick, both ways: USB로 내보내기 writes the pending outbox as one signed
bundle (sync.outbox_export, the same code as `python -m sync export`), and USB에서 콘텐츠 받기
installs a content pack the server signed (contract.pack_signature) the way any pack is
installed (kiosk.pack.install), keeping the live content on any failure.

Both are blocking file work: the screen runs them through the window's background helper, never
on the GUI thread. Neither uses Qt. Each is written to the device's log as one event with
counts and versions only (no file contents, no label a member of staff gave the stick).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from kiosk.domain.usb import (
    MOUNT_ROOTS,
    Stick,
    mount_points,
    pack_problem,
    pick_pack,
    sticks,
    write_problem,
)

if TYPE_CHECKING:
    from kiosk.context import AppContext

log = logging.getLogger(__name__)

# Unpacked packs wait here, on the device's own disk, until installed (then removed).
WORK_DIRNAME = "usb-work"


def _read_mount_table() -> str:
    try:
        return Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""  # not Linux: no sticks found, staff are told so


@dataclass(frozen=True)
class UsbResult:
    """What came of one USB action, in the staff page's words.

    Attributes:
        ok: True when the action did what staff asked.
        message_id: the catalogue id of the sentence to show; `params` fill it in.
        detail: a second line for staff (the first problem of a refused pack), "" when none.
        content_version: the version now active, after a pack was installed.
    """

    ok: bool
    message_id: str
    params: Mapping[str, int | str] = field(default_factory=dict)
    detail: str = ""
    content_version: str | None = None


class Usb:
    """Finds the mounted stick and does the two USB actions.

    Attributes:
        roots: the folders removable volumes are mounted under.
        read_mount_table: returns the mount table's text (tests give their own folder).
    """

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self.roots: tuple[PurePath, ...] = tuple(PurePath(r) for r in MOUNT_ROOTS)
        self.read_mount_table: Callable[[], str] = _read_mount_table

    def find_sticks(self) -> list[Stick]:
        points = [PurePath(p) for p in mount_points(self.read_mount_table())]
        return sticks(points, self.roots)

    # -- USB로 내보내기 -------------------------------------------------------------------

    def export_outbox(self) -> UsbResult:
        """Write every pending envelope to the first stick found (blocking: off the GUI thread)."""
        from kiosk.store.settings import DeviceSettings
        from sync.outbox_export import NotEnrolledError, export_pending

        found = self.find_sticks()
        if not found:
            log.info("usb.export result=no_stick")
            return UsbResult(False, "usb.error.no_stick")
        stick = found[0]
        try:
            done = export_pending(DeviceSettings(self._ctx.db), self._ctx.outbox, Path(stick.path))
        except NotEnrolledError:
            log.info("usb.export result=not_enrolled")
            return UsbResult(False, "usb.export.not_enrolled")
        except OSError as e:
            message_id = write_problem(e.errno)
            log.warning("usb.export result=failed errno=%s", e.errno)
            return UsbResult(False, message_id, {"stick": stick.name})
        if done.path is None:
            log.info("usb.export result=nothing_pending")
            return UsbResult(True, "usb.export.nothing")
        log.info(
            "usb.export result=written count=%d first_seq=%d last_seq=%d key_known=%s",
            done.count,
            done.first_seq,
            done.last_seq,
            done.key_known,
        )
        params: dict[str, int | str] = {
            "count": done.count,
            "file": done.path.name,
            "stick": stick.name,
        }
        if not done.key_known:
            return UsbResult(True, "usb.export.done_key_unknown", params)
        return UsbResult(True, "usb.export.done", params)

    # -- USB에서 콘텐츠 받기 --------------------------------------------------------------

    def content_key(self) -> str | None:
        """The key a pack must be signed with: the server's, received at enrolment; the demo's
        public one in demo mode on a device no server gave a key. None: no pack is taken."""
        from contract.pack_signature import DEMO_PUBLIC_KEY
        from kiosk.store.settings import DeviceSettings
        from sync.worker import CONTENT_PUBLIC_KEY_KEY

        stored = DeviceSettings(self._ctx.db).get(CONTENT_PUBLIC_KEY_KEY)
        if isinstance(stored, str):
            return stored
        return DEMO_PUBLIC_KEY if self._ctx.demo else None

    def install_content(self) -> UsbResult:
        """Install the newest signed content pack on the first stick that has one (blocking:
        off the GUI thread). The live content stays on any failure."""
        from contract.pack import PackError, read_manifest, validate_manifest
        from contract.pack_signature import extract_signed_archive
        from kiosk.pack.install import install_pack

        live = self._ctx.content.active_version() or "-"
        key = self.content_key()
        if key is None:
            log.info("usb.content result=no_key")
            return UsbResult(False, "usb.content.no_key", {"live": live})
        found = self.find_sticks()
        if not found:
            log.info("usb.content result=no_stick")
            return UsbResult(False, "usb.error.no_stick")
        pack = self._find_pack(found)
        if pack is None:
            log.info("usb.content result=no_pack")
            return UsbResult(False, "usb.content.none", {"stick": found[0].name, "live": live})
        work_root = self._ctx.data_dir / WORK_DIRNAME
        try:
            work_root.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix="pack-", dir=work_root))
        except OSError as e:
            log.warning("usb.content result=device_disk errno=%s", e.errno)
            return UsbResult(False, "usb.content.device_disk", {"live": live})
        try:
            extract_signed_archive(pack, work, key)
            incoming = validate_manifest(read_manifest(work))
            problem = pack_problem(self._live(), (incoming.content_version, incoming.published_at))
            if problem is not None:
                log.info("usb.content result=%s file=%s", problem.rsplit(".", 1)[-1], pack.name)
                params = {"file": pack.name, "version": incoming.content_version, "live": live}
                return UsbResult(problem == "usb.content.same", problem, params)
            version = install_pack(work, self._ctx.content, self._ctx.assets)
        except PackError as e:
            log.warning("usb.content result=refused file=%s reason=%s", pack.name, e.problems[0])
            return UsbResult(
                False, "usb.content.refused", {"file": pack.name, "live": live}, e.problems[0]
            )
        except OSError as e:
            log.warning("usb.content result=read_failed errno=%s", e.errno)
            return UsbResult(False, "usb.content.read_failed", {"file": pack.name, "live": live})
        finally:
            shutil.rmtree(work, ignore_errors=True)
        log.info(
            "usb.content result=installed file=%s version=%s previous=%s", pack.name, version, live
        )
        return UsbResult(
            True,
            "usb.content.done",
            {"file": pack.name, "version": version},
            content_version=version,
        )

    def _live(self) -> tuple[str, datetime] | None:
        from contract.pack import PackError
        from kiosk.pack.install import active_pack

        try:
            pack = active_pack(self._ctx.content)
        except PackError:
            return None  # the live content no longer passes this app's rules: take a new one
        return None if pack is None else (pack.content_version, pack.published_at)

    def _find_pack(self, found: list[Stick]) -> Path | None:
        for stick in found:
            try:
                with os.scandir(stick.path) as entries:
                    files = [
                        (e.name, e.stat().st_mtime)
                        for e in entries
                        if e.is_file(follow_symlinks=False)
                    ]
            except OSError:
                continue
            name = pick_pack(files)
            if name is not None:
                return Path(stick.path) / name
        return None
