"""영상센터 as a resident uses it, by taps: the list, a video with its large buttons and
subtitles, the way to a phone and to the district's channels; then the attract loop and the
media board around the same player; and the layout audit of these screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QLabel, QWidget

from contract.subtitles import cue_at
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.domain.video import VideoSession
from kiosk.ui.navigation import Route
from kiosk.ui.player.health import RESTART_EXIT_CODE
from kiosk.ui.player.slides import CARD_ID
from kiosk.ui.screens import attract
from tests.helpers.audit import clipped_labels, small_targets
from tests.helpers.board import decode_qr
from tests.helpers.resident import tap_back, tap_setting

TAP = Qt.MouseButton.LeftButton
# A damaged video file is part of what these tests play.
pytestmark = pytest.mark.qt_log_ignore("Could not open media")


def tap(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, TAP)


def find(window, name: str) -> QWidget:
    """The visible widget called `name` (replaced widgets linger hidden until deleted)."""
    found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{len(found)} visible widgets named {name}"
    return found[0]


def open_video(qtbot, window, index: int = 0):
    tap(qtbot, find(window, "tile_videos"))
    video = window.ctx.pack.videos[index]
    tap(qtbot, find(window, f"video_{video.id}"))
    assert window.navigator.current.screen == "video"
    return video


def position_s(window) -> float:
    return window.current_screen.media.position() / 1000


def test_the_list_shows_each_video_with_its_title_and_length(qtbot, window):
    tap(qtbot, find(window, "tile_videos"))
    assert window.navigator.current.screen == "videos"
    for video in window.ctx.pack.videos:
        tile = find(window, f"video_{video.id}")
        assert tile.text_of_lines() == f"{video.title.ko}\n길이 6초"
        assert tile.width() >= 96 and tile.height() >= 96


def test_open_pause_back_10_seconds_and_subtitles_match_the_player(qtbot, window):
    video = open_video(qtbot, window)
    screen = window.current_screen
    media = screen.media
    assert media is not None and screen.session.playing  # a tap on the tile plays it
    assert not screen.subtitle.isVisible()  # subtitles start off
    qtbot.waitUntil(lambda: position_s(window) >= 2.3, timeout=8000)
    tap(qtbot, find(window, "videoPlay"))  # 일시정지
    assert find(window, "videoPlay").text_of_lines() == "재생"
    assert find(window, "videoPosition").text().startswith("멈춤")
    paused_at = position_s(window)
    qtbot.wait(300)
    assert position_s(window) == paused_at  # it really stopped
    tap(qtbot, find(window, "videoBack"))  # 10초 뒤로: not before the start
    assert position_s(window) == 0
    assert find(window, "videoPosition").text() == "멈춤 · 0:00 / 0:06"
    tap(qtbot, find(window, "videoSubtitles"))  # 자막 켜기
    assert find(window, "videoSubtitles").text_of_lines() == "자막 끄기"
    subtitle = find(window, "videoSubtitle")
    assert subtitle.text() == cue_at(screen.cues, position_s(window)).text
    assert subtitle.text().startswith("온통중구")  # the first line of the Korean subtitles
    # Play on into the second cue, pause again: the subtitle follows the player.
    tap(qtbot, find(window, "videoPlay"))
    qtbot.waitUntil(lambda: position_s(window) >= 2.4, timeout=8000)
    tap(qtbot, find(window, "videoPlay"))
    shown = find(window, "videoSubtitle").text()
    assert shown == cue_at(screen.cues, position_s(window)).text
    assert shown == screen.cues[1].text
    assert video.subtitles is not None


def test_volume_and_from_the_start(qtbot, window):
    open_video(qtbot, window, 1)
    screen = window.current_screen
    tap(qtbot, find(window, "videoLouder"))
    tap(qtbot, find(window, "videoLouder"))
    assert screen.session.volume == 80 and find(window, "videoVolume").text() == "소리 크기 80"
    if screen.audio is not None:  # a machine with a sound device plays at that volume
        assert screen.audio.volume() == pytest.approx(0.8)
    for _ in range(9):
        tap(qtbot, find(window, "videoQuieter"))
    assert screen.session.volume == 0 and find(window, "videoVolume").text() == "소리 꺼짐"
    if screen.audio is not None:
        assert screen.audio.volume() == 0
    qtbot.waitUntil(lambda: position_s(window) >= 1.0, timeout=8000)
    tap(qtbot, find(window, "videoRestart"))
    assert position_s(window) < 0.5 and screen.session.playing


def test_sound_goes_only_to_a_real_device_and_the_file_is_closed_on_leaving(qtbot, window):
    open_video(qtbot, window)
    screen = window.current_screen
    has_device = not QMediaDevices.defaultAudioOutput().isNull()
    assert (screen.audio is not None) == has_device
    assert screen.media.source().isLocalFile()
    tap(qtbot, find(window, "backButton"))
    assert window.navigator.current.screen == "videos"
    assert screen.media.source().isEmpty()  # no decoder left running in the screen left behind


def test_the_end_of_a_video_and_playing_it_again(qtbot, window):
    video = window.ctx.pack.videos[0]
    session = VideoSession(video.id, video.duration_s, position_s=5.0)
    window.navigate(Route("video", {"video_id": video.id, "session": session}))
    qtbot.waitUntil(lambda: find(window, "videoPosition").text().startswith("끝까지"), timeout=8000)
    assert find(window, "videoPlay").text_of_lines() == "재생"
    tap(qtbot, find(window, "videoPlay"))
    assert window.current_screen.session.playing and position_s(window) < 1.0


def test_a_bigger_text_size_goes_on_where_the_resident_was(qtbot, window):
    open_video(qtbot, window)
    qtbot.waitUntil(lambda: position_s(window) >= 1.5, timeout=8000)
    tap(qtbot, find(window, "videoPlay"))
    tap(qtbot, find(window, "videoSubtitles"))
    at = find(window, "videoPosition").text()
    tap_setting(qtbot, window, "textSizeButton")
    assert window.prefs.text_scale == 150
    assert find(window, "videoPosition").text() == at
    assert find(window, "videoSubtitle").isVisible()
    assert find(window, "videoPlay").text_of_lines() == "재생"


def test_a_video_that_cannot_play_says_so_and_what_to_do(qtbot, window):
    video = window.ctx.pack.videos[0]
    window.ctx.asset_file(video.asset).write_bytes(b"broken" * 100)
    open_video(qtbot, window)
    qtbot.waitUntil(lambda: find(window, "videoError").isVisible(), timeout=8000)
    assert "이전을 눌러" in find(window, "videoError").text()
    assert not find(window, "videoPlay").isEnabled()


def test_the_kiosk_attract_loop_shows_a_way_to_a_phone_and_a_touch_leaves_it(
    qtbot, window, idle_clock
):
    window.enter_attract()
    screen = window.current_screen
    assert find(window, "attractStart").accessibleName() == "시작하기"
    player = screen.player
    qtbot.waitUntil(lambda: player.showing.item.id != CARD_ID, timeout=5000)
    item = player.showing.item
    assert item.url and find(window, "attractShare").isVisible()
    tap(qtbot, find(window, "attractShare"))
    assert not window.in_attract and window.navigator.current.screen == "share"
    assert decode_qr(window.grab().toImage()) == [item.url]
    assert not player.running
    tap_back(qtbot, window)
    assert window.navigator.current.screen == "home"


def test_the_media_board_fills_the_window_and_ignores_touch(qtbot, make_window):
    window = make_window((1920, 1080), mode="board")
    assert window.in_attract
    player = window.current_screen.player
    assert not [w for w in window.findChildren(QWidget, "attractStart") if w.isVisible()]
    qtbot.waitUntil(lambda: player.showing.item.id != CARD_ID, timeout=5000)
    assert player.size() == window.size()
    tap(qtbot, window.current_screen)
    assert window.in_attract and player.running


def test_a_memory_ceiling_restarts_the_app_at_an_item_boundary(qtbot, make_window, monkeypatch):
    exits: list[int] = []
    monkeypatch.setattr(attract, "request_restart", exits.append)
    window = make_window((1920, 1080), mode="board", memory_ceiling_mb=100)
    player = window.current_screen.player
    qtbot.waitUntil(lambda: exits == [RESTART_EXIT_CODE], timeout=5000)
    assert not player.running  # stopped cleanly, its counts saved


SCREENS = ["videos", "video", "share", "sns", "attract"]


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_no_clipped_text_and_large_targets_on_these_screens(qtbot, make_window, size):
    window = make_window(size)
    problems: list[str] = []
    for language in ("ko", "en"):
        for scale in TEXT_SCALES:
            window.prefs.set(language=language, text_scale=scale, high_contrast=False)
            for name in SCREENS:
                window.navigator.home()
                if name == "attract":
                    window.enter_attract()
                else:
                    window.leave_attract()
                    if name == "video":
                        video = window.ctx.pack.videos[0]
                        session = VideoSession(video.id, video.duration_s, playing=False)
                        session.subtitles = True
                        window.navigate(Route("video", {"video_id": video.id, "session": session}))
                    elif name == "share":
                        video = window.ctx.pack.videos[1]
                        params = {"url": video.url, "title": video.title.get(language)}
                        window.navigate(Route("share", params))
                    else:
                        window.navigate(Route(name))
                qtbot.wait(1)
                where = f"{name} {language} {scale}%"
                problems += [f"{where}: {p}" for p in clipped_labels(window)]
                problems += [f"{where}: {p}" for p in small_targets(window, 96)]
                labels = [
                    lab for lab in window.current_screen.findChildren(QLabel) if lab.isVisible()
                ]
                assert labels or name == "attract", where
    assert not problems, "\n".join(problems)
