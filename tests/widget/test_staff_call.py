"""직원 호출 as a resident meets it: the bar button on every screen, the large notice and its
닫기, one staff_call envelope a minute however often it is tapped, the chime."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from contract.content import KST
from kiosk.domain.staff_call import COOLDOWN_S
from tests.helpers.resident import find, on, shown, tap_name, tap_setting

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


@pytest.fixture
def kiosk(make_window, idle_clock):
    window = make_window()
    window.ctx.clock = lambda: NOW
    window.staff_call.monotonic = idle_clock
    return window


def calls(window) -> list:
    return [e for e in window.ctx.outbox.pending() if e.kind == "staff_call"]


def test_a_call_queues_one_envelope_and_shows_the_large_notice(qtbot, kiosk):
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, "staffCallButton")
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르는 중입니다"
    assert find(kiosk, "staffCallNotice").geometry() == kiosk.rect()  # over everything
    [call] = calls(kiosk)
    assert call.payload == {"screen": "surveys"}
    assert call.practice is False
    assert call.sealed_identity is None
    assert "chime" in kiosk.voice.sounds.played
    close = find(kiosk, "staffCallClose")
    assert close.width() >= 96 and close.height() >= 96
    tap_name(qtbot, kiosk, "staffCallClose")
    assert not shown(kiosk, "staffCallNotice")
    assert on(kiosk) == "surveys"  # where the resident was, nothing lost


def test_repeated_taps_within_a_minute_do_not_flood(qtbot, kiosk, idle_clock):
    tap_name(qtbot, kiosk, "staffCallButton")
    tap_name(qtbot, kiosk, "staffCallClose")
    for _ in range(5):
        idle_clock.advance(5)
        tap_name(qtbot, kiosk, "staffCallButton")
        assert find(kiosk, "staffCallTitle").text() == "이미 직원을 부르는 중입니다"
        tap_name(qtbot, kiosk, "staffCallClose")
    assert len(calls(kiosk)) == 1
    idle_clock.advance(COOLDOWN_S)
    tap_name(qtbot, kiosk, "staffCallButton")
    # A call again joins the open one: the wait counts from the first (85 s: one minute).
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르는 중입니다\u00a0·\u00a01분째"
    assert len(calls(kiosk)) == 2


def test_the_call_is_on_every_screen_in_both_languages(qtbot, kiosk):
    tap_name(qtbot, kiosk, "tile_budget")
    assert find(kiosk, "staffCallButton").accessibleName() == "직원 호출"
    tap_setting(qtbot, kiosk, "languageButton")
    assert find(kiosk, "staffCallButton").accessibleName() == "Call staff"
    tap_name(qtbot, kiosk, "staffCallButton")
    assert find(kiosk, "staffCallTitle").text() == "Calling staff"
    assert calls(kiosk)[0].payload == {"screen": "budget"}


def test_the_notice_is_spoken_when_voice_is_on(qtbot, make_window, idle_clock):
    window = make_window(speech_engine="mock")
    window.staff_call.monotonic = idle_clock
    tap_setting(qtbot, window, "voiceButton")
    window.voice.spoken.clear()
    tap_name(qtbot, window, "staffCallButton")
    # This kiosk has no sync (not enrolled): the call cannot have reached anyone.
    assert list(window.voice.spoken)[:2] == [
        "직원을 부르는 중입니다",
        "호출이 아직 직원에게 전해지지 않았습니다. "
        "급하시면 안내 창구의 직원에게 직접 말씀해 주세요.",
    ]


def test_the_end_of_a_visit_closes_the_notice(qtbot, kiosk):
    tap_name(qtbot, kiosk, "staffCallButton")
    kiosk.idle.expired.emit()
    assert not shown(kiosk, "staffCallNotice")


@pytest.mark.logs_error("submission_failed kind=staff_call error=OperationalError")
def test_a_call_that_cannot_be_queued_says_so_and_can_be_tried_again(qtbot, kiosk, monkeypatch):
    import sqlite3

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(kiosk.ctx.outbox, "enqueue", broken)
    tap_name(qtbot, kiosk, "staffCallButton")
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르지 못했습니다"
    assert "error" in kiosk.voice.sounds.played
    tap_name(qtbot, kiosk, "staffCallClose")
    monkeypatch.undo()
    tap_name(qtbot, kiosk, "staffCallButton")  # not refused as "already called"
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르는 중입니다"
    assert len(calls(kiosk)) == 1


def test_the_notice_follows_the_call_waiting_recall_and_coming(qtbot, make_window, idle_clock):
    """The server's word arrives as the sync controller's signal (here called directly): the
    words change, and are read aloud only when the news changed."""
    from kiosk.domain.staff_call import RECALL_AFTER_S

    window = make_window(speech_engine="mock")
    window.staff_call.monotonic = idle_clock
    tap_setting(qtbot, window, "voiceButton")
    tap_name(qtbot, window, "staffCallButton")
    window.staff_call.on_sync_staff_call("waiting")
    assert find(window, "staffCallTitle").text() == "직원을 부르는 중입니다"
    assert find(window, "staffCallBody").text().startswith("호출이 직원에게 전해졌습니다.")
    assert not shown(window, "staffCallAgain")

    idle_clock.advance(125)
    window.staff_call.on_call_tick()
    assert find(window, "staffCallTitle").text() == "직원을 부르는 중입니다\u00a0·\u00a02분째"
    assert window.voice.spoken[-2] == "직원을 부르는 중입니다 · 2분째"  # read with plain spaces
    spoken = len(window.voice.spoken)
    idle_clock.advance(20)
    window.staff_call.on_call_tick()
    assert len(window.voice.spoken) == spoken  # the same news is not read again

    idle_clock.advance(RECALL_AFTER_S)
    window.staff_call.on_call_tick()
    assert shown(window, "staffCallAgain")
    assert find(window, "staffCallAgain").accessibleName() == "다시 부르기"
    tap_name(qtbot, window, "staffCallAgain")
    assert len(calls(window)) == 2
    assert not shown(window, "staffCallAgain")

    window.staff_call.on_sync_staff_call("coming")
    assert find(window, "staffCallTitle").text() == "직원이 오고 있습니다"
    assert list(window.voice.spoken)[-2:] == [
        "직원이 오고 있습니다",
        "직원이 호출을 확인했습니다. 이 자리에서 잠시만 기다려 주세요.",
    ]


class FakeLink:
    """The window's sync link as the staff caller sees it: online or not, told of calls (and
    as the bars' sync indicator reads it, when an open call rebuilds them)."""

    def __init__(self) -> None:
        self.offline = False
        self.calls: list[object] = []
        self.status = SimpleNamespace(state="idle")
        self.status_changed = SimpleNamespace(connect=lambda slot: None)

    def staff_called(self, envelope_id: object) -> None:
        self.calls.append(envelope_id)

    def wake(self) -> None:
        """Queued envelopes go at once (the window wakes the worker after each act)."""


