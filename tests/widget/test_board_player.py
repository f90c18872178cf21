"""The signage player with a fake clock, offscreen: rotations of pictures, the real demo video
and notices with no empty frame, skipped broken videos, emergencies, screen-off hours, the
district card, the watchdog and the memory ceiling."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap

from contract.content import TimeWindow
from kiosk.ui.player.health import Watchdog
from kiosk.ui.player.slides import CARD_ID
from tests.helpers.board import (
    FADE_S,
    WEDNESDAY_10,
    Board,
    add_file,
    close_board,
    corrupt,
    demo_promotion,
    finish_fade,
    is_one_colour,
    next_item,
    promotion,
    set_promotions,
    stage_picture,
    start,
)
from tests.helpers.board import make_board as build_board


@pytest.fixture
def make_board(qtbot, fonts, data_dir):
    made: list[Board] = []

    def make(*args, **kwargs) -> Board:
        board = build_board(qtbot, data_dir, *args, **kwargs)
        made.append(board)
        return board

    yield make
    for board in made:
        close_board(board)


def test_pictures_a_real_video_and_notices_rotate_with_no_empty_frame(qtbot, make_board):
    board = make_board()
    player = board.player
    start(qtbot, board)
    sequence = [board.showing_id]
    mid_fades: list[QImage] = []
    while len(sequence) < 18:  # three full rounds of the weighted rotation (3 + 1 + 1 + 1)
        item_id = next_item(qtbot, board)
        sequence.append(item_id)
        if player.stage.previous is not None:
            # Half way through the crossfade: both items mixed, never a blank.
            board.mono.advance(FADE_S / 2)
            player.on_fade_timer_timeout()
            mid_fades.append(stage_picture(board))
        finish_fade(board)
        assert not is_one_colour(stage_picture(board)), item_id
    assert Counter(sequence) == {
        "budget-vote-2027": 9,
        "quiz-points": 3,
        "ontong-clip": 3,
        "frozen-pipes": 3,
    }
    assert mid_fades and not any(is_one_colour(image) for image in mid_fades)
    assert player.empty_paints == 0 and player.longest_empty_run == 0
    assert player.stage.paints > 18
    # Each showing was counted for proof of play, with the time it was on screen.
    counted = Counter(item_id for item_id, _, _ in board.recorder.records)
    assert counted == Counter(sequence[:-1])


def test_a_video_is_swapped_in_on_its_first_frame_and_plays_to_its_end(qtbot, make_board):
    board = make_board((1080, 1920))
    clip = demo_promotion(board.ctx, "ontong-clip")
    frozen = demo_promotion(board.ctx, "frozen-pipes")
    set_promotions(board.ctx, [clip, frozen])
    player = board.player
    start(qtbot, board)
    while board.showing_id != "ontong-clip":
        next_item(qtbot, board)
    s = player.showing
    assert s.look.frames >= 1 and s.look.media is not None  # on screen with its first picture
    # The fake clock stands still: the clip runs in real time to its own end (4 s).
    with qtbot.waitSignal(player.item_started, timeout=8000) as blocker:
        pass
    assert blocker.args[0].id == "frozen-pipes"
    assert s.ended and s.look.frames > 50
    assert player.empty_paints == 0


CUE = "승강기 점검: 12월 3일 오전 10시부터"
SUBTITLES = f"WEBVTT\n\n00:00:00.000 --> 00:00:03.500\n{CUE}\n"


@pytest.mark.parametrize(
    ("size", "high_contrast"),
    [((1080, 1920), False), ((1920, 1080), False), ((1920, 1080), True)],
    ids=["portrait", "landscape", "landscape-high-contrast"],
)
def test_a_clip_with_subtitles_shows_its_cue_on_a_band_at_the_bottom(
    qtbot, make_board, size, high_contrast
):
    board = make_board(size, high_contrast=high_contrast)
    add_file(board.ctx, "media/clip.ko.vtt", SUBTITLES.encode(), "text/vtt")
    clip = demo_promotion(board.ctx, "ontong-clip").model_copy(
        update={"subtitles": "media/clip.ko.vtt"}
    )
    set_promotions(board.ctx, [clip, demo_promotion(board.ctx, "frozen-pipes")])
    player = board.player
    start(qtbot, board)
    while board.showing_id != "ontong-clip":
        next_item(qtbot, board)
    look = player.showing.look
    qtbot.waitUntil(lambda: look.subtitle == CUE, timeout=4000)
    finish_fade(board)
    picture = stage_picture(board)
    style = look.subtitle_style
    assert style is not None and style.px >= board.player.theme.metrics.title_px
    # The band is the theme's banner colour, across the clip's area, in its lower part.
    area = look.media_rect
    bottom_half = [
        QColor(picture.pixel(area.left() + 2, y)).name()
        for y in range(area.center().y(), area.bottom())
    ]
    assert style.band.name() in bottom_half
    top_half = [
        QColor(picture.pixel(area.left() + 2, y)).name()
        for y in range(area.top() + 60, area.center().y())
    ]
    assert style.band.name() not in top_half
    # After its last cue the clip plays on without words.
    qtbot.waitUntil(lambda: look.subtitle == "" or player.showing.look is not look, timeout=6000)


def test_a_clip_without_subtitles_draws_no_band(qtbot, make_board):
    board = make_board((1080, 1920))
    set_promotions(board.ctx, [demo_promotion(board.ctx, "ontong-clip")])
    start(qtbot, board)
    while board.showing_id != "ontong-clip":
        next_item(qtbot, board)
    look = board.player.showing.look
    assert look.item.cues == () and look.subtitle == "" and look.subtitle_style is None


@pytest.mark.qt_log_ignore("Could not open media")  # expected: the file is damaged
def test_a_corrupt_video_is_skipped_within_10_seconds_and_the_rotation_goes_on(qtbot, make_board):
    board = make_board()
    clip = demo_promotion(board.ctx, "ontong-clip")
    corrupt(board.ctx.asset_file(clip.asset))
    frozen = demo_promotion(board.ctx, "frozen-pipes")
    set_promotions(board.ctx, [clip, frozen])
    player = board.player
    skipped: list[tuple[str, str]] = []
    player.item_skipped.connect(lambda item_id, reason: skipped.append((item_id, reason)))
    start(qtbot, board)
    due_at = board.mono.now
    for _ in range(4):
        next_item(qtbot, board)
    assert skipped and skipped[0][0] == "ontong-clip"
    assert board.mono.now - due_at < 10 + 4 * frozen.duration_s
    assert board.showing_id == "frozen-pipes"  # only the notice is left, over and over
    assert player.empty_paints == 0


def test_a_video_that_never_shows_a_picture_is_skipped_after_10_seconds(
    qtbot, make_board, tmp_path
):
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is needed to make a video without pictures (./dev setup installs it)")
    sound_only = tmp_path / "sound.mp4"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=30"]
        + ["-c:a", "aac", str(sound_only)],
        check=True,
        timeout=60,
    )
    board = make_board()
    add_file(board.ctx, "media/sound-only.mp4", sound_only.read_bytes(), "video/mp4")
    mute = promotion("mute-clip", kind="video", body=None, asset="media/sound-only.mp4")
    notice = promotion("notice")
    set_promotions(board.ctx, [mute, notice])
    player = board.player
    skipped: list[str] = []
    player.item_skipped.connect(lambda item_id, reason: skipped.append(item_id))
    player.start()
    qtbot.waitUntil(
        lambda: player.pending is not None and player.pending.item.id == "mute-clip", timeout=5000
    )
    s = player.showing
    if s.item.id != CARD_ID:  # the notice came first: let it run out
        board.mono.advance(s.item.duration_s - (board.mono.now - s.started_mono) + 0.01)
    # Its turn: it is asked to play, and no picture ever comes.
    qtbot.waitUntil(lambda: player.pending is not None and player.pending.started, timeout=5000)
    shown = player.shown
    board.mono.advance(9.0)
    player.tick()
    assert not skipped and player.shown == shown  # still waiting, the notice stays up
    board.mono.advance(1.5)
    qtbot.waitUntil(lambda: player.shown > shown, timeout=5000)
    assert skipped == ["mute-clip"] and board.showing_id == "notice"
    assert player.empty_paints == 0


def test_an_emergency_notice_takes_over_at_once_and_leaves_at_its_end(qtbot, make_board):
    board = make_board()
    player = board.player
    start(qtbot, board)
    before = board.showing_id
    alert = promotion(
        "fire-drill",
        title={"ko": "화재 대피 훈련"},
        body={"ko": "지금 1층 출입구로 나가 주세요."},
        emergency=True,
        starts_at=WEDNESDAY_10.isoformat(),
        ends_at=(WEDNESDAY_10 + timedelta(minutes=2)).isoformat(),
        duration_s=15,
    )
    set_promotions(board.ctx, [*board.ctx.pack.promotions, alert])
    board.mono.advance(0.5)  # well before the item on screen would end
    qtbot.waitUntil(lambda: board.showing_id == "fire-drill", timeout=3000)
    assert player.showing.item.emergency
    for _ in range(4):  # only the emergency plays while it lasts
        assert next_item(qtbot, board) == "fire-drill"
    board.mono.advance(120)  # past its end, in the middle of a showing
    qtbot.waitUntil(lambda: board.showing_id != "fire-drill", timeout=3000)
    assert before is not None and board.showing_id in {
        p.id for p in board.ctx.pack.promotions if not p.emergency
    }
    assert player.empty_paints == 0


def test_screen_off_hours_dark_the_screen_and_end_on_time(qtbot, make_board):
    # 10:00 to 10:01 is "night" for this board.
    board = make_board(screen_off=[{"start": "10:00", "end": "10:01"}])
    player = board.player
    player.start()
    qtbot.waitUntil(lambda: player.showing.item.kind == "off", timeout=3000)
    finish_fade(board)
    image = stage_picture(board)
    assert is_one_colour(image) and QColor(image.pixel(5, 5)).lightness() == 0
    assert not player.check_black() and not player.check_black()  # dark on purpose
    board.mono.advance(61)
    qtbot.waitUntil(lambda: player.showing.item.kind != "off", timeout=3000)
    finish_fade(board)
    assert not is_one_colour(stage_picture(board))
    assert TimeWindow(start="10:00", end="10:01") in board.ctx.config.screen_off


@pytest.mark.parametrize("nothing", ["no promotions", "no pack"])
def test_an_empty_schedule_shows_the_district_card(qtbot, make_board, nothing):
    board = make_board()
    if nothing == "no pack":
        board.ctx.pack = None
    else:
        set_promotions(board.ctx, [promotion("old", ends_at="2026-11-02T00:00:00+09:00")])
    player = board.player
    player.start()
    qtbot.waitUntil(lambda: player.pending is not None, timeout=3000)
    board.mono.advance(20)
    qtbot.waitUntil(lambda: player.shown >= 2, timeout=3000)
    assert board.showing_id == CARD_ID
    image = stage_picture(board)
    assert not is_one_colour(image)
    assert player.empty_paints == 0


def test_a_frozen_video_is_reloaded_then_the_player_rebuilt(qtbot, make_board):
    board = make_board(watchdog=Watchdog(freeze_after_s=5, escalate_within_s=300))
    clip = demo_promotion(board.ctx, "ontong-clip")
    set_promotions(board.ctx, [clip, promotion("notice")])
    player = board.player
    recoveries: list[tuple[str, int]] = []
    player.recovered.connect(lambda problem, level: recoveries.append((problem, level)))
    start(qtbot, board)
    for level in (1, 2):
        while board.showing_id != "ontong-clip":
            next_item(qtbot, board)
        channel = player.showing.channel
        qtbot.waitUntil(lambda c=channel: c.frames >= 3, timeout=5000)
        channel.player.pause()  # the decoder stalls: no more pictures, no error
        board.watch.advance(6)
        # Generous waits: on a busy machine the watchdog's next look may come late.
        qtbot.waitUntil(lambda n=level: len(recoveries) >= n, timeout=10_000)
        assert recoveries[-1] == ("frozen", level)
        # Whatever was on screen stays until the reloaded item or the card replaces it.
        qtbot.waitUntil(lambda: player.showing is not None, timeout=10_000)
        assert player.showing.look.ready
    next_item(qtbot, board)
    next_item(qtbot, board)
    assert player.empty_paints == 0


def test_a_black_screen_is_noticed_the_item_skipped_then_the_player_rebuilt(
    qtbot, make_board, monkeypatch
):
    board = make_board()
    player = board.player
    recoveries: list[tuple[str, int]] = []
    player.recovered.connect(lambda problem, level: recoveries.append((problem, level)))
    skipped: list[str] = []
    player.item_skipped.connect(lambda item_id, reason: skipped.append(item_id))
    start(qtbot, board)
    assert not player.check_black() and not player.check_black()
    # The picture that reaches the glass turns black (a driver or compositor fault).
    black = QPixmap(player.stage.size())
    black.fill(Qt.GlobalColor.black)
    broken = player.stage
    monkeypatch.setattr(broken, "grab", lambda *args: black)
    on_screen = board.showing_id
    assert not player.check_black()  # one black look is not enough
    assert player.check_black()
    assert recoveries == [("black", 1)] and skipped == [on_screen]
    qtbot.waitUntil(lambda: board.showing_id != on_screen, timeout=3000)
    # Still black after a new item: the player itself is rebuilt, with a new stage.
    assert not player.check_black()
    assert player.check_black()
    assert recoveries == [("black", 1), ("black", 2)]
    assert player.stage is not broken
    assert not player.check_black() and not player.check_black()
    next_item(qtbot, board)
    finish_fade(board)
    assert not is_one_colour(stage_picture(board))
    assert player.empty_paints == 0


# The second case is past 2 GiB, where a 32-bit signal argument wrapped to a negative size.
@pytest.mark.parametrize("ceiling_mb", [500, 2500])
def test_memory_over_the_ceiling_asks_for_a_restart_at_an_item_boundary(
    qtbot, make_board, ceiling_mb
):
    rss = {"now": (ceiling_mb - 200) * 1024 * 1024}
    board = make_board(memory=lambda: rss["now"], memory_ceiling_mb=ceiling_mb)
    player = board.player
    asked: list[int] = []
    player.restart_requested.connect(asked.append)
    start(qtbot, board)
    next_item(qtbot, board)
    assert asked == []
    over = (ceiling_mb + 100) * 1024 * 1024
    rss["now"] = over
    board.mono.advance(1)
    player.tick()
    assert asked == []  # not in the middle of an item
    next_item(qtbot, board)
    assert asked == [over]
    next_item(qtbot, board)
    assert len(asked) == 1
