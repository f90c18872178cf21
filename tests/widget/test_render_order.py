"""A screen is laid out the same whichever screen came before it (issue 17: in one render run
a screen drawn after another came out otherwise than drawn alone)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.ui.render import free_closed_screens, show_screen
from tests.helpers.audit import cut_words

PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)


def drawn(window, name: str) -> tuple[tuple[int, int], tuple[int, int], QImage]:
    """`name` as a render draws it: shown, then measured and its picture taken at once (as
    the audit measures it), before the event loop has a turn to tidy up: the working area's
    viewport, the screen's size and the window's picture."""
    show_screen(window, name)
    viewport = window.scroll_area.viewport().size().toTuple()
    return viewport, window.current_screen.size().toTuple(), window.grab().toImage()


@pytest.mark.parametrize(
    ("size", "scale", "diagonal", "before", "name", "whole_picture"),
    [
        # A screen whose words overflow (a scroll bar) before one whose words fit: the
        # scroll bar of the one before narrowed the next one's viewport, cutting its words.
        # (The bottom bar's 직원 호출 may still stand a few pixels otherwise: the working
        # area is compared, not the whole picture.)
        (PORTRAIT, 100, 32.0, ("admin_status",), "home", False),
        # The staff PIN page before a list: the rail's buttons kept the heights they had
        # been given for the screen before.
        (LANDSCAPE, 200, 32.0, ("home", "admin_pin"), "surveys", True),
    ],
    ids=("scroll-bar", "rail"),
)
def test_a_screen_shown_after_others_is_drawn_as_when_shown_alone(
    qtbot, make_window, size, scale, diagonal, before, name, whole_picture
):
    def window():
        made = make_window(size, panel_diagonal_inches=diagonal)
        made.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
        return made

    alone = drawn(window(), name)
    later = window()
    for earlier in before:
        drawn(later, earlier)
        QApplication.processEvents()  # as a render does between pictures
        later.lifecycle.close_prompt()
        free_closed_screens()
    after = drawn(later, name)
    assert cut_words(later) == []
    where = f"{name} after {' and '.join(before)}, against {name} alone"
    assert after[:2] == alone[:2], where
    if whole_picture:
        assert after[2] == alone[2], where
