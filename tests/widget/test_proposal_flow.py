"""정책제안 as a resident meets it: the list by dong, topic and order, a proposal, 공감 through
the identity keypad, and the count that says which part this kiosk has not had confirmed."""

from __future__ import annotations

from datetime import datetime

import pytest
from nacl.public import PrivateKey

from contract.content import KST
from kiosk.ui.paging import pages_of
from kiosk.ui.widgets import WrapButton
from tests.helpers.resident import (
    find,
    find_paged,
    on,
    shown,
    tap,
    tap_back,
    tap_name,
    words,
)
from tests.widget.test_ballot_flow import enrol, identify

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
LUNCH = "lunch-yaksu"  # 88 agrees when the pack was published


@pytest.fixture
def kiosk(make_window):
    window = make_window()
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    return window


def cards(window) -> list[str]:
    """The cards of the list shown, in order, those on its other pages too."""
    return [
        w.objectName()
        for w in window.current_screen.findChildren(WrapButton)
        if w.objectName().startswith("proposal_")
        and (w.isVisible() or ((pages := pages_of(w)) is not None and pages.isVisible()))
    ]


def open_proposal(qtbot, window, proposal_id: str) -> None:
    tap_name(qtbot, window, "tile_proposals")
    assert on(window) == "proposals"
    tap_name(qtbot, window, f"proposal_{proposal_id}")
    assert on(window) == "proposal"


def test_the_list_filters_by_dong_and_topic_and_sorts(qtbot, kiosk):
    tap_name(qtbot, kiosk, "tile_proposals")
    assert find(kiosk, "proposalsShown").text() == "제안 11건"
    listed = cards(kiosk)
    assert listed[:3] == [
        "proposal_handrail-hoehyeon",
        "proposal_bus-cheonggu",
        "proposal_crosswalk-sindang",
    ]
    assert "순서: 공감순" in find(kiosk, "filterSort").accessibleName()
    tap_name(qtbot, kiosk, "filterSort")  # the order is chosen as the dong and topic are
    assert on(kiosk) == "proposal_filter"
    assert find(kiosk, "sort_agrees").selected and not find(kiosk, "sort_newest").selected
    tap_name(qtbot, kiosk, "sort_newest")
    assert on(kiosk) == "proposals"
    assert cards(kiosk)[0] == "proposal_food-festival-gwanghui"
    assert "순서: 최신순" in find(kiosk, "filterSort").accessibleName()
    tap_name(qtbot, kiosk, "filterTopic")
    tap_name(qtbot, kiosk, "option_safety")
    assert on(kiosk) == "proposals"
    assert cards(kiosk) == ["proposal_speed-bump-dasan", "proposal_handrail-hoehyeon"]
    tap_name(qtbot, kiosk, "filterDong")
    tap_name(qtbot, kiosk, "option_yaksu")
    assert find(kiosk, "proposalsShown").text() == "제안 0건"
    assert shown(kiosk, "proposalsEmpty")
    tap_name(qtbot, kiosk, "filterTopic")
    tap_name(qtbot, kiosk, "option_all")
    assert cards(kiosk) == [f"proposal_{LUNCH}"]
    assert "분야: 전체" in find(kiosk, "filterTopic").accessibleName()
    assert "동: 약수동" in find(kiosk, "filterDong").accessibleName()
    tap_name(qtbot, kiosk, f"proposal_{LUNCH}")
    tap_back(qtbot, kiosk)  # the choice holds
    assert cards(kiosk) == [f"proposal_{LUNCH}"]
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "home"


def test_a_card_shows_the_count_the_threshold_and_the_days_left(qtbot, kiosk):
    tap_name(qtbot, kiosk, "tile_proposals")
    card = find_paged(qtbot, kiosk, f"proposal_{LUNCH}")
    assert "88 / 100 · 12명 남음 · D-39" in card.accessibleName()
    assert "공감 88명 (구청 서버 집계)" in card.accessibleName()
    passed = find_paged(qtbot, kiosk, "proposal_handrail-hoehyeon")
    assert "정책 검토 대상" in passed.accessibleName()


