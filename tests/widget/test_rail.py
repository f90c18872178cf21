"""The rail of a landscape window reads from the top in the order a resident needs it: the
온통중구 header and 도움·설정 apart at the head; 이전, 직원 호출 and 처음으로 together at the
foot, each button in one column, as tall as its words, its words on one line (issue 17: the
buttons stood in a staircase and 직원 호출 wrapped at 200 %)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.ui.icons import IconLine
from kiosk.ui.render import free_closed_screens, show_screen
from tests.helpers.resident import find, on, tap, tap_setting

LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)
# The rail's buttons from the top (the screen's own 이전 hides the rail's).
READING_ORDER = ["settingsButton", "backButton", "staffCallButton", "homeButton"]


def at(window, size, scale: int, name: str):
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    show_screen(window, name)
    return window


def rail_buttons(window) -> list[tuple[QAbstractButton, QRect]]:
    """The rail's shown buttons and where they stand in the window, from the top."""
    found = [
        (b, QRect(b.mapTo(window, QPoint(0, 0)), b.size()))
        for b in window.rail.findChildren(QAbstractButton)
        if b.isVisible()
    ]
    return sorted(found, key=lambda pair: pair[1].top())


def one_line(button) -> tuple[bool, str]:
    """Whether the button's words stand on one line in its width (beside their icon)."""
    (line,) = button.findChildren(IconLine)
    metrics = line.fontMetrics()
    room = line.contentsRect().width()
    words = metrics.horizontalAdvance(line.text())
    whole = words <= room and line.height() < 2 * metrics.lineSpacing()
    return whole, f"{line.text()!r}: {words} px in {room}, {line.height()} px high"


@pytest.mark.parametrize(
    ("scale", "name"),
    [
        (200, "home"),
        (200, "survey_question_single_choice"),
        (150, "home"),
        (100, "survey_question_single_choice"),
    ],
)
def test_the_rail_reads_from_the_top_in_one_column_with_whole_words(
    qtbot, make_window, scale, name
):
    window = at(make_window(LANDSCAPE), LANDSCAPE, scale, name)
    buttons = rail_buttons(window)
    shown = [b.objectName() for b, _ in buttons]
    assert shown == [n for n in READING_ORDER if n in shown], shown
    assert {"settingsButton", "staffCallButton", "homeButton"} <= set(shown)
    # The screen's own 이전 hides the rail's (one 이전 a screen), the home screen's stays.
    assert ("backButton" in shown) == (name == "home")
    rects = [r for _, r in buttons]
    # One column, no staircase: the same left edge and width, one under another.
    assert len({(r.left(), r.width()) for r in rects}) == 1, rects
    for upper, lower in zip(rects, rects[1:], strict=False):
        assert upper.bottom() < lower.top(), rects
    # As tall as their words: no button stretched by the height left over.
    assert len({r.height() for r in rects}) == 1, rects
    # 도움·설정 under the header, apart; 이전, 직원 호출 and 처음으로 together at the foot.
    brand = window_rect_of(window, find(window, "brand"))
    assert rects[0].top() - brand.bottom() < window.theme.metrics.gap_px * 2
    gap = window.theme.metrics.gap_px * 2
    assert rects[1].top() - rects[0].bottom() > rects[0].height()
    for upper, lower in zip(rects[1:], rects[2:], strict=False):
        assert lower.top() - upper.bottom() < gap
    assert rects[-1].bottom() >= window.height() - gap
    for button, _ in buttons:
        whole, why = one_line(button)
        assert whole, why
    # Icons on every button or on none; on all of them where the rail with them stays
    # within a fifth of the width (at 100 % and 150 %; at 200 % the keypads beside a step's
    # words need the width).
    icons = {button.findChild(IconLine).icon_shown for button, _ in buttons}
    assert icons == ({True} if scale < 200 else {False})
    # A quarter of the width at most: the working area keeps three quarters.
    assert window.rail.width() <= window.width() // 4
    assert window.scroll_area.width() >= 0.75 * window.width()


