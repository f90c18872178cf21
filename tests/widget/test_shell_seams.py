"""The kiosk window's collaborators working together: a visit's end reaches every one of them.

The window gives its jobs to collaborators (bars, key focus, visit lifecycle, staff call, coach
banner); these tests drive the window as a resident does and check that what one part starts,
the visit's end takes back in all the others.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from contract.content import KST
from kiosk.domain.a11y import TEXT_SCALES
from tests.helpers.resident import find, on, setting_name, settle, shown, tap, tap_name, tap_setting

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
DIGITAL = "2026-senior-digital"


@pytest.fixture
def kiosk(make_window, idle_clock):
    window = make_window(speech_engine="mock")
    window.ctx.clock = lambda: NOW
    window.staff_call.monotonic = idle_clock
    return window


def half_answer_a_survey(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"survey_{DIGITAL}")
    tap_name(qtbot, window, "startButton")
    tap_name(qtbot, window, "choice_80plus")
    assert on(window) == "survey_question"


def expire(window, idle_clock) -> None:
    idle_clock.advance(window.ctx.config.idle_timeout_s + 1)
    window.idle.check()
    window.idle.check()


def test_an_idle_reset_takes_back_everything_the_visit_changed(qtbot, kiosk, idle_clock):
    half_answer_a_survey(qtbot, kiosk)
    visit = kiosk.visit
    QTest.keyClick(kiosk, Qt.Key.Key_Tab)  # keys in use: each screen now starts focused
    tap_setting(qtbot, kiosk, "textSizeButton")
    tap_setting(qtbot, kiosk, "lowScreenButton")
    tap_setting(qtbot, kiosk, "voiceButton")
    tap_name(qtbot, kiosk, "staffCallButton")
    assert shown(kiosk, "staffCallNotice") and shown(kiosk, "reachTop")
    assert kiosk.key_focus.in_use and kiosk.voice.settings.on

    expire(kiosk, idle_clock)

    assert kiosk.in_attract
    assert kiosk.visit is not visit  # what the visit sent is forgotten with it
    assert not kiosk.navigator.can_go_back  # the routes that held the answers are gone
    assert not kiosk.key_focus.in_use
    assert not kiosk.voice.settings.on
    assert kiosk.prefs.text_scale == TEXT_SCALES[0] and not kiosk.prefs.low_screen
    assert not shown(kiosk, "staffCallNotice") and not shown(kiosk, "idleVeil")

    tap(qtbot, kiosk.current_screen)  # the next resident
    assert on(kiosk) == "home" and not kiosk.back_button.isEnabled()
    assert not shown(kiosk, "reachTop")
    size = setting_name(qtbot, kiosk, "textSizeButton")
    assert kiosk.translator.tr(f"bar.text_size.{TEXT_SCALES[0]}") in size
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, f"survey_{DIGITAL}")
    tap_name(qtbot, kiosk, "startButton")
    assert [b.objectName() for b in kiosk.current_screen.choices if b.selected] == []


def test_the_idle_prompt_follows_the_reach_as_the_window_turns(qtbot, kiosk, idle_clock):
    tap_setting(qtbot, kiosk, "lowScreenButton")
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s - kiosk.ctx.config.idle_warning_s + 1)
    kiosk.idle.check()
    assert shown(kiosk, "idleVeil")
    kiosk.resize(1920, 1080)
    # Sizes are millimetres: the prompt is built again for the new size at the next tick.
    settle()
    kiosk.idle.check()
    band = kiosk.reach_rect()
    assert find(kiosk, "idleVeil").geometry() == band
    # Only the prompt's buttons take the keys while it is up.
    assert kiosk.key_focus.order() == [find(kiosk, "idleExtend")]
