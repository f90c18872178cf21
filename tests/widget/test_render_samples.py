"""What `--render-screens` draws is what a resident meets: a lesson's lit target and veil, a
signed-in coach on every coach screen, and the screens it leaves behind freed as it goes."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel

from kiosk.i18n import Translator
from kiosk.ui.lesson import LessonOverlay, player_for
from kiosk.ui.render import COACHED_ROUTES, free_closed_screens, screen_names, show_screen


def test_the_lesson_sample_lights_its_target_and_dims_the_rest(window):
    show_screen(window, "lesson_follow")
    overlay = window.findChild(LessonOverlay, "lessonOverlay")
    assert overlay is not None and overlay.isVisibleTo(window)
    target = player_for(window).target
    assert target is not None and target.objectName() == "tile_budget"
    window.grab()  # as the render does: the picture is taken once the window is laid out
    assert overlay.hole == QRect(target.mapTo(window, QPoint(0, 0)), target.size())


def test_coach_screens_are_drawn_with_a_coach_signed_in(window):
    nobody = Translator("ko").tr("coach.panel.none")
    coached = [n for n in screen_names(None) if n.startswith(("coach", "lesson"))]
    assert {"coached_home", "coach_panel_practice", "coach_confirm", "lesson_stages"} <= set(
        coached
    )
    for name in screen_names(None):  # the practice pages have no coach of their own
        show_screen(window, name)
        shown = window.navigator.current.screen
        if shown in COACHED_ROUTES:
            assert window.coach.session is not None, name
        words = [w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window)]
        assert nobody not in words, name


def test_each_sample_frees_the_screens_the_samples_before_let_go(window):
    drawn = []
    for name in ("home", "surveys", "videos", "points", "home", "surveys"):
        show_screen(window, name)
        # What the last sample let go waits for an event loop (deleteLater); older ones are gone.
        assert not any(shiboken6.isValid(s) for s in drawn[:-1]), name
        drawn.append(window.current_screen)
    assert shiboken6.isValid(drawn[-2])
    free_closed_screens()
    assert not any(shiboken6.isValid(s) for s in drawn[:-1])
    assert shiboken6.isValid(drawn[-1])


def test_the_emergency_sign_goes_when_its_notice_ends_on_an_unshown_window(window):
    from kiosk.ui.render import sample_emergency

    window.enter_attract()
    window.hide()  # as a render draws it
    window.emergency.on_sync_emergency([sample_emergency(window.ctx.pack, window.ctx.clock())])
    assert not window.emergency.sign.isHidden()
    window.emergency.on_sync_emergency([])
    assert window.emergency.sign.isHidden()