def test_an_agree_by_taps_leaves_one_sealed_envelope_and_one_unconfirmed_agree(qtbot, kiosk):
    open_proposal(qtbot, kiosk, LUNCH)
    assert "100점" in find(kiosk, "agreeButton").accessibleName()
    tap_name(qtbot, kiosk, "agreeButton")
    assert "공감은 한 사람에 한 번입니다" in words(kiosk)
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "이 기기에서 보낸 공감 1명 (확인 전)" in words(kiosk)
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "proposal_agree"
    assert envelope.payload == {"proposal_id": LUNCH}
    assert envelope.sealed_identity and "01012345678" not in envelope.sealed_identity
    tap_name(qtbot, kiosk, "thanksHome")
    tap_name(qtbot, kiosk, "tile_proposals")
    card = find_paged(qtbot, kiosk, f"proposal_{LUNCH}")
    assert "89 / 100 · 11명 남음" in card.accessibleName()
    assert "구청 서버 집계 88명 + 이 기기에서 보낸 공감 1명 (확인 전)" in card.accessibleName()
    tap(qtbot, card)
    assert find(kiosk, "agreeCount").text() == (
        "구청 서버 집계 88명 + 이 기기에서 보낸 공감 1명 (확인 전)"
    )


def test_the_same_resident_cannot_agree_twice_here(qtbot, kiosk):
    open_proposal(qtbot, kiosk, LUNCH)
    tap_name(qtbot, kiosk, "agreeButton")
    identify(qtbot, kiosk)
    # In the same visit the button says it is done.
    tap_name(qtbot, kiosk, "thanksStay")
    # The thank-you offers no 이전 (the flow is finished): the history walked back all the same.
    assert not kiosk.back_button.isVisible()
    kiosk.go_back()
    for _ in range(3):  # the phone number, why it is asked, the proposal
        tap_back(qtbot, kiosk)
    assert on(kiosk) == "proposal"
    assert not find(kiosk, "agreeButton").isEnabled()
    tap(qtbot, kiosk.home_button)
    kiosk.end_visit()  # a new visit by the same resident
    open_proposal(qtbot, kiosk, LUNCH)
    tap_name(qtbot, kiosk, "agreeButton")
    identify(qtbot, kiosk)
    assert on(kiosk) == "identity"
    assert "이미 공감하셨습니다" in find(kiosk, "problemMessage").text()
    assert len(kiosk.ctx.outbox.pending()) == 1
    # The same resident may agree with another proposal.
    tap(qtbot, kiosk.home_button)
    open_proposal(qtbot, kiosk, "bus-cheonggu")
    tap_name(qtbot, kiosk, "agreeButton")
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks" and len(kiosk.ctx.outbox.pending()) == 2


@pytest.mark.parametrize(
    ("proposal_id", "reason"),
    [("delivery-euljiro", "거두어들인 제안"), ("benches-pil", "공감 기간이 끝난 제안")],
    ids=["withdrawn", "archived"],
)
def test_withdrawn_and_archived_proposals_are_read_only(qtbot, kiosk, proposal_id, reason):
    tap_name(qtbot, kiosk, "tile_proposals")
    assert "D-" not in find_paged(qtbot, kiosk, f"proposal_{proposal_id}").accessibleName()
    tap_name(qtbot, kiosk, f"proposal_{proposal_id}")
    assert reason in find(kiosk, "readOnly").text()
    assert "읽기만 할 수 있습니다" in find(kiosk, "readOnly").text()
    assert not shown(kiosk, "agreeButton")
    assert shown(kiosk, "shareButton")


def test_a_proposal_opens_on_a_phone_too(qtbot, kiosk):
    open_proposal(qtbot, kiosk, LUNCH)
    tap_name(qtbot, kiosk, "shareButton")
    assert on(kiosk) == "share"
    assert kiosk.navigator.current.params["url"] == kiosk.ctx.pack.proposal(LUNCH).url


def test_a_proposal_that_closes_before_the_identity_is_not_sent(qtbot, kiosk):
    open_proposal(qtbot, kiosk, "weekend-class-jungnim")  # last day 27 December
    tap_name(qtbot, kiosk, "agreeButton")
    kiosk.ctx.clock = lambda: datetime(2026, 12, 28, tzinfo=KST)
    identify(qtbot, kiosk)
    assert "공감 기간이 끝난 제안입니다" in find(kiosk, "problemMessage").text()
    assert kiosk.ctx.outbox.pending() == []
