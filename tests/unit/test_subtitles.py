"""Subtitles: WebVTT and SRT files of many hands, and the cue at a position."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.subtitles import Cue, cue_at, parse_subtitles, webvtt_problems
from kiosk.domain.video import VideoSession, clock_text, minutes_seconds
from kiosk.paths import asset_path

VTT = """\ufeffWEBVTT - 온통중구

NOTE 이 블록은 건너뜁니다

STYLE
::cue { color: yellow }

intro
00:00.000 --> 00:02.500 align:center line:90%
<v 안내>주민참여예산은 <b>주민이</b> 정합니다.

00:01:02.5 --> 00:01:04.000
두 줄
자막 &amp; 기호
"""

SRT = (
    "1\r\n00:00:01,000 --> 00:00:03,200\r\n<i>첫째</i>\r\n\r\n"
    "2\r\n00:00:03,200 --> 00:00:05,000\r\n둘째\r\n"
)


def test_webvtt_with_header_notes_styles_settings_and_tags():
    assert parse_subtitles(VTT) == [
        Cue(0.0, 2.5, "주민참여예산은 주민이 정합니다."),
        Cue(62.5, 64.0, "두 줄\n자막 & 기호"),
    ]


def test_srt_with_numbers_commas_and_windows_line_ends():
    assert parse_subtitles(SRT) == [Cue(1.0, 3.2, "첫째"), Cue(3.2, 5.0, "둘째")]


def test_broken_blocks_are_skipped():
    text = (
        "WEBVTT\n\n00:01.000 --> 00:00.500\n거꾸로\n\n"
        "nonsense --> x\n텍스트\n\n00:02.000 --> 00:03.000\n좋음\n"
    )
    assert parse_subtitles(text) == [Cue(2.0, 3.0, "좋음")]


def test_the_cue_at_a_position():
    cues = parse_subtitles(SRT)
    assert cue_at(cues, 0.5) is None
    assert cue_at(cues, 1.0).text == "첫째"
    assert cue_at(cues, 3.2).text == "둘째"  # the end is exclusive, the start inclusive
    assert cue_at(cues, 5.0) is None


def test_the_demo_subtitles_cover_their_videos():
    for name in ("video-budget-intro.ko.vtt", "video-ontong-guide.ko.vtt"):
        cues = parse_subtitles((asset_path("demo") / "media" / name).read_text(encoding="utf-8"))
        assert len(cues) == 3 and cues[0].start_s == 0 and cues[-1].end_s == 6
        assert all(cue_at(cues, t / 10) is not None for t in range(60))


cue_lists = st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 5_000)), max_size=20).map(
    lambda spans: [Cue(s / 10, (s + d) / 10, f"c{i}") for i, (s, d) in enumerate(spans)]
)


@given(cue_lists, st.integers(0, 16_000))
def test_cue_at_is_a_cue_covering_the_position_if_there_is_one(cues, tenth):
    cues.sort(key=lambda c: (c.start_s, c.end_s))
    position = tenth / 10
    found = cue_at(cues, position)
    covering = [c for c in cues if c.covers(position)]
    assert (found is None) == (not covering)
    if found is not None:
        assert found in covering and found.start_s == max(c.start_s for c in covering)


@given(cue_lists)
def test_written_cues_read_back(cues):
    def stamp(s: float) -> str:
        ms = round(s * 1000)
        return (
            f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
        )

    text = "WEBVTT\n\n" + "\n\n".join(
        f"{stamp(c.start_s)} --> {stamp(c.end_s)}\n{c.text}" for c in cues
    )
    assert parse_subtitles(text) == sorted(cues, key=lambda c: (c.start_s, c.end_s))


def test_the_buttons_of_a_video_session():
    session = VideoSession("clip", duration_s=30)
    session.position_s = 25
    assert session.back() == 15 and session.back() == 5 and session.back() == 0
    assert session.toggle_play() is False and session.toggle_play() is True
    volumes = [session.louder() for _ in range(6)]
    assert volumes == [70, 80, 90, 100, 100, 100]
    assert [session.quieter() for _ in range(11)][-1] == 0
    assert session.toggle_subtitles() is True
    session.reached_end()
    assert session.finished and not session.playing
    assert session.toggle_play() is True and session.position_s == 0  # 재생 at the end: again
    session.position_s = 12
    assert session.restart() == 0 and session.playing


def test_lengths_and_positions_as_people_read_them():
    assert (
        clock_text(6.0) == "0:06" and clock_text(65.4) == "1:05" and clock_text(3723) == "1:02:03"
    )
    assert minutes_seconds(6.0) == (0, 6) and minutes_seconds(125.6) == (2, 6)


# -- the strict check of an uploaded WebVTT file (the console's 미디어 올리기) -------------------


def test_a_well_made_webvtt_file_has_no_problem() -> None:
    vtt = (
        "\ufeffWEBVTT\r\n\r\nNOTE 설명\r\n\r\n"
        "1\r\n00:01.000 --> 00:02.500 line:80%\r\n<v 해설>안녕</v>\r\n"
    )
    assert webvtt_problems(vtt.encode("utf-8")) == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("00:00:01.000 --> 00:00:02.000\n글\n".encode(), "첫 줄이 WEBVTT가 아닙니다"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n한글\n".encode("cp949"), "UTF-8"),
        (b"WEBVTT\n\n00:00:03.000 --> 00:00:01.000\ntext\n", "3번째 줄: 끝나는 시각이"),
        (b"WEBVTT\n\n00:00:xx --> 00:00:02.000\ntext\n", "3번째 줄: 시각을 읽을 수 없습니다"),
        (
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n",
            "3번째 줄: 시각 다음 줄에 자막 글이 없습니다",
        ),
        (b"WEBVTT\n\n", "자막이 하나도 없습니다"),
    ],
    ids=["no-header", "not-utf8", "end-before-start", "unreadable-time", "no-text", "no-cue"],
)
def test_a_broken_webvtt_file_is_refused_with_the_line_in_korean(data: bytes, words: str) -> None:
    problems = webvtt_problems(data)
    assert problems and words in problems[0]


def test_many_problems_are_named_up_to_five() -> None:
    broken = "WEBVTT\n\n" + "".join(f"00:00:0{i}.000 --> 00:00:00.000\n글\n\n" for i in range(1, 9))
    problems = webvtt_problems(broken.encode())
    assert len(problems) == 6 and problems[-1] == "… 그 밖에 3곳"
