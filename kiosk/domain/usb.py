"""USB sticks on the staff page's USB로 내보내기 and USB에서 콘텐츠 받기: which mounted volumes are
sticks, which file on a stick is a content pack, and what a failed write means to staff.

No I/O: kiosk.services.usb reads the mount table and the stick, and asks these rules.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

# Where desktop Linux mounts removable volumes: udisks2 under /media/USER/LABEL (Debian,
# Ubuntu) or /run/media/USER/LABEL (Fedora); usbmount and hand mounts under /media/LABEL.
MOUNT_ROOTS = ("/media", "/run/media")
# A content pack as the console's 내보내기 names it (ontong-content-VERSION.zip).
PACK_PREFIX = "ontong-content-"
PACK_SUFFIX = ".zip"


@dataclass(frozen=True)
class Stick:
    """A mounted removable volume: where it is mounted and the name staff know it by."""

    path: PurePath
    name: str


def mount_points(mounts_table: str) -> list[str]:
    """The mount points of a /proc/self/mounts text (its second field, with the kernel's octal
    escapes of spaces, tabs, newlines and backslashes undone)."""
    points = []
    for line in mounts_table.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            points.append(_unescape(fields[1]))
    return points


def _unescape(field: str) -> str:
    out, i = [], 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and all(c in "01234567" for c in code):
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def sticks(points: Iterable[PurePath], roots: Sequence[PurePath]) -> list[Stick]:
    """The mount points that are sticks: one or two folders below a root (LABEL or USER/LABEL),
    each once, in name order."""
    found: dict[PurePath, Stick] = {}
    for point in points:
        for root in roots:
            if point != root and point.is_relative_to(root):
                depth = len(point.relative_to(root).parts)
                if depth <= 2:
                    found[point] = Stick(point, point.name)
    return sorted(found.values(), key=lambda s: (s.name, str(s.path)))


def pick_pack(files: Iterable[tuple[str, float]]) -> str | None:
    """Of the (name, modification time) of the files at a stick's top, the content pack to
    install: the newest ontong-content-*.zip; None when there is none. Hidden files (a
    desktop's ._ copies) are not packs."""
    packs = [
        (mtime, name)
        for name, mtime in files
        if name.startswith(PACK_PREFIX) and name.lower().endswith(PACK_SUFFIX)
    ]
    return max(packs)[1] if packs else None


def write_problem(error_number: int | None) -> str:
    """The staff page's message id for a write to a stick that failed with `error_number`."""
    if error_number in (errno.ENOSPC, errno.EDQUOT):
        return "usb.error.full"
    if error_number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "usb.error.read_only"
    if error_number in (errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.EIO):
        return "usb.error.gone"
    return "usb.error.write"


def pack_problem(live: tuple[str, datetime] | None, incoming: tuple[str, datetime]) -> str | None:
    """Whether a signed pack from a stick may replace the live content, each as (content
    version, published_at): the message id of why not, None when it may. An older pack is
    refused (an old stick would roll the kiosk back; the console's rollback publishes a new
    version instead), the live one itself changes nothing."""
    if live is None:
        return None
    if incoming == live:
        return "usb.content.same"
    if incoming[1] < live[1]:
        return "usb.content.older"
    return None
