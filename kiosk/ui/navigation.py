"""Where the resident is: a stack of routes. Plain Python, so flows can be tested without Qt.

A route names a screen and its parameters; the screen widget is rebuilt from the route whenever
the text size, theme or language changes, so no state lives only inside a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.domain.steps import At, Flow

HOME = "home"


@dataclass(frozen=True)
class Route:
    screen: str
    params: dict[str, Any] = field(default_factory=dict)


def step_route(flow: Flow, at: At) -> Route:
    """The route that shows the step at `at` of `flow` (drawn by kiosk.ui.steps): named by the
    step's id, so the shell, lessons and staff calls know where the resident is."""
    return Route(at.step, {"flow": flow, "at": at})


class Navigator:
    """The history behind "이전" and "처음으로"."""

    def __init__(self) -> None:
        self._stack: list[Route] = [Route(HOME)]

    @property
    def current(self) -> Route:
        return self._stack[-1]

    @property
    def can_go_back(self) -> bool:
        return len(self._stack) > 1

    def push(self, route: Route) -> Route:
        self._stack.append(route)
        return route

    def replace(self, route: Route) -> Route:
        self._stack[-1] = route
        return route

    def back(self) -> Route:
        if self.can_go_back:
            self._stack.pop()
        return self.current

    def home(self) -> Route:
        del self._stack[1:]
        return self.current
