"""Two media boards against the real server process, through their real sync and players: a
promotion targeted at the device group of one is played by that board and never by the other,
which never downloads its picture either, until a 관리자 puts it in the group too: then it
plays it after its next heartbeat. The group is made and filled on the staff console; neither
board's own configuration names a group (the server's membership decides)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from contract.content import KST
from contract.pack import file_digest
from kiosk.app import AppContext
from kiosk.domain.a11y import Panel
from kiosk.i18n import Translator
from kiosk.services.sync_link import SyncLink, start_sync_link
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.player.player import PlayerClock, PlayerTuning, SignagePlayer
from kiosk.ui.player.slides import CARD_ID
from kiosk.ui.theme import DEFAULT, Metrics, Theme
from sync.client import Timeouts
from sync.worker import SyncTuning
from tests.helpers.enrolled import enrolled_context, put_in_group
from tests.helpers.packs import Manifest, add_file, demo_copy
from tests.helpers.stubs import FakeMonotonic
from tests.server.process import ServerProcess

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


def make_pack(root: Path, version: str, lobby: bool) -> Path:
    """The demo pack; with `lobby`, a picture of its own for group apt-a's boards, on air now."""
    dest = root / version

    def add_lobby(manifest: Manifest) -> None:
        if not lobby:
            return
        # A file no other item uses (its bytes differ from the picture it is copied from).
        picture = (dest / "media/promo-welcome.png").read_bytes() + b"apt-a"
        add_file(dest, manifest, PICTURE, picture, "image/png")
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

    return demo_copy(dest, version, add_lobby)


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
    ctx, enrolment = enrolled_context(server, data_dir, name, "board", stack)
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
    qtbot: Any, admin_server: ServerProcess, tmp_path: Path
) -> None:
    server = admin_server
    load_bundled_fonts()
    server.cli("publish", str(make_pack(tmp_path / "packs", "groups-v1", lobby=False)))
    with ExitStack() as stack:
        a = start_board(qtbot, server, tmp_path / "a", "신당 아파트 A동 로비", stack)
        b = start_board(qtbot, server, tmp_path / "b", "신당 아파트 B동 로비", stack)
        put_in_group(server, "apt-a", "신당동 공동주택 A동", a.device_id)
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
        put_in_group(server, "apt-a", "신당동 공동주택 A동", a.device_id, b.device_id)
        qtbot.waitUntil(lambda: b.player.showing.item.id == LOBBY, timeout=15_000)
        assert b.cached(picture_sha)