def test_online_the_call_is_being_sent_until_the_server_confirms_it(qtbot, kiosk, idle_clock):
    """No word that the call reached anyone before the server has it; 30 s without that word
    (a fake clock, no sleeps), it says the call has not reached the staff yet."""
    from kiosk.domain.staff_call import UNHEARD_AFTER_S

    kiosk.sync = FakeLink()
    tap_name(qtbot, kiosk, "staffCallButton")
    assert kiosk.sync.calls == [calls(kiosk)[0].id]
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르는 중입니다"
    assert find(kiosk, "staffCallBody").text().startswith("호출을 보내고 있습니다.")
    idle_clock.advance(UNHEARD_AFTER_S)
    kiosk.staff_call.on_call_tick()
    assert find(kiosk, "staffCallBody").text().startswith("호출이 아직 직원에게 전해지지")
    kiosk.staff_call.on_sync_staff_call("waiting")
    assert find(kiosk, "staffCallBody").text().startswith("호출이 직원에게 전해졌습니다.")


def test_going_offline_with_the_call_unconfirmed_says_so_aloud(qtbot, make_window, idle_clock):
    window = make_window(speech_engine="mock")
    window.staff_call.monotonic = idle_clock
    window.sync = FakeLink()
    tap_setting(qtbot, window, "voiceButton")
    tap_name(qtbot, window, "staffCallButton")
    assert find(window, "staffCallBody").text().startswith("호출을 보내고 있습니다.")
    window.sync.offline = True
    window.staff_call.on_sync_status(None)  # the sync link's status_changed
    body = find(window, "staffCallBody").text()
    assert body.startswith("호출이 아직 직원에게 전해지지 않았습니다.")
    assert window.voice.spoken[-1] == body
    # Still waiting, and counting: the title keeps saying for how long.
    idle_clock.advance(61)
    window.staff_call.on_call_tick()
    assert find(window, "staffCallTitle").text() == "직원을 부르는 중입니다\u00a0·\u00a01분째"
    assert find(window, "staffCallBody").text() == body


