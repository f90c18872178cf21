"""One resident's visit to the kiosk: what they sent, so the same item is not sent twice.

A visit ends when the kiosk resets (idle, or going home after a thank-you); the window then
starts a new `Visit`. No Qt and no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Visit:
    """What was sent during this visit, as (envelope kind, item id) pairs."""

    sent: set[tuple[str, str]] = field(default_factory=set)

    def record(self, kind: str, item_id: str) -> None:
        self.sent.add((kind, item_id))

    def has_sent(self, kind: str, item_id: str) -> bool:
        return (kind, item_id) in self.sent
