"""The lesson engine on the kiosk window (issue 9, part 3): plays a lesson of the content pack
over the real screens in one of its four stages.

- 보기 (watch): each step's target is highlighted, everything else dimmed, the step's words are
  shown and said (window.voice), then the engine taps the target itself; the resident's taps
  do nothing.
- 따라하기 (follow): the same highlight; only the target responds. A tap anywhere else is not
  passed on: it is counted and answered with a gentle hint, shown and said.
- 혼자하기 (alone): no highlight and nothing blocked; "도움" shows the next target. A tap on
  another control is counted as a wrong tap (silently: the resident is finding their way).
- 실전 (real): practice is left (the coach's PIN, as the coach menu asks it), the lesson's first
  screen opens with no highlight; the stage is done when the resident's real submission is
  queued, or when the coach presses "마침" (a flow that sends nothing, the everyday kiosks).

The first three stages run in practice: switching it on takes the coach's PIN, as on the coach
menu (asked once, when practice is off; the lessons are reached from the coach menu, which
anyone may open while a session is on).

A step of kind "enter" types a practice number on a keypad, or practice words on the Hangul
keyboard: its target is the key to press next (the next digit or jamo, shift before a shifted
one, the space bar, or the erase key after a wrong one), read from what the screen says was
typed (`Screen.typed`); the step is done when the whole value is typed. A step of kind "fill"
writes its practice text on the keyboard at once (`Screen.fill`) and is then read like a look.

What each step took (seconds, wrong taps) goes to the coached session (`record_step`), each
finished stage to `complete_stage`. The rules are kiosk.domain.lessons; this module only finds
widgets, paints and listens.

One `LessonPlayer` belongs to a window (`player_for(window)`); it is a child QObject of it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QInputEvent, QKeyEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from contract.content import Lesson, LessonStep
from contract.lessons import ENTER, FILL, QUIET_FLOWS
from kiosk.domain.lessons import (
    ALONE,
    REAL,
    WATCH,
    LessonRun,
    next_key,
    next_letter,
    next_stage,
    shown_value,
)
from kiosk.ui.navigation import HOME, Route
from kiosk.ui.paging import turn_to_shown
from kiosk.ui.screens.base import ScreenEnv
from kiosk.ui.widgets import FOCUS_REGION, Keypad, error_line, label

if TYPE_CHECKING:
    from kiosk.ui.keyboard import HangulKeyboard
    from kiosk.ui.shell import KioskWindow

# A button of the lesson panel: its words, object name, what a tap does, whether it is primary.
PanelButton = tuple[str, str, Callable[[], None], bool]

log = logging.getLogger(__name__)

LESSON_LIST = "lessons"
# How long 보기 shows a step before tapping it; tests shorten it.
WATCH_STEP_MS = 2600
_BLOCKED = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
)
# Keys that press a control; moving the focus (Tab, arrows) is left alone, so a resident with
# a keypad can still reach the target.
_PRESS_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Select})
# Always usable, whatever the stage: calling staff is never blocked; and never a wrong tap, like
# paging the working area.
_ALWAYS = frozenset({"staffCallButton"})
_NEVER_WRONG = _ALWAYS | {"scrollUpButton", "scrollDownButton"}
# Steps read, not pressed: 다음 on the panel moves on (보기 moves on by itself).
_READ = ("look", FILL)
# What each panel button does, for a screen reader (its accessible description).
_DESCRIPTIONS = {
    "lessonHelp": "lesson.desc.help",
    "lessonNext": "lesson.desc.next",
    "lessonStop": "lesson.desc.stop",
    "lessonNextStage": "lesson.desc.next_stage",
    "lessonToList": "lesson.desc.to_list",
    "lessonFinish": "lesson.desc.finish",
}


class LessonOverlay(QWidget):
    """Dims the window except the target, which gets a thick frame. Lets every tap through (the
    player decides what a tap does)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lessonOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.hole = QRect()
        self.frame_px = 8
        self.hide()

    def set_hole(self, hole: QRect) -> None:
        if hole != self.hole:
            self.hole = hole
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.hole.isNull():
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pad = self.frame_px
        hole = self.hole.adjusted(-pad, -pad, pad, pad)
        veil = QPainterPath()
        veil.addRect(self.rect().toRectF())
        cut = QPainterPath()
        cut.addRoundedRect(hole.toRectF(), pad * 2, pad * 2)
        p.fillPath(veil.subtracted(cut), QColor(0, 0, 0, 150))
        # Yellow inside black: seen on light and dark screens alike, and not by colour alone.
        p.setPen(QPen(QColor("#000000"), pad * 1.5))
        p.drawRoundedRect(hole.toRectF(), pad * 2, pad * 2)
        p.setPen(QPen(QColor("#FFD400"), pad * 0.75))
        p.drawRoundedRect(hole.toRectF(), pad * 2, pad * 2)
        p.end()


