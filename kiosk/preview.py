"""`python -m kiosk.preview`: one content item drawn by the kiosk's own screens, offscreen, for
the staff console's 미리보기 (the server runs this in a subprocess; it never imports the kiosk).

    python -m kiosk.preview --manifest M.json --assets DIR --section S --key K --out OUT

`M.json` is a whole pack document (a draft, not yet published); `DIR` holds its media files
named by SHA-256, as the device's cache does. The pack is cut down to the item (so the screens'
own sample routes pick it) and drawn on the screen a resident or passer-by first meets it on:
a promotion on the media board, a survey at its first step, a contest or proposal on its page.
One PNG per size and text scale is written to OUT (`portrait_100.png` …), for a survey also
each question at its step (`question_1.png` …), and their names are printed one per line.
Exit 2 with the kiosk's words on stderr when the pack is not valid.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
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
# How long each picture's screen may settle (pictures are decoded off the GUI thread).
SETTLE_S = 0.6
# The board shows its district card until the item's picture is decoded and faded in.
BOARD_SETTLE_S = 2.0


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
    """The pack with only the item in its section (other sections kept); PackError when the
    pack is not valid or has no such item."""
    items = document.get(section)
    if isinstance(items, list):
        id_field = "code" if section == "coaches" else "id"
        chosen = [i for i in items if isinstance(i, dict) and i.get(id_field) == key]
        if not chosen:
            raise PackError([f"{section}: '{key}' 항목이 없습니다."])
        if section == "promotions":
            chosen = [on_air(chosen[0], now)]
        document = {**document, section: chosen}
    return validate_manifest(document, source="미리보기")


def route_of(window: KioskWindow, section: str) -> Route | None:
    """The screen the item is first met on; None for the home screen (district, budget…)."""
    from kiosk.domain import survey_flow
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
        return Route("budget")
    return None


def settle(seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    until = time.monotonic() + seconds
    while time.monotonic() < until:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()


def draw(window: KioskWindow, section: str, out: Path) -> list[Path]:
    """One PNG per size and text scale of the item's screen."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, width, height in SIZES:
        for scale in SCALES:
            window.resize(width, height)
            window.prefs.set(language="ko", text_scale=scale, high_contrast=False)
            window.navigator.home()
            if section == "promotions":
                window.enter_attract()
                # The board plays from its first paint on: paint once, then let it show the item.
                window.grab()
                settle(BOARD_SETTLE_S)
            else:
                window.leave_attract()
                route = route_of(window, section)
                if route is not None:
                    window.navigate(route)
            settle(SETTLE_S)
            written.append(save(window, out / f"{name}_{scale}.png"))
    if section == "surveys":
        written += draw_questions(window, out)
    return written


def draw_questions(window: KioskWindow, out: Path) -> list[Path]:
    """Each question of the survey at its step (portrait, 100 %), a show-if question as it
    appears after the answer it waits for: `question_1.png`, `question_2.png` …"""
    from kiosk.domain import survey_flow
    from kiosk.ui.navigation import step_route

    pack = window.ctx.pack
    assert pack is not None
    _name, width, height = SIZES[0]
    window.resize(width, height)
    window.prefs.set(language="ko", text_scale=SCALES[0], high_contrast=False)
    written = []
    places = survey_flow.question_places(pack, pack.surveys[0], window.ctx.clock())
    for number, (flow, at) in enumerate(places, start=1):
        window.navigator.home()
        window.navigate(step_route(flow, at))
        settle(SETTLE_S)
        written.append(save(window, out / f"question_{number}.png"))
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
        # A promotion is drawn by the media board; everything else by the kiosk.
        mode: Mode = "board" if args.section == "promotions" else "kiosk"
        config = KioskConfig(mode=mode, data_dir=Path(data_dir))
        ctx = AppContext(config=config, assets=AssetCache(args.assets))
        ctx.pack = pack
        ctx.open_store()  # the device database the screens read settings from
        app = QApplication(sys.argv[:1])
        MainThreadCollector(app)
        load_bundled_fonts()
        window = KioskWindow(ctx, start_in_attract=mode == "board")
        window.resize(*SIZES[0][1:])
        window.start()
        try:
            written = draw(window, args.section, args.out)
        finally:
            window.background.shutdown(wait_s=1.0)
            ctx.close()
    for path in written:
        print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
