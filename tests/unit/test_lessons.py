"""Lessons without Qt: the pack's lessons are checked at load against the registry of screens and
targets (a broken one is refused with the lesson and the step named), and a lesson stage runs by
the rules of kiosk.domain.lessons; the practice café's basket adds up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from contract.lessons import (
    RESIDENT_FLOWS,
    SCREEN_TARGETS,
    step_problem,
    target_known,
)
from contract.pack import MANIFEST_NAME, PackError, load_pack
from contract.practice import MAX_IN_CART, MAX_OF_ONE
from kiosk.domain import lessons as rules
from kiosk.domain.hangul import compose
from kiosk.domain.lessons import (
    ALONE,
    FOLLOW,
    REAL,
    WATCH,
    LessonRun,
    next_key,
    next_stage,
    shown_value,
)
from kiosk.domain.practice import PracticeVisit, sample_visit
from kiosk.paths import asset_path
from kiosk.ui.screens import SCREENS


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(
        asset_path("demo"), target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    return target


def edit_lessons(pack_dir: Path, change: Any) -> None:
    path = pack_dir / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest["lessons"])
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def vote_step(lessons: list[dict[str, Any]], step_id: str) -> dict[str, Any]:
    vote = next(x for x in lessons if x["id"] == "vote")
    found: dict[str, Any] = next(s for s in vote["steps"] if s["id"] == step_id)
    return found


# -- the demo pack --------------------------------------------------------------------------------


def test_the_demo_pack_has_a_lesson_for_every_resident_flow_and_every_practice_kiosk():
    pack = load_pack(asset_path("demo"))
    flows = {lesson.flow for lesson in pack.lessons}
    assert set(RESIDENT_FLOWS) <= flows
    kiosks = {k.id for k in pack.practice}
    assert kiosks == {"cafe", "burger", "clinic", "civil", "subway"}
    assert kiosks <= flows
    for lesson in pack.lessons:
        assert lesson.title.en and all(s.say.ko and s.say.en for s in lesson.steps)
    cafe = pack.lesson("cafe")
    assert cafe is not None and any(s.target == "insertCard" for s in cafe.steps)


def test_every_screen_of_the_registry_is_a_route_of_the_kiosk():
    assert set(SCREEN_TARGETS) <= set(SCREENS)


# -- refused at load ------------------------------------------------------------------------------


def test_a_lesson_step_with_an_unknown_target_is_refused_naming_the_lesson_and_step(pack_dir):
    edit_lessons(pack_dir, lambda ls: vote_step(ls, "choose-dong").update(target="dongPicker"))
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    (line,) = caught.value.problems
    assert line.startswith("manifest.json: lessons[2].steps[2].target: ")
    assert "레슨 'vote'의 단계 'choose-dong'" in line
    assert "'budget_dongs' 화면에 없는 대상 'dongPicker'" in line
    assert "lesson 'vote', step 'choose-dong'" in line


def test_a_lesson_step_on_an_unknown_screen_is_refused(pack_dir):
    edit_lessons(pack_dir, lambda ls: vote_step(ls, "review").update(screen="budget_cart"))
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    (line,) = caught.value.problems
    assert "lessons[2].steps[5].screen" in line
    assert "레슨 'vote'의 단계 'review': 알 수 없는 화면 'budget_cart'" in line


def test_a_lesson_step_of_an_unknown_kind_is_refused(pack_dir):
    edit_lessons(pack_dir, lambda ls: vote_step(ls, "status").update(kind="swipe"))
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    (line,) = caught.value.problems
    assert "lessons[2].steps[4].kind" in line
    assert "레슨 'vote'의 단계 'status': 알 수 없는 단계 종류 'swipe'" in line
    assert "expected tap, look, enter" in line


def test_a_keypad_step_needs_the_keypad_and_digits_to_type(pack_dir):
    def change(lessons: list[dict[str, Any]]) -> None:
        vote_step(lessons, "phone").pop("value")
        vote_step(lessons, "status")["value"] = "123"

    edit_lessons(pack_dir, change)
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    text = "\n".join(caught.value.problems)
    assert "lessons[2].steps[8].value" in text and "레슨 'vote'의 단계 'phone'" in text
    assert "lessons[2].steps[4].value" in text and "레슨 'vote'의 단계 'status'" in text


def test_a_keypad_step_types_digits_only(pack_dir):
    edit_lessons(pack_dir, lambda ls: vote_step(ls, "birth").update(value="1950-01-01"))
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    assert any("lessons[2].steps[10].value" in line for line in caught.value.problems)


def test_an_unknown_flow_and_a_repeated_step_are_refused(pack_dir):
    def change(lessons: list[dict[str, Any]]) -> None:
        lessons[0]["flow"] = "bank"
        lessons[0]["steps"][1]["id"] = lessons[0]["steps"][0]["id"]

    edit_lessons(pack_dir, change)
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    text = "\n".join(caught.value.problems)
    assert "lessons[0].flow" in text and "'bank'" in text
    assert "lessons[0].steps[1].id" in text and "'open-surveys'" in text


def test_the_registry_rules():
    assert target_known("home", "tile_budget")
    assert target_known("surveys", "survey_anything")
    assert not target_known("surveys", "survey_")  # a wildcard needs something after it
    assert target_known("survey_intro", "homeButton")  # the bars are on every screen
    assert not target_known("nowhere", "homeButton")
    assert step_problem("home", "tile_budget", "tap") is None
    assert step_problem("home", "tile_budget", "drag") is not None
    assert step_problem("home", "x", "tap") == (
        "lesson_target",
        {"screen": "home", "target": "x"},
    )
    assert step_problem("identity", "keypad", "enter", "0101") is None
    assert step_problem("identity", "keypad", "enter") is not None  # nothing to type
    assert step_problem("identity", "flowNext", "enter", "1") is not None  # not a keypad


def test_what_a_step_may_type_or_fill_in():
    # Words on the keyboard, key by key: a few Hangul words; a fill: a practice text.
    assert step_problem("contest_idea", "hangulKeyboard", "enter", "골목 화단") is None
    assert step_problem("contest_idea", "hangulKeyboard", "enter", "abc") is not None
    assert step_problem("contest_idea", "hangulKeyboard", "enter", "가" * 17) is not None
    assert step_problem("contest_idea", "hangulKeyboard", "enter", " 골목") is not None
    assert step_problem("proposal_new_text", "hangulKeyboard", "fill", "긴 글, 20자 넘게.") is None
    assert step_problem("proposal_new_text", "hangulKeyboard", "fill", "  ") is not None
    assert step_problem("proposal_new_text", "keyboardDisplay", "fill", "이 칸에 보입니다") is None
    assert step_problem("proposal_new_text", "keyboardDisplay", "enter", "이 칸") is not None
    assert step_problem("proposal_new_text", "hangulKeyboard", "fill") is not None
    assert step_problem("identity", "keypad", "fill", "0101") is not None  # not a keyboard
    assert step_problem("contest_idea", "flowNext", "tap", "골목") is not None  # no value


def test_the_next_key_of_practice_words():
    """Key by key as the 2-beolsik keyboard types them: a syllable on the way may show as
    another (골 + ㅁ is 곪 until ㅗ comes), and a wrong key is erased first."""
    value = "골목 화단"
    typed, keys = "", []
    while (key := rules.next_letter(value, typed)) is not None:
        assert key != "erase"
        keys.append(key)
        typed = compose("".join(keys))
    assert "".join(keys) == "ㄱㅗㄹㅁㅗㄱ ㅎㅗㅏㄷㅏㄴ"
    assert rules.next_letter(value, "곪") == "ㅗ"
    assert rules.next_letter(value, "골목 화ㄴ") == "erase"
    assert rules.next_letter(value, "골목 화단요") == "erase"
    assert rules.next_letter("꽃", "") == "ㄲ"  # shifted: the keyboard's shift comes first (UI)
    assert shown_value("골목 화단") == "골목 화단"  # words are shown as they are


def test_the_next_key_of_a_practice_number():
    assert next_key("0101", "") == "0"
    assert next_key("0101", "010") == "1"
    assert next_key("0101", "0101") is None
    assert next_key("0101", "019") == "erase"  # a wrong digit: erase it first
    assert next_key("0101", "01011") == "erase"
    assert shown_value("01012345678") == "010-1234-5678"
    assert shown_value("19500101") == "1950.01.01"


# -- a stage in progress --------------------------------------------------------------------------


def test_watch_plays_itself_and_records_nothing():
    run = LessonRun("vote", ("a", "b"), WATCH, started=0.0)
    assert run.plays_itself and run.highlighted and run.only_target_responds
    assert not run.wrong_tap()  # taps in 보기 are not the resident's mistakes
    assert run.step_done(2.0) is None
    assert run.step_done(4.0) is None
    assert run.done and run.results == [] and not run.highlighted


def test_follow_counts_wrong_taps_per_step_and_times_each_step():
    run = LessonRun("vote", ("a", "b"), FOLLOW, started=10.0)
    assert not run.plays_itself and run.only_target_responds
    assert run.wrong_tap() and run.wrong_tap()
    first = run.step_done(14.5)
    assert first is not None and (first.step_id, first.seconds, first.wrong_taps) == ("a", 4.5, 2)
    second = run.step_done(15.0)
    assert second is not None and (second.step_id, second.seconds, second.wrong_taps) == (
        "b",
        0.5,
        0,
    )
    assert run.done and not run.wrong_tap()


def test_alone_counts_wrong_taps_without_a_hint():
    run = LessonRun("agree", ("a",), ALONE, started=0.0)
    assert not run.wrong_tap()  # counted, but no hint: 혼자하기 lets the tap through
    assert not run.wrong_tap()
    result = run.step_done(3.0)
    assert result is not None and result.wrong_taps == 2


def test_alone_highlights_only_after_help_for_that_step():
    run = LessonRun("agree", ("a", "b"), ALONE, started=0.0)
    assert not run.highlighted and not run.only_target_responds
    run.help()
    assert run.highlighted and run.helps == 1
    result = run.step_done(3.0)
    assert result is not None and result.step_id == "a"
    assert not run.highlighted  # help was for that step


def test_real_has_no_steps_and_stages_come_in_order():
    assert LessonRun("x", ("a",), REAL, started=0.0).done
    assert [next_stage(s) for s in (WATCH, FOLLOW, ALONE, REAL)] == [FOLLOW, ALONE, REAL, None]
    with pytest.raises(ValueError):
        LessonRun("x", ("a",), "sleep", started=0.0)


# -- the practice kiosks --------------------------------------------------------------------------


def test_the_cafe_cart_adds_up_options_and_has_a_limit():
    cafe = load_pack(asset_path("demo")).practice_kiosk("cafe")
    assert cafe is not None
    visit = PracticeVisit("cafe")
    iced_large = (("temp", "ice"), ("size", "large"))
    assert visit.add("americano", iced_large) and visit.add("latte", (("temp", "hot"),))
    assert visit.add("americano", iced_large)  # the same line grows
    assert [line.count for line in visit.lines] == [2, 1]
    assert visit.total(cafe) == 2 * (2000 + 500) + 3000
    visit.less(1)
    assert [line.item for line in visit.lines] == ["americano"]  # a line at one leaves
    while visit.more(0):
        pass
    assert visit.count == MAX_OF_ONE
    while visit.add("cake", ()) or visit.add("croissant", ()):
        pass
    assert visit.count == MAX_IN_CART


def test_a_choice_costs_what_the_pack_says_and_only_its_own_choices_count():
    pack = load_pack(asset_path("demo"))
    civil, clinic = pack.practice_kiosk("civil"), pack.practice_kiosk("clinic")
    assert civil is not None and clinic is not None
    visit = PracticeVisit("civil")
    assert visit.choose(civil, "doc", "family")
    assert not visit.choose(civil, "doc", "passport")
    assert visit.total(civil) == 500
    assert PracticeVisit.next_page(civil, "doc") == "finger"
    assert PracticeVisit.next_page(civil, "done") is None
    assert sample_visit(clinic).total(clinic) == 0
