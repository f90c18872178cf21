"""The accessibility audit (issue 8): every screen, measured on its live widget tree.

For each screen: every control's size and its gaps to the others in millimetres on the panel,
every text's glyph height in millimetres, every text's contrast against the colour painted
behind it, an accessible name and description on every control, with 낮은 화면 every control
within reach, a Tab path reaching every enabled control, the working area's share of the
window (at least 75 %: height in portrait, width in landscape, of 낮은 화면's band when on)
and no word of the bars or the 도움·설정 panel broken between syllables. A table per screen
is printed
(`pytest -s`); a failure names the screen, the variant and the widget.

The whole matrix (every screen x 2 orientations x 3 text sizes x 2 themes x 낮은 화면 on and
off, on the 32-inch panel) takes several minutes, so it runs in `bench/a11y_audit.py`. In the
suite: every screen in four variants (the default view; landscape at 200 % in high contrast
with 낮은 화면; portrait at 200 % in high contrast with 낮은 화면; the default view on a
24-inch panel), one file each (`test_a11y_every_screen_*.py`), and here a few representative
screens in six more variants chosen so that every pair of settings meets at least once.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.domain.a11y import TEXT_SCALES
from kiosk.ui.render import FLOW_SAMPLES, show_screen
from kiosk.ui.widgets import Keypad
from tests.helpers.audit import (
    MIN_WORKING_AREA_SHARE,
    hidden_action,
    hidden_keys,
    step_keys_hidden,
    working_area_share,
)
from tests.helpers.audit_matrix import (
    EVERY_SCREEN,
    LANDSCAPE,
    PORTRAIT,
    Variant,
    run_audit,
    variant_id,
)

REPRESENTATIVE = (
    "home",
    "help_panel",
    "survey_question_single_choice",
    "contest_idea_text",
    "budget_projects",
    "identity_phone",
    "coach_panel_practice",  # a coach signed in, in practice: held to the share as the rest
)
# Each orientation at each text size once, the theme and 낮은 화면 alternating so that every
# orientation meets both of each; with EVERY_SCREEN that covers every pair of settings. The
# whole matrix (25 variants, every screen) is bench/a11y_audit.py: too slow for the suite.
OTHER_VARIANTS: tuple[Variant, ...] = tuple(
    (size, scale, (i + turn) % 2 == 1, (i + turn) % 2 == 0, 32)
    for turn, size in enumerate((PORTRAIT, LANDSCAPE))
    for i, scale in enumerate(TEXT_SCALES)
    if (size, scale, (i + turn) % 2 == 1, (i + turn) % 2 == 0, 32) not in EVERY_SCREEN
)


@pytest.mark.parametrize("variant", OTHER_VARIANTS, ids=variant_id)
def test_representative_screens_in_every_other_variant(qtbot, make_window, variant):
    run_audit(make_window, variant, REPRESENTATIVE, tab=False)


@pytest.mark.skipif(
    "mock" not in QTextToSpeech.availableEngines(), reason="Qt's mock speech engine is missing"
)
@pytest.mark.parametrize("size", (PORTRAIT, LANDSCAPE), ids=("portrait", "landscape"))
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_steps_primary_action_is_in_sight_on_arrival(qtbot, make_window, size, scale):
    """다음 / 보내기 / 투표하기 of every step sample, at every text size, in both orientations
    and with voice on, is wholly on screen as the step opens: no scrolling to find it; and
    the working area keeps at least three quarters of the window (height in portrait, width
    in landscape) around it."""
    window = make_window(size, speech_engine="mock")
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    window.voice.toggle()
    assert window.voice.on
    hidden = []
    for name in FLOW_SAMPLES:
        show_screen(window, name)
        where = hidden_action(window)
        if where is not None:
            hidden.append(f"{name}: {where}")
        share = working_area_share(window)
        if share is not None and share < MIN_WORKING_AREA_SHARE:
            hidden.append(f"{name}: the working area has {share:.0%} of the window")
    assert not hidden, f"{len(hidden)} steps fall short:\n" + "\n".join(hidden)


@pytest.mark.parametrize("size", (PORTRAIT, LANDSCAPE), ids=("portrait", "landscape"))
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_key_of_the_identity_keypad_is_in_sight_on_arrival(qtbot, make_window, size, scale):
    """본인 확인's keypad stands with the step's action bar, out of the scrolling area: every
    key, the readout and 다음 are on screen as the step opens, at every text size; on a
    landscape window the keypad stands beside the step's words, its keys taking the height
    the column has to spare."""
    window = make_window(size)
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    for name in ("identity_phone", "identity_birth"):
        show_screen(window, name)
        pad = window.current_screen.keypad
        assert pad is not None and pad.isVisible()
        # One action: the step's 다음 under the keys, no 확인 among them.
        keys = [key.objectName() for key in pad.findChildren(QAbstractButton)]
        assert "key_확인" not in keys and "key_0" in keys, keys
        assert hidden_keys(window) == step_keys_hidden(window) == [], name
        assert not window.scroll_area.isAncestorOf(pad)
        readouts = window.findChildren(QLabel, "identityReadout")
        (readout,) = (r for r in readouts if r.isVisible())
        assert window.pinned_slot.isAncestorOf(readout)
        slot = window.pinned_slot.geometry()
        area = window.scroll_area.geometry()
        if size == LANDSCAPE:
            assert slot.left() >= area.right(), "the keypad stands right of the words"
            if scale == 100:  # the room left in the column goes to the keys
                assert pad.key("5").height() > pad.key("5").sizeHint().height()
        else:
            assert slot.top() >= area.bottom(), "the keypad stands under the words"


@pytest.mark.parametrize("size", (PORTRAIT, LANDSCAPE), ids=("portrait", "landscape"))
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_key_of_the_staff_keypads_is_in_sight_on_arrival(qtbot, make_window, size, scale):
    """The staff PIN, the coach's sign-in and the enrolment PIN keep their readout and keypad
    in the shell's fixed place: every key on screen as the page opens at every text size,
    beside the page's words on a landscape window."""
    window = make_window(size)
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    for name in ("admin_pin", "coach_sign_in_pin", "enroll_pin"):
        show_screen(window, name)
        (pad,) = [p for p in window.findChildren(Keypad) if p.isVisible()]
        assert window.pinned_slot.isAncestorOf(pad), name
        assert hidden_keys(window) == [], name
        if size == LANDSCAPE:
            assert window.pinned_slot.geometry().left() >= window.scroll_area.geometry().right()


