"""정책제안 하기 as a resident meets it: from the proposal list, a dong and a topic on large
buttons, the title and the text on the on-screen keyboard, the review with 고치기, the identity
keypad, one sealed envelope and the thank-you with points; the refusals in plain words; and a
resident who walks away leaves nothing."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import pytest
from nacl.public import PrivateKey, SealedBox

from contract.content import KST
from contract.wire import binding_of
from kiosk.domain import proposal_flow
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.ui.render import show_screen
from tests.helpers.audit import layout_problems
from tests.helpers.resident import (
    find,
    on,
    pass_intro,
    shown,
    tap,
    tap_back,
    tap_name,
    type_text,
    words,
)
from tests.widget.test_ballot_flow import BIRTH, PHONE, enrol, identify

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
TITLE = "골목 쉼터 의자"
BODY = "약수시장 가는 오르막에 쉬어 갈 의자를 놓아 주세요"


@pytest.fixture
def server_key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def kiosk(make_window, server_key):
    window = make_window(dong="yaksu")
    window.ctx.clock = lambda: NOW
    enrol(window, server_key)
    return window


def start(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_proposals")
    tap_name(qtbot, window, "writeProposal")
    assert on(window) == "proposal_new_dong"


def type_into(qtbot, window, text: str) -> None:
    assert on(window) == "proposal_new_text"
    type_text(qtbot, window.current_screen.keyboard, text)


def write(qtbot, window, title: str = TITLE, body: str = BODY) -> None:
    start(qtbot, window)
    tap_name(qtbot, window, "dong_yaksu")
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "proposal_new_topic"
    tap_name(qtbot, window, "topic_welfare")
    tap_name(qtbot, window, "flowNext")
    type_into(qtbot, window, title)
    tap_name(qtbot, window, "flowNext")
    type_into(qtbot, window, body)
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "proposal_new_review"


def test_a_resident_writes_a_proposal_by_taps_and_one_sealed_envelope_is_queued(
    qtbot, kiosk, server_key
):
    start(qtbot, kiosk)
    # The centre's own dong comes first.
    assert kiosk.current_screen.choices[0].objectName() == "dong_yaksu"
    assert find(kiosk, "progress").text() == "1 / 4 단계"
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "proposals"
    tap(qtbot, kiosk.home_button)
    write(qtbot, kiosk)
    assert find(kiosk, "answer_dong").text() == "약수동"
    assert find(kiosk, "answer_topic").text() == "복지"
    assert find(kiosk, "answer_title").text() == TITLE
    assert find(kiosk, "answer_body").text() == BODY
    assert "2,000점" in words(kiosk)
    # 고치기 on the title: the typed title is there to change, then straight back to the review.
    tap_name(qtbot, kiosk, "fix_title")
    assert on(kiosk) == "proposal_new_text"
    assert kiosk.current_screen.keyboard.text() == TITLE
    type_text(qtbot, kiosk.current_screen.keyboard, " 두 개")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "proposal_new_review"
    assert find(kiosk, "answer_title").text() == f"{TITLE} 두 개"
    # 고치기 on the topic.
    tap_name(qtbot, kiosk, "fix_topic")
    assert find(kiosk, "topic_welfare").selected
    tap_name(qtbot, kiosk, "topic_safety")
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "answer_topic").text() == "안전"
    assert kiosk.ctx.outbox.pending() == []
    tap_name(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "identity"
    assert "포인트를 드리려고" in words(kiosk)
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "2,000점" in find(kiosk, "thanksPoints").text()
    assert "100명이 공감하면" in words(kiosk)
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "proposal"
    assert envelope.payload == {
        "title": f"{TITLE} 두 개",
        "body": BODY,
        "dong": "yaksu",
        "topic": "safety",
    }
    sealed = envelope.sealed_identity
    assert sealed is not None and PHONE not in sealed
    opened = json.loads(SealedBox(server_key).decrypt(base64.b64decode(sealed)))
    # Bound to the new proposal's own envelope.
    assert opened == {
        "v": 2,
        "phone": PHONE,
        "birth": "1950-03-15",
        "binding": binding_of(envelope).model_dump(mode="json"),
    }
    assert binding_of(envelope).target == str(envelope.id)
    assert BIRTH not in words(kiosk)
    # The thank-you offers no 이전 (the flow is finished); were the history walked back all
    # the same, the proposal could not be sent twice.
    tap_name(qtbot, kiosk, "thanksStay")
    assert not kiosk.back_button.isVisible()
    kiosk.go_back()
    for _ in range(3):  # the phone number, why it is asked, the review
        tap_back(qtbot, kiosk)
    assert on(kiosk) == "proposal_new_review"
    assert shown(kiosk, "alreadySent") and not shown(kiosk, "submitButton")
    assert len(kiosk.ctx.outbox.pending()) == 1


def test_each_step_says_what_is_missing(qtbot, kiosk):
    start(qtbot, kiosk)
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "동을 골라 주세요."
    assert on(kiosk) == "proposal_new_dong"
    tap_name(qtbot, kiosk, "dong_pil")
    assert not shown(kiosk, "problemMessage")
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "분야를 골라 주세요."
    tap_name(qtbot, kiosk, "topic_transport")
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "제목을 적어 주세요."
    type_into(qtbot, kiosk, "의자")
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "제목을 4자 이상 적어 주세요."
    assert on(kiosk) == "proposal_new_text"
    type_text(qtbot, kiosk.current_screen.keyboard, " 놓기")
    tap_name(qtbot, kiosk, "flowNext")
    type_into(qtbot, kiosk, "의자를 놓아 주세요")
    tap_name(qtbot, kiosk, "flowNext")
    assert "내용을 20자 이상 적어 주세요" in find(kiosk, "problemMessage").text()
    assert on(kiosk) == "proposal_new_text"
    assert kiosk.ctx.outbox.pending() == []


def test_idle_reset_while_writing_discards_the_draft(qtbot, kiosk, idle_clock):
    start(qtbot, kiosk)
    tap_name(qtbot, kiosk, "dong_yaksu")
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "topic_welfare")
    tap_name(qtbot, kiosk, "flowNext")
    type_into(qtbot, kiosk, TITLE)
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract
    tap(qtbot, kiosk.current_screen)
    assert on(kiosk) == "home" and not kiosk.navigator.can_go_back
    assert kiosk.ctx.outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}
    start(qtbot, kiosk)
    assert not any(button.selected for button in kiosk.current_screen.choices)
    tap_name(qtbot, kiosk, "dong_yaksu")
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "topic_welfare")
    tap_name(qtbot, kiosk, "flowNext")
    assert kiosk.current_screen.keyboard.text() == ""


def test_idle_reset_at_the_identity_step_sends_nothing(qtbot, kiosk, idle_clock):
    write(qtbot, kiosk)
    tap_name(qtbot, kiosk, "submitButton")
    pass_intro(qtbot, kiosk)
    for digit in PHONE:
        tap_name(qtbot, kiosk, f"key_{digit}")
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract
    assert kiosk.ctx.outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}


# -- layout -------------------------------------------------------------------------------------

NEW_SCREENS = ("proposals", *proposal_flow.SAMPLE_NAMES)


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_new_screen_fits_at_every_text_size(qtbot, make_window, size, scale):
    window = make_window(size)
    window.ctx.clock = lambda: NOW
    problems: list[str] = []

    def audit(where: str) -> None:
        qtbot.wait(1)
        problems.extend(layout_problems(window, where))

    for language in ("ko", "en"):
        window.prefs.set(language=language, text_scale=scale, high_contrast=False)
        for name in NEW_SCREENS:
            show_screen(window, name)
            audit(f"{name} ({language})")
        # A refusal on screen.
        show_screen(window, "proposal_new_dong")
        tap_name(qtbot, window, "flowNext")
        audit(f"dong refused ({language})")
    assert not problems, "\n".join(problems)
