"""Coached sessions without Qt: the pack's coaches, sign-in and lock-out, the session and its
record (kiosk.domain.coach, contract.content.Coach, contract.wire.CoachSession)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from contract.content import Coach, explain, parse_pack
from contract.pin import hash_pin
from contract.wire import PAYLOAD_MODELS, CoachSession
from kiosk.domain.coach import (
    INACTIVITY_LIMIT_S,
    CoachedSession,
    SignInRefusal,
    check_coach_pin,
    coach_lockout,
    is_practice,
    sign_in,
)
from kiosk.paths import asset_path

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def coach(code: str = "1001", pin: str = "246810", revoked: bool = False) -> Coach:
    return Coach(code=code, name="김코치", pin_hash=hash_pin(pin), revoked=revoked)


@pytest.fixture(scope="module")
def coaches() -> list[Coach]:
    return [coach(), coach("1002", "135790", revoked=True)]


def demo_manifest() -> dict:
    return json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))


# -- the pack ------------------------------------------------------------------------------------


def test_the_demo_pack_has_an_active_and_a_revoked_coach_with_the_readme_pins():
    pack = parse_pack(demo_manifest())
    by_code = {c.code: c for c in pack.coaches}
    assert set(by_code) == {"1001", "1002"}
    assert not by_code["1001"].revoked and by_code["1002"].revoked
    lockout = coach_lockout()
    assert sign_in(pack.coaches, "1001", "246810", lockout, 0).coach == by_code["1001"]
    refused = sign_in(pack.coaches, "1002", "135790", lockout, 0)
    assert refused.refusal is SignInRefusal.REVOKED


def test_a_pack_with_a_coach_code_twice_is_refused_naming_the_code():
    manifest = demo_manifest()
    manifest["coaches"][1]["code"] = "1001"
    with pytest.raises(ValidationError) as e:
        parse_pack(manifest)
    text = "\n".join(explain(e.value, manifest))
    assert "코치 번호 '1001'" in text and "coaches" in text


@pytest.mark.parametrize(
    "bad", ["1234", "scrypt$16384$8$1$nope$nope", "scrypt$16384$8$1$no!pe$no!pe", "md5$abc", ""]
)
def test_a_coach_pin_that_is_not_a_salted_hash_is_refused(bad):
    manifest = demo_manifest()
    manifest["coaches"][0]["pin_hash"] = bad
    with pytest.raises(ValidationError) as e:
        parse_pack(manifest)
    assert "코치 비밀번호 해시" in "\n".join(explain(e.value, manifest))


@pytest.mark.parametrize("code", ["12", "abcd", "123456789", "10 01"])
def test_a_coach_code_must_be_four_to_eight_digits(code):
    manifest = demo_manifest()
    manifest["coaches"][0]["code"] = code
    with pytest.raises(ValidationError):
        parse_pack(manifest)


# -- sign-in ---------------------------------------------------------------------------------


def test_unknown_code_and_wrong_pin_get_the_same_answer(coaches):
    lockout = coach_lockout()
    unknown = sign_in(coaches, "9999", "246810", lockout, 0)
    wrong = sign_in(coaches, "1001", "000000", lockout, 0)
    assert unknown.refusal is wrong.refusal is SignInRefusal.WRONG
    assert unknown.coach is None and wrong.coach is None


def test_a_revoked_coach_is_told_only_with_the_right_pin(coaches):
    lockout = coach_lockout()
    assert sign_in(coaches, "1002", "000000", lockout, 0).refusal is SignInRefusal.WRONG
    assert sign_in(coaches, "1002", "135790", lockout, 0).refusal is SignInRefusal.REVOKED


def test_five_wrong_pins_lock_even_the_right_one_for_a_while(coaches):
    lockout = coach_lockout()
    answers = [sign_in(coaches, "1001", "1", lockout, t).refusal for t in range(5)]
    assert answers[:4] == [SignInRefusal.WRONG] * 4 and answers[4] is SignInRefusal.LOCKED
    locked = sign_in(coaches, "1001", "246810", lockout, 10)
    assert locked.refusal is SignInRefusal.LOCKED and locked.locked_s > 0
    assert sign_in(coaches, "1001", "246810", lockout, 10 + lockout.lock_s).coach is not None


# -- the session ------------------------------------------------------------------------------


def test_practice_is_switched_on_only_with_the_coach_pin(coaches):
    session = CoachedSession(coaches[0], START, 0.0)
    lockout = coach_lockout()
    assert not session.start_practice(check_coach_pin(coaches[0], "111111", lockout, 1))
    other = coach("3003", "246810")
    assert not session.start_practice(check_coach_pin(other, "246810", lockout, 2))
    assert not session.practice
    assert session.start_practice(check_coach_pin(coaches[0], "246810", lockout, 3))
    assert session.practice


def test_practice_is_left_only_with_the_coach_pin(coaches):
    session = CoachedSession(coaches[0], START, 0.0)
    lockout = coach_lockout()
    assert session.start_practice(check_coach_pin(coaches[0], "246810", lockout, 0))
    assert not session.leave_practice(check_coach_pin(coaches[0], "111111", lockout, 1))
    assert session.practice
    other = coach("3003", "246810")
    assert not session.leave_practice(check_coach_pin(other, "246810", lockout, 2))
    assert session.practice
    assert session.leave_practice(check_coach_pin(coaches[0], "246810", lockout, 3))
    assert not session.practice


def test_thirty_minutes_without_a_touch_end_the_session(coaches):
    session = CoachedSession(coaches[0], START, 100.0)
    assert not session.inactive(100.0 + INACTIVITY_LIMIT_S - 1)
    session.touch(1000.0)
    assert not session.inactive(100.0 + INACTIVITY_LIMIT_S)
    assert session.inactive(1000.0 + INACTIVITY_LIMIT_S)
    assert INACTIVITY_LIMIT_S == 30 * 60


def test_the_record_sums_each_step_and_names_no_resident(coaches):
    session = CoachedSession(coaches[0], START, 0.0)
    session.record_step("vote", "choose-dong", 12.5, 2)
    session.record_step("vote", "choose-dong", 7.5, 1)
    session.record_step("vote", "identity", 40.0, 5)
    session.complete_stage("vote", "follow")
    session.visit_ended()
    session.visit_ended()
    session.submitted(practice=True)
    session.submitted(practice=False)
    record = session.record(START + timedelta(minutes=25), "coach")
    parsed = CoachSession.model_validate(record)
    assert PAYLOAD_MODELS["coach_session"] is CoachSession
    assert parsed.coach_code == "1001" and parsed.ended_by == "coach"
    assert parsed.ended_at - parsed.started_at == timedelta(minutes=25)
    assert parsed.residents_taught == 2 and parsed.visits == 2  # no count tapped: the visits
    assert parsed.practice_submissions == 1
    steps = {(s.lesson_id, s.step_id): s for s in parsed.steps}
    assert steps["vote", "choose-dong"].attempts == 2
    assert steps["vote", "choose-dong"].seconds == 20.0
    assert steps["vote", "choose-dong"].wrong_taps == 3
    assert [(d.lesson_id, d.stage) for d in parsed.lessons_completed] == [("vote", "follow")]
    text = json.dumps(record, ensure_ascii=False)
    for word in ("phone", "birth", "sealed", "김코치"):
        assert word not in text
    session.count_resident()
    assert session.record(START, "idle")["residents_taught"] == 1  # the coach's own count


def test_the_lesson_engine_cannot_report_nonsense(coaches):
    session = CoachedSession(coaches[0], START, 0.0)
    with pytest.raises(ValueError):
        session.record_step("vote", "x", -1, 0)
    with pytest.raises(ValueError):
        session.record_step("vote", "x", 1, -1)
    with pytest.raises(ValueError):
        session.complete_stage("vote", "dance")
    assert session.record(START, "coach")["steps"] == []


def test_only_a_residents_participation_is_practice():
    for kind in ("ballot", "proposal_agree", "survey_response", "points_exchange", "proposal"):
        assert is_practice(kind, True) and not is_practice(kind, False)
    # A call for staff is real in practice too; the kiosk's own records are never practice.
    for kind in ("staff_call", "play_stats", "coach_session"):
        assert not is_practice(kind, True)
