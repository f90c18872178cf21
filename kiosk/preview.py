"""`python -m kiosk.preview`: one content item drawn by the kiosk's own screens, offscreen, for
the staff console's 미리보기 (the server runs this in a subprocess; it never imports the kiosk).

    python -m kiosk.preview --manifest M.json --assets DIR --section S --key K --out OUT

`M.json` is a whole pack document (what publishing a draft would make, not yet published);
`DIR` holds its media files named by SHA-256, as the device's cache does. The pack is cut down to
the item (so the screens' own sample routes pick it) and drawn on the screen a resident or
passer-by first meets it on: a promotion on the media board (a clip with subtitles at its first
cue), the district card on the board, a survey at its first step, 주민참여예산 on a dong's
projects, a lesson at its first step with the target lit, a contest or proposal on its page.
One PNG per size and text scale is written to OUT (`portrait_100.png` …); some items also get
pictures of their further screens (portrait, 100 %): a survey each question (`question_1.png`
…), 주민참여예산 its vote page, 동 고르기 and the review of the picks (`step_1.png` …). Their
names are printed one per line. Exit 2 with the kiosk's words on stderr when the pack is not
valid.

Each picture is taken as soon as its screen is what a device shows, never after a fixed wait:
a kiosk screen once laid out (its pictures are decoded while it is built, kiosk.ui.flow), the
board once the item is on its stage (its picture decoded off the GUI thread, a clip's first
frame shown, a cue drawn) and faded in.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract.content import ContentPack
from contract.pack import PackError, validate_manifest

if TYPE_CHECKING:
    from kiosk.ui.navigation import Route
    from kiosk.ui.shell import KioskWindow

# (name, width, height) of the pictures, and the text scales (%) each is drawn at.
SIZES: tuple[tuple[str, int, int], ...] = (("portrait", 1080, 1920), ("landscape", 1920, 1080))
SCALES: tuple[int, ...] = (100, 200)
INVALID_PACK = 2
# The longest a screen may take to become what a device shows before the preview gives up.
READY_WITHIN_S = 30.0
# 주민참여예산's further screens, in the order of step_1.png, step_2.png …
BUDGET_STEPS = ("vote", "dongs", "review")


class NotReady(RuntimeError):
    """A screen did not become what a device shows within READY_WITHIN_S."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kiosk.preview", description=__doc__)
    parser.add_argument("--manifest", type=Path, required=True, help="the pack document (JSON)")
    parser.add_argument("--assets", type=Path, required=True, help="media files by SHA-256")
    parser.add_argument("--section", required=True, help="surveys, promotions, contests, …")
    parser.add_argument("--key", required=True, help="the item's id in its section")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNGs")
    return parser.parse_args(argv)


