"""`StepScreen`: the step at a place of a flow, drawn by its kind, and the runner's moves.

The step's lines come first, then the body of its kind (kiosk.ui.steps.kinds), then its foot
lines and the problem message; under the scrolling working area, in the shell's fixed place
(Screen.pinned), its action bar: a running total, the step's keypad (`entry`, wholly in
sight at any text size; beside the words on a landscape window) and the action
row (`action_row`: the one place that draws 이전 and the primary action of every step), never
scrolled out of sight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from contract.content import Text
from kiosk.domain.identify import IDENTITY, IdentityEntry, field_of
from kiosk.domain.identity import Identified
from kiosk.domain.steps import (
    ACTS,
    Act,
    Agree,
    At,
    ContestVote,
    Flow,
    Join,
    Line,
    Msg,
    Propose,
    ProposeProject,
    Sent,
    Step,
    Submission,
    Vote,
    Words,
)
from kiosk.services import Outcome, Refusal
from kiosk.services.acts import Acts
from kiosk.ui.flow import (
    ChoiceButton,
    FlowNav,
    ProblemMessage,
    end_step,
    flow_nav,
    marked_line,
    refusal_text,
)
from kiosk.ui.icons import action_icon
from kiosk.ui.keyboard import HangulKeyboard
from kiosk.ui.navigation import step_route
from kiosk.ui.screens.base import (
    KEYBOARD_BESIDE,
    KEYPAD_BESIDE,
    Screen,
    ScreenEnv,
    action_bar,
)
from kiosk.ui.screens.share import share_button
from kiosk.ui.steps.identify import identify
from kiosk.ui.steps.thanks import thanks_route
from kiosk.ui.steps.waiting import Wait
from kiosk.ui.widgets import Keypad, label, one_line_or_two


def say(env: ScreenEnv, words: Words) -> str:
    """Words of a step in the resident's language."""
    if isinstance(words, str):
        return words
    if isinstance(words, Text):
        return words.get(env.language)
    if isinstance(words, Join):
        return words.sep.join(say(env, part) for part in words.parts)
    values = {
        key: say(env, value) if isinstance(value, Msg | Text | Join) else value
        for key, value in words.params.items()
    }
    return env.tr(words.id, **values)


def line_widget(env: ScreenEnv, line: Line) -> QWidget:
    text = say(env, line.words)
    widget = (
        marked_line(line.mark, text, line.role or "strong", scale=line.mark_scale)
        if line.mark is not None
        else label(text, line.role)
    )
    if line.name:
        widget.setObjectName(line.name)
    return widget


def lines_widgets(env: ScreenEnv, lines: Sequence[Line]) -> list[QWidget]:
    """The widgets of `lines`, lines that stand in a card together in one card."""
    widgets: list[QWidget] = []
    card: QVBoxLayout | None = None
    for line in lines:
        if not line.card:
            card = None
            widgets.append(line_widget(env, line))
            continue
        if card is None:
            frame = QFrame()
            frame.setProperty("role", "card")
            card = QVBoxLayout(frame)
            pad = env.theme.metrics.gap_px * 2
            card.setContentsMargins(pad, pad, pad, pad)
            widgets.append(frame)
        card.addWidget(line_widget(env, line))
    return widgets


def progress_beside_context(head: list[QWidget], spacing: int) -> list[QWidget]:
    """`head` with its progress line ("질문 1 / 3") and the muted line after it (what it is
    part of) on one line where both fit whole (a line of the height saved for the step's
    answers at large text), else one under the other as before."""
    if len(head) < 2:
        return head
    first, second = head[0], head[1]
    if first.objectName() != "progress" or type(second) is not QLabel:
        return head
    if second.property("role") != "muted" or type(first) is not QLabel:
        return head
    return [one_line_or_two(first, second, spacing), *head[2:]]


def named_labels(lines: Sequence[Line], widgets: Sequence[QWidget]) -> dict[str, QLabel]:
    """The labels among `widgets` (or inside them, in a card) of the lines that have a name."""
    found: dict[str, QLabel] = {}
    for line in lines:
        for widget in widgets if line.name else ():
            named = widget if widget.objectName() == line.name else None
            named = named or widget.findChild(QLabel, line.name)
            if isinstance(named, QLabel):
                found[line.name] = named
    return found


