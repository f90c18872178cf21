"""The console's 미리보기 is the kiosk's own drawing: `python -m kiosk.preview` (what the server
runs) draws a survey's first screen byte for byte as `python -m kiosk --render-screens` draws it
on a kiosk with the same pack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.server.process import ROOT

DEMO = ROOT / "assets" / "demo"
SURVEY = "2026-senior-digital"  # the demo's first survey: the one the render's sample shows
# `--render-screens` narrowed to the survey's first screen, portrait, both text scales.
RENDER_ONE = """
import sys
import kiosk.ui.render as render
render.SIZES = ((1080, 1920),)
render.THEMES = (False,)
render.TEXT_SCALES = (100, 200)
render.screen_names = lambda: ["survey_intro"]
from kiosk.app import main
sys.exit(main(["--demo", "--data-dir", sys.argv[1], "--render-screens", sys.argv[2]]))
"""


def run(*args: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_preview_of_a_survey_is_the_kiosks_own_render_byte_for_byte(tmp_path: Path) -> None:
    document = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in document["surveys"]][0] == SURVEY
    assets = tmp_path / "assets"  # the pack's files by SHA-256, as the server lays them out
    assets.mkdir()
    for entry in document["files"]:
        (assets / entry["sha256"]).symlink_to(DEMO / entry["path"])
    preview = tmp_path / "preview"
    run(
        "-m",
        "kiosk.preview",
        "--manifest",
        str(DEMO / "manifest.json"),
        "--assets",
        str(assets),
        "--section",
        "surveys",
        "--key",
        SURVEY,
        "--out",
        str(preview),
    )
    render = tmp_path / "render"
    run("-c", RENDER_ONE, str(tmp_path / "kiosk-data"), str(render))
    for scale in (100, 200):
        kiosk = (render / f"survey_intro_1080x1920_{scale}_default.png").read_bytes()
        assert (preview / f"portrait_{scale}.png").read_bytes() == kiosk, scale
