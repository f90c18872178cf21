"""Deadlines of surveys, contests, the participatory-budget vote and its proposal stage on the
server: the closing grace period (DESIGN.md "Durability").

A kiosk may be offline for weeks, so a survey, contest or vote that has closed is still "closing" on
the server for a grace period: an envelope created inside the target's window is accepted if it
arrives by close + grace. Creation time is the device's clock corrected by its last known offset;
device_seq vouches for it when the clock jumped (see `judge`).

The device's clock is not taken on its word alone after a close (`after_the_close`): a heartbeat
tells the server the highest device_seq the device has numbered so far, so an envelope with a
higher seq than one reported after the close was made after the close, whatever its clock
says; and envelopes for a closed target from a device that reported nothing after the close
are held for staff review. Which windows exist is the business of `server.content`; storing
the verdict is `server.ingest`'s. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

TargetKind = Literal["survey", "contest", "vote", "budget_proposals"]
# The envelope kinds a deadline applies to: kind -> (kind of target, payload field naming it).
TARGETS: dict[str, tuple[TargetKind, str]] = {
    "survey_response": ("survey", "survey_id"),
    "contest_vote": ("contest", "contest_id"),
    "contest_entry": ("contest", "contest_id"),
    # The ballots of every dong are one vote (contract.content.BudgetVote) with one window.
    "ballot": ("vote", "vote_id"),
    # A budget project proposal is taken during the same vote's proposal window (주민 제안 접수).
    "budget_proposal": ("budget_proposals", "vote_id"),
}
# Stored as the rejection's reason_code; stable, staff and scripts filter on them.
Reason = Literal["not_open", "closed", "late"]
REASONS: tuple[Reason, ...] = ("not_open", "closed", "late")


@dataclass(frozen=True)
class Window:
    """When a survey, contest or vote takes submissions: from `opens_at` up to, not including,
    `closes_at` (the kiosk's own rule)."""

    kind: TargetKind
    id: str
    opens_at: datetime
    closes_at: datetime

    @property
    def name(self) -> str:
        return f"{self.kind} {self.id!r}"


@dataclass(frozen=True)
class Refusal:
    """Why an envelope missed its target's deadline."""

    reason: Reason
    message: str

    @property
    def text(self) -> str:
        """The rejection as a device and staff read it: "closed: survey 's1' closed at ..."."""
        return f"{self.reason.replace('_', ' ')}: {self.message}"


def target_of(kind: str, payload: dict[str, Any]) -> tuple[TargetKind, str] | None:
    """The survey, contest or vote an envelope of `kind` is for; None if no deadline applies."""
    found = TARGETS.get(kind)
    if found is None:
        return None
    target_kind, field = found
    target_id = payload.get(field)
    return (target_kind, target_id) if isinstance(target_id, str) else None


def judge(
    window: Window,
    created: datetime,
    received: datetime,
    grace: timedelta,
    created_no_later_than: datetime | None = None,
) -> Refusal | None:
    """None if the envelope is accepted, else why not.

    Args:
        window: the target's window, from the newest published content that has the target.
        created: the envelope's corrected creation time (created_at + clock_offset_s).
        received: the server's clock when the envelope arrived.
        grace: how long after the close envelopes created before it are still taken.
        created_no_later_than: the earliest corrected creation time of an envelope the server
            holds from the same device with a higher device_seq. Seq order is creation order, so
            this envelope was created no later than that, whatever its own clock said: a clock
            that jumped forward must not lose a real submission.
    """
    if created < window.opens_at:
        return Refusal(
            "not_open",
            f"{window.name} opens at {_at(window.opens_at)}; "
            f"this was created at {_at(created)} (device clock corrected by its offset)",
        )
    latest = created if created_no_later_than is None else min(created, created_no_later_than)
    if latest >= window.closes_at:
        return Refusal(
            "closed",
            f"{window.name} closed at {_at(window.closes_at)}; "
            f"this was created at {_at(created)} (device clock corrected by its offset)",
        )
    if received > window.closes_at + grace:
        return Refusal(
            "late",
            f"{window.name} closed at {_at(window.closes_at)} and took envelopes made before the "
            f"close until {_at(window.closes_at + grace)}; this one arrived at {_at(received)}",
        )
    return None


@dataclass(frozen=True)
class Mark:
    """The device reported `highest_seq` as its highest device_seq in a heartbeat the server
    received at `received_at` (the latest time it reported that value)."""

    highest_seq: int
    received_at: datetime


@dataclass(frozen=True)
class Hold:
    """Why an envelope is stored but not counted until staff release it (server.ingest)."""

    code: str
    message: str

    @property
    def text(self) -> str:
        return f"held for staff review: {self.message}"


# Stored as the hold's reason_code.
NO_REPORT_AFTER_CLOSE = "no_heartbeat"


def after_the_close(
    window: Window, seq: int, received: datetime, mark: Mark | None, vouched_seq: int | None
) -> Refusal | Hold | None:
    """For an envelope `judge` accepted that arrives after its target closed: refused `closed`
    when the device reported, after the close, a highest seq below this one (it was made
    later); held when the device reported nothing after the close (no evidence either way);
    None otherwise.

    Args:
        mark: the device's report received after the close with the lowest highest_seq; None
            if it reported none.
        vouched_seq: envelopes up to this seq arrived in a device-signed bundle a member of
            staff imported (server.bundles): they existed when it was made, so none is held.
    """
    if received < window.closes_at:
        return None
    if mark is not None:
        if seq <= mark.highest_seq:
            return None
        return Refusal(
            "closed",
            f"{window.name} closed at {_at(window.closes_at)}; at {_at(mark.received_at)}, after"
            f" the close, the device reported {mark.highest_seq} as its highest device_seq, and"
            f" this envelope has device_seq {seq}: it was made after the close, whatever its"
            " clock says",
        )
    if vouched_seq is not None and seq <= vouched_seq:
        return None
    return Hold(
        NO_REPORT_AFTER_CLOSE,
        f"{window.name} closed at {_at(window.closes_at)} and the device sent no heartbeat with"
        " its highest device_seq after the close, so nothing shows this was made before it",
    )


def _at(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
