"""A digital coach at the kiosk, by taps: sign-in from the staff entry, the banner on every screen,
practice (the band, practice envelopes, no points, no one-vote record), switching practice on
and leaving it with the PIN, and the session's one record when it ends by the coach, the idle
reset or 30 minutes without a touch."""

from __future__ import annotations

import pytest
from nacl.public import PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget

from contract.wire import CoachSession
from kiosk.domain.coach import INACTIVITY_LIMIT_S
from tests.helpers.coaches import credential, district_coaches, open_coach_menu, server_gave
from tests.helpers.resident import find, on, shown, tap, tap_back, tap_name, tap_setting, words
from tests.widget.test_ballot_flow import NOW, enrol, server_key, vote  # noqa: F401 - fixture

CODE, PIN = "1001", "246810"
REVOKED_CODE, REVOKED_PIN = "1002", "135790"


@pytest.fixture
def kiosk(make_window, server_key):  # noqa: F811 - the fixture imported above
    window = make_window(dong="myeong")
    window.ctx.clock = lambda: NOW
    enrol(window, server_key)
    district_coaches(window.ctx)  # as the sync worker keeps them from the server
    return window


def press(qtbot, window, digits: str) -> None:
    for digit in digits:
        tap_name(qtbot, window, f"key_{digit}")


def open_sign_in(qtbot, window) -> None:
    """Five quick taps on 온통중구, then "코치 로그인" on the staff PIN page."""
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    assert on(window) == "admin_pin"
    tap_name(qtbot, window, "coachEntry")
    assert on(window) == "coach_sign_in"


def sign_in(qtbot, window, code: str = CODE, pin: str = PIN) -> None:
    open_sign_in(qtbot, window)
    press(qtbot, window, code)
    assert find(window, "coachReadout").text() == code
    tap_name(qtbot, window, "key_확인")
    press(qtbot, window, pin)
    assert find(window, "coachReadout").text() == "●" * len(pin)  # never the PIN itself
    tap_name(qtbot, window, "key_확인")


def switch_practice_on(qtbot, window) -> None:
    """연습 시작 on the coach menu, then the coach's PIN."""
    tap_name(qtbot, window, "startPractice")
    assert on(window) == "coach_confirm" and not window.coach.practice
    press(qtbot, window, PIN)
    tap_name(qtbot, window, "key_확인")
    assert on(window) == "coach_panel" and window.coach.practice


def start_practice(qtbot, window) -> None:
    sign_in(qtbot, window)
    assert on(window) == "coach_panel"
    switch_practice_on(qtbot, window)
    band = find(window, "practiceBand")  # in the header of a portrait window: the short words
    assert band.text() == "연습 중"
    assert band.accessibleDescription() == "연습 중 — 실제로 제출되지 않습니다"
    tap_name(qtbot, window, "coachBack")
    assert on(window) == "home"


def coach_records(window) -> list[CoachSession]:
    return [
        CoachSession.model_validate(e.payload)
        for e in window.ctx.outbox.pending()
        if e.kind == "coach_session"
    ]


def test_a_coach_signs_in_and_the_banner_is_on_every_screen(qtbot, kiosk):
    assert not shown(kiosk, "coachBanner")
    sign_in(qtbot, kiosk)
    assert on(kiosk) == "coach_panel"
    assert find(kiosk, "coachBanner").text() == "코치와 함께 · 김코치"
    assert not shown(kiosk, "practiceBand")  # practice is the coach's choice
    tap(qtbot, kiosk.home_button)
    for tile in ("tile_budget", "tile_proposals", "tile_surveys", "tile_points"):
        tap_name(qtbot, kiosk, tile)
        assert find(kiosk, "coachBanner").text() == "코치와 함께 · 김코치", tile
        tap(qtbot, kiosk.home_button)
    tap_setting(qtbot, kiosk, "languageButton")
    assert find(kiosk, "coachBanner").text() == "With a coach · 김코치"


