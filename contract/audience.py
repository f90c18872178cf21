"""Who one device is to the content (its dong and device groups), and the manifest as that
device receives it: only the promotions that target it, and only the media files something it
keeps still uses, so a board never downloads the media of items meant for other boards.

The rule itself (`Promotion.in_groups`, `Promotion.in_dong`) is the one the kiosk's schedule
uses; this module applies it to a whole manifest document as published, so a pack without
targeted promotions reaches every device unchanged. No Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract.content import ContentPack, Promotion


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

    def receives(self, promotion: Promotion) -> bool:
        """True when the promotion is sent to this device."""
        if not promotion.in_groups(self.groups):
            return False
        return not self.dong_known or promotion.in_dong(self.dong)


def for_audience(document: dict[str, Any], audience: Audience) -> dict[str, Any] | None:
    """The published manifest `document` as a device of `audience` receives it, or None when it
    receives the document as it is.

    Promotions that do not reach it are left out, with every file only they used (a clip and
    its subtitles). The groups of
    the promotions it keeps are emptied: the server has decided they target it (its membership
    is the server's to keep), so the device shows them whatever groups its configuration names.
    `document` must be a valid pack (a published one); it is not changed.
    """
    promotions = document.get("promotions") or []
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for raw in promotions:
        promotion = Promotion.model_validate(raw)
        (kept if audience.receives(promotion) else dropped).append(raw)
    if not dropped and not any(p.get("groups") for p in kept):
        return None
    narrowed = dict(document)
    narrowed["promotions"] = [{**p, "groups": []} if p.get("groups") else p for p in kept]
    gone = {p[name] for p in dropped for name in ("asset", "subtitles") if p.get(name)}
    if gone:
        still_used = {
            path for _, path, _ in ContentPack.model_validate(narrowed).asset_references()
        }
        unused = gone - still_used
        narrowed["files"] = [f for f in document.get("files", []) if f["path"] not in unused]
    return narrowed
