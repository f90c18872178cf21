"""The coach's lesson list (issue 9): the pack's lessons, resident flows first, then the everyday
kiosks; a lesson opens its four stages, each started by a tap (kiosk.ui.lesson plays them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from contract.content import Lesson
from contract.lessons import RESIDENT_FLOWS
from kiosk.domain.lessons import LESSON_STAGES
from kiosk.ui.coach_session import coach_of
from kiosk.ui.lesson import LESSON_LIST, LessonPlayer, player_for
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, TitledScreen
from kiosk.ui.screens.coach import sign_in_sample_coach
from kiosk.ui.widgets import label

if TYPE_CHECKING:
    from kiosk.ui.shell import KioskWindow

LESSON = "lesson"


def _lessons(screen: Screen) -> list[Lesson]:
    pack = screen.env.ctx.pack
    return list(pack.lessons) if pack is not None else []


class LessonListScreen(TitledScreen):
    title_id = "lesson.list.title"

    def build(self) -> None:
        env = self.env
        coach = coach_of(env)
        if coach is None or coach.session is None:
            self.only_notice("lesson.list.no_coach")
            return
        lessons = _lessons(self)
        if not lessons:
            self.only_notice("lesson.list.none")
            return
        self.box.addWidget(label(env.tr("lesson.list.hint"), "muted"))
        lang = env.language
        groups = (
            ("lesson.list.resident", [x for x in lessons if x.flow in RESIDENT_FLOWS]),
            ("lesson.list.everyday", [x for x in lessons if x.flow not in RESIDENT_FLOWS]),
        )
        for heading, group in groups:
            if not group:
                continue
            self.box.addWidget(label(env.tr(heading), "question"))
            for lesson in group:
                lines: list[str | tuple[str, str | None]] = [lesson.title.get(lang)]
                if lesson.summary is not None:
                    lines.append((lesson.summary.get(lang), "tileText"))
                button = env.button(*lines, name=f"lesson_{lesson.id}")
                button.clicked.connect(
                    lambda _=False, i=lesson.id: env.shell.navigate(Route(LESSON, {"lesson": i}))
                )
                self.box.addWidget(button)
        self.box.addStretch(1)


class LessonStagesScreen(Screen):
    """One lesson's four stages. Route params: lesson (its id)."""

    title_id = "lesson.stages.title"

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        lesson_id = self.params.get("lesson")
        lessons = _lessons(self)
        lesson = pack.lesson(lesson_id) if pack is not None and lesson_id else None
        lesson = lesson or (lessons[0] if lessons else None)
        coach = coach_of(env)
        if lesson is None or coach is None or coach.session is None:
            self.only_notice("lesson.list.no_coach")
            return
        self.lesson = lesson
        self.box.addWidget(label(lesson.title.get(env.language), "title"))
        self.box.addWidget(label(env.tr(self.title_id), "question"))
        done = {stage for lid, stage in coach.session.stages_completed if lid == lesson.id}
        for stage in LESSON_STAGES:
            title = env.tr(f"lesson.stage.{stage}")
            if stage in done:
                title = f"{title} ✓ {env.tr('lesson.stages.done')}"
            button = env.button(
                title,
                (env.tr(f"lesson.stage.{stage}.desc"), "tileText"),
                role="primary" if stage == LESSON_STAGES[0] else None,
                name=f"stage_{stage}",
            )
            button.clicked.connect(lambda _=False, s=stage: self.on_stage(s))
            self.box.addWidget(button)
        self.box.addStretch(1)

    def on_stage(self, stage: str) -> None:
        self.env.shell.lesson_player().start(self.lesson, stage)


SCREENS: dict[str, type[Screen]] = {LESSON_LIST: LessonListScreen, LESSON: LessonStagesScreen}


# -- samples for --render-screens -----------------------------------------------------------------


def stop_lesson(window: KioskWindow) -> None:
    """End a lesson the window is playing (before a sample that has none)."""
    player = window.findChild(LessonPlayer, "lessonPlayer")
    if isinstance(player, LessonPlayer):
        player.stop()


def _sample_lesson(window: KioskWindow) -> Lesson | None:
    pack = window.ctx.pack
    return pack.lesson("vote") if pack is not None else None


def _lesson_list(window: KioskWindow) -> None:
    sign_in_sample_coach(window)
    window.navigate(Route(LESSON_LIST))


def _lesson_stages(window: KioskWindow) -> None:
    sign_in_sample_coach(window)
    lesson = _sample_lesson(window)
    if lesson is not None:
        window.navigate(Route(LESSON, {"lesson": lesson.id}))


def _follow(window: KioskWindow, *, wrong_tap: bool) -> None:
    lesson = _sample_lesson(window)
    if lesson is None:
        sign_in_sample_coach(window)
        return
    player = follow_first_step(window, lesson)
    if wrong_tap:
        player._wrong_tap()


# A coach signed in with the lesson list, a lesson's stages, or its 따라하기 on the first step
# (after a wrong tap for "lesson_wrong_tap"), lit and dimmed as the live app shows it.
SAMPLES: dict[str, Callable[[KioskWindow], None]] = {
    "lesson_list": _lesson_list,
    "lesson_stages": _lesson_stages,
    "lesson_follow": lambda window: _follow(window, wrong_tap=False),
    "lesson_wrong_tap": lambda window: _follow(window, wrong_tap=True),
}


def follow_first_step(window: KioskWindow, lesson: Lesson) -> LessonPlayer:
    """A coach signed in (a sample, practice on) and `lesson`'s 따라하기 on its first step, the
    voice quiet and the step held (for --render-screens and the console's 미리보기)."""
    sign_in_sample_coach(window)
    player = player_for(window)
    player.watch_ms = 10**9
    player.voice_on_start = False
    player.start(lesson, "follow")
    # A render draws the window without showing it: grabbing it once lays it out, so the lit
    # target is where a resident sees it.
    window.grab()
    player._show_step()
    return player
