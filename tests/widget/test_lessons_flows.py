"""The lessons of issue 19 (a contest's idea and vote, a proposal written on the keyboard, a
video with subtitles, sharing by QR code, exchanging points), each through its four stages by
taps on the real screens, as a coach and a resident take it: the coach opens the lesson and
starts each stage (the PIN switches practice on, and off again for 실전); in 보기 the kiosk
plays it; in 따라하기 the resident taps what is lit (a tap beside it is held back and answered
with a hint; on the keyboard, a key that is not lit types nothing); in 혼자하기 nothing is lit
until 도움; 실전 is the real screens with practice off. Each completed stage is recorded in the
session, and what the practice stages send is marked practice in the outbox (never counted,
no points); the points look-up asks no server in practice.
"""

from __future__ import annotations

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from contract.content import Lesson
from kiosk.services.reads import Reads
from kiosk.ui.lesson import LessonPlayer, player_for
from tests.helpers.resident import find, on, shown, tap, tap_name
from tests.widget.test_ballot_flow import server_key  # noqa: F401 - fixture
from tests.widget.test_lessons import (  # noqa: F401 - the kiosk fixture
    kiosk,
    leave_practice_for_real,
    open_lesson,
    start_stage,
)

pytestmark = pytest.mark.skipif(
    "mock" not in QTextToSpeech.availableEngines(), reason="Qt's mock speech engine is missing"
)

# Each new lesson, and what its practice stages queue (one envelope a stage that sends).
SENDS = {
    "contest-idea": "contest_entry",
    "contest-vote": "contest_vote",
    "write-proposal": "proposal",
    "video": None,
    "share": None,
    "exchange": "points_exchange",
}
# On the home screen, a tile that is none of the lessons' first target: the wrong tap.
WRONG_TILES = ("tile_budget", "tile_proposals")


def player(window) -> LessonPlayer:
    return player_for(window)


def step_id(window) -> str | None:
    step = player(window).step()
    return step.id if step is not None else None


def lit(qtbot, window):
    """The target of the step now, once it is found (and lit, in 보기 and 따라하기)."""
    qtbot.waitUntil(lambda: player(window).target is not None)
    return player(window).target


def do_step(qtbot, window, lesson: Lesson, index: int) -> None:
    """The resident does step `index`: taps its target, reads it and taps 다음 on the panel,
    or types it key by key."""
    step = lesson.steps[index]
    qtbot.waitUntil(lambda: step_id(window) == step.id)
    if step.kind in ("look", "fill"):
        qtbot.waitUntil(lambda: shown(window, "lessonNext"))
        if step.kind == "fill":  # the practice text is written in
            qtbot.waitUntil(lambda: window.current_screen.typed() == step.value)
        tap_name(qtbot, window, "lessonNext")
    elif step.kind == "enter":
        for _ in range(len(step.value or "") * 4):  # keys (jamo, shift, space) are fewer
            if step_id(window) != step.id:
                break
            tap(qtbot, lit(qtbot, window))
            qtbot.wait(1)  # the lesson lights the next key once the tap is over
    else:
        tap(qtbot, lit(qtbot, window))
    qtbot.waitUntil(lambda: step_id(window) != step.id)


def finish_stage(qtbot, window) -> None:
    qtbot.waitUntil(lambda: shown(window, "lessonNextStage"), timeout=10_000)


@pytest.mark.parametrize("lesson_id", list(SENDS))
def test_a_new_lesson_through_its_four_stages(qtbot, kiosk, lesson_id, monkeypatch):  # noqa: F811
    asked: list[object] = []
    monkeypatch.setattr(Reads, "ledger_question", lambda self, who: asked.append(who))
    open_lesson(qtbot, kiosk, lesson_id)
    lesson = kiosk.ctx.pack.lesson(lesson_id)
    lesson_steps = lesson.steps

    # 1. 보기: the kiosk plays every step, each target lit as it comes.
    found: list[tuple[str, str]] = []
    player(kiosk).step_shown.connect(lambda screen, target: found.append((screen, target)))
    start_stage(qtbot, kiosk, "watch")
    finish_stage(qtbot, kiosk)
    assert found == [(s.screen, s.target) for s in lesson_steps]

    # 2. 따라하기: only the lit target answers; a tap beside it is held back with a hint.
    tap_name(qtbot, kiosk, "lessonNextStage")
    qtbot.waitUntil(lambda: step_id(kiosk) == lesson_steps[0].id)
    assert on(kiosk) == "home"
    target = lit(qtbot, kiosk)
    assert shown(kiosk, "lessonOverlay")
    wrong = next(t for t in WRONG_TILES if t != target.objectName())
    tap_name(qtbot, kiosk, wrong)
    assert on(kiosk) == "home"  # held back
    assert find(kiosk, "lessonHint").text() == kiosk.translator.tr("lesson.panel.hint.shown")
    typed_wrong = False
    for i, step in enumerate(lesson_steps):
        if step.kind == "enter" and step.target == "hangulKeyboard" and not typed_wrong:
            qtbot.waitUntil(lambda s=step: step_id(kiosk) == s.id)
            lit(qtbot, kiosk)
            before = kiosk.current_screen.typed()
            tap_name(qtbot, kiosk, "key_ㅋ")  # not lit: types nothing
            assert kiosk.current_screen.typed() == before
            typed_wrong = True
        do_step(qtbot, kiosk, lesson, i)
    finish_stage(qtbot, kiosk)
    steps = kiosk.coach.session.steps
    assert [k[1] for k in steps] == [s.id for s in lesson_steps]
    assert steps[(lesson_id, lesson_steps[0].id)].wrong_taps == 1
    if typed_wrong:
        first_typed = next(s for s in lesson_steps if s.target == "hangulKeyboard")
        assert steps[(lesson_id, first_typed.id)].wrong_taps == 1

    # 3. 혼자하기: nothing lit; 도움 lights the next target.
    tap_name(qtbot, kiosk, "lessonNextStage")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonHelp"))
    assert not shown(kiosk, "lessonOverlay")
    tap_name(qtbot, kiosk, "lessonHelp")
    qtbot.waitUntil(lambda: shown(kiosk, "lessonOverlay"))
    assert player(kiosk).target.objectName() == lesson_steps[0].target
    for i in range(len(lesson_steps)):
        do_step(qtbot, kiosk, lesson, i)
    finish_stage(qtbot, kiosk)

    # What practice sent: marked practice, one a stage that sends; no points look-up asked.
    sent = [e for e in kiosk.ctx.outbox.pending() if e.kind != "coach_session"]
    kind = SENDS[lesson_id]
    assert [e.kind for e in sent] == ([kind] * 3 if kind else [])
    assert all(e.practice for e in sent)
    assert asked == []

    # 4. 실전: practice off with the coach's PIN, the lesson's first screen, nothing lit.
    leave_practice_for_real(qtbot, kiosk, "lessonNextStage")
    assert on(kiosk) == "home" and not shown(kiosk, "lessonOverlay")
    tap_name(qtbot, kiosk, lesson_steps[0].target)  # the resident's own tap goes through
    assert on(kiosk) == lesson_steps[1].screen
    tap_name(qtbot, kiosk, "lessonFinish")  # the coach ends it
    assert on(kiosk) == "lessons"
    assert kiosk.coach.session.stages_completed == [
        (lesson_id, stage) for stage in ("watch", "follow", "alone", "real")
    ]