class LessonPlayer(QObject):
    """Runs one lesson stage at a time on its window.

    Signals:
        step_shown(str, str): a step's target was found on its screen (screen, objectName).

    Attributes:
        lesson, run: the lesson and its stage in progress (None when none runs).
        target: the widget the current step points at, once found.
        hints: the hints given for wrong taps, newest last.
        watch_ms: how long 보기 shows each step before tapping it.
    """

    step_shown = Signal(str, str)

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.setObjectName("lessonPlayer")
        self.window = window
        self.lesson: Lesson | None = None
        self.run: LessonRun | None = None
        self.target: QWidget | None = None
        self._connected: QAbstractButton | None = None
        self.hints: list[str] = []
        self.watch_ms = WATCH_STEP_MS
        # Lessons speak: voice guidance is switched on when a stage starts.
        self.voice_on_start = True
        self.hint: QLabel | None = None
        self.monotonic = time.monotonic
        self._pending_real: Lesson | None = None
        # A stage waiting for the coach's PIN to switch practice on: (lesson, stage).
        self._pending_practice: tuple[Lesson, str] | None = None
        self._filtering = False
        self._generation = 0
        self._scheduled = False
        # The step whose words were last shown and said, (index, screen, helped): a new target
        # for the same step (the next key of a number) says nothing again.
        self._shown: tuple[int, str, bool] | None = None
        self._last_press = -1
        self.overlay = LessonOverlay(window)
        self.panel: QFrame | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._follow_target)
        window.screen_changed.connect(self.on_screen_changed)
        window.coach.ended.connect(self.on_coach_ended)
        window.coach.changed.connect(self.on_coach_changed)
        window.coach.submission.connect(self.on_submission)

    # -- what the lesson screens ask --------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.lesson is not None

    def start(self, lesson: Lesson, stage: str) -> None:
        """Start `stage` of `lesson` from its first screen."""
        self.stop()
        coach = self.window.coach
        if stage == REAL:
            if coach.practice:
                # Leaving practice needs the coach's PIN; real use starts once it is given.
                from kiosk.ui.screens.coach import CONFIRM, CoachForm

                self._pending_real = lesson
                action = {"action": "leave_practice", "entry": CoachForm()}
                self.window.navigate(Route(CONFIRM, action))
                return
            self._begin_real(lesson)
            return
        if coach.session is not None and not coach.practice:
            # Practice on needs the coach's PIN here too: the lessons are reached from the coach
            # menu, which anyone at the kiosk can open while a session is on, and a lesson
            # stopped at once would otherwise leave practice on (issue 14). The stage starts
            # once the PIN is given (on_coach_changed).
            from kiosk.ui.screens.coach import CONFIRM, CoachForm

            self._pending_practice = (lesson, stage)
            action = {"action": "start_practice", "entry": CoachForm()}
            self.window.navigate(Route(CONFIRM, action))
            return
        self._begin_practice_stage(lesson, stage)

    def _begin_practice_stage(self, lesson: Lesson, stage: str) -> None:
        voice = self.window.voice
        if self.voice_on_start and not voice.on and not voice.unavailable:
            voice.toggle()
        self.lesson = lesson
        self.run = LessonRun(lesson.id, tuple(s.id for s in lesson.steps), stage, self.monotonic())
        log.info("lesson_started lesson=%s stage=%s", lesson.id, stage)
        self._open_start(lesson)
        self._set_filter(True)
        self.timer.start()
        self._schedule()

    def stop(self) -> None:
        """End the lesson now (the coach's 그만하기, the end of a visit or of the session)."""
        self._generation += 1
        self._set_filter(False)
        self.timer.stop()
        self._set_target(None)
        self._shown = None
        self.overlay.hide()
        if self.panel is not None:
            self.panel.hide()
            self.panel.deleteLater()
            self.panel = None
        if self.lesson is not None:
            log.info("lesson_stopped lesson=%s", self.lesson.id)
        self.lesson = None
        self.run = None

    def help(self) -> None:
        """혼자하기's 도움: highlight the next target and say what to do."""
        if self.run is None or self.run.stage != ALONE:
            return
        self.run.help()
        self._schedule()

    def step(self) -> LessonStep | None:
        if self.lesson is None or self.run is None or self.run.done:
            return None
        return self.lesson.steps[self.run.index]

    # -- running the steps ------------------------------------------------------------------------

    def _open_start(self, lesson: Lesson) -> None:
        self.window.go_home()
        if lesson.start != HOME:
            self.window.navigate(Route(lesson.start))

    def _schedule(self) -> None:
        """Show the current step once the event now running (a tap, a new screen) is over."""
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._show_step)

    @Slot()
    def _show_step(self) -> None:
        self._scheduled = False
        run, lesson = self.run, self.lesson
        if run is None or lesson is None:
            return
        if run.stage == REAL:
            self._place_panel(None)
            return
        if run.done:
            self._stage_done()
            return
        step = lesson.steps[run.index]
        on_screen = self.window.navigator.current.screen == step.screen
        if on_screen and step.kind == ENTER and self._typed() == step.value:
            self._step_done()
            return
        if on_screen and step.kind == FILL and self._typed() != step.value:
            screen = self.window.current_screen
            if screen is not None:
                screen.fill(step.value or "")
        target = self._find_target(step) if on_screen else None
        self._set_target(target)
        shown = (run.index, self.window.navigator.current.screen, run.helped)
        again = shown == self._shown and self.panel is not None and target is not None
        if again:
            self._place_panel(target)
        else:
            self._build_panel(step, lost=not on_screen)
        if target is None:
            return
        if not again:
            self._shown = shown
            self.step_shown.emit(step.screen, step.target)
            if run.highlighted:
                self.window.voice.say([step.say.get(self._language())], interrupt=False)
        if run.plays_itself:
            generation = self._generation
            QTimer.singleShot(self.watch_ms, self, lambda: self._auto(generation))

    def _auto(self, generation: int) -> None:
        """보기: the engine does the step itself."""
        step = self.step()
        if generation != self._generation or step is None or self.run is None:
            return
        target = self.target
        pressed = step.kind in ("tap", ENTER)
        if pressed and isinstance(target, QAbstractButton) and target.isEnabled():
            target.click()
        elif step.kind in _READ:
            self._step_done()

    def _find(self, name: str) -> QWidget | None:
        # Visible to the window, not on screen: a render draws the window without showing it.
        found = [w for w in self.window.findChildren(QWidget, name) if w.isVisibleTo(self.window)]
        # On another page of a list: the lesson turns to it.
        return found[0] if found else turn_to_shown(self.window, name)

    def _find_target(self, step: LessonStep) -> QWidget | None:
        """The step's target; for an "enter" step, the keypad's key to press next."""
        found = self._find(step.target)
        if step.kind != ENTER:
            return found
        # The keyboard's module is the text steps' (not imported at start).
        from kiosk.ui.keyboard import HangulKeyboard

        if isinstance(found, HangulKeyboard):
            return _keyboard_key(found, next_letter(step.value or "", self._typed() or ""))
        key = next_key(step.value or "", self._typed() or "")
        return found.key(key) if isinstance(found, Keypad) and key is not None else None

    def _typed(self) -> str | None:
        screen = self.window.current_screen
        return screen.typed() if screen is not None else None

    def _set_target(self, target: QWidget | None) -> None:
        old = self._connected
        if old is not None and shiboken6.isValid(old):
            old.clicked.disconnect(self._on_target_clicked)
        self._connected = None
        self.target = target
        step = self.step()
        pressed = step is not None and step.kind in ("tap", ENTER)
        if isinstance(target, QAbstractButton) and pressed:
            target.clicked.connect(self._on_target_clicked)
            self._connected = target
        content = self.window.scroll_area.widget()
        if target is not None and content is not None and content.isAncestorOf(target):
            self.window.scroll_area.ensureWidgetVisible(target)
        self._follow_target()

    @Slot()
    def _on_target_clicked(self) -> None:
        step = self.step()
        if step is not None and step.kind == ENTER:
            # One key of the number: the step is done once all of it is typed (_show_step).
            self._schedule()
            return
        self._step_done()

    def _step_done(self) -> None:
        run, lesson = self.run, self.lesson
        if run is None or lesson is None:
            return
        self._generation += 1
        result = run.step_done(self.monotonic())
        session = self.window.coach.session
        if result is not None and session is not None:
            session.record_step(result.lesson_id, result.step_id, result.seconds, result.wrong_taps)
        self._set_target(None)
        self._schedule()

    def _stage_done(self) -> None:
        run, lesson = self.run, self.lesson
        assert run is not None and lesson is not None
        session = self.window.coach.session
        if session is not None:
            session.complete_stage(lesson.id, run.stage)
        log.info("lesson_stage_done lesson=%s stage=%s", lesson.id, run.stage)
        self._set_filter(False)
        self._set_target(None)
        tr = self.window.translator.tr
        words = tr("lesson.panel.stage_done", stage=tr(f"lesson.stage.{run.stage}"))
        self._build_done_panel(lesson, run.stage, words)
        self.window.voice.say([words], interrupt=False)
        self.run = None

    def _begin_real(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.run = LessonRun(lesson.id, (), REAL, self.monotonic())
        log.info("lesson_started lesson=%s stage=real", lesson.id)
        self._open_start(lesson)
        # The practice kiosks, the videos and sharing send nothing: the coach ends them.
        sends = lesson.start == HOME and lesson.flow not in QUIET_FLOWS
        words_id = "lesson.panel.real" if sends else "lesson.panel.real_everyday"
        panel = self._panel_frame()
        box = panel.layout()
        assert isinstance(box, QVBoxLayout)
        line = label(self.window.translator.tr(words_id), "strong")
        line.setObjectName("lessonInstruction")
        box.addWidget(line)
        finish = self._env().button(
            self.window.translator.tr("lesson.panel.finish"), role="primary", name="lessonFinish"
        )
        finish.clicked.connect(self._finish_real)
        box.addWidget(finish)
        self._place_panel(None)

    def _finish_real(self) -> None:
        lesson = self.lesson
        session = self.window.coach.session
        if lesson is not None and session is not None:
            session.complete_stage(lesson.id, REAL)
        self.stop()
        self.window.go_home()
        self.window.navigate(Route(LESSON_LIST))

    @Slot(bool)
    def on_submission(self, practice: bool) -> None:
        """실전 is done when the resident's own submission is queued (the flow's thank-you
        screen stays, with the lesson's words and the way back to the lesson list)."""
        run, lesson = self.run, self.lesson
        if run is None or lesson is None or run.stage != REAL or practice:
            return
        session = self.window.coach.session
        if session is not None:
            session.complete_stage(lesson.id, REAL)
        log.info("lesson_stage_done lesson=%s stage=real", lesson.id)
        tr = self.window.translator.tr
        words = tr("lesson.panel.stage_done", stage=tr("lesson.stage.real"))
        self.run = None
        # After the flow has moved on to its next screen.
        QTimer.singleShot(0, self, lambda: self._real_done(lesson, words))

    def _real_done(self, lesson: Lesson, words: str) -> None:
        if self.lesson is not lesson or self.run is not None:
            return
        self._build_done_panel(lesson, REAL, words)
        self.window.voice.say([words], interrupt=False)

    # -- the panel --------------------------------------------------------------------------------

    def _language(self) -> str:
        return self.window.translator.language

    def _env(self) -> ScreenEnv:
        w = self.window
        return ScreenEnv(w.ctx, w.translator, w.theme, w, w.width(), w.services)

    def _panel_frame(self) -> QFrame:
        if self.panel is not None:
            self.panel.hide()
            self.panel.deleteLater()
        theme = self.window.theme
        m, pal = theme.metrics, theme.palette
        panel = QFrame(self.window)
        panel.setObjectName("lessonPanel")
        panel.setProperty(FOCUS_REGION, True)
        panel.setStyleSheet(
            f"QFrame#lessonPanel {{ background: {pal.window}; border: {m.focus_px}px solid "
            f"{pal.focus_frame}; border-radius: {m.radius_px}px; }}"
        )
        box = QVBoxLayout(panel)
        box.setContentsMargins(m.gap_px * 2, m.gap_px * 2, m.gap_px * 2, m.gap_px * 2)
        box.setSpacing(m.gap_px)
        self.panel = panel
        return panel

    def _row(self, buttons: list[PanelButton]) -> QWidget:
        """The panel's buttons side by side, each wired to what its tap does."""
        env = self._env()
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(self.window.theme.metrics.gap_px * 2)
        for words, name, on_click, primary in buttons:
            button = env.button(words, role="primary" if primary else None, name=name)
            button.clicked.connect(on_click)
            row.addWidget(button, 1)
        return holder

    def _build_panel(self, step: LessonStep, lost: bool) -> None:
        run, lesson = self.run, self.lesson
        assert run is not None and lesson is not None
        tr = self.window.translator.tr
        panel = self._panel_frame()
        box = panel.layout()
        assert isinstance(box, QVBoxLayout)
        where = label(
            tr(
                "lesson.panel.step",
                stage=tr(f"lesson.stage.{run.stage}"),
                n=run.index + 1,
                total=len(lesson.steps),
            ),
            "muted",
            name="lessonProgress",
        )
        box.addWidget(where)
        words = tr("lesson.panel.go_back") if lost else step.say.get(self._language())
        box.addWidget(label(words, "strong", name="lessonInstruction"))
        if step.kind == ENTER and step.value and not lost:
            # A practice number, shown to copy; read-aloud never says digits (speech.scrub).
            # Practice words are shown to copy too.
            words_id = "lesson.panel.value" if step.value.isdigit() else "lesson.panel.words"
            value = tr(words_id, value=shown_value(step.value))
            box.addWidget(label(value, "strong", name="lessonValue"))
        self.hint = error_line("lessonHint")
        if run.wrong_taps and not lost:
            # Built again (a new text size, a rebuilt screen): the hint stays.
            self.hint.setText(tr("lesson.panel.hint.shown"))
            self.hint.show()
        box.addWidget(self.hint)
        buttons: list[PanelButton] = []
        if run.stage == ALONE and not run.helped:
            buttons.append((tr("lesson.panel.help"), "lessonHelp", self.help, True))
        if step.kind in _READ and run.stage != WATCH and not lost:
            buttons.append((tr("lesson.panel.next"), "lessonNext", self._step_done, True))
        buttons.append((tr("lesson.panel.stop"), "lessonStop", self.stop, False))
        box.addWidget(self._row(buttons))
        self.window.voice.watch(panel)
        self._place_panel(self.target)

    def _build_done_panel(self, lesson: Lesson, stage: str, words: str) -> None:
        tr = self.window.translator.tr
        panel = self._panel_frame()
        box = panel.layout()
        assert isinstance(box, QVBoxLayout)
        box.addWidget(label(words, "strong", name="lessonInstruction"))
        buttons: list[PanelButton] = []
        following = next_stage(stage)
        if following is not None:
            more = tr("lesson.panel.next_stage", stage=tr(f"lesson.stage.{following}"))
            buttons.append((more, "lessonNextStage", lambda: self.start(lesson, following), True))
        buttons.append((tr("lesson.panel.to_list"), "lessonToList", self._to_list, False))
        box.addWidget(self._row(buttons))
        self.window.voice.watch(panel)
        self._place_panel(None)

    def _to_list(self) -> None:
        self.stop()
        self.window.go_home()
        self.window.navigate(Route(LESSON_LIST))

    def _place_panel(self, target: QWidget | None) -> None:
        panel = self.panel
        if panel is None:
            return
        w = self.window
        panel.setGeometry(self._panel_rect(panel, target))
        tr = w.translator.tr
        for control in panel.findChildren(QAbstractButton):
            description = _DESCRIPTIONS.get(control.objectName())
            if description is not None:
                control.setAccessibleDescription(tr(description))
        panel.show()
        panel.raise_()

    def _panel_rect(self, panel: QFrame, target: QWidget | None) -> QRect:
        """Across the window, at the foot when the target is in the upper half, else at the top;
        on the other side when it only fits there. On a wide screen where it fits neither (large
        text, a low target such as a key), half the width, beside the target: the lit target and
        the words are both seen."""
        w = self.window
        gap = w.theme.metrics.gap_px
        # Within 낮은 화면's band when it is on (the whole window otherwise).
        area = w.reach_rect()

        def height_for(width: int) -> int:
            lay = panel.layout()
            height = lay.totalHeightForWidth(width) if lay is not None else 0
            return max(height, panel.minimumSizeHint().height())

        width = w.width() - 2 * gap
        height = height_for(width)
        foot = QRect(gap, area.bottom() + 1 - height - gap, width, height)
        top = QRect(gap, area.y() + gap, width, height)
        if target is None or not shiboken6.isValid(target):
            return foot
        lit = QRect(target.mapTo(w, QPoint(0, 0)), target.size())
        first, second = (foot, top) if lit.center().y() < area.center().y() else (top, foot)
        for place in (first, second):
            if not place.intersects(lit):
                return place
        half = (w.width() - 3 * gap) // 2
        if w.width() > w.height() and lit.width() <= half:
            x = gap if lit.center().x() > w.width() // 2 else w.width() - gap - half
            side = QRect(x, area.y() + gap, half, min(height_for(half), area.height() - 2 * gap))
            if not side.intersects(lit):
                return side
        return first

    # -- following the target ---------------------------------------------------------------------

    @Slot()
    def _follow_target(self) -> None:
        """Keep the veil's hole on the target as the screen scrolls or is laid out again, and
        follow typing that went past the highlight (혼자하기 types freely)."""
        self._follow_typing()
        run, target, w = self.run, self.target, self.window
        if run is None or not run.highlighted or target is None or not shiboken6.isValid(target):
            self.overlay.hide()
            return
        rect = QRect(target.mapTo(w, QPoint(0, 0)), target.size())
        scroll = w.scroll_area
        content = scroll.widget()
        if content is not None and content.isAncestorOf(target):
            viewport = QRect(scroll.viewport().mapTo(w, QPoint(0, 0)), scroll.viewport().size())
            rect = rect.intersected(viewport)
        self.overlay.setGeometry(w.rect())
        self.overlay.set_hole(rect)
        if not self.overlay.isVisible():
            self.overlay.show()
        self.overlay.raise_()
        if self.panel is not None:
            self.panel.raise_()

    def _follow_typing(self) -> None:
        step = self.step()
        if step is None or step.kind != ENTER or self._scheduled:
            return
        if self.window.navigator.current.screen != step.screen:
            return
        if self._typed() == step.value or self._find_target(step) is not self.target:
            self._schedule()

    # -- taps beside the target -------------------------------------------------------------------

    def _set_filter(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._filtering:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._filtering = on

    def _guarded(self, widget: QWidget) -> bool:
        """Whether `widget` is part of the screen or its bars (not the panel, the idle prompt,
        the staff notice)."""
        w = self.window
        for area in (w.current_screen, w.top_bar, w.bottom_bar, w.coach_bar, w.pinned_slot):
            if area is not None and (area is widget or area.isAncestorOf(widget)):
                return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        run = self.run
        if run is None or run.done or event.type() not in _BLOCKED:
            return False
        if not isinstance(watched, QWidget) or not self._guarded(watched):
            return False
        if not run.only_target_responds:
            # 혼자하기: nothing is held back; a press on another control is a wrong tap.
            if self._counts_as_wrong(watched, event):
                self._wrong_tap(event)
            return False
        if isinstance(event, QKeyEvent) and event.key() not in _PRESS_KEYS:
            return False
        target = self.target
        if (
            target is not None
            and shiboken6.isValid(target)
            and (watched is target or target.isAncestorOf(watched))
        ):
            return False
        if watched.objectName() in _ALWAYS:
            return False
        if event.type() == QEvent.Type.MouseButtonPress and target is not None:
            self._wrong_tap(event)
        return True

    def _counts_as_wrong(self, widget: QWidget, event: QEvent) -> bool:
        """혼자하기: a press on an enabled control that is not the step's target."""
        pressed = event.type() == QEvent.Type.MouseButtonPress
        usable = isinstance(widget, QAbstractButton) and widget.isEnabled()
        return pressed and usable and self._beside_target(widget)

    def _beside_target(self, widget: QWidget) -> bool:
        target = self.target
        if target is None or not shiboken6.isValid(target):
            return False
        on_target = widget is target or target.isAncestorOf(widget)
        return not on_target and widget.objectName() not in _NEVER_WRONG

    def _wrong_tap(self, event: QEvent | None = None) -> None:
        run, step = self.run, self.step()
        if run is None or step is None:
            return
        # One tap reaches the filter once per widget it passes up to: count it once.
        stamp = event.timestamp() if isinstance(event, QInputEvent) else -1
        if stamp == self._last_press and stamp > 0:
            return
        self._last_press = stamp
        if not run.wrong_tap():
            return
        tr = self.window.translator.tr
        # Shown under the step's words, so short; said with them again.
        words = tr("lesson.panel.hint", say=step.say.get(self._language()))
        self.hints.append(words)
        log.info("lesson_wrong_tap lesson=%s step=%s", run.lesson_id, step.id)
        if self.panel is not None and self.hint is not None and shiboken6.isValid(self.hint):
            self.hint.setText(tr("lesson.panel.hint.shown"))
            self.hint.show()
            self._place_panel(self.target)
        # Gently: words, shown and said, and no error sound.
        self.window.voice.say([words])

    # -- the window -------------------------------------------------------------------------------

    @Slot(str)
    def on_screen_changed(self, route: str) -> None:
        if self.lesson is None:
            return
        if self.window.in_attract:
            self.stop()
            return
        if self.run is not None:
            self._schedule()
        elif self.panel is not None:
            self._place_panel(None)

    @Slot(str)
    def on_coach_ended(self, reason: str) -> None:
        self._pending_real = None
        self._pending_practice = None
        self.stop()

    @Slot()
    def on_coach_changed(self) -> None:
        lesson = self._pending_real
        if lesson is not None and not self.window.coach.practice:
            self._pending_real = None
            # After the PIN screen has gone back (it does so once practice is left).
            QTimer.singleShot(0, self, lambda: self._begin_real(lesson))
        pending = self._pending_practice
        if pending is not None and self.window.coach.practice:
            self._pending_practice = None
            # After the PIN screen has gone back (it does so once practice is on).
            QTimer.singleShot(0, self, lambda: self._begin_practice_stage(*pending))


def _keyboard_key(keyboard: HangulKeyboard, letter: str | None) -> QWidget | None:
    """The keyboard's key that types `letter` next (kiosk.domain.lessons.next_letter): shift
    first for a shifted jamo (ㄲ: shift, then ㄱ), until shift is on."""
    from kiosk.ui.keyboard import HANGUL_SHIFTED

    if letter is None:
        return None
    if letter == "erase":
        return keyboard.backspace_key
    if letter == " ":
        return keyboard.space_key
    base = next((k for k, v in HANGUL_SHIFTED.items() if v == letter), None)
    if base is not None:
        return keyboard.button(base) if keyboard.shift_on else keyboard.shift_key
    try:
        return keyboard.button(letter)
    except KeyError:  # not on the page on show (the resident turned to English)
        return None


def player_for(window: KioskWindow) -> LessonPlayer:
    """The window's lesson player, made the first time it is asked for."""
    found = window.findChild(LessonPlayer, "lessonPlayer")
    if isinstance(found, LessonPlayer):
        return found
    return LessonPlayer(window)
