"""직원 호출: a resident asks for the centre's staff. No Qt and no I/O.

A call is an envelope of kind "staff_call" (contract.wire.StaffCall) naming the screen the
resident was on; its time is the envelope's own `created_at`, corrected on the server by the
device's clock offset. It is not a civic act: it is never practice, never counted and never
earns points. Repeated taps do not flood the centre: one call per `cooldown_s`; a tap within
that time is told that staff is already called.

Once called, the kiosk follows the call (`StaffCallProgress`): the server's heartbeat answer
says whether it is still waiting or staff acknowledged it (가는 중), and `words` says what the
notice shows and reads aloud: that the call is on and for how long ("직원을 부르는 중입니다 ·
2분째"), whether it has reached the staff (never claimed before the server confirms it, nor
while offline), 다시 부르기 after `RECALL_AFTER_S` without an acknowledgement, and "직원이 오고
있습니다" once acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

STAFF_CALL_KIND = "staff_call"
COOLDOWN_S = 60.0
# Waiting this long without an acknowledgement, the notice offers 다시 부르기.
RECALL_AFTER_S = 180.0
# While a call is open and its notice is up, the visit is not reset for idleness (the resident
# is waiting for staff, not gone), but for no longer than this after the latest call.
HOLD_VISIT_S = 600.0
# No word from the server this long after the call (offline, or a server that does not answer
# for calls): the notice says the call may not have reached the staff yet.
UNHEARD_AFTER_S = 30.0

# What the kiosk knows of its call: "waiting" (queued, or the server says nobody acknowledged
# it yet), "coming" (staff acknowledged it), "over" (staff resolved it after answering).
CallState = Literal["waiting", "coming", "over"]
ServerCallState = Literal["waiting", "coming"] | None


def staff_call_payload(screen: str) -> dict[str, object]:
    """The payload of a staff call made on route `screen`."""
    return {"screen": screen or "unknown"}


@dataclass
class StaffCallRule:
    """Decides, on a monotonic clock, whether a tap on 직원 호출 is a new call."""

    cooldown_s: float = COOLDOWN_S
    last_call: float | None = None

    def press(self, now: float) -> bool:
        """True when this tap makes a new call; False when staff was called < cooldown ago."""
        if self.last_call is not None and now - self.last_call < self.cooldown_s:
            return False
        self.last_call = now
        return True

    def failed(self) -> None:
        """The call could not be queued: the next tap tries again at once."""
        self.last_call = None


@dataclass(frozen=True)
class NoticeWords:
    """What the staff-call notice shows: message ids of the catalogue with their values, and
    whether it offers 다시 부르기. `spoken_key` changes only when the news changes (not with
    every minute waited): the notice is read aloud again only then."""

    title_id: str
    body_id: str
    values: dict[str, object] = field(default_factory=dict)
    can_call_again: bool = False

    @property
    def spoken_key(self) -> tuple[str, str, bool]:
        return (self.title_id, self.body_id, self.can_call_again)


@dataclass
class StaffCallProgress:
    """The latest call made at this kiosk and what the server said of it (monotonic clock)."""

    recall_after_s: float = RECALL_AFTER_S
    called_at: float | None = None
    first_called_at: float | None = None
    state: CallState | None = None
    # The server has answered "waiting" or "coming" for this call at least once.
    heard: bool = False

    @property
    def open(self) -> bool:
        return self.state in ("waiting", "coming")

    def called(self, now: float) -> None:
        """A call was queued now: a new one, or again while one is open (it joins it, and
        staff already coming are still coming)."""
        if not self.open:
            self.first_called_at = now
            self.heard = False
            self.state = "waiting"
        self.called_at = now

    def server_said(self, state: ServerCallState) -> bool:
        """The server's word on the device's call; True when that is news: the state changed,
        or the server confirmed the call for the first time (it reached the staff)."""
        before = self.state, self.heard
        if state is not None:
            if self.state is not None:
                self.state = state
                self.heard = True
        elif self.open and self.heard:
            # Staff resolved it (a call the server never confirmed stays waiting: its envelope
            # may still be on its way).
            self.state = "over"
        return (self.state, self.heard) != before

    def waited_s(self, now: float) -> float:
        start = self.first_called_at if self.first_called_at is not None else now
        return max(0.0, now - start)

    def holds_visit(self, now: float) -> bool:
        """Whether the visit is kept alive for the resident waiting for staff."""
        return self.open and self.called_at is not None and now - self.called_at < HOLD_VISIT_S

    def state_words(self, now: float) -> tuple[str, dict[str, object]] | None:
        """The short line beside 직원 호출 while this call is open (it stays after the notice is
        closed): a message id with its values; None once staff resolved it or before a call.
        Like the notice, it never says the call reached anyone before staff acknowledged it."""
        if self.state == "coming":
            return "staff.state.coming", {}
        if self.state != "waiting":
            return None
        minutes = int(self.waited_s(now) // 60)
        if minutes >= 1:
            return "staff.state.waiting", {"minutes": minutes}
        return "staff.state.calling", {}

    def words(self, now: float, *, again: bool = False, offline: bool = False) -> NoticeWords:
        """The notice for this call at `now`; `again`: the resident tapped 직원 호출 within the
        cooldown; `offline`: the device cannot reach the server now (or has no sync at all).

        Until the server confirms the call, nothing says it reached anyone: it is being sent
        (for `UNHEARD_AFTER_S` while the device is online), or it has not reached the staff
        yet. The title says the call is on and, from the first minute, for how long."""
        if self.state in ("coming", "over"):
            return NoticeWords("staff.coming.title", "staff.coming.body")
        minutes = int(self.waited_s(now) // 60)
        values: dict[str, object] = {}
        if minutes >= 1:
            title, values = "staff.waiting.title", {"minutes": minutes}
        else:
            title = "staff.already.title" if again else "staff.calling.title"
        since_last = now - (self.called_at if self.called_at is not None else now)
        unheard = not self.heard and (offline or self.waited_s(now) >= UNHEARD_AFTER_S)
        if since_last >= self.recall_after_s:
            body = "staff.unheard.recall" if not self.heard else "staff.waiting.recall"
            return NoticeWords(title, body, values, can_call_again=True)
        if self.heard:
            return NoticeWords(title, "staff.called.body", values)
        return NoticeWords(title, "staff.unheard.body" if unheard else "staff.sending.body", values)