def test_wrong_pin_unknown_code_and_revoked_coach_are_refused_plainly(qtbot, kiosk):
    sign_in(qtbot, kiosk, CODE, "000000")
    assert on(kiosk) == "coach_sign_in"
    assert "코치 번호나 비밀번호가 맞지 않습니다" in find(kiosk, "coachMessage").text()
    assert find(kiosk, "coachReadout").text().strip() == ""  # wiped: start again
    tap(qtbot, kiosk.home_button)
    sign_in(qtbot, kiosk, "7777", PIN)
    assert "코치 번호나 비밀번호가 맞지 않습니다" in find(kiosk, "coachMessage").text()
    tap(qtbot, kiosk.home_button)
    sign_in(qtbot, kiosk, REVOKED_CODE, REVOKED_PIN)
    assert "사용이 중지되었습니다" in find(kiosk, "coachMessage").text()
    assert not shown(kiosk, "coachBanner") and kiosk.coach.session is None


def test_five_wrong_pins_lock_sign_in_for_a_while(qtbot, kiosk):
    clock = [1000.0]
    kiosk.coach.monotonic = lambda: clock[0]
    for _ in range(5):
        tap(qtbot, kiosk.home_button)
        sign_in(qtbot, kiosk, CODE, "999999")
    assert "잠시 잠겼습니다" in find(kiosk, "coachMessage").text()
    tap(qtbot, kiosk.home_button)
    sign_in(qtbot, kiosk)  # the right PIN, still locked
    assert kiosk.coach.session is None and "잠시 잠겼습니다" in words(kiosk)
    clock[0] += 301
    tap(qtbot, kiosk.home_button)
    sign_in(qtbot, kiosk)
    assert kiosk.coach.session is not None


