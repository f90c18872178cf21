"""Physical keys in the kiosk window: which control the focus moves to, in reading order.

Tab / Shift+Tab and the arrow keys move the focus through the controls in reading order (top
bar, coach band, working area, pinned total, bottom bar, in the rail or not; only the prompt's
or notice's buttons while one is up), Enter or Space presses the focused control, and a visible
keypad takes digit keys. The focused control scrolls into view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import FOCUS_REGION, Keypad

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow


def takes_tab(widget: QWidget) -> bool:
    """True for a control the keys may land on now (enabled, shown, taking Tab)."""
    # Cheapest first: most of a window's widgets sit on screens it keeps hidden.
    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.isVisibleTo(widget.window())
    )


class KeyFocus:
    """Moves the window's focus for a resident using keys.

    Attributes:
        in_use: set once the resident moves the focus by keys: each new screen then starts
            focused (a touch visit never shows a focus frame). The visit's end clears it.

    Of the window it reads the parts the keys move through (bars, coach band, working area,
    pinned total, floating panels), the idle prompt and the staff-call notice.
    """

    def __init__(self, window: KioskWindow) -> None:
        self.window = window
        self.in_use = False

    def order(self) -> list[QWidget]:
        """Every control the keys reach now, in reading order: only the idle prompt's, the
        staff notice's or the 도움·설정 panel's buttons while one is up; otherwise the top bar,
        the coach band, the working area, the pinned total, the bottom bar and any panel
        floating over the screen (a widget of the window with the FOCUS_REGION property), each
        in its focus-chain order. In the rail of a landscape window that is its upper part
        (도움·설정), the working column from the top, then the rail's lower part: 이전,
        직원 호출, 처음으로 last, as on a portrait window."""
        w = self.window
        prompt, notice = w.lifecycle.prompt, w.staff_call.notice
        regions: list[QWidget]
        if prompt is not None and prompt.isVisible():
            regions = [prompt]
        elif notice is not None and notice.isVisible():
            regions = [notice]
        elif w.settings.panel is not None:
            regions = [w.settings.panel]
        elif w.current_screen is not None and w.current_screen.fills_window:
            regions = [w.full_page]
        else:
            regions = [w.top_bar, w.coach_banner.bar, w.scroll_area, w.pinned_slot]
            regions.append(w.bottom_bar)
            # Panels floating over the screen (a lesson's guide) come last.
            regions += [
                child
                for child in w.children()
                if isinstance(child, QWidget) and child.property(FOCUS_REGION) and child.isVisible()
            ]
        # The window's focus chain holds every control it has built (the screens it keeps
        # too): walk it once, with a set for the loop check, and keep only what takes Tab now.
        chain: list[QWidget] = []
        walked: dict[int, QWidget] = {}  # holds each wrapper, so that no id is reused
        widget = w.nextInFocusChain()
        while widget is not None and widget is not w and id(widget) not in walked:
            walked[id(widget)] = widget
            if takes_tab(widget):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        order: list[QWidget] = []
        for region in regions:
            order += [c for c in chain if region.isAncestorOf(c)]
        return order

    def focus_first(self, screen: Screen) -> None:
        """Put the focus on the first control of a new screen, for a resident using keys."""
        if not self.in_use or screen.fills_window:
            return
        roots = [screen] if screen.pinned is None else [screen, screen.pinned]
        for widget in self.order():
            if any(root.isAncestorOf(widget) for root in roots):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def step(self, forward: bool) -> bool:
        """Tab, Shift+Tab, ← and → (and ↑ ↓ via `key_press`) walk `order`; from no focus, the
        first step lands on the working area's first control. False when nothing takes it."""
        w = self.window
        # None when nothing has the focus (PySide6's stub forgets that).
        current: QWidget | None = w.focusWidget()
        by_key = current is None or (current.isVisible() and current.isEnabled())
        if current is not None and not by_key:
            # Qt moving the focus off a control being hidden or disabled (a screen replaced,
            # 아래로 at the end), not a key: a touch leaves no focus behind; a resident on keys
            # goes on from there, without the working area jumping.
            if not self.in_use:
                current.clearFocus()
                return True
        elif not self.in_use:
            # Qt puts the focus on the first control of a new window by itself; the first key
            # of a visit goes to the working area wherever that left it.
            self.in_use = True
            current = None
        order = self.order()
        if not order:
            return False
        if current in order:
            target = order[(order.index(current) + (1 if forward else -1)) % len(order)]
        else:
            content = [c for c in order if w.scroll_area.isAncestorOf(c)] or order
            target = content[0] if forward else content[-1]
        target.setFocus(
            Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
        )
        if by_key and w.scroll_area.isAncestorOf(target):
            w.scroll_area.ensureWidgetVisible(target, 0, w.theme.metrics.gap_px * 2)
        return True

    def key_press(self, event: QKeyEvent) -> bool:
        """A key no control took: ↑ ↓ move as ← → do, digits go to a keypad on show. True
        when it was used."""
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.window.focusNextPrevChild(event.key() == Qt.Key.Key_Down)
            return True
        w = self.window
        screen = w.current_screen
        if screen is not None and not screen.fills_window:
            # In the screen, or in what it pins under the working area (본인 확인's keypad).
            keypads = screen.findChildren(Keypad) + w.pinned_slot.findChildren(Keypad)
            for keypad in keypads:
                if keypad.isVisible() and keypad.press_key(event):
                    return True
        return False