KEYBOARD_STEPS = (
    "survey_question_short_text",
    "survey_question_long_text",
    "contest_idea_title",
    "contest_idea_text",
    "proposal_new_text_title",
    "proposal_new_text_body",
)


@pytest.mark.parametrize("size", (PORTRAIT, LANDSCAPE), ids=("portrait", "landscape"))
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_key_of_a_steps_keyboard_is_in_sight_with_the_prompt(qtbot, make_window, size, scale):
    """A typed step's keyboard stands in the action bar with 다음 (and no 입력 완료 of its own:
    one action): every key on screen as the step opens, inside the keyboard (none under
    이전 / 다음), no key below the touch size, and the first line of the step's prompt in
    sight: above the keys in portrait, beside them in landscape."""
    window = make_window(size)
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    target = window.theme.metrics.target_px
    for name in KEYBOARD_STEPS:
        show_screen(window, name)
        screen = window.current_screen
        keyboard = screen.keyboard
        assert keyboard is not None and window.pinned_slot.isAncestorOf(keyboard), name
        assert hidden_keys(window) == [] and hidden_action(window) is None, name
        with pytest.raises(KeyError):
            keyboard.button("done")
        area = keyboard.area.rect()
        for key in keyboard.area.findChildren(QAbstractButton):
            if key.isVisible():
                assert area.contains(key.geometry()), f"{name}: {key.objectName()} overflows"
                assert min(key.width(), key.height()) >= target, f"{name}: {key.objectName()}"
        assert screen.row.widget.geometry().top() >= keyboard.geometry().bottom(), name
        prompt = next(p for p in window.findChildren(QLabel, "prompt") if p.isVisible())
        top = prompt.mapTo(window.scroll_area.viewport(), QPoint(0, 0)).y()
        line = prompt.fontMetrics().lineSpacing()
        assert top >= 0 and top + line <= window.scroll_area.viewport().height(), name


@pytest.mark.parametrize("scale", (150, 200))
def test_a_steps_keyboard_is_whole_with_the_low_screen(qtbot, make_window, scale):
    """낮은 화면 leaves a portrait window's top empty: a typed step's keyboard, short of
    height at large text, shows its text on one line with a short count beside it and the
    pages' keys by their words, and keeps every key whole at the touch size (they were
    cut under 이전 / 다음)."""
    window = make_window(PORTRAIT)
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=True)
    target = window.theme.metrics.target_px
    for name in KEYBOARD_STEPS:
        show_screen(window, name)
        keyboard = window.current_screen.keyboard
        assert keyboard is not None
        assert hidden_keys(window) == step_keys_hidden(window) == [], name
        for key in keyboard.area.findChildren(QAbstractButton):
            if key.isVisible():
                assert min(key.width(), key.height()) >= target, f"{name}: {key.objectName()}"
    show_screen(window, "survey_question_long_text")
    keyboard = window.current_screen.keyboard
    assert keyboard is not None
    if scale == 200:
        assert keyboard.squeezed
        status, frame = keyboard.status.geometry(), keyboard.display_frame.geometry()
        assert status.left() >= frame.right() and status.top() < frame.bottom()
        assert keyboard.button("page_english").text_of_lines() == "영어"
        qtbot.mouseClick(keyboard.button("ㄱ"), Qt.MouseButton.LeftButton)
        assert keyboard.status.text() == "1/300자"
    assert step_keys_hidden(window) == []


@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_the_question_beside_a_keyboard_reads_in_lines(qtbot, make_window, scale):
    """Beside a keyboard on a landscape window the question reads in lines of several words:
    the keyboard takes the width its keys need at the touch size and leaves the rest to the
    words, and a question still too large for the column is set at the body size (at 200 %
    it stood a word a line in three tenths of the width)."""
    window = make_window(LANDSCAPE)
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    body = window.theme.metrics.body_px
    for name in KEYBOARD_STEPS:
        show_screen(window, name)
        prompt = next(p for p in window.findChildren(QLabel, "prompt") if p.isVisible())
        words = prompt.text().split()
        lines = prompt.heightForWidth(prompt.width()) // prompt.fontMetrics().lineSpacing()
        assert lines < len(words), f"{name}: {len(words)} words in {lines} lines"
        assert prompt.font().pixelSize() >= body, name
        assert step_keys_hidden(window) == [], name


def test_the_key_measure_sees_keys_out_of_sight(qtbot, make_window):
    """hidden_keys finds the keys a resident could not reach: on a window too short for a
    keyboard even with keys of the touch size, its lower keys fall off the window."""
    window = make_window((1000, 1080))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    show_screen(window, "survey_question_short_text")
    assert hidden_keys(window), "the keyboard's lower rows are off the window"
    assert step_keys_hidden(window) == hidden_keys(window), "a step's keys: an audit problem"
    show_screen(window, "identity_phone")
    assert hidden_keys(window) == []
