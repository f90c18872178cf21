"""낮은 화면 (issue 8, part 4): on a 32-inch portrait panel mounted with its bottom edge 700 mm
above the floor, no control is higher than 1,220 mm (nor lower than 400 mm) once the switch is
on, on every screen; the switch itself is within reach before it is switched on."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton

from kiosk.domain.a11y import REACH_HIGH_MM, REACH_LOW_MM, Panel
from kiosk.ui.render import IDLE_PROMPT, screen_names, show_screen
from tests.helpers.audit import describe, visible
from tests.helpers.resident import find, setting_name, tap, tap_setting

BOTTOM_MM = 700.0
SIZE = (1080, 1920)


def heights_mm(window, panel: Panel, widget) -> tuple[float, float]:
    """Floor heights of the lowest and highest row of the part of `widget` on show."""
    part = widget.visibleRegion().boundingRect()
    top = widget.mapTo(window, part.topLeft()).y()
    bottom = widget.mapTo(window, part.bottomLeft() + QPoint(0, 1)).y()
    return (
        BOTTOM_MM + panel.mm(window.height() - bottom),
        BOTTOM_MM + panel.mm(window.height() - top),
    )


def out_of_reach(window, panel: Panel) -> list[str]:
    problems = []
    for b in window.findChildren(QAbstractButton):
        if not visible(b) or b.visibleRegion().isEmpty():
            continue
        low, high = heights_mm(window, panel, b)
        if high > REACH_HIGH_MM + 1e-6 or low < REACH_LOW_MM - 1e-6:
            problems.append(f"{describe(b)} spans {low:.0f}–{high:.0f} mm above the floor")
    return problems


def test_no_control_above_1220_mm_on_any_screen(qtbot, make_window):
    window = make_window(SIZE, panel_diagonal_inches=32, panel_bottom_mm=BOTTOM_MM)
    panel = Panel(32, *SIZE)
    # Off: the top bar is out of reach (the test can fail); 도움·설정 and, in its panel, the
    # switch are not.
    assert out_of_reach(window, panel)
    settings = find(window, "settingsButton")
    assert heights_mm(window, panel, settings)[1] <= REACH_HIGH_MM
    tap(qtbot, settings)
    switch = find(window, "lowScreenButton")
    assert heights_mm(window, panel, switch)[1] <= REACH_HIGH_MM
    tap(qtbot, switch)
    assert window.prefs.low_screen
    assert find(window, "lowScreenButton").isChecked()
    assert not out_of_reach(window, panel)  # the panel too, built again within the band
    tap(qtbot, find(window, "settingsClose"))
    problems = []
    for name in screen_names(window.ctx.pack):
        show_screen(window, name)
        where = f"{name}: "
        problems += [where + p for p in out_of_reach(window, panel)]
        if name == IDLE_PROMPT:
            assert window.lifecycle.prompt.geometry().top() == window.reach().top_px
        window.lifecycle.close_prompt()
    assert not problems, "\n".join(problems)


def test_the_switch_is_the_same_on_every_screen_and_resets_after_the_visit(qtbot, make_window):
    window = make_window(SIZE, panel_bottom_mm=BOTTOM_MM)
    tap_setting(qtbot, window, "lowScreenButton")
    tap(qtbot, find(window, "tile_budget"))
    assert window.prefs.low_screen and window.reach_top.isVisible()
    assert setting_name(qtbot, window, "lowScreenButton") == "원래 높이로"
    tap_setting(qtbot, window, "lowScreenButton")
    assert not window.reach_top.isVisible()
    tap_setting(qtbot, window, "lowScreenButton")
    window.end_visit()
    assert not window.prefs.low_screen


def test_a_panel_mounted_lower_needs_less_room_left_empty(make_window):
    high = make_window(SIZE, panel_bottom_mm=700)
    high.prefs.toggle_low_screen()
    low = make_window(SIZE, panel_bottom_mm=550)
    low.prefs.toggle_low_screen()
    assert 0 < low.reach().top_px < high.reach().top_px
