"""A contest (공모) as a resident meets it: voting for entries and sending an idea, by taps."""

from __future__ import annotations

from datetime import datetime

import pytest
from nacl.public import PrivateKey

from contract.content import KST
from tests.helpers.resident import (
    enrol,
    find,
    on,
    send_anonymously,
    send_for_points,
    shown,
    tap,
    tap_name,
    type_text,
    words,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
ALLEY = "2026-alley-photo"


@pytest.fixture
def kiosk(make_window):
    window = make_window()
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    return window


def open_contest(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"contest_{ALLEY}")
    assert on(window) == "contest"


def chosen(window) -> list[str]:
    return [b.objectName() for b in window.current_screen.choices if b.selected]


def test_a_resident_votes_within_the_contests_limit(qtbot, kiosk):
    open_contest(qtbot, kiosk)
    assert "200점" in find(kiosk, "voteButton").accessibleName()
    tap_name(qtbot, kiosk, "voteButton")
    assert on(kiosk) == "contest_entries"
    assert find(kiosk, "voteCount").text() == "2개 가운데 0개 골랐어요"
    tap_name(qtbot, kiosk, "flowNext")
    assert "하나 이상 골라" in find(kiosk, "problemMessage").text()
    for entry in ("market", "ginkgo"):
        tap_name(qtbot, kiosk, f"entry_{entry}")
    tap_name(qtbot, kiosk, "entry_sunset")  # a third: refused, with what to do
    assert "2개까지만 고를 수 있어요" in find(kiosk, "problemMessage").text()
    assert chosen(kiosk) == ["entry_market", "entry_ginkgo"]
    assert find(kiosk, "voteCount").text() == "2개 가운데 2개 골랐어요"
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "contest_vote_review"
    assert "중앙시장 칼국수 골목" in words(kiosk) and "정동길 은행나무" in words(kiosk)
    tap_name(qtbot, kiosk, "flowBack")  # 다시 고르기
    tap_name(qtbot, kiosk, "entry_ginkgo")
    tap_name(qtbot, kiosk, "entry_sunset")
    tap_name(qtbot, kiosk, "flowNext")
    send_for_points(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "200점" in find(kiosk, "thanksPoints").text()
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.sealed_identity is not None
    assert envelope.kind == "contest_vote"
    assert envelope.payload == {"contest_id": ALLEY, "entry_ids": ["sunset", "market"]}
    # The same visit cannot vote again.
    tap_name(qtbot, kiosk, "thanksStay")
    # The thank-you's one 처음으로 ends the visit; the bar's (elsewhere) keeps it: home as that.
    assert not shown(kiosk, "homeButton")
    kiosk.go_home()
    open_contest(qtbot, kiosk)
    assert not find(kiosk, "voteButton").isEnabled()
    assert "참여 완료" in find(kiosk, "voteButton").accessibleName()
    assert find(kiosk, "ideaButton").isEnabled()


def test_a_resident_sends_an_idea_typed_on_the_keyboard(qtbot, kiosk):
    open_contest(qtbot, kiosk)
    tap_name(qtbot, kiosk, "ideaButton")
    assert on(kiosk) == "contest_idea"
    assert find(kiosk, "progress").text() == "1 / 2 단계"
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "제목을 적어 주세요."
    type_text(qtbot, kiosk.current_screen.keyboard, "필동 골목")
    tap_name(qtbot, kiosk, "flowNext")
    assert kiosk.navigator.current.params["at"].key == "text"
    type_text(qtbot, kiosk.current_screen.keyboard, "계단에 손잡이가 생겼어요")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "contest_idea_review"
    assert find(kiosk, "answer_title").text() == "필동 골목"
    # A correction of the title goes straight back to the review.
    tap_name(qtbot, kiosk, "fix_title")
    assert kiosk.current_screen.keyboard.text() == "필동 골목"
    type_text(qtbot, kiosk.current_screen.keyboard, " 계단")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "contest_idea_review"
    assert find(kiosk, "answer_title").text() == "필동 골목 계단"
    send_anonymously(qtbot, kiosk)
    assert on(kiosk) == "thanks" and not shown(kiosk, "thanksPoints")
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "contest_entry"
    assert envelope.payload == {
        "contest_id": ALLEY,
        "title": "필동 골목 계단",
        "text": "계단에 손잡이가 생겼어요",
    }


def test_idle_reset_mid_idea_forgets_what_was_typed(qtbot, kiosk, idle_clock):
    open_contest(qtbot, kiosk)
    tap_name(qtbot, kiosk, "ideaButton")
    type_text(qtbot, kiosk.current_screen.keyboard, "비밀")
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract
    tap(qtbot, kiosk.current_screen)
    open_contest(qtbot, kiosk)
    tap_name(qtbot, kiosk, "ideaButton")
    assert kiosk.current_screen.keyboard.text() == ""
    assert kiosk.ctx.outbox.pending() == []


def test_a_closed_contest_is_not_offered(qtbot, kiosk):
    kiosk.ctx.clock = lambda: datetime(2027, 1, 15, 18, 0, tzinfo=KST)
    tap_name(qtbot, kiosk, "tile_surveys")
    assert not shown(kiosk, f"contest_{ALLEY}")
