"""What the board's player puts on screen next, and when the item on screen must give way.

The player (kiosk.ui.player) asks and shows; the rules live here:

- The schedule (kiosk.domain.schedule) decides what may play at an instant: an emergency notice
  above all, nothing in screen-off hours, the promotions on air, the evergreen ones, and the
  built-in district card when nothing is left.
- An item that failed (a picture that cannot be decoded, a video with no picture in time, a
  file missing from the cache, black on screen) is left out of the rotation for
  `unplayable_for_s`, then tried again. The district card and the screen-off page are built in
  and never left out.
- A picture or video whose file is not in the cache is skipped at once and the next item taken;
  so is the one after it, until an item can play or nothing is left (the district card).

No Qt and no I/O: the player passes the clocks' readings in, and says which files it has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from contract.content import Promotion
from kiosk.domain.schedule import BoardProfile, LineupMode, Rotation, Schedule, must_interrupt

# Kinds of item that play from a file in the cache.
MEDIA_KINDS = frozenset({"image", "video"})
# The built-in items: the district card and the screen-off page, never left out.
BUILT_IN_KINDS = frozenset({"card", "off"})
DEFAULT_UNPLAYABLE_FOR_S = 1800.0


@dataclass(frozen=True)
class Skipped:
    """A promotion left out of the rotation, and why (the player logs and reports it)."""

    promotion: Promotion
    reason: str


@dataclass(frozen=True)
class NextUp:
    """What to show next.

    Attributes:
        mode: why the lineup holds what it holds (emergency, playlist, evergreen, fallback,
            screen_off).
        promotion: the item to play; None for the screen-off page (mode SCREEN_OFF) or the
            district card (anything else).
        skipped: items found unplayable while choosing (their files are missing).
    """

    mode: LineupMode
    promotion: Promotion | None
    skipped: tuple[Skipped, ...] = ()

    @property
    def screen_off(self) -> bool:
        return self.mode is LineupMode.SCREEN_OFF

    @property
    def district_card(self) -> bool:
        return self.promotion is None and not self.screen_off


@dataclass
class Playlist:
    """One board's playlist: its schedule, and the items left out for a while.

    Call with the board's time (`now`, aware: kiosk.domain.schedule.BoardClock) and the
    monotonic clock (`mono`, seconds), which times how long a failed item stays out.

    Attributes:
        schedule: the board's profile and rotation.
        unplayable_for_s: how long a failed item stays out of the rotation.
    """

    schedule: Schedule = field(default_factory=Schedule)
    unplayable_for_s: float = DEFAULT_UNPLAYABLE_FOR_S
    _out_until: dict[str, float] = field(default_factory=dict)

    @classmethod
    def for_board(
        cls, profile: BoardProfile, *, seed: int = 0, unplayable_for_s: float
    ) -> Playlist:
        return cls(Schedule(profile, Rotation(seed=seed)), unplayable_for_s)

    def left_out(self, mono: float) -> set[str]:
        """The ids out of the rotation at `mono`; those whose time is up come back."""
        for item_id in [i for i, until in self._out_until.items() if until <= mono]:
            del self._out_until[item_id]
        return set(self._out_until)

    def leave_out(self, item_id: str, kind: str, mono: float) -> bool:
        """An item failed: out of the rotation for `unplayable_for_s`. False for a built-in
        item (the district card, the screen-off page), which is never left out."""
        if kind in BUILT_IN_KINDS:
            return False
        self._out_until[item_id] = mono + self.unplayable_for_s
        return True

    def gives_way_to(
        self,
        showing: Promotion | None,
        showing_mode: LineupMode,
        promotions: Iterable[Promotion],
        now: datetime,
        mono: float,
        *,
        last_update: datetime | None,
    ) -> LineupMode | None:
        """The lineup's mode when the item on screen must go at once rather than at its end
        (an emergency starts or ends, screen-off hours start or end, the district card is up
        and something is scheduled again: kiosk.domain.schedule.must_interrupt); None when it
        plays to its end."""
        lineup = self.schedule.lineup(
            promotions, now, last_update=last_update, exclude=self.left_out(mono)
        )
        return lineup.mode if must_interrupt(showing, showing_mode, lineup) else None

    def next(
        self,
        promotions: Iterable[Promotion],
        now: datetime,
        mono: float,
        *,
        last_update: datetime | None,
        has_file: Callable[[Promotion], bool],
    ) -> NextUp:
        """The next item at `now`: the rotation's pick, past any picture or video whose file
        is missing (each left out as it is met). `has_file` tells whether the cache holds a
        promotion's file."""
        offered = list(promotions)
        skipped: list[Skipped] = []
        # Each turn leaves one item out, so this ends: at worst with the district card.
        for _ in range(len(offered) + 1):
            current = self.schedule.lineup(
                offered, now, last_update=last_update, exclude=self.left_out(mono)
            )
            decision = self.schedule.pick(current)
            item = decision.item
            if decision.mode is LineupMode.SCREEN_OFF or item is None:
                return NextUp(decision.mode, None, tuple(skipped))
            if item.kind in MEDIA_KINDS and not has_file(item):
                self.leave_out(item.id, item.kind, mono)
                skipped.append(Skipped(item, "file missing"))
                continue
            return NextUp(decision.mode, item, tuple(skipped))
        return NextUp(LineupMode.FALLBACK, None, tuple(skipped))
