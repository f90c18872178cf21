"""The issue's path for a clip, end to end: a 관리자 uploads an MP4 with its WebVTT subtitles on
the console (미디어 올리기), targets the new promotion at one device group in its form and
publishes the draft; the real board in that group plays the clip with its words on screen, and
the board outside it never receives it (nor its clip or subtitle file). The boards are the real
player and sync of tests/integration/test_board_groups.py."""

from __future__ import annotations

import re
import subprocess
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor

from tests.console.conftest import ADMIN, csrf_of, signed_in_session
from tests.console.test_content import fresh_draft, get, post_form
from tests.console.test_media import upload
from tests.integration.test_board_groups import START, make_pack, start_board, step

REVISION = re.compile(r'name="revision" value="([0-9]+)"')
TIME = "%Y-%m-%dT%H:%M"
CUE = "승강기 점검 중에는 계단을 이용해 주세요"


def test_an_uploaded_clip_with_subtitles_for_one_group_plays_on_its_board_only(
    qtbot: Any, admin_server: Any, tmp_path: Path
) -> None:
    from kiosk.ui.fonts import load_bundled_fonts

    server = admin_server
    load_bundled_fonts()
    clip = tmp_path / "승강기-점검.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25"]
        + ["-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:v", "libx264"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(clip)],
        check=True,
        timeout=60,
    )
    subtitles = tmp_path / "승강기-점검.vtt"
    subtitles.write_text(f"WEBVTT\n\n00:00:00.000 --> 00:00:01.800\n{CUE}\n", encoding="utf-8")
    server.cli("publish", str(make_pack(tmp_path / "packs", "clip-v1", lobby=False)))
    with ExitStack() as stack:
        a = start_board(qtbot, server, tmp_path / "a", "신당 아파트 A동 로비", stack)
        b = start_board(qtbot, server, tmp_path / "b", "신당 아파트 B동 로비", stack)
        admin = signed_in_session(server, ADMIN)
        token = csrf_of(get(admin, server, "/staff/groups"))
        admin.post(
            f"{server.url}/staff/groups",
            data={"csrf_token": token, "key": "apt-a", "name": "신당동 공동주택 A동"},
            timeout=10,
        )
        admin.post(
            f"{server.url}/staff/groups/apt-a",
            data=[("csrf_token", token), ("name", "신당동 공동주택 A동"), ("devices", a.device_id)],
            timeout=10,
        )
        for board in (a, b):
            qtbot.waitUntil(lambda board=board: board.ctx.pack is not None, timeout=15_000)

        # 미디어 올리기: the clip becomes a new promotion, opened in its form.
        draft = fresh_draft(admin, server)
        uploaded = upload(
            admin, server, draft, title_ko="승강기 점검 안내 영상", file=clip, subtitles=subtitles
        )
        assert uploaded.status_code == 303, uploaded.text[-2000:]
        form_path = uploaded.headers["location"]
        key = form_path.split("key=", 1)[1]
        page = get(admin, server, form_path)
        revision = REVISION.search(page)
        asset = re.search(r'<option value="(media/uploads/[0-9a-f]{16}\.mp4)" selected', page)
        chosen = re.search(r'<option value="(media/uploads/[0-9a-f]{16}\.vtt)" selected', page)
        assert revision is not None and asset is not None and chosen is not None, page[-3000:]
        # Its form: for group apt-a only, on air at the boards' time, before everything else.
        saved = post_form(
            admin,
            server,
            "/staff/content/draft/promotion",
            {
                "draft": draft,
                "key": key,
                "revision": revision.group(1),
                "kind": "video",
                "id": key,
                "title_ko": "승강기 점검 안내 영상",
                "body_ko": "",
                "asset": asset.group(1),
                "subtitles": chosen.group(1),
                "starts_at": (START - timedelta(days=1)).strftime(TIME),
                "ends_at": (START + timedelta(days=1)).strftime(TIME),
                "weekdays": [str(d) for d in range(7)],
                "window_start": "",
                "window_end": "",
                "groups": ["apt-a"],
                "priority": "100",
                "duration_s": "2",
                "emergency": "on",
            },
        )
        assert saved.status_code == 303, saved.text[-3000:]
        published = post_form(admin, server, "/staff/content/draft/publish", {"draft": draft})
        assert published.status_code == 303, published.text[-2000:]

        from server import drafts

        with server.database() as db:
            newest = drafts.versions(db)[0].content_version

        # The board in apt-a takes it at its next heartbeat and plays it, its words on screen
        # on the banner's band, again and again.
        qtbot.waitUntil(lambda: a.player.showing.item.id == key, timeout=30_000)
        qtbot.waitUntil(lambda: a.player.showing.look.subtitle == CUE, timeout=10_000)
        look = a.player.showing.look
        assert look.subtitle_style is not None
        a.mono.advance(a.player.tuning.fade_s)  # the crossfade runs on the board's own clock
        a.player.on_fade_timer_timeout()
        frame = a.player.stage.grab().toImage()
        column = look.media_rect.left() + 2
        seen_colours = {
            QColor(frame.pixel(column, y)).name() for y in range(look.media_rect.height())
        }
        assert look.subtitle_style.band.name() in seen_colours
        assert [step(qtbot, a) for _ in range(2)] == [key, key]

        # The other board installs the same version without it, and never fetches its file.
        qtbot.waitUntil(
            lambda: b.ctx.pack is not None and b.ctx.pack.content_version == newest,
            timeout=30_000,
        )
        assert b.ctx.pack is not None and b.ctx.pack.file(asset.group(1)) is None
        assert a.ctx.pack is not None
        subtitle_path = next(p.subtitles for p in a.ctx.pack.promotions if p.id == key)
        assert subtitle_path is not None and subtitle_path.endswith(".vtt")
        assert b.ctx.pack.file(subtitle_path) is None
        assert key not in {p.id for p in b.ctx.pack.promotions}
        seen = [str(b.player.showing.item.id)] + [step(qtbot, b) for _ in range(6)]
        assert key not in seen
        for path in (asset.group(1), subtitle_path):
            entry = a.ctx.pack.file(path)
            assert entry is not None, path
            assert a.cached(entry.sha256) and not b.cached(entry.sha256), path
