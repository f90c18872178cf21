"""The generic step screens (issue 18, item 4): one drawing per step kind, one runner.

A flow (kiosk.domain.steps.Flow) is data; `StepScreen` draws the step at a place of a flow,
whatever the flow: its lines, the body of its kind (choices, a keyboard, review cards), the
problem message and the 이전 / 다음 row, each in one place. Each step is its own route, named
by the step's id and carrying the flow and the place, so the bar's 이전 and the step's 이전 both
go back one step and a rebuild shows the same step with the same answers.
"""

from kiosk.ui.navigation import step_route
from kiosk.ui.steps.screen import StepScreen, enter, say

__all__ = ["StepScreen", "enter", "say", "step_route"]
