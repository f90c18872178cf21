"""A screen is laid out the same whichever screen came before it (issue 17: in one render run
a screen drawn after another came out otherwise than drawn alone)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.ui.render import free_closed_screens, show_screen
from tests.helpers.audit import clipped_labels, cut_words

PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)


def drawn(window, name: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """`name` as a render draws it: shown, then measured at once (as the audit measures it),
    before the event loop has a turn to tidy up: the working area's viewport and the
    screen's size."""
    show_screen(window, name)
    viewport = window.scroll_area.viewport().size().toTuple()
    return viewport, window.current_screen.size().toTuple()


def rail_buttons(window) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Where the rail's buttons stand now."""
    return [
        (b.objectName(), QRect(b.mapTo(window, QPoint(0, 0)), b.size()).getRect())
        for b in window.rail.findChildren(QAbstractButton)
        if b.isVisible()
    ]


@pytest.mark.parametrize(
    ("size", "scale", "diagonal", "before", "name"),
    [
        # A screen whose words overflow (a scroll bar) before one whose words fit: the
        # scroll bar of the one before narrowed the next one's viewport, cutting its words.
        # (The bottom bar's 직원 호출 may still stand a few pixels otherwise: the working
        # area and the rail are compared, not the whole picture.)
        (PORTRAIT, 100, 32.0, ("admin_status",), "home"),
        # The staff PIN page before a list: the rail's buttons kept the heights they had
        # been given for the screen before.
        (LANDSCAPE, 200, 32.0, ("home", "admin_pin"), "surveys"),
        # A paged list after a screen with a scroll bar: fitted first to the width the bar
        # left, then to the whole width, a card kept the height of one line for two.
        (PORTRAIT, 200, 32.0, ("admin_status",), "contest_entries"),
    ],
    ids=("scroll-bar", "rail", "paged-after-scroll-bar"),
)
def test_a_screen_shown_after_others_is_drawn_as_when_shown_alone(
    qtbot, make_window, size, scale, diagonal, before, name
):
    def window():
        made = make_window(size, panel_diagonal_inches=diagonal)
        made.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
        return made

    first = window()
    alone = drawn(first, name)
    alone_rail = rail_buttons(first)
    later = window()
    for earlier in before:
        drawn(later, earlier)
        QApplication.processEvents()  # as a render does between pictures
        later.lifecycle.close_prompt()
        free_closed_screens()
    after = drawn(later, name)
    assert cut_words(later) == []
    QApplication.processEvents()  # drawn as a render draws it (kiosk.ui.render.render_screens)
    assert clipped_labels(later) == []
    where = f"{name} after {' and '.join(before)}, against {name} alone"
    assert after == alone, where
    assert rail_buttons(later) == alone_rail, where
