"""The console's 미리보기 is the kiosk's own drawing: `python -m kiosk.preview` (what the server
runs) draws a survey's first screen and 주민참여예산's projects of a dong byte for byte as
`python -m kiosk --render-screens` draws them on a kiosk with the same pack (portrait and
landscape, 100 % and 200 %); a board clip with
subtitles is drawn with its cue on the band."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.server.process import ROOT

DEMO = ROOT / "assets" / "demo"
SURVEY = "2026-senior-digital"  # the demo's first survey: the one the render's sample shows
# `--render-screens` narrowed to one screen (argv 3), both sizes and text scales, one theme.
# One screen a run: a screen drawn after another may be laid out differently (the side bar's
# buttons in landscape), and the preview draws its item's screen first.
RENDER_ONE = """
import sys
import kiosk.ui.render as render
render.SIZES = ((1080, 1920), (1920, 1080))
render.THEMES = (False,)
render.TEXT_SCALES = (100, 200)
render.screen_names = lambda pack: [sys.argv[3]]  # the one screen alone, as the console draws it
render.render_board = lambda ctx, out: []  # the board's slides: tests/integration/test_render_run
from kiosk.app import main
sys.exit(main(["--demo", "--data-dir", sys.argv[1], "--render-screens", sys.argv[2]]))
"""


def run(*args: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]


def demo_assets(folder: Path) -> Path:
    """The pack's files by SHA-256, as the server lays them out."""
    document = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    folder.mkdir()
    for entry in document["files"]:
        (folder / entry["sha256"]).symlink_to(DEMO / entry["path"])
    return folder


def preview(manifest: Path, assets: Path, section: str, key: str, out: Path) -> Path:
    run(
        "-m",
        "kiosk.preview",
        "--manifest",
        str(manifest),
        "--assets",
        str(assets),
        "--section",
        section,
        "--key",
        key,
        "--out",
        str(out),
    )
    return out


def test_the_preview_is_the_kiosks_own_render_byte_for_byte(tmp_path: Path) -> None:
    document = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in document["surveys"]][0] == SURVEY
    assets = demo_assets(tmp_path / "assets")
    manifest = DEMO / "manifest.json"
    survey = preview(manifest, assets, "surveys", SURVEY, tmp_path / "survey")
    budget = preview(manifest, assets, "budget", "budget", tmp_path / "budget")
    sizes = (("portrait", "1080x1920"), ("landscape", "1920x1080"))
    for drawn, screen in ((survey, "survey_intro"), (budget, "budget_projects")):
        render = tmp_path / f"render-{screen}"
        run("-c", RENDER_ONE, str(tmp_path / f"kiosk-{screen}"), str(render), screen)
        for (name, size), scale in itertools.product(sizes, (100, 200)):
            kiosk = (render / f"{screen}_{size}_{scale}_default.png").read_bytes()
            assert (drawn / f"{name}_{scale}.png").read_bytes() == kiosk, (screen, name, scale)
    # 주민참여예산's further screens: its page, 동 고르기 and the review of the picks.
    assert sorted(p.name for p in budget.glob("step_*.png")) == [
        "step_1.png",
        "step_2.png",
        "step_3.png",
    ]


def banner_pixels(picture: Path) -> int:
    """How many pixels have the board's subtitle band colour (the default theme's banner)."""
    from PySide6.QtGui import QColor, QImage

    from kiosk.ui.theme import DEFAULT

    image = QImage(str(picture))
    assert not image.isNull()
    band = QColor(DEFAULT.banner).rgb()
    return sum(
        1
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
        if image.pixel(x, y) == band
    )


def test_a_board_clip_with_subtitles_is_previewed_with_its_first_cue_drawn(
    tmp_path: Path,
) -> None:
    """The demo clip given the demo's Korean subtitles (a cue from 0 s): each of the four
    pictures shows the cue's band, which the same clip without subtitles does not have."""
    document = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    clip = next(p for p in document["promotions"] if p["kind"] == "video")
    vtt = next(f["path"] for f in document["files"] if f["path"].endswith(".vtt"))
    assets = demo_assets(tmp_path / "assets")
    plain = preview(DEMO / "manifest.json", assets, "promotions", clip["id"], tmp_path / "plain")
    clip["subtitles"] = vtt
    subtitled_pack = tmp_path / "subtitled.json"
    subtitled_pack.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    subtitled = preview(subtitled_pack, assets, "promotions", clip["id"], tmp_path / "subtitled")
    for name in ("portrait_100", "portrait_200", "landscape_100", "landscape_200"):
        without, with_cue = (
            banner_pixels(plain / f"{name}.png"),
            banner_pixels(subtitled / f"{name}.png"),
        )
        # The band spans the clip's width and is a line of big letters high.
        assert with_cue > without + 2_000, (name, without, with_cue)
