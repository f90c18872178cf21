"""What the staff-call notice says as a call goes on (kiosk.domain.staff_call): being sent,
reached the staff (only once the server confirms it; never offline), waiting and for how long,
다시 부르기 after a while, "직원이 오고 있습니다" once staff acknowledged it."""

from __future__ import annotations

from kiosk.domain.staff_call import (
    HOLD_VISIT_S,
    RECALL_AFTER_S,
    UNHEARD_AFTER_S,
    StaffCallProgress,
)
from kiosk.i18n import CATALOGUE


def test_a_new_call_is_being_sent_then_reached_the_staff_then_says_how_long_it_has_waited() -> None:
    call = StaffCallProgress()
    call.called(100.0)
    sent = call.words(100.0)
    assert (sent.title_id, sent.body_id, sent.can_call_again) == (
        "staff.calling.title",
        "staff.sending.body",
        False,
    )
    call.server_said("waiting")
    words = call.words(100.0)
    assert (words.title_id, words.body_id) == ("staff.calling.title", "staff.called.body")
    assert words.spoken_key != sent.spoken_key  # the news that it got there is read aloud
    later = call.words(100.0 + 150)
    assert (later.title_id, later.body_id, later.values) == (
        "staff.waiting.title",
        "staff.called.body",
        {"minutes": 2},
    )
    assert CATALOGUE["staff.waiting.title"][0].format(**later.values) == (
        "직원을 부르는 중입니다\u00a0·\u00a02분째"
    )
    assert not later.can_call_again
    assert later.spoken_key != words.spoken_key
    # The minutes move without new news: not read aloud again for that alone.
    assert call.words(100.0 + 170).spoken_key == later.spoken_key


def test_after_the_set_time_it_offers_to_call_again_and_a_call_again_restarts_that() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    call.server_said("waiting")
    words = call.words(RECALL_AFTER_S)
    assert words.can_call_again and words.body_id == "staff.waiting.recall"
    assert words.values == {"minutes": int(RECALL_AFTER_S // 60)}
    call.called(RECALL_AFTER_S)  # 다시 부르기: joins the open call
    again = call.words(RECALL_AFTER_S + 60)
    assert not again.can_call_again
    assert again.values == {"minutes": int(RECALL_AFTER_S // 60) + 1}  # waited since the first


def test_offline_it_says_the_call_is_waiting_and_has_not_reached_anyone() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    first = call.words(0.0, offline=True)
    assert (first.title_id, first.body_id) == ("staff.calling.title", "staff.unheard.body")
    later = call.words(130.0, offline=True)
    assert (later.title_id, later.body_id, later.values) == (
        "staff.waiting.title",
        "staff.unheard.body",
        {"minutes": 2},
    )
    recall = call.words(RECALL_AFTER_S, offline=True)
    assert recall.can_call_again and recall.body_id == "staff.unheard.recall"
    # Once the server confirmed it, it reached the staff, whatever the link does next.
    call.server_said("waiting")
    assert call.words(RECALL_AFTER_S - 1, offline=True).body_id == "staff.called.body"


def test_acknowledged_it_says_staff_are_coming_and_resolved_keeps_that() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    assert call.server_said("waiting") is True  # news: the call reached the server
    assert call.server_said("waiting") is False  # already known
    assert call.server_said("coming") is True
    assert call.words(10.0).title_id == "staff.coming.title"
    assert CATALOGUE["staff.coming.title"][0] == "직원이 오고 있습니다"
    assert call.server_said(None) is True
    assert call.state == "over" and not call.open
    assert call.words(20.0).title_id == "staff.coming.title"


def test_a_call_again_while_staff_are_coming_still_says_they_are_coming() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    call.server_said("coming")
    call.called(90.0)
    assert call.state == "coming"
    assert call.words(95.0).title_id == "staff.coming.title"


def test_no_word_from_the_server_is_not_taken_as_resolved() -> None:
    """Before the server has answered for this call (its envelope on the way, an older server),
    "no call open" leaves it waiting."""
    call = StaffCallProgress()
    call.called(0.0)
    assert call.server_said(None) is False
    assert call.state == "waiting"
    assert call.server_said("waiting") is True
    assert call.server_said(None) is True and call.state == "over"


def test_a_call_the_server_never_confirmed_says_it_may_not_have_reached_the_staff() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    assert call.words(UNHEARD_AFTER_S - 1).body_id == "staff.sending.body"
    assert call.words(UNHEARD_AFTER_S).body_id == "staff.unheard.body"
    late = call.words(90.0)
    assert (late.title_id, late.body_id, late.values) == (
        "staff.waiting.title",
        "staff.unheard.body",
        {"minutes": 1},
    )
    call.server_said("waiting")  # it got there after all
    assert call.words(95.0).body_id == "staff.called.body"


def test_a_tap_within_the_cooldown_says_staff_is_already_being_called() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    assert call.words(20.0, again=True).title_id == "staff.already.title"
    # From the first minute the title says how long instead.
    assert call.words(70.0, again=True).title_id == "staff.waiting.title"


def test_nothing_is_followed_before_a_call() -> None:
    call = StaffCallProgress()
    assert call.server_said("coming") is False
    assert call.state is None and not call.holds_visit(0.0)


def test_the_visit_is_held_for_a_waiting_resident_for_a_while_only() -> None:
    call = StaffCallProgress()
    call.called(0.0)
    assert call.holds_visit(HOLD_VISIT_S - 1)
    assert not call.holds_visit(HOLD_VISIT_S)


def test_every_message_of_the_notice_is_in_both_languages_and_fills_its_values() -> None:
    for message_id in (
        "staff.calling.title",
        "staff.already.title",
        "staff.waiting.title",
        "staff.sending.body",
        "staff.called.body",
        "staff.waiting.recall",
        "staff.unheard.body",
        "staff.unheard.recall",
        "staff.coming.title",
        "staff.coming.body",
        "staff.call_again",
    ):
        for text in CATALOGUE[message_id]:
            assert text.format(minutes=3)
