"""긴급 공지 in the window: a band above every screen of a kiosk in use (taps still reach the
screen, and read-aloud says it), a sign over the whole window of a board or of a kiosk's
attract loop (its player stops meanwhile), gone when cleared or when its time ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt

from contract.wire import EmergencyNotice
from kiosk.domain.emergency import Shown
from tests.helpers.resident import find, on, tap_back, tap_name, tap_setting

TEXT = "지하 주차장 침수. 지하로 내려가지 마세요."


def notice(id: int = 1, level: str = "danger", lasts_s: float = 3600) -> EmergencyNotice:
    now = datetime.now(UTC)
    return EmergencyNotice(
        id=id,
        text=TEXT,
        level=level,  # type: ignore[arg-type]
        posted_at=now - timedelta(minutes=3),
        until=now + timedelta(seconds=lasts_s),
    )


def covers(window, widget) -> bool:
    return widget.isVisible() and widget.geometry() == window.rect()


def test_a_kiosk_in_use_shows_a_band_that_blocks_nothing_and_says_it(qtbot, make_window):
    window = make_window(speech_engine="mock")
    window.voice.toggle()
    qtbot.waitUntil(lambda: window.voice.on)
    tap_name(qtbot, window, "tile_surveys")
    screen = on(window)

    window.emergency.on_sync_emergency([notice()])

    band = window.emergency.band
    assert window.emergency.how is Shown.BAND and band.isVisible()
    assert not window.emergency.sign.isVisible()
    assert find(window, "emergencyText").text() == TEXT
    assert "긴급 안내" in find(window, "emergencyLevel").text()
    assert "게시" in find(window, "emergencyPosted").text()
    # Above the working area, not over it: the resident's step is where it was.
    top_left = window.scroll_area.mapTo(window, QPoint(0, 0))
    assert band.mapTo(window, QPoint(0, band.height())).y() <= top_left.y()
    assert on(window) == screen
    qtbot.waitUntil(lambda: any(TEXT in line for line in window.voice.spoken))
    # On every screen: the next one has it too, and taps still work.
    tap_back(qtbot, window)
    assert band.isVisible() and find(window, "emergencyText").text() == TEXT

    window.emergency.on_sync_emergency([])

    assert not band.isVisible() and window.emergency.shown is None


def test_voice_turned_on_under_a_band_says_it_after_the_greeting(qtbot, make_window):
    window = make_window(speech_engine="mock")
    window.emergency.on_sync_emergency([notice(level="warning")])
    assert window.emergency.band.isVisible() and not window.voice.spoken

    tap_setting(qtbot, window, "voiceButton")

    qtbot.waitUntil(lambda: any(TEXT in line for line in window.voice.spoken))
    qtbot.wait(100)  # anything the toggle queues behind it has been said too
    said = list(window.voice.spoken)
    notice_at = said.index(f"주의 안내. {TEXT}")
    # Said once, after the greeting (what voice says first is about voice, not the notice).
    assert notice_at > 0 and sum(TEXT in line for line in said) == 1


def test_an_idle_kiosk_shows_the_sign_and_a_touch_still_starts_a_visit(qtbot, make_window):
    window = make_window()
    window.enter_attract()
    player = window.current_screen.player
    qtbot.waitUntil(lambda: player.running)

    window.emergency.on_sync_emergency([notice(level="warning")])

    sign = window.emergency.sign
    assert covers(window, sign) and window.emergency.how is Shown.SIGN
    assert not player.running  # nobody sees the loop under the sign
    qtbot.waitUntil(lambda: sign.text_px > 0)  # painted
    # What to do, as a notice asks: never "touch to start", as if it were a promotion.
    assert sign.foot_words == "위 안내에 따라 주세요"
    # The tap lands on what is under the sign (the sign lets it through), as on the loop.
    middle = window.rect().center()
    under = window.childAt(middle)
    assert under is not None and under is not sign
    qtbot.mouseClick(under, Qt.MouseButton.LeftButton, pos=under.mapFrom(window, middle))
    assert not window.in_attract and on(window) == "home"
    assert not sign.isVisible() and window.emergency.band.isVisible()


def test_a_board_shows_the_sign_in_large_type_until_it_is_cleared(qtbot, make_window):
    window = make_window((1920, 1080), mode="board")
    player = window.current_screen.player
    qtbot.waitUntil(lambda: player.running)

    window.emergency.on_sync_emergency([notice()])

    sign = window.emergency.sign
    assert covers(window, sign) and not player.running
    qtbot.waitUntil(lambda: sign.text_px > 0)
    # At least 25 mm of Hangul glyph on the panel (readable from 3 m; 42 mm if it fits).
    panel_mm_per_px = window._panel().mm_per_px
    assert sign.text_px * 0.86 * panel_mm_per_px >= 25

    window.emergency.on_sync_emergency([])

    assert not sign.isVisible()
    qtbot.waitUntil(lambda: player.running)


def test_a_notice_nobody_clears_ends_at_its_time(qtbot, make_window):
    window = make_window((1920, 1080), mode="board")

    window.emergency.on_sync_emergency([notice(lasts_s=1.0)])

    assert window.emergency.sign.isVisible()
    qtbot.waitUntil(lambda: not window.emergency.sign.isVisible(), timeout=5000)
    assert window.emergency.shown is None
