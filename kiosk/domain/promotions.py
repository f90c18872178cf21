"""Which promotions the attract loop shows now. (The media-board schedule engine replaces this.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar


class Dated(Protocol):
    starts_at: datetime
    ends_at: datetime
    kind: str


P = TypeVar("P", bound=Dated)


def showing_now(promotions: Iterable[P], now: datetime, kinds: Sequence[str]) -> list[P]:
    """Promotions of the given kinds whose date range holds `now`, in pack order."""
    return [p for p in promotions if p.kind in kinds and p.starts_at <= now < p.ends_at]
