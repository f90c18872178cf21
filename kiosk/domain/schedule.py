"""The media board's schedule: which promotions may play now, in what order, and what time it is.

`lineup` decides what may be on screen at one instant, in this order:

1. An emergency notice on air overrides everything (screen-off hours and stale content too),
   until its `ends_at`.
2. In the board's screen-off hours nothing plays (the player shows its screen-off page).
3. Otherwise the promotions on air for this board (date range, weekdays, daily windows that may
   cross midnight, dongs and device groups), without evergreen ones. When none is on air the
   evergreen promotions fill in. When the device has not synced for `stale_after_days`, its
   content may be out of date: the evergreen promotions join the rotation even while others are
   on air (expired items drop out by their dates, as always).
4. When nothing at all is left, the player shows the built-in district card: never black.

`Rotation` picks the next item from a lineup with a smooth weighted round robin: over any run of
(sum of weights) picks each item comes up exactly `weight` times, spread out rather than in a
block; ties go to the higher `priority`, then to a fixed order drawn from the seed, so the same
seed gives the same sequence on every run.

`BoardClock` is the time the schedule is judged by: the system clock corrected by the last
offset the server reported, and kept steady against the monotonic clock when the system clock
jumps (an RTC reset, a hand-set clock), until the server reports a new offset.

No Qt and no I/O: callers pass the clocks' readings in.
"""

from __future__ import annotations

import enum
import hashlib
import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from contract.content import KST, Promotion, TimeWindow

log = logging.getLogger(__name__)

# A system clock that moves this much more or less than the monotonic clock has jumped
# (NTP slews real drift slowly; a step this large is a reset or a hand-set clock).
CLOCK_JUMP_TOLERANCE_S = 30.0
DEFAULT_STALE_AFTER_DAYS = 7.0


class LineupMode(enum.StrEnum):
    """Why the lineup holds what it holds."""

    EMERGENCY = "emergency"
    PLAYLIST = "playlist"
    EVERGREEN = "evergreen"  # nothing else on air: the evergreen items fill in
    FALLBACK = "fallback"  # nothing at all: the built-in district card
    SCREEN_OFF = "screen_off"


@dataclass(frozen=True)
class BoardProfile:
    """What the schedule needs to know about one device.

    Attributes:
        dong: the dong the device stands in; None shows only district-wide promotions.
        groups: the device groups it belongs to (e.g. "lobby", "library").
        screen_off: daily windows (Korean time) when the screen stays dark.
        stale_after_days: days without a successful sync after which content counts as stale.
    """

    dong: str | None = None
    groups: frozenset[str] = frozenset()
    screen_off: tuple[TimeWindow, ...] = ()
    stale_after_days: float = DEFAULT_STALE_AFTER_DAYS


@dataclass(frozen=True)
class Lineup:
    """The promotions that may play at one instant, and why."""

    mode: LineupMode
    items: tuple[Promotion, ...]
    stale: bool = False

    def has(self, promotion_id: str) -> bool:
        return any(p.id == promotion_id for p in self.items)


def targets(promotion: Promotion, profile: BoardProfile) -> bool:
    """True when the promotion is meant for this device's groups (dongs: `is_on_air`)."""
    return promotion.in_groups(profile.groups)


def in_screen_off(now: datetime, profile: BoardProfile) -> bool:
    local = now.astimezone(KST).time()
    return any(window.contains(local) for window in profile.screen_off)


def is_stale(now: datetime, last_update: datetime | None, profile: BoardProfile) -> bool:
    """True when the last successful sync is older than the profile allows.

    A device that has never synced (a local content pack) is judged by nothing: not stale.
    """
    if last_update is None:
        return False
    return now - last_update > timedelta(days=profile.stale_after_days)


def lineup(
    promotions: Iterable[Promotion],
    now: datetime,
    profile: BoardProfile,
    *,
    last_update: datetime | None = None,
    exclude: Collection[str] = (),
) -> Lineup:
    """What may play at `now` (aware) on this device; `exclude` holds unplayable item ids."""
    on_air = [
        p
        for p in promotions
        if p.id not in exclude and targets(p, profile) and p.is_on_air(now, profile.dong)
    ]
    stale = is_stale(now, last_update, profile)
    emergency = tuple(p for p in on_air if p.emergency)
    if emergency:
        return Lineup(LineupMode.EMERGENCY, emergency, stale)
    if in_screen_off(now, profile):
        return Lineup(LineupMode.SCREEN_OFF, (), stale)
    regular = tuple(p for p in on_air if not p.evergreen)
    evergreen = tuple(p for p in on_air if p.evergreen)
    if regular:
        return Lineup(LineupMode.PLAYLIST, regular + evergreen if stale else regular, stale)
    if evergreen:
        return Lineup(LineupMode.EVERGREEN, evergreen, stale)
    return Lineup(LineupMode.FALLBACK, (), stale)


