"""A resident's physical keys for widget tests: Tab, arrows, Enter and Space, never the mouse.

Every key goes to the widget that has the focus (or the window when none has), as a kiosk
keypad's keys would.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.helpers.resident import settle

TAB, BACKTAB = Qt.Key.Key_Tab, Qt.Key.Key_Backtab
DOWN, UP, LEFT, RIGHT = Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Left, Qt.Key.Key_Right
ENTER, SPACE = Qt.Key.Key_Return, Qt.Key.Key_Space
MOST_STEPS = 150


def focused(window: QWidget) -> QWidget | None:
    widget = window.focusWidget()
    return widget if widget is not None and widget.isVisible() else None


def key(qtbot, window: QWidget, which: Qt.Key, text: str = "") -> None:
    target = focused(window) or window
    if text:
        qtbot.keyClicks(target, text)
    else:
        qtbot.keyClick(target, which)
    settle()


def move_to(qtbot, window: QWidget, name: str, step: Qt.Key = TAB) -> QWidget:
    """Press `step` until the control called `name` has the focus; fails after MOST_STEPS."""
    seen: list[str] = []
    for _ in range(MOST_STEPS):
        widget = focused(window)
        if widget is not None and widget.objectName() == name:
            return widget
        seen.append(widget.objectName() if widget is not None else "-")
        key(qtbot, window, step)
    raise AssertionError(f"{name} never took the focus by {step.name}; went {seen[:40]}")


def press(qtbot, window: QWidget, name: str, step: Qt.Key = TAB, with_key: Qt.Key = ENTER):
    """Move to the control called `name` and press it with Enter (or Space), turning to its
    page first (다음 쪽 / 이전 쪽 by keys) where it is on another page of a list."""
    turn_by_keys(qtbot, window, name)
    move_to(qtbot, window, name, step)
    key(qtbot, window, with_key)


def turn_by_keys(qtbot, window: QWidget, name: str) -> None:
    from kiosk.ui.paging import pages_of

    for item in window.findChildren(QWidget, name):
        pages = pages_of(item)
        if pages is None or not pages.isVisible():
            continue
        while (page := pages.page_of(item)) != pages.page:
            control = pages.next if page > pages.page else pages.previous
            press(qtbot, window, control.objectName())
        return


def type_digits(qtbot, window: QWidget, digits: str) -> None:
    """Digits from a physical keypad, as the kiosk's number keys send them."""
    for digit in digits:
        key(qtbot, window, Qt.Key(Qt.Key.Key_0 + int(digit)), digit)
