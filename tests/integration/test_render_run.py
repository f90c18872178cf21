"""`python -m kiosk --render-screens` fails when its pictures may not tell the truth: a run that
logs an error or asks the app to restart (the board's memory ceiling) exits non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.server.process import ROOT

# `--render-screens` narrowed to a few screens, portrait, 100 %, the default theme.
RENDER_FEW = """
import sys
import kiosk.ui.render as render
render.SIZES = ((1080, 1920),)
render.THEMES = (False,)
render.TEXT_SCALES = (100,)
render.screen_names = lambda pack: sys.argv[3].split(",")
from kiosk.app import main
sys.exit(main(["--demo", "--config", sys.argv[1], "--render-screens", sys.argv[2]]))
"""


def render(tmp_path: Path, config: str, screens: str) -> subprocess.CompletedProcess[str]:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(f'data_dir = "{tmp_path / "data"}"\n{config}', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", RENDER_FEW, str(config_file), str(tmp_path / "out"), screens],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_render_that_crosses_the_memory_ceiling_fails(tmp_path: Path) -> None:
    # The attract loop's player checks memory as its first item goes on; any real app is
    # above 100 MB, so the render asks for the restart a board would make.
    done = render(tmp_path, "memory_ceiling_mb = 100\n", "home,attract")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "render failed" in done.stderr
    assert "app_restart reason=memory" in done.stderr
    assert (tmp_path / "out" / "attract_1080x1920_100_default.png").exists()


def test_a_render_that_logs_an_error_fails(tmp_path: Path) -> None:
    broken = tmp_path / "broken-pack"
    broken.mkdir()
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    done = render(tmp_path, f'content_pack = "{broken}"\n', "home")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "ERROR kiosk content_refused" in done.stderr


def test_a_clean_render_succeeds_and_draws_the_board(tmp_path: Path) -> None:
    done = render(tmp_path, "", "home,lesson_follow")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "render failed" not in done.stderr
    slides = ("picture", "video", "notice", "card", "emergency_sign")
    for slide in slides:
        assert (tmp_path / "out" / f"board_{slide}_1080x1920_100_default.png").exists(), slide