def test_a_closed_notice_comes_back_once_to_offer_calling_again(qtbot, make_window, idle_clock):
    """The configured time (staff_recall_after_s, here 5 minutes) passes on a fake clock, the
    notice closed: it comes back with 다시 부르기 for the resident who called, once; never
    for the next visitor."""
    recall_after_s = 300
    kiosk = make_window(staff_recall_after_s=recall_after_s)
    kiosk.staff_call.monotonic = idle_clock
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, "staffCallButton")
    tap_name(qtbot, kiosk, "staffCallClose")
    idle_clock.advance(recall_after_s - 5)
    kiosk.staff_call.on_call_tick()
    assert not shown(kiosk, "staffCallNotice")
    idle_clock.advance(5)
    kiosk.staff_call.on_call_tick()
    assert shown(kiosk, "staffCallNotice") and shown(kiosk, "staffCallAgain")
    assert find(kiosk, "staffCallTitle").text().endswith("\u00a05분째")
    assert on(kiosk) == "surveys"  # over the screen the resident was on
    tap_name(qtbot, kiosk, "staffCallClose")
    idle_clock.advance(5)
    kiosk.staff_call.on_call_tick()
    assert not shown(kiosk, "staffCallNotice")  # once: closed again, it stays closed

    tap_name(qtbot, kiosk, "staffCallButton")  # 다시 부르기 from the bar: a second call
    assert len(calls(kiosk)) == 2
    tap_name(qtbot, kiosk, "staffCallClose")
    kiosk.idle.expired.emit()  # the resident left; the next one must not meet this call
    idle_clock.advance(recall_after_s)
    kiosk.staff_call.on_call_tick()
    assert not shown(kiosk, "staffCallNotice")
    assert not kiosk.staff_call.timer.isActive()


def test_staff_coming_shows_the_notice_again_to_the_resident_who_called(qtbot, kiosk):
    tap_name(qtbot, kiosk, "staffCallButton")
    tap_name(qtbot, kiosk, "staffCallClose")
    kiosk.staff_call.on_sync_staff_call("waiting")
    assert not shown(kiosk, "staffCallNotice")
    kiosk.staff_call.on_sync_staff_call("coming")
    assert shown(kiosk, "staffCallNotice")
    assert find(kiosk, "staffCallTitle").text() == "직원이 오고 있습니다"


def words_of(window, name: str) -> str:
    return find(window, name).accessibleName()


def test_an_open_call_stays_in_sight_after_its_notice_is_closed(qtbot, make_window, idle_clock):
    """Closed, the notice leaves the call's state in 직원 호출's place: how long it has waited,
    then that staff are coming (read aloud), gone once staff closed it or the visit ended; a
    tap on it opens the notice again."""
    window = make_window(speech_engine="mock")
    window.staff_call.monotonic = idle_clock
    tap_setting(qtbot, window, "voiceButton")
    tap_name(qtbot, window, "tile_surveys")
    assert words_of(window, "staffCallButton") == "직원 호출"
    tap_name(qtbot, window, "staffCallButton")
    tap_name(qtbot, window, "staffCallClose")
    assert words_of(window, "staffCallButton") == "호출 중"
    tap_name(qtbot, window, "staffCallButton")  # within the minute: the notice again, no call
    assert shown(window, "staffCallNotice") and len(calls(window)) == 1
    assert find(window, "staffCallTitle").text() == "이미 직원을 부르는 중입니다"
    tap_name(qtbot, window, "staffCallClose")
    window.staff_call.on_sync_staff_call("waiting")
    idle_clock.advance(65)
    window.staff_call.on_call_tick()
    assert words_of(window, "staffCallButton") == "호출 중\u00a0· 1분째"
    assert not shown(window, "staffCallNotice")
    # The state in the bar is in sight on the next screen too.
    tap_name(qtbot, window, "homeButton")
    assert words_of(window, "staffCallButton") == "호출 중\u00a0· 1분째"

    window.voice.spoken.clear()
    window.staff_call.on_sync_staff_call("coming")  # acknowledged: the notice says it aloud
    tap_name(qtbot, window, "staffCallClose")
    assert words_of(window, "staffCallButton") == "직원이 오는 중"
    assert "직원이 오고 있습니다" in list(window.voice.spoken)
    window.staff_call.on_sync_staff_call(None)  # staff closed it
    assert words_of(window, "staffCallButton") == "직원 호출"

    tap_name(qtbot, window, "staffCallButton")  # a new call; then the visit ends
    tap_name(qtbot, window, "staffCallClose")
    assert words_of(window, "staffCallButton") == "호출 중"
    window.idle.expired.emit()
    window.leave_attract()
    assert words_of(window, "staffCallButton") == "직원 호출"