def test_a_practice_ballot_is_marked_earns_nothing_and_keeps_no_vote_record(qtbot, kiosk):
    start_practice(qtbot, kiosk)
    vote(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "포인트도 쌓이지 않았습니다" in find(kiosk, "thanksPractice").text()
    assert not shown(kiosk, "thanksPoints")
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "ballot" and envelope.practice is True
    assert envelope.sealed_identity is not None
    with kiosk.ctx.db.read() as conn:  # the one-vote records untouched
        assert conn.exec_driver_sql("SELECT count(*) FROM civic_records").scalar() == 0
    # Practice again: the same resident is not told "already voted".
    tap_name(qtbot, kiosk, "thanksHome")
    assert find(kiosk, "practiceBand").isVisible()  # the visit ended, the session did not
    vote(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert [e.practice for e in kiosk.ctx.outbox.pending()] == [True, True]


def test_switching_practice_on_needs_the_coach_pin(qtbot, kiosk):
    # While a session is on, anyone at the kiosk can open the coach menu (the banner's button):
    # practice, in which residents' submissions do not count, takes the coach's PIN to start.
    sign_in(qtbot, kiosk)
    tap(qtbot, kiosk.home_button)
    open_coach_menu(qtbot, kiosk)
    tap_name(qtbot, kiosk, "startPractice")
    assert on(kiosk) == "coach_confirm"
    assert "연습을 시작하려면 코치 비밀번호" in words(kiosk)
    assert not kiosk.coach.practice and not shown(kiosk, "practiceBand")
    press(qtbot, kiosk, "135790")  # another coach's PIN is not this coach's
    tap_name(qtbot, kiosk, "key_확인")
    assert "맞지 않습니다" in find(kiosk, "coachMessage").text()
    assert not kiosk.coach.practice
    tap_back(qtbot, kiosk)  # giving up leaves practice off
    assert on(kiosk) == "coach_panel" and not kiosk.coach.practice
    tap(qtbot, kiosk.home_button)
    vote(qtbot, kiosk)
    [ballot] = [e for e in kiosk.ctx.outbox.pending() if e.kind == "ballot"]
    assert not ballot.practice  # counted
    tap_name(qtbot, kiosk, "thanksHome")
    open_coach_menu(qtbot, kiosk)
    switch_practice_on(qtbot, kiosk)
    assert shown(kiosk, "practiceBand")


def test_leaving_practice_needs_the_coach_pin_then_the_vote_is_real_once(qtbot, kiosk):
    start_practice(qtbot, kiosk)
    vote(qtbot, kiosk)
    tap_name(qtbot, kiosk, "thanksHome")
    open_coach_menu(qtbot, kiosk)
    tap_name(qtbot, kiosk, "leavePractice")
    assert on(kiosk) == "coach_confirm"
    press(qtbot, kiosk, "111111")
    tap_name(qtbot, kiosk, "key_확인")
    assert "맞지 않습니다" in find(kiosk, "coachMessage").text()
    assert kiosk.coach.practice and shown(kiosk, "practiceBand")
    press(qtbot, kiosk, PIN)
    tap_name(qtbot, kiosk, "key_확인")
    assert on(kiosk) == "coach_panel" and not kiosk.coach.practice
    assert not shown(kiosk, "practiceBand") and shown(kiosk, "coachBanner")
    tap(qtbot, kiosk.home_button)
    vote(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "1,000점" in find(kiosk, "thanksPoints").text()
    assert not shown(kiosk, "thanksPractice")
    real = [e for e in kiosk.ctx.outbox.pending() if not e.practice]
    assert [e.kind for e in real] == ["ballot"]
    tap_name(qtbot, kiosk, "thanksHome")
    vote(qtbot, kiosk)  # real use: the one-vote record now holds
    assert "이미 투표하셨습니다" in find(kiosk, "problemMessage").text()


def test_ending_during_practice_needs_the_pin_and_leaves_one_record(qtbot, kiosk):
    start_practice(qtbot, kiosk)
    vote(qtbot, kiosk)
    tap_name(qtbot, kiosk, "thanksHome")
    open_coach_menu(qtbot, kiosk)
    tap_name(qtbot, kiosk, "countResident")
    tap_name(qtbot, kiosk, "countResident")
    assert "가르친 주민 2명" in find(kiosk, "coachSession").text()
    # The lesson engine's hook: what a resident did at one lesson step.
    kiosk.coach.session.record_step("vote", "choose-dong", 9.5, 3)
    tap_name(qtbot, kiosk, "endCoaching")
    assert on(kiosk) == "coach_confirm" and kiosk.coach.session is not None
    press(qtbot, kiosk, PIN)
    tap_name(qtbot, kiosk, "key_확인")
    assert on(kiosk) == "home" and kiosk.coach.session is None
    assert not shown(kiosk, "coachBanner") and not shown(kiosk, "practiceBand")
    [record] = coach_records(kiosk)
    [envelope] = [e for e in kiosk.ctx.outbox.pending() if e.kind == "coach_session"]
    assert envelope.sealed_identity is None and envelope.practice is False
    assert record.coach_code == CODE and record.ended_by == "coach"
    assert record.residents_taught == 2 and record.visits == 1
    assert record.practice_submissions == 1
    assert [(s.step_id, s.wrong_taps) for s in record.steps] == [("choose-dong", 3)]
    assert record.lessons_completed == []


def test_ending_without_practice_is_one_tap(qtbot, kiosk):
    sign_in(qtbot, kiosk)
    tap_name(qtbot, kiosk, "endCoaching")
    assert on(kiosk) == "home" and kiosk.coach.session is None
    assert [r.ended_by for r in coach_records(kiosk)] == ["coach"]


def test_the_idle_reset_ends_the_session(qtbot, kiosk, idle_clock):
    start_practice(qtbot, kiosk)
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract and kiosk.coach.session is None
    [record] = coach_records(kiosk)
    assert record.ended_by == "idle"
    tap(qtbot, kiosk.current_screen)
    assert on(kiosk) == "home" and not shown(kiosk, "coachBanner")


def test_thirty_minutes_without_a_touch_end_it_when_the_idle_reset_is_longer(
    qtbot, make_window, idle_clock
):
    window = make_window(dong="myeong", idle_timeout_s=3600)
    district_coaches(window.ctx)
    window.coach.monotonic = idle_clock
    sign_in(qtbot, window)
    switch_practice_on(qtbot, window)
    idle_clock.advance(INACTIVITY_LIMIT_S - 5)
    window.coach.check()
    assert window.coach.session is not None
    # A touch through the native window, as a touchscreen's input arrives: 30 more minutes.
    menu = window.bars.settings_button
    QTest.mouseClick(
        window.windowHandle(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        menu.mapTo(window, menu.rect().center()),
    )
    assert window.settings.is_open
    idle_clock.advance(INACTIVITY_LIMIT_S - 5)
    window.coach.check()
    assert window.coach.session is not None
    idle_clock.advance(10)
    window.coach.check()
    assert window.coach.session is None and window.in_attract  # the visit is reset too
    [record] = coach_records(window)
    assert record.ended_by == "inactivity"


def test_the_content_packs_coaches_sign_nobody_in_outside_the_demo(qtbot, make_window):
    # The demo pack lists 김코치 (1001, 246810); a real device takes coaches from its server.
    window = make_window(dong="myeong")
    assert any(c.code == CODE for c in window.ctx.pack.coaches)
    open_sign_in(qtbot, window)
    assert "등록된 코치가 없습니다" in find(window, "coachMessage").text()
    press(qtbot, window, CODE)
    tap_name(qtbot, window, "key_확인")
    assert on(window) == "coach_sign_in" and find(window, "coachReadout").text() == CODE
    assert window.coach.sign_in(CODE, PIN).coach is None and window.coach.session is None


def test_the_demo_lets_the_packs_demo_coach_sign_in_without_a_server(qtbot, make_window):
    window = make_window(dong="myeong")
    window.ctx.demo = True  # python -m kiosk --demo (./dev demo, ./dev render)
    sign_in(qtbot, window)
    assert on(window) == "coach_panel"
    assert find(window, "coachBanner").text() == "코치와 함께 · 김코치"


def test_a_revoked_coachs_open_session_ends_at_once(qtbot, kiosk):
    sign_in(qtbot, kiosk)
    assert on(kiosk) == "coach_panel"
    # The heartbeat said 1001 is revoked: the worker marked it and told the window.
    from kiosk.store.coaches import CoachStore

    assert CoachStore(kiosk.ctx.db).revoke([CODE]) == [CODE]
    kiosk.coach.on_coaches_changed([CODE])
    assert kiosk.coach.session is None and on(kiosk) == "home"
    assert not shown(kiosk, "coachBanner")
    [record] = coach_records(kiosk)
    assert record.ended_by == "revoked" and record.coach_code == CODE
    sign_in(qtbot, kiosk)
    assert "사용이 중지되었습니다" in find(kiosk, "coachMessage").text()


def test_a_reset_pin_takes_over_an_open_session_and_sign_in(qtbot, kiosk):
    sign_in(qtbot, kiosk)
    server_gave(kiosk.ctx, [credential(CODE, "김코치", "97531")], [REVOKED_CODE], version=3)
    kiosk.coach.on_coaches_changed([REVOKED_CODE])
    assert kiosk.coach.session is not None  # the coach is still the district's
    tap_name(qtbot, kiosk, "startPractice")
    press(qtbot, kiosk, PIN)  # the old PIN no longer switches practice on
    tap_name(qtbot, kiosk, "key_확인")
    assert "맞지 않습니다" in find(kiosk, "coachMessage").text() and not kiosk.coach.practice
    press(qtbot, kiosk, "97531")
    tap_name(qtbot, kiosk, "key_확인")
    assert kiosk.coach.practice and on(kiosk) == "coach_panel"
    tap_name(qtbot, kiosk, "endCoaching")
    press(qtbot, kiosk, "97531")
    tap_name(qtbot, kiosk, "key_확인")
    assert kiosk.coach.session is None
    sign_in(qtbot, kiosk, CODE, PIN)
    assert kiosk.coach.session is None and "맞지 않습니다" in find(kiosk, "coachMessage").text()
    tap(qtbot, kiosk.home_button)
    sign_in(qtbot, kiosk, CODE, "97531")
    assert on(kiosk) == "coach_panel"


@pytest.mark.parametrize("size", ((1080, 1920), (1920, 1080)), ids=("portrait", "landscape"))
@pytest.mark.parametrize("scale", (100, 200))
def test_the_coachs_band_leaves_the_working_area_three_quarters(qtbot, make_window, size, scale):
    """A signed-in coach in practice costs the working area nothing it is measured by: across
    a portrait window the coach's name and a yellow 연습 중 stand in the 온통중구 header (with
    낮은 화면 at 200 %, the tightest, too); beside a landscape rail the band stands over the
    working area. 코치 메뉴 is the first button of 도움·설정, not in the bars."""
    from tests.helpers.audit import MIN_WORKING_AREA_SHARE, working_area_share

    window = make_window(size, dong="myeong")
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=True)
    district_coaches(window.ctx)
    sign_in(qtbot, window)
    switch_practice_on(qtbot, window)
    band = find(window, "practiceBand")
    assert band.isVisible() and find(window, "coachBanner").isVisible()
    header = window.top_bar.isAncestorOf(band)
    assert header == (size[1] > size[0]) and header != window.coach_bar.isVisible()
    assert working_area_share(window) >= MIN_WORKING_AREA_SHARE
    for bar in (window.top_bar, window.bottom_bar, window.coach_bar):
        assert bar.findChild(QWidget, "coachMenuButton") is None
    tap(qtbot, window.bars.settings_button)
    first = next(iter(window.settings.panel.buttons))
    assert first == "coachMenuButton"
    tap_name(qtbot, window, "coachMenuButton")
    assert on(window) == "coach_panel" and not window.settings.is_open


def test_a_proposal_written_in_practice_promises_no_points_at_its_review(qtbot, kiosk):
    """In practice the review says a proposal earns nothing there, where it would say
    "참여 포인트 2,000점"; out of practice it promises them as before."""
    from tests.widget.test_new_proposal_flow import write

    start_practice(qtbot, kiosk)
    write(qtbot, kiosk)
    assert "연습이라 참여 포인트는 쌓이지 않습니다." in words(kiosk)
    assert "2,000점" not in words(kiosk)
    tap(qtbot, kiosk.home_button)
    open_coach_menu(qtbot, kiosk)
    tap_name(qtbot, kiosk, "leavePractice")
    press(qtbot, kiosk, PIN)
    tap_name(qtbot, kiosk, "key_확인")
    assert not kiosk.coach.practice
    tap(qtbot, kiosk.home_button)
    write(qtbot, kiosk)
    assert "참여 포인트 2,000점" in words(kiosk)


def test_the_identity_keys_keep_their_size_under_the_practice_band(qtbot, make_window):
    """Landscape at 200 %, a coach in practice (their band over the working area): every key
    of 본인 확인's keypad at least the touch size, none over another, all in sight."""
    from kiosk.ui.render import sample_route
    from kiosk.ui.screens.coach import sign_in_sample_coach
    from kiosk.ui.widgets import Keypad
    from tests.helpers.audit import hidden_keys

    window = make_window((1920, 1080))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    enrol(window, PrivateKey.generate())
    sign_in_sample_coach(window)
    window.navigate(sample_route(window, "identity_phone"))
    assert shown(window, "practiceBand")
    (pad,) = [p for p in window.findChildren(Keypad) if p.isVisible()]
    keys = [k for k in pad.findChildren(QAbstractButton) if k.isVisible()]
    target = window.theme.metrics.target_px
    assert all(min(k.width(), k.height()) >= target for k in keys), [k.height() for k in keys]
    for i, key in enumerate(keys):
        assert not any(key.geometry().intersects(other.geometry()) for other in keys[i + 1 :])
    assert hidden_keys(window) == []