class StepScreen(Screen):
    """Route params: flow (a kiosk.domain.steps.Flow), at (the place in it). The route's name
    is the step's id.

    Attributes:
        step: the step drawn.
        choices: a choice step's option buttons, in order.
        keyboard: a text step's keyboard (without 입력 완료: the bar's 다음 is the action).
        entry: what the resident types with (an identify step's readout and keypad, a text
            step's keyboard), kept in the action bar so that every key is in sight.
        message: what keeps the resident on this step.
    """

    words_beside_pages = True

    def title(self) -> str:
        return say(self.env, self.step.title)

    def build(self) -> None:
        # Imported here: kinds draws with helpers of this module.
        from kiosk.ui.steps.kinds import BODIES, review_rows

        env = self.env
        self.flow: Flow = self.params["flow"]
        self.at: At = self.params["at"]
        self.choices: list[ChoiceButton] = []
        self.keyboard: HangulKeyboard | None = None
        self.keypad: Keypad | None = None
        self.entry: list[QWidget] = []
        # Shows what was typed at an identify step again (after the digits are wiped).
        self.show_typed: Callable[[], None] = lambda: None
        self.message = ProblemMessage(env)
        # A step that waits for the server knows what it knows now before it is drawn.
        self.wait = Wait(self) if self.flow.asks(self.at) is not None else None
        self.step: Step = self.flow.step(self.at)
        step = self.step
        head = lines_widgets(env, step.head)
        # Lines with a name may change with an answer (a running count): refresh() rewrites them.
        self.named = named_labels(step.head, head)
        head = progress_beside_context(head, self.box.spacing())
        body = [*BODIES[step.kind](self), *lines_widgets(env, step.tail)]
        if step.kind != "review":  # a review's cards are its body; elsewhere they follow it
            body += review_rows(self)
        share = step.share
        shared = share_button(env, share.url, share.title.get(env.language)) if share else None
        if share is not None and shared is not None and not share.at_foot:
            body.append(shared)
        # The action bar: the shell keeps it under the scrolling working area, so the step's
        # primary action is in sight on arrival at any text size. The problem message stays
        # at the foot of the working area, brought into view when shown: in the bar, a long
        # one at 200 % would leave too little of a short window to the step itself.
        kept: list[QWidget] = []
        if step.pinned is not None:
            pinned = line_widget(env, step.pinned)
            self.named |= named_labels((step.pinned,), [pinned])
            kept.append(pinned)
        kept += self.entry
        foot = lines_widgets(env, step.foot)
        if self.message not in self.entry:  # an entry may place the message itself (by the keys)
            foot.append(self.message)
        self.pinned_beside = self.entry_beside()
        self.row = self.action_row()
        if self.row is not None:
            kept.append(self.row.widget)
        grow = self.keypad or self.keyboard
        flexible = self.keyboard is not None
        self.pinned = action_bar(env, kept, grow, flexible=flexible) if kept else None
        if share is not None and shared is not None and share.at_foot:
            foot.append(shared)
        if self.keyboard is not None:
            self.pinned_edge = 1
            self.keyboard.expect_width(self.pinned_width())
        if self.entry:
            self.keep_prompt()
        for widget in [*head, *body]:
            self.box.addWidget(widget)
        end_step(self.box, *foot)

    @property
    def has_own_back(self) -> bool:
        return self.row is not None and self.step.back

    def entry_beside(self) -> int:
        """Tenths of the width the action bar takes beside the words (Screen.pinned_beside)
        with a keypad or a keyboard on a landscape window; 0 (under them) elsewhere."""
        if not self.env.landscape:
            return 0
        if self.keyboard is not None:
            return KEYBOARD_BESIDE
        return KEYPAD_BESIDE if self.keypad is not None else 0

    def pinned_width(self) -> int:
        """The width the shell gives the action bar's contents (Screen.pinned_beside)."""
        env, gap = self.env, self.env.theme.metrics.gap_px
        work = env.width + gap * 6  # ScreenEnv.width is the working area's less its margins
        share = work * self.pinned_beside // 10 if self.pinned_beside else work
        return share - gap * 2 * self.pinned_edge

    def keep_prompt(self) -> None:
        """Keep the step's prompt (the head's line named "prompt") in sight over what is
        typed with (Screen.in_view): the working area opens where it shows. Above a keyboard,
        which takes the rest of the height, the working area keeps at least its first line."""
        prompt = self.named.get("prompt")
        if prompt is None:
            return
        self.in_view = prompt
        if self.keyboard is None or self.pinned_beside:
            return
        prompt.ensurePolished()
        margins = prompt.contentsMargins()
        line = margins.top() + prompt.fontMetrics().lineSpacing() + margins.bottom()
        self.keeps_in_view = line + self.env.theme.metrics.gap_px * 2

    def on_shown(self) -> None:
        if self.wait is not None:
            self.wait.start()

    def fit_height(self, room: QSize) -> bool:
        """A keyboard kept from the step before, as high as it was there, squeezed where
        this step's needs more (HangulKeyboard.squeeze_if_short)."""
        return self.keyboard is not None and self.keyboard.squeeze_if_short()

    def on_hidden(self) -> None:
        if self.wait is not None:
            self.wait.stop()
        # For the next step that types (kiosk.ui.widgets.Shelf).
        if self.keyboard is not None:
            self.env.shell.shelf.give_back("keyboard", self.keyboard, HangulKeyboard.let_go)
        if self.keypad is not None:
            self.env.shell.shelf.give_back("keypad", self.keypad, Keypad.let_go)

    def show_chosen(self) -> None:
        """Show which options are chosen now."""
        for button in self.choices:
            assert isinstance(button.value, str | int | bool)
            button.set_selected(self.step.is_chosen(button.value))

    def refresh(self) -> None:
        """Show the step as it stands after an answer: chosen options, named lines."""
        self.step = self.flow.step(self.at)
        self.show_chosen()
        pinned = (self.step.pinned,) if self.step.pinned is not None else ()
        for line in (*self.step.head, *pinned):
            named = self.named.get(line.name)
            if named is not None:
                named.setText(say(self.env, line.words))

    def typed(self) -> str | None:
        """The digits typed at an identify step, the text at a text step (a lesson types a
        practice number or practice words)."""
        if self.keyboard is not None:
            return self.keyboard.text()
        entry = self.flow.entry
        if self.step.kind != "identify" or entry is None or entry.server_key is None:
            return None
        return entry.digits[field_of(self.at)]

    def fill(self, text: str) -> None:
        if self.keyboard is not None and self.keyboard.isEnabled():
            self.keyboard.set_text(text)

    def action_row(self) -> FlowNav | None:
        """이전 and the step's primary action, at the foot of every step."""
        step, env = self.step, self.env
        if step.action is None and not step.back:
            return None
        action = step.action
        nav = flow_nav(
            env,
            env.shell.go_back,
            self.on_next if action is not None else None,
            say(env, action.words) if action is not None else None,
            action_icon(action.words.id) if action is not None else "next",
        )
        if action is not None:
            nav.next.setObjectName(action.name)
        if step.back_words.id != "flow.back":
            nav.back.set_lines([say(env, step.back_words)])
        if not step.back:
            nav.back.hide()
        return nav

    # -- the runner ------------------------------------------------------------------------------

    def on_next(self) -> None:
        if self.step.kind == "identify" and field_of(self.at) == "birth" and not identify(self):
            return
        self.move_on()

    def move_on(self) -> None:
        move = self.flow.next(self.at)
        if move.to is None or move.problems:
            self.message.show_problems(move.problems)
            return
        # (An identify step is only drawn once go() gave it its entry.)
        if move.to.step != IDENTITY and self.flow.step(move.to).kind == "submit":
            self.submit()
            return
        self.go(move.to)

    def go(self, at: At) -> None:
        enter(self.env, self.flow, at, fresh=self.at.step != IDENTITY)

    def submit(self) -> None:
        """Send what the flow gathered, through the services (durably, before the thank-you)."""
        env, flow = self.env, self.flow
        act = flow.submission(env.ctx.clock())
        if not isinstance(act, ACTS):
            self.message.show_problems(act)
            return
        outcome = perform(env.services.acts, act, flow.identity)
        if isinstance(outcome, Refusal):
            self.refuse(refusal_text(env, outcome))
            return
        sent = Sent(outcome.number, str(outcome.envelope_id))
        note = flow.submitted(sent)
        key = flow.sent_key(sent)
        # Practice counts for nothing: the next stage of a lesson (and the real use after it)
        # may send the same item again.
        if key is not None and not outcome.practice:
            env.shell.visit.record(*key)
        env.shell.navigate(thanks_route(note))

    def refuse(self, text: str) -> None:
        """The act was refused. After 본인 확인, typing again would meet the same answer: the
        refusal stays, with 이전 and 처음으로."""
        if self.keypad is not None and self.row is not None:
            self.keypad.hide()
            self.row.next.hide()
        self.message.show_text(text)