def test_the_state_in_the_bar_is_read_aloud_when_the_notice_is_closed(
    qtbot, make_window, idle_clock
):
    window = make_window(speech_engine="mock")
    window.staff_call.monotonic = idle_clock
    tap_setting(qtbot, window, "voiceButton")
    tap_name(qtbot, window, "staffCallButton")
    tap_name(qtbot, window, "staffCallClose")
    window.staff_call.on_sync_staff_call("waiting")
    window.voice.spoken.clear()
    idle_clock.advance(65)
    window.staff_call.on_call_tick()
    # A minute more is shown, not read aloud (as the notice does).
    assert list(window.voice.spoken) == []


def test_a_waiting_resident_is_not_reset_for_idleness(qtbot, kiosk, idle_clock):
    timeout = kiosk.ctx.config.idle_timeout_s
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, "staffCallButton")
    for _ in range(int(timeout // 5) + 4):
        idle_clock.advance(5)
        kiosk.staff_call.on_call_tick()
        kiosk.idle.check()
    assert on(kiosk) == "surveys" and shown(kiosk, "staffCallNotice")


STATES = ("unheard", "waiting", "recall", "coming")


@pytest.mark.parametrize("scale", [100, 150, 200])
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_every_state_of_the_notice_fits_at_100_150_and_200_percent(
    qtbot, make_window, idle_clock, scale, size, tmp_path
):
    """Not yet heard by the server, waiting (with the minutes), 다시 부르기 offered, and
    직원이 오고 있습니다: every word and
    both buttons are on screen, nothing clipped, the buttons large enough to tap. With
    ONTONG_SHOTS=DIR the notice is also saved there as PNG, for a person to look at."""
    import os
    from pathlib import Path

    from kiosk.domain.staff_call import RECALL_AFTER_S

    window = make_window(size)
    window.staff_call.monotonic = idle_clock
    window.prefs.set_text_scale(scale)
    window.on_prefs_changed()
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, "staffCallButton")
    shots = os.environ.get("ONTONG_SHOTS")
    for state in STATES:
        if state == "unheard":  # no word from the server yet
            idle_clock.advance(90)
            window.staff_call.on_call_tick()
            assert "전해지지 않았습니다" in find(window, "staffCallBody").text()
            assert (
                find(window, "staffCallTitle").text() == "직원을 부르는 중입니다\u00a0·\u00a01분째"
            )
        elif state == "waiting":
            window.staff_call.on_sync_staff_call("waiting")
            idle_clock.advance(40)
            window.staff_call.on_call_tick()
            assert find(window, "staffCallTitle").text().endswith("2분째")
            assert find(window, "staffCallBody").text().startswith("호출이 직원에게 전해졌습니다")
            assert not shown(window, "staffCallAgain")
        elif state == "recall":
            idle_clock.advance(RECALL_AFTER_S)
            window.staff_call.on_call_tick()
            assert shown(window, "staffCallAgain")
        else:
            window.staff_call.on_sync_staff_call("coming")
            assert find(window, "staffCallTitle").text() == "직원이 오고 있습니다"
        qtbot.wait(10)
        window_rect = window.rect()
        notice = window.staff_call.notice
        parts = {
            "staffCallTitle": notice.title,
            "staffCallBody": notice.body,
            "staffCallAgain": notice.again_button,
            "staffCallClose": notice.close_button,
        }
        for name, widget in parts.items():
            if not widget.isVisible():
                assert name == "staffCallAgain" and state != "recall"
                continue
            top_left = widget.mapTo(window, widget.rect().topLeft())
            placed = widget.rect().translated(top_left)
            assert window_rect.contains(placed), (state, name, placed, window_rect)
            # As tall as its words need at its width: no line cut off.
            needed = (
                widget.heightForWidth(widget.width())
                if widget.hasHeightForWidth()
                else widget.sizeHint().height()
            )
            assert widget.height() >= needed, (state, name)
            if name in ("staffCallAgain", "staffCallClose"):
                assert widget.width() >= 96 and widget.height() >= 96
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            window.grab().save(
                str(Path(shots) / f"staff-call-{state}-{size[0]}x{size[1]}-{scale}.png")
            )
