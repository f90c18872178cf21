"""Proof of play: how many times, and for how many seconds, each item was on screen per hour.

A `PlayLedger` collects showings into hourly tallies (hours start on the hour, in UTC, which in
Korea is also the local hour). A showing counts once, in the hour it started; its seconds go
to the hours they were spent in. Once an hour is over (`closed_hours`), its `report` is what
the device sends in one "play_stats" envelope; the caller drops the hour after queueing it.

No Qt and no I/O: the ledger converts to and from plain JSON for whoever stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

HOUR = timedelta(hours=1)


def hour_start(when: datetime) -> datetime:
    """The start of the hour holding `when` (aware), in UTC."""
    return when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass
class Tally:
    """Showings of one item in one hour."""

    count: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ItemPlays:
    item_id: str
    count: int
    seconds: float


@dataclass(frozen=True)
class HourReport:
    """Everything shown in one closed hour, items sorted by id."""

    hour_start: datetime
    items: tuple[ItemPlays, ...]

    def payload(self, mode: str) -> dict[str, Any]:
        """The "play_stats" envelope payload (contract.wire.PlayStats)."""
        return {
            "hour_start": self.hour_start.isoformat(),
            "mode": mode,
            "items": [
                {"item_id": i.item_id, "count": i.count, "seconds": round(i.seconds, 1)}
                for i in self.items
            ],
        }


class PlayLedger:
    """Hourly tallies of what was shown, not yet reported."""

    def __init__(self) -> None:
        self._hours: dict[datetime, dict[str, Tally]] = {}

    def record(self, item_id: str, started: datetime, seconds: float) -> None:
        """One showing of `item_id` that began at `started` (aware) and lasted `seconds`."""
        seconds = max(0.0, seconds)
        first = hour_start(started)
        self._tally(first, item_id).count += 1
        cursor, left = started.astimezone(UTC), seconds
        while True:
            hour = hour_start(cursor)
            in_this_hour = min(left, (hour + HOUR - cursor).total_seconds())
            self._tally(hour, item_id).seconds += in_this_hour
            left -= in_this_hour
            if left <= 1e-9:
                break
            cursor = hour + HOUR

    def _tally(self, hour: datetime, item_id: str) -> Tally:
        return self._hours.setdefault(hour, {}).setdefault(item_id, Tally())

    def hours(self) -> list[datetime]:
        return sorted(self._hours)

    def closed_hours(self, now: datetime) -> list[datetime]:
        """Hours that ended by `now`, oldest first."""
        current = hour_start(now)
        return [h for h in self.hours() if h < current]

    def report(self, hour: datetime) -> HourReport:
        tallies = self._hours.get(hour, {})
        items = tuple(
            ItemPlays(item_id, t.count, t.seconds) for item_id, t in sorted(tallies.items())
        )
        return HourReport(hour, items)

    def drop(self, hour: datetime) -> None:
        self._hours.pop(hour, None)

    def to_json(self) -> dict[str, dict[str, list[float]]]:
        return {
            hour.isoformat(): {item: [t.count, t.seconds] for item, t in tallies.items()}
            for hour, tallies in sorted(self._hours.items())
        }

    @classmethod
    def from_json(cls, data: object) -> PlayLedger:
        """A ledger from `to_json` output; anything unreadable is left out, never raised."""
        ledger = cls()
        if not isinstance(data, dict):
            return ledger
        for hour_text, tallies in data.items():
            try:
                hour = hour_start(datetime.fromisoformat(str(hour_text)))
            except ValueError:
                continue
            if not isinstance(tallies, dict):
                continue
            for item_id, pair in tallies.items():
                if (
                    isinstance(pair, list)
                    and len(pair) == 2
                    and all(isinstance(v, int | float) for v in pair)
                ):
                    tally = ledger._tally(hour, str(item_id))
                    tally.count += int(pair[0])
                    tally.seconds += float(pair[1])
        return ledger

    def __bool__(self) -> bool:
        return bool(self._hours)