def must_interrupt(
    showing: Promotion | None, showing_mode: LineupMode | None, now_lineup: Lineup
) -> bool:
    """True when the item on screen must give way at once rather than at its end.

    That is when an emergency starts or ends, when screen-off hours start or end, when the
    district card is up and something is scheduled again, and when an emergency notice on
    screen is no longer on air. Other changes wait for the item's end.
    """
    urgent = (LineupMode.EMERGENCY, LineupMode.SCREEN_OFF)
    if showing_mode != now_lineup.mode and (
        now_lineup.mode in urgent or showing_mode in (*urgent, LineupMode.FALLBACK)
    ):
        return True
    return showing is not None and showing.emergency and not now_lineup.has(showing.id)


def _seeded_rank(seed: int, item_id: str) -> int:
    # A stable hash (Python's hash() changes per process), so a seed means the same order always.
    digest = hashlib.blake2b(f"{seed}:{item_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass
class Rotation:
    """Smooth weighted round robin over whatever the lineup holds at each pick.

    Each pick adds every item's weight to its credit, takes the item with the most credit and
    takes the sum of weights from it. An item that leaves the lineup loses its credit, so it
    starts fresh when it comes back.
    """

    seed: int = 0
    _credit: dict[str, int] = field(default_factory=dict)

    def pick(self, items: Sequence[Promotion]) -> Promotion | None:
        if not items:
            return None
        ids = {p.id for p in items}
        for gone in self._credit.keys() - ids:
            del self._credit[gone]
        total = 0
        for p in items:
            self._credit[p.id] = self._credit.get(p.id, 0) + p.weight
            total += p.weight
        chosen = max(
            items,
            key=lambda p: (self._credit[p.id], p.priority, _seeded_rank(self.seed, p.id)),
        )
        self._credit[chosen.id] -= total
        return chosen

    def reset(self) -> None:
        self._credit.clear()


@dataclass(frozen=True)
class ClockJump:
    """The system clock moved `delta_s` seconds more than the monotonic clock (negative: back)."""

    delta_s: float
    wall: datetime


class BoardClock:
    """The time the schedule runs on: system clock + server offset, steady across jumps.

    Call `now` with the system clock, the monotonic clock and the stored server offset each
    time. When the system clock moves more than `tolerance_s` away from the monotonic clock,
    the jump is logged and compensated, so the corrected time keeps following the monotonic
    clock; a new server offset (the server has seen the device's new clock) clears the
    compensation.

    Attributes:
        jumps: every jump seen, oldest first (kept short: the last 16).
    """

    def __init__(self, tolerance_s: float = CLOCK_JUMP_TOLERANCE_S) -> None:
        self.tolerance_s = tolerance_s
        self.jumps: list[ClockJump] = []
        self._anchor: tuple[datetime, float] | None = None
        self._offset_s: float | None = None
        self._compensation_s = 0.0

    def now(self, wall: datetime, monotonic: float, offset_s: float) -> datetime:
        if offset_s != self._offset_s:
            self._offset_s = offset_s
            self._compensation_s = 0.0
        if self._anchor is not None:
            anchor_wall, anchor_mono = self._anchor
            drift = (wall - anchor_wall).total_seconds() - (monotonic - anchor_mono)
            if abs(drift) > self.tolerance_s:
                self._compensation_s -= drift
                self.jumps = [*self.jumps[-15:], ClockJump(drift, wall)]
                log.warning(
                    "clock_jump delta_s=%.1f wall=%s compensation_s=%.1f",
                    drift,
                    wall.isoformat(),
                    self._compensation_s,
                )
        self._anchor = (wall, monotonic)
        return wall + timedelta(seconds=offset_s + self._compensation_s)

    @property
    def compensation_s(self) -> float:
        return self._compensation_s


@dataclass(frozen=True)
class Decision:
    """What to show next: an item of the lineup, or None (the district card or screen-off)."""

    lineup: Lineup
    item: Promotion | None

    @property
    def mode(self) -> LineupMode:
        return self.lineup.mode


@dataclass
class Schedule:
    """One device's schedule: its profile and its rotation state."""

    profile: BoardProfile = field(default_factory=BoardProfile)
    rotation: Rotation = field(default_factory=Rotation)

    def lineup(
        self,
        promotions: Iterable[Promotion],
        now: datetime,
        *,
        last_update: datetime | None = None,
        exclude: Collection[str] = (),
    ) -> Lineup:
        return lineup(promotions, now, self.profile, last_update=last_update, exclude=exclude)

    def pick(self, current: Lineup) -> Decision:
        """The item the rotation picks from `current` (this schedule's lineup at some time)."""
        return Decision(current, self.rotation.pick(current.items))
