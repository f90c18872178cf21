"""본인 확인 asked by a screen that is not a step flow of its own (agreeing with a proposal, a
budget ballot, points): the identify step (kiosk.domain.identify, drawn by kiosk.ui.steps) of a
one-step flow that hands the identity back to the asking screen.

A screen asks by navigating to `identity_route(request)`. Once identified, the request's
`on_identified` makes the act; it answers None when the flow moved on, or the words of a
refusal ("이미 투표하셨습니다") that the step shows, with 이전 and 처음으로; the identity goes
with the visit.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.identify import IDENTITY, Field, IdentityEntry, identify_step, phone_checked
from kiosk.domain.identity import Identified
from kiosk.domain.steps import At, Flow, Move, Step
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.steps import StepScreen

# What a screen hands the identity step: the act itself, given the identity; None when the
# flow moved on, or the words of a refusal to show.
OnIdentified = Callable[[ScreenEnv, Identified], str | None]


class IdentityRequest(Flow):
    """A screen's request for identity: a flow of one identify step, carried by its routes (it
    survives a rebuild).

    Attributes:
        on_identified: called with the result; returns None when the screen moved on, or the
            words of a refusal to show.
    """

    def __init__(self, purpose_id: str, server_key: str | None, on_identified: OnIdentified):
        self.identity_purpose = purpose_id
        self.entry = IdentityEntry(purpose_id, server_key)
        self.on_identified = on_identified

    def __repr__(self) -> str:
        return f"IdentityRequest({self.identity_purpose}, <hidden>)"

    def first(self) -> At:
        return At(IDENTITY, "phone")

    def step(self, at: At) -> Step:
        assert self.entry is not None
        return identify_step(self.entry, at)

    def next(self, at: At) -> Move:
        assert self.entry is not None
        return phone_checked(self.entry, at)


def identity_route(request: IdentityRequest, field: Field = "phone") -> Route:
    return step_route(request, At(IDENTITY, field))


class IdentityScreen(StepScreen):
    """The identify step of any flow; for an `IdentityRequest`, its act is the request's."""

    def on_identified(self) -> None:
        flow = self.flow
        if not isinstance(flow, IdentityRequest):
            super().on_identified()
            return
        assert flow.identity is not None
        refusal = flow.on_identified(self.env, flow.identity)
        if refusal is not None:
            self.refuse(refusal)


SCREENS: dict[str, type[Screen]] = {IDENTITY: IdentityScreen}
