"""Who one device is to the content (its dong and device groups), and the content as that device
receives it: only the promotions, surveys, contests, videos and lessons that target it, and only
the media files something it keeps still uses, so a device never downloads the media of items
meant for other devices.

The rule itself (`Targeted.in_groups`, `Targeted.in_dong`, contract.content) is one for every
kind of item. The server applies it to the published manifest for each device (`for_audience`);
a kiosk applies it to an offline pack with its own configuration (`receives_pack`), so a pack
without targeted items reaches every device unchanged. No Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract.content import TARGETED_SECTIONS, ContentPack, Targeted


@dataclass(frozen=True)
class Audience:
    """A device as targeting sees it.

    Attributes:
        dong: the dong the device stands in (None: none, it shows only district-wide items).
        groups: the keys of the device groups it belongs to.
        dong_known: False while the server has not heard the device's dong (no heartbeat yet):
            it then gets every dong's items, and its configured dong picks among them (the
            kiosk's schedule applies the same rule).
    """

    dong: str | None = None
    groups: frozenset[str] = frozenset()
    dong_known: bool = True

    def receives(self, item: Targeted) -> bool:
        """True when the item is sent to this device."""
        if not item.in_groups(self.groups):
            return False
        return not self.dong_known or item.in_dong(self.dong)


def _targets(raw: dict[str, Any]) -> Targeted:
    # Only the two targeting fields are read: the item itself was validated with its pack.
    return Targeted(dongs=raw.get("dongs") or [], groups=raw.get("groups") or [])


def for_audience(document: dict[str, Any], audience: Audience) -> dict[str, Any] | None:
    """The published manifest `document` as a device of `audience` receives it, or None when it
    receives the document as it is.

    Items that do not reach it are left out, with every file only they used (a clip and its
    subtitles, a contest's pictures). The items it keeps lose their groups, and their dongs
    when its dong is known: the server has decided they target it (membership and the dong
    are the server's to keep), so the device shows them whatever its configuration names.
    `document` must be a valid pack (a published one); it is not changed.
    """
    narrowed, changed, dropped = _narrowed(document, audience)
    if not (changed or dropped):
        return None
    if dropped:
        unused = _paths(ContentPack.model_validate(document)) - _paths(
            ContentPack.model_validate(narrowed)
        )
        narrowed["files"] = [f for f in document.get("files", []) if f["path"] not in unused]
    return narrowed


def _narrowed(document: dict[str, Any], audience: Audience) -> tuple[dict[str, Any], bool, bool]:
    """(`document` with only the items `audience` receives, their targeting cleared as
    `for_audience` says; whether an item's targeting was cleared; whether an item was left
    out). Its files are still all of `document`'s."""
    narrowed = dict(document)
    cleared = ("groups", "dongs") if audience.dong_known else ("groups",)
    changed = dropped = False
    for section in TARGETED_SECTIONS:
        if section not in document:
            continue
        kept: list[dict[str, Any]] = []
        for raw in document[section]:
            if not audience.receives(_targets(raw)):
                dropped = True
            elif any(raw.get(name) for name in cleared):
                kept.append({**raw, **{name: [] for name in cleared if raw.get(name)}})
                changed = True
            else:
                kept.append(raw)
        narrowed[section] = kept
    return narrowed, changed, dropped


def _paths(pack: ContentPack) -> set[str]:
    return {path for _, path, _ in pack.asset_references()}


def receives_pack(pack: ContentPack, audience: Audience) -> ContentPack:
    """`pack` as a device of `audience` shows it (`for_audience`); the pack itself when nothing
    in it is targeted.

    The same pack `for_audience` makes, validated once (it runs before a kiosk's first
    screen): the files only the items left out used are taken from the narrowed pack, which
    is valid with them too (a file nothing uses is no error)."""
    if not any(item.dongs or item.groups for _, items in pack.targeted() for item in items):
        return pack
    document, changed, dropped = _narrowed(pack.model_dump(mode="json"), audience)
    if not (changed or dropped):
        return pack
    narrowed = ContentPack.model_validate(document)
    if not dropped:
        return narrowed
    unused = _paths(pack) - _paths(narrowed)
    return narrowed.model_copy(
        update={"files": [f for f in narrowed.files if f.path not in unused]}
    )
