"""Pictures of lessons as a resident meets them, on the real screens of the demo kiosk: for each
lesson, 보기's first step, every step of 따라하기 (the target lit, the rest dimmed; a typed step
also half typed), the end of the stage, 혼자하기's first step before and after 도움, and 실전's
first screen; at 100, 150 and 200 % text, portrait 1080x1920 and landscape 1920x1080.

    QT_QPA_PLATFORM=offscreen python -m tests.widget.render_lessons OUT [LESSON_ID ...]

Without ids: the lessons of issue 19 (contest-idea, contest-vote, write-proposal, video, share,
exchange). Files are named LESSON_STAGE-STEP_WxH_SCALE.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.domain.lessons import ALONE, FOLLOW, WATCH

if TYPE_CHECKING:
    from contract.content import Lesson
    from kiosk.ui.lesson import LessonPlayer
    from kiosk.ui.shell import KioskWindow

NEW_LESSONS = ("contest-idea", "contest-vote", "write-proposal", "video", "share", "exchange")
SIZES = ((1080, 1920), (1920, 1080))
SCALES = (100, 150, 200)


def _settle(window: KioskWindow) -> None:
    for _ in range(3):
        QApplication.processEvents()
    window.grab()  # lays the window out as shown
    QApplication.processEvents()


def _save(window: KioskWindow, out: Path, name: str, written: list[Path]) -> None:
    _settle(window)
    width, height = window.width(), window.height()
    scale = window.prefs.text_scale
    path = out / f"{name}_{width}x{height}_{scale}.png"
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    written.append(path)


def _start(window: KioskWindow, lesson: Lesson, stage: str) -> LessonPlayer:
    from kiosk.ui.lesson import player_for
    from kiosk.ui.screens.coach import sign_in_sample_coach
    from kiosk.ui.screens.lessons import stop_lesson

    stop_lesson(window)
    sign_in_sample_coach(window)
    player = player_for(window)
    player.watch_ms = 10**9  # 보기 holds each step: it is drawn, not played
    player.voice_on_start = False
    player.start(lesson, stage)
    _settle(window)
    player._show_step()
    return player


def _press(window: KioskWindow, player: LessonPlayer) -> None:
    """The resident does the step on show: taps its target, or 다음 on the panel."""
    step = player.step()
    target = player.target
    if step is None:
        return
    if target is None:  # the lesson lost its screen: its pictures would not tell the truth
        raise RuntimeError(f"step {step.id}: no {step.target} on {step.screen}")
    if step.kind in ("look", "fill") or not isinstance(target, QAbstractButton):
        player._step_done()
    else:
        target.click()
    _settle(window)


def render_lesson(window: KioskWindow, lesson: Lesson, out: Path) -> list[Path]:
    written: list[Path] = []
    player = _start(window, lesson, WATCH)
    _save(window, out, f"{lesson.id}_watch-1", written)
    player = _start(window, lesson, FOLLOW)
    for n, step in enumerate(lesson.steps, start=1):
        _save(window, out, f"{lesson.id}_follow-{n:02d}-{step.id}", written)
        if step.kind == "enter":
            half = len(step.value or "") // 2
            while player.step() is step and len(window.current_screen.typed() or "") < half:
                _press(window, player)
            _save(window, out, f"{lesson.id}_follow-{n:02d}-{step.id}-half", written)
        while player.step() is step:
            _press(window, player)
    _save(window, out, f"{lesson.id}_follow-done", written)
    player = _start(window, lesson, ALONE)
    _save(window, out, f"{lesson.id}_alone-1", written)
    player.help()
    _save(window, out, f"{lesson.id}_alone-1-help", written)
    player.stop()
    window.coach.session.practice = False  # as after the coach's PIN
    player._begin_real(lesson)
    _save(window, out, f"{lesson.id}_real", written)
    player.stop()
    return written


def render(window: KioskWindow, out: Path, lesson_ids: tuple[str, ...]) -> list[Path]:
    from nacl.public import PrivateKey

    from kiosk.ui.screens.lessons import stop_lesson
    from tests.widget.test_ballot_flow import enrol

    out.mkdir(parents=True, exist_ok=True)
    enrol(window, PrivateKey.generate())  # 본인 확인 seals to an enrolled server's key
    window.show()
    pack = window.ctx.pack
    assert pack is not None
    written: list[Path] = []
    for width, height in SIZES:
        for scale in SCALES:
            window.resize(width, height)
            window.prefs.set(language="ko", text_scale=scale, high_contrast=False)
            for lesson_id in lesson_ids:
                lesson = pack.lesson(lesson_id)
                assert lesson is not None, lesson_id
                written += render_lesson(window, lesson, out)
                stop_lesson(window)
                window.coach.discard()
                window.navigator.home()
    return written


def main(argv: list[str]) -> int:
    from kiosk import app
    from kiosk.ui import render as screens

    out = Path(argv[0])
    lesson_ids = tuple(argv[1:]) or NEW_LESSONS
    screens.render_screens = lambda window, out_dir: render(window, out, lesson_ids)
    screens.render_board = lambda ctx, out_dir: []
    with tempfile.TemporaryDirectory() as data:
        return app.main(["--demo", "--data-dir", data, "--render-screens", str(out)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