def window_rect_of(window, widget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_settings_stand_low_where_the_window_top_is_out_of_a_seated_reach(qtbot, make_window):
    """A landscape panel mounted high (its top above 1,220 mm): 도움·설정, which switches 낮은
    화면 on, heads the rail's foot, within reach; with 낮은 화면 on it goes back to the head
    (the window's band is all in reach)."""
    window = make_window(LANDSCAPE, panel_bottom_mm=900.0)  # 32-inch: its top at 1,298 mm
    at(window, LANDSCAPE, 100, "home")
    shown = [b.objectName() for b, _ in rail_buttons(window)]
    assert shown == ["settingsButton", "backButton", "staffCallButton", "homeButton"]
    settings = window_rect_of(window, find(window, "settingsButton"))
    assert settings.top() > window.height() // 2
    window.prefs.set(language="ko", text_scale=100, high_contrast=False, low_screen=True)
    assert window.rail.isVisible()
    band = window.reach_rect()
    assert band.top() > 0
    settings = window_rect_of(window, find(window, "settingsButton"))
    assert band.contains(settings)
    assert settings.top() < band.center().y()


def bar_icons(window) -> list[tuple[str, bool, tuple[int, int, int, int]]]:
    return [
        (b.objectName(), line.icon_shown, QRect(b.mapTo(window, QPoint(0, 0)), b.size()).getRect())
        for bar in (window.top_bar, window.bottom_bar)
        for b in bar.findChildren(QAbstractButton)
        if b.isVisible()
        for line in b.findChildren(IconLine)
    ]


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=("portrait", "landscape"))
def test_the_bars_icons_do_not_depend_on_the_screen_before(qtbot, make_window, size):
    """A bar's icons and its buttons' widths come out the same whichever screen came
    before (the 이전 of a portrait bottom bar at 200 % kept an icon the row had no room for
    after a screen at 150 %, and lost it after the attract loop)."""
    alone = at(make_window(size), size, 200, "home")
    first = bar_icons(alone)
    later = make_window(size)
    at(later, size, 150, "staff_call_open")
    QApplication.processEvents()
    free_closed_screens()
    at(later, size, 200, "home")
    assert bar_icons(later) == first
    # Within one row, all the icons or none (a row's words keep the room).
    rows: dict[int, set[bool]] = {}
    for _, icon, (_, y, _, _) in first:
        rows.setdefault(y, set()).add(icon)
    assert all(len(icons) == 1 for icons in rows.values()), first


def test_the_portrait_bottom_row_keeps_small_icons_at_200(qtbot, make_window):
    """At 200 % on a portrait window the row of 이전, 도움·설정 and 처음으로 had no room for
    full-size icons beside its words (114 px short) and showed none: its icons stand small
    (about the words' cap height), all of them, its words on one line, the bar no higher and
    the working area at three quarters at least; 직원 호출 alone in its row keeps its full
    icon. (The landscape rail at 200 % keeps none: beside the words they need a rail of
    443 px within its margins, a fifth of the window holds 362; over the words they would
    add a row's icon to each of five rows, and the bare rail already takes 1,004 of the
    1,080 px.)"""
    window = at(make_window(PORTRAIT), PORTRAIT, 200, "home")
    tap(qtbot, find(window, "tile_surveys"))
    bars = window.bars
    for where in ("a list", "home again"):
        QApplication.processEvents()
        row = [bars.back_button, bars.settings_button, bars.home_button]
        lines = [button.findChild(IconLine) for button in row]
        assert all(button.isVisible() for button in row), where
        assert all(line.icon_shown and line.icon_small for line in lines), where
        for line in lines:
            assert line.heightForWidth(line.width()) <= line.fontMetrics().lineSpacing() + 2
        staff = bars.staff_call_button.findChild(IconLine)
        assert staff.icon_shown and not staff.icon_small
        assert lines[0].icon_side() < staff.icon_side()
        assert window.scroll_area.height() >= 0.75 * window.height()
        if where == "a list":
            tap(qtbot, bars.back_button)
            assert on(window) == "home"


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=("landscape", "portrait"))
def test_the_english_settings_label_stands_on_one_line_at_large_text(qtbot, make_window, size):
    """도움·설정's English words on one line in the landscape rail and the portrait bar at
    150 % and 200 % ("Help & settings" broke between its words)."""
    window = make_window(size)
    tap_setting(qtbot, window, "languageButton")
    assert window.prefs.language == "en"
    for scale in (150, 200):
        while window.prefs.text_scale != scale:
            tap_setting(qtbot, window, "textSizeButton")
        settings = find(window, "settingsButton")
        assert settings.accessibleName().startswith(window.translator.tr("bar.settings"))
        whole, why = one_line(settings)
        assert whole, f"{scale} %: {why}"
