"""Two media boards against the real server process, through their real sync and players: a
promotion targeted at the device group of one is played by that board and never by the other,
which never downloads its picture either, until a 관리자 puts it in the group too: then it
plays it after its next heartbeat. The group is made and filled on the staff console; neither
board's own configuration names a group (the server's membership decides)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from contract.content import KST
from contract.pack import file_digest
from kiosk.app import AppContext, open_context
from kiosk.config import KioskConfig
from kiosk.domain.a11y import Panel
from kiosk.i18n import Translator
from kiosk.paths import asset_path
from kiosk.services.sync_link import SyncLink, start_sync_link
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.player.player import PlayerClock, PlayerTuning, SignagePlayer
from kiosk.ui.player.slides import CARD_ID
from kiosk.ui.theme import DEFAULT, Metrics, Theme
from sync.client import Timeouts
from sync.worker import SyncTuning, enroll_device
from tests.console.conftest import ADMIN, add_account, csrf_of, signed_in_session
from tests.helpers.stubs import FakeMonotonic
from tests.server.process import ServerProcess, start_server

# A heartbeat every 2 s tells each board that newer content is published.
TUNING = SyncTuning(
    backoff_base_s=0.05,
    backoff_cap_s=0.5,
    timeouts=Timeouts(connect_s=1.0, read_s=5.0),
    idle_check_s=0.05,
    heartbeat_every_s=2.0,
    content_every_s=600.0,
)
START = datetime(2026, 11, 25, 9, 57, tzinfo=KST)
LOBBY = "apt-a-lobby"
PICTURE = "media/apt-a-lobby.png"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data_dir = tmp_path_factory.mktemp("groups-server")
    running = start_server(data_dir)
    add_account(running, ADMIN, data_dir)
    yield running
    running.stop()


def make_pack(root: Path, version: str, lobby: bool) -> Path:
    """The demo pack; with `lobby`, a picture of its own for group apt-a's boards, on air now."""
    dest = root / version
    shutil.copytree(asset_path("demo"), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    manifest["content_version"] = version
    if lobby:
        # A file no other item uses (its bytes differ from the picture it is copied from).
        (dest / PICTURE).write_bytes((dest / "media/promo-welcome.png").read_bytes() + b"apt-a")
        size, sha256 = file_digest(dest / PICTURE)
        manifest["files"].append(
            {"path": PICTURE, "size": size, "sha256": sha256, "media_type": "image/png"}
        )
        manifest["promotions"].append(
            {
                "id": LOBBY,
                "kind": "image",
                "title": {"ko": "A동 주민 여러분, 승강기 점검 안내"},
                "asset": PICTURE,
                "starts_at": (START - timedelta(days=1)).isoformat(),
                "ends_at": (START + timedelta(days=1)).isoformat(),
                "groups": ["apt-a"],
                "priority": 100,
                "emergency": True,
            }
        )
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


@dataclass
class Board:
    ctx: AppContext
    player: SignagePlayer
    link: SyncLink
    mono: FakeMonotonic
    device_id: str

    def cached(self, sha256: str) -> bool:
        """Whether this board holds the file, or any part of it, anywhere on its disk."""
        return any(p.name.startswith(sha256) for p in self.ctx.data_dir.rglob("*"))


def start_board(
    qtbot: Any, server: ServerProcess, data_dir: Path, name: str, stack: ExitStack
) -> Board:
    with open_database(data_dir) as db:
        enrolment = enroll_device(
            DeviceSettings(db), server.url, server.new_code(), name=name, mode="board"
        )
    server.approve(enrolment.device_id)
    config = KioskConfig(data_dir=data_dir, mode="board", dong="sindang", server_url=server.url)
    ctx = open_context(config)
    ctx.open_store()
    stack.callback(ctx.close)
    mono = FakeMonotonic()
    player = SignagePlayer(
        ctx,
        Theme(DEFAULT, Metrics.for_panel(Panel(32, 1920, 1080), 100)),
        Translator("ko"),
        clock=PlayerClock.following(START, mono),
        tuning=PlayerTuning(fade_s=0.2),
    )
    qtbot.addWidget(player)
    player.resize(960, 540)
    player.show()
    player.start()
    stack.callback(player.stop)
    link = start_sync_link(ctx, tuning=TUNING)
    assert link is not None
    stack.callback(lambda: link.stop(wait_ms=10_000))
    link.content_activated.connect(lambda _version: ctx.reload_pack())
    return Board(ctx, player, link, mono, enrolment.device_id)


def step(qtbot: Any, board: Board) -> str:
    """Let the item on screen run out; the id of the next one."""
    player = board.player
    shown, s = player.shown, player.showing
    if s.item.kind == "video":
        qtbot.waitUntil(lambda: s.look.frames >= 3 or s.ended, timeout=5000)
    board.mono.advance(max(0.0, s.item.duration_s - (board.mono.now - s.started_mono)) + 0.01)
    qtbot.waitUntil(lambda: player.shown > shown, timeout=5000)
    return str(player.showing.item.id)


def test_a_promotion_for_one_group_plays_on_its_board_and_never_reaches_the_other(
    qtbot: Any, server: ServerProcess, tmp_path: Path
) -> None:
    load_bundled_fonts()
    server.cli("publish", str(make_pack(tmp_path / "packs", "groups-v1", lobby=False)))
    with ExitStack() as stack:
        a = start_board(qtbot, server, tmp_path / "a", "신당 아파트 A동 로비", stack)
        b = start_board(qtbot, server, tmp_path / "b", "신당 아파트 B동 로비", stack)
        admin = signed_in_session(server, ADMIN)
        token = csrf_of(admin.get(f"{server.url}/staff/groups", timeout=10).text)
        made = admin.post(
            f"{server.url}/staff/groups",
            data={"csrf_token": token, "key": "apt-a", "name": "신당동 공동주택 A동"},
            timeout=10,
        )
        put = admin.post(
            f"{server.url}/staff/groups/apt-a",
            data=[("csrf_token", token), ("name", "신당동 공동주택 A동"), ("devices", a.device_id)],
            timeout=10,
        )
        assert made.status_code == 200 and put.status_code == 200  # followed to the group page
        for board in (a, b):
            qtbot.waitUntil(lambda board=board: board.ctx.pack is not None, timeout=15_000)
            qtbot.waitUntil(
                lambda board=board: board.player.showing.item.id != CARD_ID, timeout=5000
            )

        v2 = make_pack(tmp_path / "packs", "groups-v2", lobby=True)
        picture_sha = file_digest(v2 / PICTURE)[1]
        server.cli("publish", str(v2))

        # The board in apt-a takes it at its next heartbeat and plays nothing else meanwhile.
        qtbot.waitUntil(lambda: a.player.showing.item.id == LOBBY, timeout=20_000)
        assert [step(qtbot, a) for _ in range(2)] == [LOBBY, LOBBY]
        assert a.cached(picture_sha)

        # The other board installs the same version without it, and never fetches its file.
        qtbot.waitUntil(
            lambda: b.ctx.pack is not None and b.ctx.pack.content_version == "groups-v2",
            timeout=20_000,
        )
        assert b.ctx.pack is not None and b.ctx.pack.file(PICTURE) is None
        assert LOBBY not in {p.id for p in b.ctx.pack.promotions}
        seen = [str(b.player.showing.item.id)] + [step(qtbot, b) for _ in range(8)]
        assert LOBBY not in seen and len(set(seen)) > 1
        assert not b.cached(picture_sha)

        # Put in the group on the console, the other board plays it after its next heartbeat
        # (its content poll is ten minutes away: the heartbeat names its manifest's ETag).
        moved = admin.post(
            f"{server.url}/staff/groups/apt-a",
            data=[
                ("csrf_token", token),
                ("name", "신당동 공동주택 A동"),
                ("devices", a.device_id),
                ("devices", b.device_id),
            ],
            timeout=10,
        )
        assert moved.status_code == 200
        qtbot.waitUntil(lambda: b.player.showing.item.id == LOBBY, timeout=15_000)
        assert b.cached(picture_sha)
