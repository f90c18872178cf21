"""Lessons by taps (issue 9, parts 3 and 4): a coach opens the lessons from the coach menu and plays
one in its four stages over the real screens — 보기 plays itself to the end, 따라하기 lets only
the highlighted target respond and answers a wrong tap with a spoken and shown hint, 혼자하기's
도움 shows the right target, 실전 leaves practice with the coach's PIN — and the session record
then holds each step's time and wrong taps. Every demo lesson (the resident flows and the practice
kiosks) runs to its end in 보기 on the real screens, which checks the registry of
targets (contract.lessons.SCREEN_TARGETS) against what the screens show.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QWidget

from contract.lessons import BAR_TARGETS, SCREEN_TARGETS
from contract.wire import CoachSession
from kiosk.ui import lesson as lesson_module
from kiosk.ui.lesson import LessonPlayer, player_for
from kiosk.ui.screens import practice
from tests.helpers.coaches import district_coaches, open_coach_menu
from tests.helpers.resident import find, on, pass_intro, settle, shown, tap, tap_back, tap_name
from tests.widget.test_ballot_flow import NOW, enrol, server_key  # noqa: F401 - fixture
from tests.widget.test_coach import PIN, coach_records, press, sign_in, switch_practice_on

pytestmark = pytest.mark.skipif(
    "mock" not in QTextToSpeech.availableEngines(), reason="Qt's mock speech engine is missing"
)


@pytest.fixture
def kiosk(make_window, server_key, monkeypatch):  # noqa: F811 - the fixture imported above
    monkeypatch.setattr(lesson_module, "WATCH_STEP_MS", 5)
    monkeypatch.setattr(practice, "CARD_ANIMATION_MS", 20)
    window = make_window(dong="myeong", speech_engine="mock")
    window.ctx.clock = lambda: NOW
    enrol(window, server_key)
    district_coaches(window.ctx)  # as the sync worker keeps them from the server
    return window


def open_lesson(qtbot, window, lesson_id: str) -> None:
    sign_in(qtbot, window)
    assert on(window) == "coach_panel"
    tap_name(qtbot, window, "lessonsEntry")
    assert on(window) == "lessons"
    tap_name(qtbot, window, f"lesson_{lesson_id}")
    assert on(window) == "lesson"


def start_stage(qtbot, window, stage: str) -> None:
    """Tap a practice stage; with practice off the coach's PIN comes first, then it plays."""
    practice_was_on = window.coach.practice
    tap_name(qtbot, window, f"stage_{stage}")
    if not practice_was_on:
        assert on(window) == "coach_confirm" and not window.coach.practice
        press(qtbot, window, PIN)
        tap_name(qtbot, window, "key_확인")
        assert window.coach.practice
    qtbot.waitUntil(lambda: player(window).running)


def leave_practice_for_real(qtbot, window, button: str) -> None:
    """The coach taps 실전 (`button`: the stage, or the panel's next stage) in practice: their
    PIN switches practice off, and real use begins."""
    tap_name(qtbot, window, button)
    assert on(window) == "coach_confirm"
    press(qtbot, window, PIN)
    tap_name(qtbot, window, "key_확인")
    qtbot.waitUntil(lambda: shown(window, "lessonFinish"))
    assert not window.coach.practice


def player(window) -> LessonPlayer:
    return player_for(window)


def hole(window) -> QRect:
    overlay = find(window, "lessonOverlay")
    return overlay.hole