def enter(env: ScreenEnv, flow: Flow, at: At | None = None, *, fresh: bool = True) -> None:
    """Show the step at `at` of `flow` (its first step by default). Arriving at an identify
    step from elsewhere (`fresh`) gives it a fresh entry, for the server's key as it is now."""
    at = at or flow.first()
    if at.step == IDENTITY and fresh:
        flow.entry = IdentityEntry(flow.identity_purpose, env.services.reads.server_key())
    env.shell.navigate(step_route(flow, at))


def perform(acts: Acts, act: Act, identity: Identified | None) -> Outcome:
    """The services' act for what a flow sends."""
    if isinstance(act, Submission):
        return acts.submit(act.kind, act.payload, identity)
    assert identity is not None, "an identify step comes before this act"
    if isinstance(act, Propose):
        return acts.propose(act.draft, identity)
    if isinstance(act, ProposeProject):
        return acts.propose_project(act.draft, identity)
    if isinstance(act, Agree):
        return acts.agree(act.proposal, identity)
    if isinstance(act, Vote):
        return acts.vote(act.session, identity)
    if isinstance(act, ContestVote):
        return acts.contest_vote(act.ballot, identity)
    if act.use == "exchange":
        return acts.exchange(act.points, act.balance, act.rules, identity)
    return acts.donate(act.points, act.balance, identity)
