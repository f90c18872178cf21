"""Every resident flow by physical keys alone: Tab and the arrows to move, Enter or Space to
press, a keypad's digit keys for numbers. No mouse event is sent."""

from __future__ import annotations

from datetime import datetime

import pytest
from nacl.public import PrivateKey
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from contract.content import KST
from kiosk.ui.paging import Pages
from kiosk.ui.widgets import LastInput, WrapButton
from tests.helpers.keys import (
    BACKTAB,
    DOWN,
    LEFT,
    RIGHT,
    SPACE,
    TAB,
    UP,
    focused,
    key,
    move_to,
    press,
    type_digits,
)
from tests.helpers.resident import find, on, words
from tests.widget.test_ballot_flow import BIRTH, PHONE, enrol

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


class NoMouse(QObject):
    """Fails the test on any mouse press anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self.presses += 1
        return False


@pytest.fixture
def kiosk(make_window):
    window = make_window()
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    watcher = NoMouse()
    QApplication.instance().installEventFilter(watcher)
    yield window
    QApplication.instance().removeEventFilter(watcher)
    assert watcher.presses == 0


def identify_by_keys(qtbot, window) -> None:
    """The phone number from the keypad's digit keys, the birth date by moving to each key of
    the on-screen keypad with the arrows and pressing it with Space."""
    assert on(window) == "identity"
    press(qtbot, window, "flowNext")  # 본인 확인's first page: why it is asked
    type_digits(qtbot, window, PHONE)
    assert find(window, "identityReadout").text() == f"010-****-{PHONE[-4:]}"
    press(qtbot, window, "flowNext")
    for digit in BIRTH:
        press(qtbot, window, f"key_{digit}", step=DOWN, with_key=SPACE)
    assert find(window, "identityReadout").text() == f"{BIRTH[:4]}.**.**"
    press(qtbot, window, "flowNext")


def test_the_first_tab_lands_on_the_working_area_and_order_is_reading_order(qtbot, kiosk):
    key(qtbot, kiosk, TAB)
    assert focused(kiosk).objectName() == "tile_surveys"
    names = [focused(kiosk).objectName()]
    for _ in range(9):
        key(qtbot, kiosk, TAB)
        names.append(focused(kiosk).objectName())
    # Tiles, then the bottom bar (the top bar holds no control), and back to the first tile.
    tiles = ("surveys", "proposals", "budget", "videos", "points")
    assert names[:5] == [f"tile_{a}" for a in tiles]
    assert names[5] == "simpleModeButton"
    # 위로 / 아래로 are hidden (the tiles fit), 이전 is disabled.
    assert names[6:9] == ["staffCallButton", "settingsButton", "homeButton"]
    assert names[9] == "tile_surveys"
    # Backwards, and the arrows walk the same way.
    key(qtbot, kiosk, BACKTAB)
    assert focused(kiosk).objectName() == "homeButton"
    key(qtbot, kiosk, RIGHT)
    key(qtbot, kiosk, DOWN)
    assert focused(kiosk).objectName() == "tile_proposals"
    key(qtbot, kiosk, UP)
    key(qtbot, kiosk, LEFT)
    assert focused(kiosk).objectName() == "homeButton"


def test_the_focus_frame_is_thick_and_on_the_focused_control_only(qtbot, kiosk):
    move_to(qtbot, kiosk, "tile_budget")
    tile = focused(kiosk)
    assert isinstance(tile, WrapButton)
    m = kiosk.theme.metrics
    assert m.focus_px >= 2 * m.border_px  # a frame twice as thick, not only a colour
    assert tile.lines[0].property("state") == "focused"
    other = find(kiosk, "tile_videos")
    assert other.lines[0].property("state") == "normal"


def test_a_survey_by_keys_typing_on_the_on_screen_keyboard(qtbot, kiosk):
    press(qtbot, kiosk, "tile_surveys")
    press(qtbot, kiosk, "survey_2026-senior-digital")
    press(qtbot, kiosk, "startButton")
    press(qtbot, kiosk, "choice_80plus")
    press(qtbot, kiosk, "flowNext")
    press(qtbot, kiosk, "choice_False", with_key=SPACE)
    press(qtbot, kiosk, "flowNext")
    press(qtbot, kiosk, "choice_eyesight")
    press(qtbot, kiosk, "flowNext")
    press(qtbot, kiosk, "choice_4")
    press(qtbot, kiosk, "flowNext")
    for jamo in "ㄱㅣㅊㅏ":  # 기차, key by key on the keyboard
        press(qtbot, kiosk, f"key_{jamo}", step=RIGHT)
    assert kiosk.current_screen.keyboard.text() == "기차"
    press(qtbot, kiosk, "flowNext")
    press(qtbot, kiosk, "flowNext")  # optional: skipped
    assert on(kiosk) == "survey_review"
    press(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "points_choice"
    press(qtbot, kiosk, "earn_anonymous")
    assert on(kiosk) == "thanks"
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "survey_response"
    assert envelope.payload["answers"]["age"] == "80plus"
    assert envelope.payload["answers"]["want_to_learn"] == "기차"


def test_a_contest_vote_by_keys(qtbot, kiosk):
    press(qtbot, kiosk, "tile_surveys")
    press(qtbot, kiosk, "contest_2026-alley-photo")
    press(qtbot, kiosk, "voteButton")
    press(qtbot, kiosk, "entry_market")
    press(qtbot, kiosk, "entry_ginkgo", with_key=SPACE)
    press(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "contest_vote_review"
    press(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "points_choice"
    press(qtbot, kiosk, "earnPoints")
    identify_by_keys(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.payload == {"contest_id": "2026-alley-photo", "entry_ids": ["market", "ginkgo"]}


def test_a_proposal_agree_with_identity_by_keys(qtbot, kiosk):
    press(qtbot, kiosk, "tile_proposals")
    press(qtbot, kiosk, "proposal_lunch-yaksu")
    press(qtbot, kiosk, "agreeButton")
    identify_by_keys(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "proposal_agree" and envelope.payload == {"proposal_id": "lunch-yaksu"}


def test_a_budget_ballot_with_identity_by_keys(qtbot, kiosk):
    press(qtbot, kiosk, "tile_budget")
    press(qtbot, kiosk, "voteButton")
    press(qtbot, kiosk, "dong_myeong")
    for project in ("myeong-lights", "myeong-benches", "myeong-recycling"):
        press(qtbot, kiosk, f"project_{project}")
    assert "남은 예산 100만원" in find(kiosk, "ballotStatus").text()
    press(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "budget_review"
    press(qtbot, kiosk, "submitButton")
    identify_by_keys(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "ballot"


def test_points_lookup_offline_by_keys(qtbot, kiosk):
    press(qtbot, kiosk, "tile_points")
    press(qtbot, kiosk, "checkPoints")
    identify_by_keys(qtbot, kiosk)
    assert on(kiosk) == "points_balance"
    assert find(kiosk, "points_offline").text() == "연결되면 확인할 수 있습니다"
    assert "포인트는 없어지지 않습니다" in words(kiosk)
    # 처음으로 by keys ends where it started.
    press(qtbot, kiosk, "homeButton")
    assert on(kiosk) == "home"


def test_keys_on_the_idle_prompt_stay_on_it(qtbot, kiosk, idle_clock):
    press(qtbot, kiosk, "tile_videos")
    idle_clock.advance(101)
    kiosk.idle.check()
    assert kiosk.lifecycle.prompt.isVisible()
    for _ in range(3):
        key(qtbot, kiosk, TAB)
        assert kiosk.lifecycle.prompt.isAncestorOf(focused(kiosk))
    press(qtbot, kiosk, "idleExtend")
    assert not kiosk.lifecycle.prompt.isVisible() and on(kiosk) == "videos"


def test_simple_mode_by_keys_shows_only_todays_tasks_and_opens_one(qtbot, kiosk):
    press(qtbot, kiosk, "simpleModeButton")
    assert kiosk.prefs.simple_mode
    # A page of them at a time where they do not all fit (kiosk.ui.paging).
    (pages,) = kiosk.current_screen.findChildren(Pages)
    shown_tiles = [w.objectName() for w in pages.items if w.property("tile")]
    assert shown_tiles == [
        "today_survey_2026-senior-digital",
        "today_survey_2026-walkable-junggu",
        "today_survey_2026-quiz-ontong",
        "today_contest_2026-alley-photo",
        "today_budget",
    ]
    assert "오늘 참여할 수 있는 일만" in words(kiosk)
    press(qtbot, kiosk, "today_survey_2026-walkable-junggu")
    assert on(kiosk) == "survey_intro"
    # 간편 모드 asks only the required questions: the count says so from the first one.
    survey = kiosk.ctx.pack.survey("2026-walkable-junggu")
    required = sum(q.required and q.show_if is None for q in survey.questions)
    assert required < len(survey.questions)
    press(qtbot, kiosk, "startButton")
    assert on(kiosk) == "survey_question"
    assert find(kiosk, "progress").text().endswith(f"1 / {required}")
    press(qtbot, kiosk, "homeButton")
    press(qtbot, kiosk, "homeButton")
    assert kiosk.prefs.simple_mode  # kept for the visit
    kiosk.end_visit()
    assert not kiosk.prefs.simple_mode


@pytest.mark.parametrize("scale", (100, 200))
def test_the_keys_reach_the_fixed_action_bar_after_the_steps_options(make_window, scale):
    """다음 stands in the bar under the scrolling working area; Tab reaches it after every
    option of the step, before the bottom bar."""
    from kiosk.ui.render import show_screen

    window = make_window()
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    show_screen(window, "survey_question_single_choice")
    screen = window.current_screen
    order = window.key_focus.order()
    action = screen.row.next
    assert window.pinned_slot.isAncestorOf(action)
    assert action in order
    # (The options of the page shown: the others are on pages of their own.)
    assert max(order.index(b) for b in screen.choices if b.isVisible()) < order.index(action)
    assert all(
        order.index(action) < order.index(b) for b in order if window.bottom_bar.isAncestorOf(b)
    )


def test_every_window_shares_the_applications_one_focus_ring_filter(qtbot, make_window):
    first = make_window()
    key(qtbot, first, TAB)
    assert first.last_input.keys
    second = make_window()
    assert second.last_input is first.last_input
    assert not second.last_input.keys  # a new window starts as after a tap
    app = QApplication.instance()
    assert [type(c) for c in app.children()].count(LastInput) == 1