def on_air(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A promotion shown now, wherever the board is (the preview is about its drawing, not its
    schedule)."""
    return {
        **item,
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
        "weekdays": list(range(7)),
        "windows": [],
        "dongs": [],
        "groups": [],
        "emergency": False,
        "evergreen": False,
    }


def focused(document: dict[str, Any], section: str, key: str, now: datetime) -> ContentPack:
    """The pack with only the item in its section (other sections kept; for the district card,
    no promotions, so the board shows the card); PackError when the pack is not valid or has no
    such item."""
    items = document.get(section)
    if isinstance(items, list):
        id_field = "code" if section == "coaches" else "id"
        chosen = [i for i in items if isinstance(i, dict) and i.get(id_field) == key]
        if not chosen:
            raise PackError([f"{section}: '{key}' 항목이 없습니다."])
        if section == "promotions":
            chosen = [on_air(chosen[0], now)]
        document = {**document, section: chosen}
    elif items is None:
        raise PackError([f"{section}: 이 묶음에 없습니다."])
    if section == "district":
        document = {**document, "promotions": []}
    return validate_manifest(document, source="미리보기")


def on_board(section: str) -> bool:
    """Whether the item is drawn by the media board (else by the kiosk)."""
    return section in ("promotions", "district")


def route_of(window: KioskWindow, section: str) -> Route | None:
    """The screen the item is first met on; None for the home screen."""
    from kiosk.domain import ballot_flow, survey_flow
    from kiosk.ui.navigation import Route, step_route
    from kiosk.ui.screens import contest, proposals

    pack = window.ctx.pack
    assert pack is not None
    now = window.ctx.clock()
    if section == "surveys":
        flow, at = survey_flow.samples(pack, now)[survey_flow.INTRO]
        return step_route(flow, at)
    if section == "contests":
        return contest.samples(pack, now)[contest.CONTEST]
    if section == "proposals":
        return Route(proposals.DETAIL, {"proposal_id": pack.proposals[0].id})
    if section == "videos":
        return Route("videos")
    if section == "budget":
        # The first dong's projects, one of them picked (the kiosk's own sample).
        return step_route(*ballot_flow.samples(pack, now)[ballot_flow.PROJECTS])
    return None


def settle_layout() -> None:
    """The screen's layout passes, as `--render-screens` lets them run: the first lays the
    screen out, which may show or hide its scroll buttons, the second lays that out."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QApplication.processEvents()


def wait_until(ready: Callable[[], bool], what: str) -> None:
    """Run the event loop until `ready()`, then let the layout settle; NotReady after
    READY_WITHIN_S."""
    from PySide6.QtWidgets import QApplication

    until = time.monotonic() + READY_WITHIN_S
    while not ready():
        if time.monotonic() > until:
            raise NotReady(f"{what}: not ready within {READY_WITHIN_S:g} s")
        QApplication.processEvents()
        time.sleep(0.005)
    settle_layout()


def draw(window: KioskWindow, section: str, key: str, out: Path) -> list[Path]:
    """One PNG per size and text scale of the item's screen, then its further screens."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, width, height in SIZES:
        for scale in SCALES:
            window.resize(width, height)
            window.prefs.set(language="ko", text_scale=scale, high_contrast=False)
            if on_board(section):
                show_on_board(window, section, key)
            elif section == "lessons":
                show_lesson(window)
            else:
                window.navigator.home()
                window.leave_attract(then=route_of(window, section))
                settle_layout()
            written.append(save(window, out / f"{name}_{scale}.png"))
    if section == "surveys":
        written += draw_questions(window, out)
    if section == "budget":
        written += draw_budget_steps(window, out)
    return written


def show_on_board(window: KioskWindow, section: str, key: str) -> None:
    """The board from its start at the window's size, until the item is on its stage: the
    promotion (its picture decoded, a clip's first frame shown and, with subtitles, a frame at
    its first cue) or, for the district, the card."""
    from kiosk.ui.player.player import SignagePlayer

    window.enter_attract()
    settle_layout()
    player = getattr(window.current_screen, "player", None)
    assert isinstance(player, SignagePlayer), "the board shows no player"
    # Started again at this size: the picture is decoded for it, as on a board of this size.
    player.stop()
    player.start()
    window.grab()  # the board plays from its first paint on

    def on_stage() -> bool:
        s = player.showing
        if s is None:
            return False
        if section == "district":
            return s.item.kind == "card"
        return s.item.id == key and (s.item.kind != "video" or s.look.frames >= 1)

    wait_until(on_stage, f"{section} {key} on the board")
    showing = player.showing
    assert showing is not None
    if showing.item.cues and showing.channel is not None:
        channel, look = showing.channel, showing.look
        frames = look.frames
        # A frame inside the first cue: seek just past its start, as playing there would be.
        channel.player.setPosition(int(showing.item.cues[0].start_s * 1000) + 40)
        wait_until(lambda: look.frames > frames + 1 and bool(look.subtitle), f"{key}'s cue")
    # The end of the crossfade, as it stands once the fade is over.
    player.fade_timer.stop()
    player.stage.set_fade(1.0)
    settle_layout()


def show_lesson(window: KioskWindow) -> None:
    """The lesson's 따라하기 on its first step, once its target is found and lit."""
    from kiosk.ui.screens import lessons

    pack = window.ctx.pack
    assert pack is not None
    window.navigator.home()
    player = lessons.follow_first_step(window, pack.lessons[0])
    wait_until(lambda: player.target is not None, f"lesson {pack.lessons[0].id}'s target")


def portrait(window: KioskWindow) -> None:
    """The further screens' size and text scale: portrait, 100 %."""
    _name, width, height = SIZES[0]
    window.resize(width, height)
    window.prefs.set(language="ko", text_scale=SCALES[0], high_contrast=False)


def draw_questions(window: KioskWindow, out: Path) -> list[Path]:
    """Each question of the survey at its step (portrait, 100 %), a show-if question as it
    appears after the answer it waits for: `question_1.png`, `question_2.png` …"""
    from kiosk.domain import survey_flow
    from kiosk.ui.navigation import step_route

    pack = window.ctx.pack
    assert pack is not None
    portrait(window)
    written = []
    places = survey_flow.question_places(pack, pack.surveys[0], window.ctx.clock())
    for number, (flow, at) in enumerate(places, start=1):
        window.navigator.home()
        window.navigate(step_route(flow, at))
        settle_layout()
        written.append(save(window, out / f"question_{number}.png"))
    return written


def draw_budget_steps(window: KioskWindow, out: Path) -> list[Path]:
    """주민참여예산's vote page, 동 고르기 and the review of the picks (a ballot step), and with
    a proposal window the first step of 사업 제안하기, portrait at 100 %: `step_1.png` … in the
    order of BUDGET_STEPS (then "propose")."""
    from kiosk.domain import ballot_flow, budget_proposal_flow
    from kiosk.ui.navigation import Route, step_route
    from kiosk.ui.screens.ballot import VOTE

    pack = window.ctx.pack
    assert pack is not None
    portrait(window)
    samples = ballot_flow.samples(pack, window.ctx.clock())
    routes = {
        "vote": Route(VOTE),
        "dongs": step_route(*samples[ballot_flow.DONGS]),
        "review": step_route(*samples[ballot_flow.REVIEW]),
    }
    shown = list(BUDGET_STEPS)
    if pack.budget is not None and pack.budget.proposals_open_at is not None:
        # The proposal stage: the first step of 사업 제안하기, as its window will show it.
        flow, at = budget_proposal_flow.samples(pack, window.ctx.clock())[budget_proposal_flow.DONG]
        routes["propose"] = step_route(flow, at)
        shown.append("propose")
    written = []
    for number, step in enumerate(shown, start=1):
        window.navigator.home()
        window.navigate(routes[step])
        settle_layout()
        written.append(save(window, out / f"step_{number}.png"))
    return written


def save(window: KioskWindow, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    now = datetime.now(UTC)
    try:
        document = json.loads(args.manifest.read_text(encoding="utf-8"))
        pack = focused(document, args.section, args.key, now)
    except (OSError, ValueError) as e:
        print(f"미리보기 묶음을 읽지 못했습니다: {e}", file=sys.stderr)
        return INVALID_PACK
    except PackError as e:
        print("\n".join(e.problems), file=sys.stderr)
        return INVALID_PACK

    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig, Mode
    from kiosk.context import AppContext
    from kiosk.pack import AssetCache
    from kiosk.ui.fonts import load_bundled_fonts
    from kiosk.ui.main_thread_gc import MainThreadCollector
    from kiosk.ui.shell import KioskWindow

    with tempfile.TemporaryDirectory(prefix="ontong-preview-") as data_dir:
        # A promotion and the district card are drawn by the media board; the rest by the kiosk.
        mode: Mode = "board" if on_board(args.section) else "kiosk"
        config = KioskConfig(mode=mode, data_dir=Path(data_dir))
        ctx = AppContext(config=config, assets=AssetCache(args.assets))
        ctx.pack = pack
        ctx.open_store()  # the device database the screens read settings from
        app = QApplication(sys.argv[:1])
        MainThreadCollector(app)
        load_bundled_fonts()
        window = KioskWindow(ctx, start_in_attract=mode == "board")
        window.resize(*SIZES[0][1:])
        # Shown (offscreen), as `--render-screens` shows it: screens are laid out as on the
        # device, and a lesson finds its target among the widgets on screen.
        window.show()
        window.start()
        try:
            written = draw(window, args.section, args.key, args.out)
        finally:
            window.background.shutdown(wait_s=1.0)
            ctx.close()
    for path in written:
        print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
