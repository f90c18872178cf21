"""Coach screens (issue 9): sign-in by coach number and PIN, the coach menu, and the coach's PIN
again to leave practice.

The entry is discreet: the staff PIN page (five quick taps on 온통중구 at the top left) has a
"코치 로그인" button. Once signed in, the banner above every screen holds "코치 메뉴".
The rules (who may sign in, lock-out, practice) are kiosk.domain.coach; the session is the
window's (kiosk.ui.coach_session).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from contract.pin import hash_pin
from kiosk.domain.coach import SignInRefusal, SignInResult
from kiosk.ui.coach_session import COACH_PANEL, CoachController, coach_of
from kiosk.ui.flow import end_step
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, TitledScreen
from kiosk.ui.widgets import error_line, label

if TYPE_CHECKING:
    from kiosk.ui.shell import KioskWindow

log = logging.getLogger(__name__)

SIGN_IN = "coach_sign_in"
CONFIRM = "coach_confirm"
MAX_DIGITS = 8
Step = Literal["code", "pin"]
Action = Literal["start_practice", "leave_practice", "end"]
# The coach's PIN prompt of each action on the confirm page.
PROMPTS: dict[str, str] = {
    "start_practice": "coach.confirm.start_practice",
    "leave_practice": "coach.confirm.leave_practice",
    "end": "coach.confirm.end",
}


@dataclass
class CoachForm:
    """What the coach typed, kept in the route so a rebuild keeps it; wiped after each try."""

    code: str = ""
    pin: str = ""
    message_id: str | None = None
    values: dict[str, object] = field(default_factory=dict)

    def wipe(self) -> None:
        self.code = self.pin = ""

    def __repr__(self) -> str:
        return "CoachForm(<hidden>)"


def sign_in_route(form: CoachForm | None = None, step: Step = "code") -> Route:
    return Route(SIGN_IN, {"form": form or CoachForm(), "step": step})


def refusal_text(result: SignInResult) -> tuple[str, dict[str, object]]:
    assert result.refusal is not None
    if result.refusal is SignInRefusal.LOCKED:
        return result.refusal.value, {"seconds": result.locked_s}
    return result.refusal.value, {}


class _KeypadScreen(Screen):
    """A title, a prompt, a readout, a message and the large keypad."""

    def keypad_page(self, prompt_id: str, step_line: str | None) -> None:
        env = self.env
        self.box.addWidget(label(env.tr(self.title_id), "title"))
        if step_line:
            step = label(step_line, "muted")
            step.setObjectName("progress")
            self.box.addWidget(step)
        prompt = label(env.tr(prompt_id), "question")
        prompt.setObjectName("prompt")
        self.box.addWidget(prompt)
        self.readout = label(" ", "title", name="coachReadout")
        self.message = error_line("coachMessage")
        self.box.addWidget(self.message)
        keypad = env.keypad(self.on_digit, self.on_erase, self.on_submit)
        self.keep_keypad(self.readout, keypad)

    def show_message(self, message_id: str, values: dict[str, object]) -> None:
        self.message.setText(self.env.tr(message_id, **values))
        self.message.show()

    def on_digit(self, digit: str) -> None:
        raise NotImplementedError

    def on_erase(self) -> None:
        raise NotImplementedError

    def on_submit(self) -> None:
        raise NotImplementedError


class CoachSignInScreen(_KeypadScreen):
    """Route params: form (CoachForm), step ("code" or "pin")."""

    title_id = "coach.sign_in.title"

    def build(self) -> None:
        self.form: CoachForm = self.params.get("form") or CoachForm()
        self.step: Step = self.params.get("step", "code")
        self.controller: CoachController | None = coach_of(self.env)
        n = 1 if self.step == "code" else 2
        self.keypad_page(f"coach.sign_in.{self.step}", self.env.tr("coach.sign_in.step", n=n))
        if self.controller is None or not self.controller.coaches():
            self.show_message("coach.sign_in.no_coaches", {})
        elif self.form.message_id is not None:
            self.show_message(self.form.message_id, self.form.values)
        self.box.addStretch(1)
        self._show()

    def _show(self) -> None:
        if self.step == "code":
            # The coach number is not secret: shown, so the coach can check it.
            self.readout.setText(self.form.code or " ")
        else:
            self.readout.setText("●" * len(self.form.pin) if self.form.pin else " ")

    def on_digit(self, digit: str) -> None:
        if self.step == "code" and len(self.form.code) < MAX_DIGITS:
            self.form.code += digit
        elif self.step == "pin" and len(self.form.pin) < MAX_DIGITS:
            self.form.pin += digit
        self._show()

    def on_erase(self) -> None:
        if self.step == "code":
            self.form.code = self.form.code[:-1]
        else:
            self.form.pin = self.form.pin[:-1]
        self._show()

    def on_submit(self) -> None:
        env, form = self.env, self.form
        if self.controller is None or not self.controller.coaches():
            return
        if self.step == "code":
            if not form.code:
                self.show_message("coach.sign_in.empty", {})
                return
            form.message_id = None
            env.shell.navigate(sign_in_route(form, "pin"))
            return
        if not form.pin:
            self.show_message("coach.sign_in.empty", {})
            return
        result = self.controller.sign_in(form.code, form.pin)
        form.wipe()
        if result.coach is None:
            # Start again from the coach number, with the reason in plain words.
            form.message_id, form.values = refusal_text(result)
            env.shell.go_back()
            return
        form.message_id = None
        env.shell.go_home()
        env.shell.navigate(Route(COACH_PANEL))


class CoachPanelScreen(TitledScreen):
    """코치 메뉴: the session, practice on or off, the resident counter, and ending."""

    title_id = "coach.panel.title"

    def build(self) -> None:
        env = self.env
        self.controller = coach_of(env)
        session = self.controller.session if self.controller is not None else None
        if self.controller is None or session is None:
            self.only_notice("coach.panel.none")
            return
        minutes = max(0, int((env.ctx.clock() - session.started_at).total_seconds() // 60))
        info = label(
            env.tr(
                "coach.panel.session",
                name=session.coach.name,
                minutes=minutes,
                residents=session.residents_taught,
            ),
            "strong",
        )
        info.setObjectName("coachSession")
        self.box.addWidget(info)
        state_id = (
            "coach.panel.practice_is_on" if session.practice else "coach.panel.practice_is_off"
        )
        state = label(env.tr(state_id), "notice")
        state.setObjectName("coachPracticeState")
        self.box.addWidget(state)
        if session.practice:
            practice = env.button(env.tr("coach.panel.leave_practice"), name="leavePractice")
            practice.clicked.connect(self.on_leave_practice)
        else:
            practice = env.button(
                env.tr("coach.panel.start_practice"), role="primary", name="startPractice"
            )
            practice.clicked.connect(self.on_start_practice)
        self.box.addWidget(practice)
        lessons = env.button(env.tr("lesson.entry"), role="primary", name="lessonsEntry")
        lessons.clicked.connect(lambda: env.shell.navigate(Route("lessons")))
        self.box.addWidget(lessons)
        count = env.button(env.tr("coach.panel.count_resident"), name="countResident")
        count.clicked.connect(self.on_count_resident)
        self.box.addWidget(count)
        end = env.button(env.tr("coach.panel.end"), name="endCoaching")
        end.clicked.connect(self.on_end)
        self.box.addWidget(end)
        self.box.addWidget(label(env.tr("coach.panel.end_hint"), "muted"))
        back = env.button(env.tr("coach.panel.back"), role="primary", name="coachBack")
        back.clicked.connect(env.shell.go_back)
        end_step(self.box, back)

    def _rebuild(self) -> None:
        # The same route again: the panel shows the new state (history keeps one entry).
        self.env.shell.go_back()
        self.env.shell.navigate(Route(COACH_PANEL))

    def on_start_practice(self) -> None:
        self.env.shell.navigate(Route(CONFIRM, {"action": "start_practice", "entry": CoachForm()}))

    def on_leave_practice(self) -> None:
        self.env.shell.navigate(Route(CONFIRM, {"action": "leave_practice", "entry": CoachForm()}))

    def on_count_resident(self) -> None:
        assert self.controller is not None and self.controller.session is not None
        self.controller.session.count_resident()
        self._rebuild()

    def on_end(self) -> None:
        assert self.controller is not None
        if self.controller.practice:
            self.env.shell.navigate(Route(CONFIRM, {"action": "end", "entry": CoachForm()}))
            return
        self.controller.end("coach")
        self.env.shell.go_home()


class CoachConfirmScreen(_KeypadScreen):
    """The coach's PIN again. Route params: action ("start_practice", "leave_practice" or
    "end"), entry."""

    title_id = "coach.panel.title"

    def build(self) -> None:
        self.action: Action = self.params.get("action", "leave_practice")
        self.entry: CoachForm = self.params.get("entry") or CoachForm()
        self.controller = coach_of(self.env)
        self.keypad_page(PROMPTS[self.action], None)
        if self.entry.message_id is not None:
            self.show_message(self.entry.message_id, self.entry.values)
        self.box.addStretch(1)
        self._show()

    def _show(self) -> None:
        self.readout.setText("●" * len(self.entry.pin) if self.entry.pin else " ")

    def on_digit(self, digit: str) -> None:
        if len(self.entry.pin) < MAX_DIGITS:
            self.entry.pin += digit
        self._show()

    def on_erase(self) -> None:
        self.entry.pin = self.entry.pin[:-1]
        self._show()

    def on_submit(self) -> None:
        env, controller = self.env, self.controller
        if controller is None or controller.session is None:
            env.shell.go_home()
            return
        pin = self.entry.pin
        self.entry.wipe()
        self._show()
        if self.action == "start_practice":
            result = controller.start_practice(pin)
        elif self.action == "leave_practice":
            result = controller.leave_practice(pin)
        else:
            result = controller.check_pin(pin)
        if result.coach is None:
            self.entry.message_id, self.entry.values = refusal_text(result)
            self.show_message(self.entry.message_id, self.entry.values)
            return
        if self.action == "end":
            controller.end("coach")
            env.shell.go_home()
            return
        env.shell.go_back()  # the coach menu (or the lessons), practice now switched


SCREENS: dict[str, type[Screen]] = {
    SIGN_IN: CoachSignInScreen,
    COACH_PANEL: CoachPanelScreen,
    CONFIRM: CoachConfirmScreen,
}


# -- samples for --render-screens and the layout audit ------------------------------------------


def sign_in_sample_coach(window: KioskWindow) -> None:
    """A coach signed in with practice on, as after their PIN: the state every coached sample
    (the coach's screens and the lessons) is drawn in. Any coach signed in before is let go."""
    from contract.content import Coach  # the pack's models, imported after home's first paint

    controller: CoachController = window.coach
    controller.discard()
    window.leave_attract()
    sample = next((c for c in controller.coaches() if not c.revoked), None) or Coach(
        code="1001", name="김코치", pin_hash=hash_pin("0000", salt=bytes(16))
    )
    controller.start(sample)
    # A sample only: practice on as if the coach had given the PIN.
    assert controller.session is not None
    controller.session.start_practice(SignInResult(coach=controller.session.coach))
    controller.changed.emit()


def _coached_panel(window: KioskWindow) -> None:
    sign_in_sample_coach(window)
    window.navigate(Route(COACH_PANEL))


def _coached_confirm(window: KioskWindow) -> None:
    sign_in_sample_coach(window)
    window.navigate(Route(CONFIRM, {"action": "leave_practice", "entry": CoachForm()}))


def _sign_in_pin(window: KioskWindow) -> None:
    window.leave_attract(then=sign_in_route(CoachForm(code="1001", pin="1234"), "pin"))


# Each sample's name and how the window is put there (kiosk.ui.render draws every other sample
# with no coach signed in). The home screen and the coach's screens have a coach signed in and
# practice on (the banner and the band on top).
SAMPLES: dict[str, Callable[[KioskWindow], None]] = {
    "coached_home": sign_in_sample_coach,
    "coach_panel_practice": _coached_panel,
    "coach_sign_in_pin": _sign_in_pin,
    "coach_confirm": _coached_confirm,
}