def rect_in_window(window, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def wait_step(qtbot, window, step_id: str) -> None:
    def there() -> bool:
        step = player(window).step()
        return step is not None and step.id == step_id

    qtbot.waitUntil(there)
    qtbot.waitUntil(lambda: player(window).target is not None)


def type_keys(qtbot, window, digits: str) -> None:
    """Tap each key as the lesson lights it up (the lit key is the one to press)."""
    for digit in digits:
        qtbot.waitUntil(lambda d=digit: player(window).target is find(window, f"key_{d}"))
        tap_name(qtbot, window, f"key_{digit}")


def test_watch_plays_the_lesson_by_itself_to_the_end(qtbot, kiosk):
    open_lesson(qtbot, kiosk, "vote")
    lesson = kiosk.ctx.pack.lesson("vote")
    seen: list[str] = []
    kiosk.screen_changed.connect(seen.append)
    highlighted: list[tuple[str, bool, str]] = []

    def step_shown(screen: str, target: str) -> None:
        # As each step appears (보기 moves on by itself within milliseconds here).
        lit = hole(kiosk) == rect_in_window(kiosk, player(kiosk).target)
        highlighted.append((target, lit, find(kiosk, "lessonInstruction").text()))

    player(kiosk).step_shown.connect(step_shown)
    start_stage(qtbot, kiosk, "watch")
    assert kiosk.coach.practice  # lessons are practice: nothing they send counts
    assert kiosk.voice.on
    # The first step: its target is highlighted, its words shown and said.
    qtbot.waitUntil(lambda: len(highlighted) > 0)
    assert highlighted[0] == ("tile_budget", True, lesson.steps[0].say.ko)
    qtbot.waitUntil(lambda: lesson.steps[0].say.ko in kiosk.voice.spoken)
    # No tap from here on: the stage plays to its end and says so.
    qtbot.waitUntil(lambda: shown(kiosk, "lessonNextStage"), timeout=30_000)
    # To the end of the flow: the practice number and birth date typed key by key.
    assert on(kiosk) == "thanks"
    assert seen == [
        "coach_confirm",  # the coach's PIN switches practice on
        "lesson",
        "home",
        "budget",
        "budget_dongs",
        "budget_projects",
        "budget_review",
        "identity",
        "identity",
        "identity",
        "thanks",
    ]
    (ballot,) = kiosk.ctx.outbox.pending()
    assert ballot.kind == "ballot" and ballot.practice  # never counted
    for step in lesson.steps:
        assert step.say.ko in kiosk.voice.spoken
    # Said once per step, not once per key; and the digits never.
    phone = next(s for s in lesson.steps if s.id == "phone")
    assert kiosk.voice.spoken.count(phone.say.ko) == 1
    assert not any("8888" in line or "1946" in line for line in kiosk.voice.spoken)
    assert kiosk.coach.session.stages_completed == [("vote", "watch")]
    assert kiosk.coach.session.steps == {}  # 보기 is the kiosk's doing, not the resident's
    assert not shown(kiosk, "lessonOverlay")


def test_a_lesson_stage_switches_practice_on_only_with_the_coach_pin(qtbot, kiosk):
    # Anyone may open the coach menu while a session is on, and its lessons: a stage started
    # and stopped at once must not leave practice on (residents' submissions would not count).
    open_lesson(qtbot, kiosk, "vote")
    tap_name(qtbot, kiosk, "stage_watch")
    assert on(kiosk) == "coach_confirm" and not kiosk.coach.practice
    assert not player(kiosk).running
    press(qtbot, kiosk, "999999")
    tap_name(qtbot, kiosk, "key_확인")
    assert on(kiosk) == "coach_confirm" and not kiosk.coach.practice
    assert "맞지 않습니다" in find(kiosk, "coachMessage").text()
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "lesson" and not kiosk.coach.practice and not player(kiosk).running
    start_stage(qtbot, kiosk, "watch")
    assert kiosk.coach.practice


def test_follow_ignores_a_wrong_tap_and_speaks_a_hint(qtbot, kiosk):
    open_lesson(qtbot, kiosk, "vote")
    start_stage(qtbot, kiosk, "follow")
    wait_step(qtbot, kiosk, "open-budget")
    lesson = kiosk.ctx.pack.lesson("vote")
    # The 보기 stage taps by itself; 따라하기 waits for the resident.
    qtbot.wait(50)
    assert on(kiosk) == "home"
    kiosk.voice.spoken.clear()
    tap_name(qtbot, kiosk, "tile_surveys")  # not the highlighted tile
    assert on(kiosk) == "home"  # ignored
    hint = kiosk.translator.tr("lesson.panel.hint", say=lesson.steps[0].say.ko)
    assert find(kiosk, "lessonHint").text() == kiosk.translator.tr("lesson.panel.hint.shown")
    assert list(kiosk.voice.spoken) == [hint]
    qtbot.waitUntil(lambda: kiosk.voice.engine.state() == QTextToSpeech.State.Speaking)
    tap(qtbot, kiosk.home_button)  # the bars are dimmed too
    assert on(kiosk) == "home"
    # A keypad's Enter or Space on another tile presses nothing either.
    surveys = find(kiosk, "tile_surveys")
    surveys.setFocus()
    QTest.keyClick(surveys, Qt.Key.Key_Return)
    QTest.keyClick(surveys, Qt.Key.Key_Space)
    assert on(kiosk) == "home"
    tap_name(qtbot, kiosk, "tile_budget")
    assert on(kiosk) == "budget"
    wait_step(qtbot, kiosk, "start-vote")
    tap_name(qtbot, kiosk, "voteButton")
    wait_step(qtbot, kiosk, "choose-dong")
    for _ in range(2):
        tap_name(qtbot, kiosk, "dong_sogong")
    assert on(kiosk) == "budget_dongs"
    tap_name(qtbot, kiosk, "dong_hoehyeon")
    wait_step(qtbot, kiosk, "choose-project")
    tap_name(qtbot, kiosk, "project_hoehyeon-handrails")
    wait_step(qtbot, kiosk, "status")
    tap_name(qtbot, kiosk, "lessonNext")  # a look step: 다음 on the panel
    wait_step(qtbot, kiosk, "review")
    tap_name(qtbot, kiosk, "flowNext")
    wait_step(qtbot, kiosk, "submit")
    tap_name(qtbot, kiosk, "submitButton")
    wait_step(qtbot, kiosk, "intro")  # 본인 확인's first page: why it is asked
    tap_name(qtbot, kiosk, "flowNext")
    # The practice number, one lit key at a time; a wrong key types nothing and gets a hint.
    wait_step(qtbot, kiosk, "phone")
    assert "010-9999-8888" in find(kiosk, "lessonValue").text()
    assert player(kiosk).target is find(kiosk, "key_0")
    assert hole(kiosk) == rect_in_window(kiosk, find(kiosk, "key_0"))
    tap_name(qtbot, kiosk, "key_9")
    assert kiosk.current_screen.typed() == ""
    assert shown(kiosk, "lessonHint")
    type_keys(qtbot, kiosk, "01099998888")
    wait_step(qtbot, kiosk, "phone-next")
    tap_name(qtbot, kiosk, "flowNext")
    wait_step(qtbot, kiosk, "birth")
    type_keys(qtbot, kiosk, "19460101")
    wait_step(qtbot, kiosk, "confirm")
    tap_name(qtbot, kiosk, "flowNext")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonNextStage"))
    assert on(kiosk) == "thanks"
    steps = kiosk.coach.session.steps
    assert [k[1] for k in steps] == [s.id for s in lesson.steps]
    assert steps[("vote", "open-budget")].wrong_taps == 2  # tile and 처음으로
    assert steps[("vote", "choose-dong")].wrong_taps == 2
    assert steps[("vote", "start-vote")].wrong_taps == 0
    assert steps[("vote", "phone")].wrong_taps == 1
    assert all(r.seconds >= 0 and r.attempts == 1 for r in steps.values())
    assert kiosk.coach.session.stages_completed == [("vote", "follow")]
    # The coach ends the session (practice on: the PIN again): the record holds the steps.
    tap_name(qtbot, kiosk, "lessonToList")
    open_coach_menu(qtbot, kiosk)
    tap_name(qtbot, kiosk, "endCoaching")
    press(qtbot, kiosk, PIN)
    tap_name(qtbot, kiosk, "key_확인")
    (record,) = coach_records(kiosk)
    assert isinstance(record, CoachSession)
    by_step = {(s.lesson_id, s.step_id): s for s in record.steps}
    assert by_step[("vote", "open-budget")].wrong_taps == 2
    assert by_step[("vote", "choose-dong")].wrong_taps == 2
    assert [(c.lesson_id, c.stage) for c in record.lessons_completed] == [("vote", "follow")]


def test_alone_has_no_highlight_and_help_shows_the_right_target(qtbot, kiosk):
    open_lesson(qtbot, kiosk, "agree")
    start_stage(qtbot, kiosk, "alone")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonHelp"))
    assert not shown(kiosk, "lessonOverlay")  # no highlight
    tap_name(qtbot, kiosk, "tile_proposals")  # nothing is blocked: the resident knows this one
    assert on(kiosk) == "proposals"
    qtbot.waitUntil(lambda: player(kiosk).step().id == "choose-proposal")
    assert not shown(kiosk, "lessonOverlay")
    tap_name(qtbot, kiosk, "lessonHelp")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonOverlay"))
    target = find(kiosk, "proposal_lunch-yaksu")
    assert player(kiosk).target is target
    qtbot.waitUntil(lambda: hole(kiosk) == rect_in_window(kiosk, target).intersected(hole(kiosk)))
    assert hole(kiosk).intersects(rect_in_window(kiosk, target))
    tap(qtbot, target)
    assert on(kiosk) == "proposal"
    qtbot.waitUntil(lambda: player(kiosk).step().id == "agree-count")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonNext"))
    assert not shown(kiosk, "lessonOverlay")  # help is for one step
    tap_name(qtbot, kiosk, "lessonNext")
    wait_step(qtbot, kiosk, "agree")
    tap_name(qtbot, kiosk, "agreeButton")
    wait_step(qtbot, kiosk, "intro")  # 본인 확인's first page: why it is asked
    tap_name(qtbot, kiosk, "flowNext")
    # The practice number: a wrong key goes through here, and is counted; 도움 then lights up
    # 지우기, the way back.
    wait_step(qtbot, kiosk, "phone")
    assert not shown(kiosk, "lessonOverlay")
    keypad = kiosk.current_screen.keypad
    for digit in "015":
        tap(qtbot, keypad.key(digit))
        qtbot.wait(20)
    assert kiosk.current_screen.typed() == "015"
    tap_name(qtbot, kiosk, "lessonHelp")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonOverlay"))
    assert player(kiosk).target is keypad.erase_key
    tap(qtbot, keypad.erase_key)
    for digit in "099998888":
        qtbot.wait(20)
        tap(qtbot, keypad.key(digit))
    wait_step(qtbot, kiosk, "phone-next")
    tap_name(qtbot, kiosk, "flowNext")
    wait_step(qtbot, kiosk, "birth")
    for digit in "19460101":
        tap(qtbot, kiosk.current_screen.keypad.key(digit))
        qtbot.wait(20)
    wait_step(qtbot, kiosk, "confirm")
    tap_name(qtbot, kiosk, "flowNext")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonNextStage"))
    assert on(kiosk) == "thanks"
    (agree,) = kiosk.ctx.outbox.pending()
    assert agree.kind == "proposal_agree" and agree.practice
    session = kiosk.coach.session
    assert session.stages_completed == [("agree", "alone")]
    lesson = kiosk.ctx.pack.lesson("agree")
    assert [k[1] for k in session.steps] == [s.id for s in lesson.steps]
    assert session.steps[("agree", "phone")].wrong_taps == 1  # the 5
    assert session.steps[("agree", "birth")].wrong_taps == 0


def test_real_use_leaves_practice_with_the_coach_pin(qtbot, kiosk):
    open_lesson(qtbot, kiosk, "points")
    start_stage(qtbot, kiosk, "watch")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonNextStage"), timeout=30_000)
    assert kiosk.coach.practice
    tap_name(qtbot, kiosk, "lessonToList")
    assert on(kiosk) == "lessons"
    tap_name(qtbot, kiosk, "lesson_points")
    assert "✓" in find(kiosk, "stage_watch").accessibleName()  # 보기 is marked done
    # 실전 leaves practice: the coach's PIN first.
    leave_practice_for_real(qtbot, kiosk, "stage_real")
    assert on(kiosk) == "home"
    assert not shown(kiosk, "practiceBand")
    tap_name(qtbot, kiosk, "tile_points")  # real use: nothing is blocked or highlighted
    assert on(kiosk) == "points"
    tap_name(qtbot, kiosk, "lessonFinish")
    assert on(kiosk) == "lessons"
    assert kiosk.coach.session.stages_completed[-1] == ("points", "real")


@pytest.mark.parametrize(
    "lesson_id",
    [
        "survey",
        "agree",
        "points",
        "cafe",
        "burger",
        "clinic",
        "civil",
        "subway",
        "contest-idea",
        "contest-vote",
        "write-proposal",
        "video",
        "share",
        "exchange",
    ],
)
def test_every_demo_lesson_plays_to_its_end_on_the_real_screens(qtbot, kiosk, lesson_id):
    open_lesson(qtbot, kiosk, lesson_id)
    lesson = kiosk.ctx.pack.lesson(lesson_id)
    found: list[tuple[str, str]] = []
    player(kiosk).step_shown.connect(lambda screen, target: found.append((screen, target)))
    start_stage(qtbot, kiosk, "watch")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonNextStage"), timeout=30_000)
    # Each step's target was found on its own screen, in order.
    assert found == [(s.screen, s.target) for s in lesson.steps]
    assert kiosk.coach.session.stages_completed == [(lesson_id, "watch")]


def test_the_registry_of_targets_matches_the_real_screens(qtbot, kiosk):
    """Every registry entry is shown by its screen when the demo lessons pass through it."""
    sign_in(qtbot, kiosk)
    switch_practice_on(qtbot, kiosk)  # the stages below start with no PIN screen in between
    names: dict[str, set[str]] = {}

    def collect(route: str) -> None:
        # The screen and what it pins under the scrolling area (a ballot's running total).
        roots = [r for r in (kiosk.current_screen, kiosk.current_screen.pinned) if r is not None]
        widgets = [w for r in roots for w in (r, *r.findChildren(QWidget))]
        names.setdefault(route, set()).update(w.objectName() for w in widgets if w.objectName())

    kiosk.screen_changed.connect(collect)
    p = player(kiosk)
    for lesson in kiosk.ctx.pack.lessons:
        p.start(lesson, "watch")
        qtbot.waitUntil(lambda: shown(kiosk, "lessonNextStage"), timeout=30_000)
        settle()
    # The demo lessons pass through every screen of the registry.
    assert set(SCREEN_TARGETS) <= set(names)
    missing = []
    for route, targets in SCREEN_TARGETS.items():
        shown_here = names.get(route, set())
        for target in targets - BAR_TARGETS:
            prefix = target[:-1] if target.endswith("*") else None
            ok = (
                any(n.startswith(prefix) and n != prefix for n in shown_here)
                if prefix is not None
                else target in shown_here
            )
            if not ok:
                missing.append(f"{route}:{target}")
    assert missing == []


def test_the_cafe_card_reader_takes_the_card_and_nothing_is_paid(qtbot, kiosk):
    """With no card reader attached (none in this test: the page asks pcscd, finds none), the
    practice café's payment is the reader drawn on the screen."""
    sign_in(qtbot, kiosk)
    from kiosk.ui.navigation import Route

    kiosk.navigate(Route("practice_cafe_where"))
    tap_name(qtbot, kiosk, "choice_takeout")
    assert on(kiosk) == "practice_cafe_menu"
    assert not find(kiosk, "order").isEnabled()
    tap_name(qtbot, kiosk, "menu_americano")
    assert on(kiosk) == "practice_cafe_menu_options"
    tap_name(qtbot, kiosk, "option_temp-ice")
    tap_name(qtbot, kiosk, "option_size-large")
    assert find(kiosk, "addToCart").text_of_lines() == "담기 · 2,500원"
    tap_name(qtbot, kiosk, "addToCart")
    assert on(kiosk) == "practice_cafe_menu"
    tap_name(qtbot, kiosk, "category_dessert")
    tap_name(qtbot, kiosk, "menu_cake")  # no options: straight into the cart
    tap_name(qtbot, kiosk, "cartMore_1")
    assert find(kiosk, "cartTotal").text() == "담은 것 3개 · 합계 9,500원"
    tap_name(qtbot, kiosk, "order")
    assert find(kiosk, "payTotal").text() == "결제할 금액: 9,500원"
    assert "아메리카노 (차갑게 (ICE), 큰 컵) × 2 — 5,000원" in find(kiosk, "paySummary").text()
    tap_name(qtbot, kiosk, "payCard")
    assert on(kiosk) == "practice_cafe_pay_card"
    reader = find(kiosk, "cardReader")
    tap_name(qtbot, kiosk, "insertCard")
    assert find(kiosk, "cardStatus").text() == "결제 중입니다…"
    qtbot.waitUntil(lambda: on(kiosk) == "practice_cafe_done")
    assert reader.progress == 1.0
    assert find(kiosk, "number").text() == "17"
    before = [e.kind for e in kiosk.ctx.outbox.pending()]
    assert before == []  # the café queues nothing


def test_real_use_ends_when_the_residents_own_vote_is_sent(qtbot, kiosk):
    open_lesson(qtbot, kiosk, "vote")
    tap_name(qtbot, kiosk, "stage_real")  # not in practice: no PIN to leave it
    qtbot.waitUntil(lambda: shown(kiosk, "lessonFinish"))
    assert not kiosk.coach.practice
    tap_name(qtbot, kiosk, "tile_budget")
    tap_name(qtbot, kiosk, "voteButton")
    tap_name(qtbot, kiosk, "dong_hoehyeon")
    tap_name(qtbot, kiosk, "project_hoehyeon-handrails")
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "identity"
    assert not shown(kiosk, "lessonOverlay")  # no highlight, no practice number
    pass_intro(qtbot, kiosk)
    press(qtbot, kiosk, "01098765432")
    tap_name(qtbot, kiosk, "flowNext")
    press(qtbot, kiosk, "19480315")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "thanks"
    # The resident's own ballot ends the stage: no 마침 needed.
    qtbot.waitUntil(lambda: shown(kiosk, "lessonToList"))
    assert not shown(kiosk, "lessonFinish")
    assert not shown(kiosk, "lessonNextStage")  # 실전 is the last stage
    assert kiosk.coach.session.stages_completed == [("vote", "real")]
    (ballot,) = kiosk.ctx.outbox.pending()
    assert ballot.kind == "ballot" and not ballot.practice
    tap_name(qtbot, kiosk, "lessonToList")
    assert on(kiosk) == "lessons"


def test_voice_guidance_says_the_coach_banner_and_the_practice_band_once(qtbot, kiosk):
    kiosk.voice.toggle()
    assert kiosk.voice.on
    sign_in(qtbot, kiosk)
    assert "코치와 함께 · 김코치" in kiosk.voice.spoken
    kiosk.voice.spoken.clear()
    tap_name(qtbot, kiosk, "startPractice")
    press(qtbot, kiosk, PIN)
    tap_name(qtbot, kiosk, "key_확인")
    assert "연습 중 — 실제로 제출되지 않습니다" in kiosk.voice.spoken
    kiosk.voice.spoken.clear()
    kiosk.prefs.set_text_scale(150)  # laid out again, nothing new to say about the session
    settle()
    assert "연습 중 — 실제로 제출되지 않습니다" not in kiosk.voice.spoken
    assert "코치와 함께 · 김코치" not in kiosk.voice.spoken


def test_the_lesson_panel_is_reached_and_used_by_keys(qtbot, kiosk):
    open_lesson(qtbot, kiosk, "vote")
    start_stage(qtbot, kiosk, "follow")
    wait_step(qtbot, kiosk, "open-budget")
    stop = find(kiosk, "lessonStop")
    assert kiosk.key_focus.order()[-1] is stop  # after the bars: the panel floats over the screen
    for _ in range(len(kiosk.key_focus.order()) + 1):
        if kiosk.focusWidget() is stop:
            break
        QTest.keyClick(kiosk.focusWidget() or kiosk, Qt.Key.Key_Tab)
    assert kiosk.focusWidget() is stop
    QTest.keyClick(stop, Qt.Key.Key_Return)  # not held back: the panel is not the screen
    assert not player(kiosk).running
    assert not shown(kiosk, "lessonOverlay")
