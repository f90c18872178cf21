"""주민참여예산 사업 제안 as a resident meets it: during the budget's proposal window the vote's
page offers 사업 제안하기; a dong, the title, the place and why on the on-screen keyboard, the
rough cost on the keypad in 만원, the review with 고치기, 본인 확인, one sealed envelope and the
thank-you; and once the window has closed, nothing is sent."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta

import pytest
from nacl.public import PrivateKey, SealedBox

from contract.content import KST
from contract.wire import binding_of
from kiosk.ui.steps.screen import StepScreen
from tests.helpers.resident import find, on, shown, tap, tap_back, tap_name, type_text, words
from tests.widget.test_ballot_flow import PHONE, enrol, identify, press

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
TITLE = "골목 쉼터 의자"
PLACE = "약수시장 오르막"
WHY = "시장 가는 길에 앉아 쉴 곳이 없습니다"


def proposing(pack, now: datetime = NOW):
    """The demo pack's budget in its proposal stage: proposals taken around `now`, the vote
    after them."""
    assert pack.budget is not None
    budget = pack.budget.model_copy(
        update={
            "proposals_open_at": now - timedelta(days=10),
            "proposals_close_at": now + timedelta(days=9),
            "opens_at": now + timedelta(days=20),
            "closes_at": now + timedelta(days=40),
        }
    )
    return pack.model_copy(update={"budget": budget})


@pytest.fixture
def server_key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def today() -> list[datetime]:
    """The kiosk's clock: a test moves it on by setting today[0]."""
    return [NOW]


@pytest.fixture
def kiosk(make_window, server_key, today):
    window = make_window(dong="yaksu")
    window.ctx.clock = lambda: today[0]
    window.ctx.pack = proposing(window.ctx.pack)
    enrol(window, server_key)
    return window


def keyboard(window):
    screen = window.current_screen
    assert isinstance(screen, StepScreen) and screen.keyboard is not None
    return screen.keyboard


def write(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_budget")
    assert on(window) == "budget"
    assert find(window, "proposalWindow").text() == (
        "지금은 우리 동에 필요한 사업을 제안받습니다 (2026년 12월 10일까지)."
    )
    assert "2027년 1월" not in words(window)  # not the vote's last day: it has not begun
    assert (
        find(window, "proposalStage").text()
        == "뽑힌 사업의 주민 투표는 2026년 12월 21일에 시작합니다."
    )
    assert not shown(window, "voteButton")
    tap_name(qtbot, window, "proposeProjectButton")
    assert on(window) == "budget_proposal_dong"
    # The centre's own dong comes first.
    assert window.current_screen.choices[0].objectName() == "dong_yaksu"
    assert find(window, "progress").text() == "1 / 5 단계"
    tap_name(qtbot, window, "dong_yaksu")
    tap_name(qtbot, window, "flowNext")
    for text in (TITLE, PLACE, WHY):
        assert on(window) == "budget_proposal_text"
        type_text(qtbot, keyboard(window), text)
        tap_name(qtbot, window, "flowNext")
    assert on(window) == "budget_proposal_cost"


def test_a_resident_proposes_a_project_by_taps_and_one_sealed_envelope_is_queued(
    qtbot, kiosk, server_key
):
    write(qtbot, kiosk)
    # 다음 with no cost: the field is named.
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "대략의 사업비를 숫자판으로 눌러 주세요."
    # A leading 0 is not typed; 3 0 0 0 만원 reads as 3,000만원.
    press(qtbot, kiosk, "03000")
    assert find(kiosk, "costReadout").text() == "3,000만원"
    tap_name(qtbot, kiosk, "key_지우기")
    assert find(kiosk, "costReadout").text() == "300만원"
    press(qtbot, kiosk, "0")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "budget_proposal_review"
    assert find(kiosk, "answer_dong").text() == "약수동"
    assert find(kiosk, "answer_title").text() == TITLE
    assert find(kiosk, "answer_place").text() == PLACE
    assert find(kiosk, "answer_why").text() == WHY
    assert find(kiosk, "answer_cost").text() == "3,000만원"
    # 고치기 on the cost: the digits are there to change, then straight back to the review.
    tap_name(qtbot, kiosk, "fix_cost")
    assert find(kiosk, "costReadout").text() == "3,000만원"
    tap_name(qtbot, kiosk, "key_지우기")
    press(qtbot, kiosk, "5")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "budget_proposal_review"
    assert find(kiosk, "answer_cost").text() == "3,005만원"
    assert kiosk.ctx.outbox.pending() == []
    tap_name(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "identity"
    assert "중구 주민이 합니다" in words(kiosk)
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "주민 투표에 올라갑니다" in words(kiosk)
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "budget_proposal"
    assert envelope.payload == {
        "vote_id": "2027-pb",
        "dong": "yaksu",
        "title": TITLE,
        "place": PLACE,
        "why": WHY,
        "cost_won": 30_050_000,
    }
    sealed = envelope.sealed_identity
    assert sealed is not None and PHONE not in sealed and PHONE not in json.dumps(envelope.payload)
    opened = json.loads(SealedBox(server_key).decrypt(base64.b64decode(sealed)))
    assert opened["phone"] == PHONE
    assert opened["binding"] == binding_of(envelope).model_dump(mode="json")


def test_after_the_window_closes_the_proposal_is_refused_and_nothing_is_sent(qtbot, kiosk, today):
    write(qtbot, kiosk)
    press(qtbot, kiosk, "500")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "budget_proposal_review"
    # Closed while the resident confirms who they are: the act itself refuses it.
    tap_name(qtbot, kiosk, "submitButton")
    today[0] = NOW + timedelta(days=10)
    identify(qtbot, kiosk)
    assert on(kiosk) == "identity"
    assert "접수 기간이 끝났습니다" in find(kiosk, "problemMessage").text()
    assert kiosk.ctx.outbox.pending() == []
    # And at the review, 다음 says so before any identity is asked.
    tap_back(qtbot, kiosk)
    tap_back(qtbot, kiosk)
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "budget_proposal_review"
    tap_name(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "budget_proposal_review"
    assert "접수 기간이 끝났습니다" in find(kiosk, "problemMessage").text()


def test_the_vote_page_offers_no_proposal_outside_the_window(qtbot, make_window):
    window = make_window(dong="yaksu")
    window.ctx.clock = lambda: NOW
    tap(qtbot, window.home_button)
    tap_name(qtbot, window, "tile_budget")
    assert shown(window, "voteButton") and not shown(window, "proposeProjectButton")
