"""What every screen gets and is: its environment and the `Screen` base class."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.context import AppContext
from kiosk.domain.speech import Spoken
from kiosk.domain.visit import Visit
from kiosk.i18n import Translator
from kiosk.services import Services
from kiosk.ui.navigation import Route

if TYPE_CHECKING:
    from contract.content import ContentPack
    from kiosk.services.background import Background
    from kiosk.ui.lesson import LessonPlayer
    from kiosk.ui.speech import VoiceGuide
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Keypad, Shelf, WrapButton, label

T = TypeVar("T")

# Tenths of a landscape window's working width a keypad or a keyboard, and what stands with
# it, take beside the screen's words (Screen.pinned_beside): a keypad's readout on one line at
# 200 % (the words keep room for their longest word), a keyboard's ten letter keys of the
# touch size a row.
KEYPAD_BESIDE = 6
KEYBOARD_BESIDE = 7


class Shell(Protocol):
    """What a screen may ask of the window around it."""

    visit: Visit
    voice: VoiceGuide
    background: Background  # runs the screens' slow work off the GUI thread
    shelf: Shelf  # the step screens' keyboard and keypad, kept from one step to the next

    def navigate(self, route: Route) -> None: ...
    def replace(self, route: Route) -> None: ...  # in place of the route shown: no new 이전
    def go_back(self) -> None: ...
    def go_home(self) -> None: ...
    def leave_attract(self, then: Route | None = None) -> None: ...
    def end_visit(self) -> None: ...
    def submission_queued(self) -> None: ...
    def lesson_player(self) -> LessonPlayer: ...


@dataclass(frozen=True)
class ScreenEnv:
    """Everything a screen needs to build itself, fixed for one build."""

    ctx: AppContext
    translator: Translator
    theme: Theme
    shell: Shell
    width: int  # usable width of the working area, for choosing columns
    # Every write and read of the device's data: screens never open the store themselves.
    services: Services
    # A window wider than high: the bars stand in a rail, a keypad beside the words.
    landscape: bool = False

    def tr(self, message_id: str, **values: object) -> str:
        return self.translator.tr(message_id, **values)

    @property
    def language(self) -> str:
        return self.translator.language

    def button(
        self,
        *lines: str | tuple[str, str | None],
        role: str | None = None,
        name: str = "",
        accessible_name: str | None = None,
        icon: str = "",
    ) -> WrapButton:
        """A large button with the theme's inner margin; plain strings are bold lines; `icon`
        (kiosk.ui.icons.ICONS) before the first."""
        parts = [(line, None) if isinstance(line, str) else line for line in lines]
        button = WrapButton(
            parts,
            role=role,
            margin=self.theme.metrics.button_margin_px,
            accessible_name=accessible_name,
            icon=icon,
        )
        button.setObjectName(name)
        return button

    def keypad(
        self,
        on_digit: Callable[[str], None],
        on_erase: Callable[[], None],
        on_submit: Callable[[], None],
    ) -> Keypad:
        """The number keypad of the PIN and code pages (wide gaps), wired to the three handlers."""
        m = self.theme.metrics
        keypad = Keypad(
            self.tr("keypad.delete"), self.tr("keypad.ok"), m.gap_px * 2, m.button_margin_px
        )
        keypad.digit.connect(on_digit)
        keypad.erase.connect(on_erase)
        keypad.submit.connect(on_submit)
        return keypad


class ActionBar(QWidget):
    """What a screen keeps in the shell's fixed place (action_bar). A `flexible` one (holding
    a keyboard) may be given less height than it would like, down to keys of the touch size:
    its keys follow the height it gets."""

    def __init__(self, flexible: bool) -> None:
        super().__init__()
        self.flexible = flexible

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        # A layout never gives a widget with a height for its width less than that height.
        return False if self.flexible else super().hasHeightForWidth()


def action_bar(
    env: ScreenEnv,
    widgets: Sequence[QWidget],
    grow: QWidget | None = None,
    *,
    flexible: bool = False,
) -> QWidget:
    """One widget holding `widgets` (a running total, a readout, a keypad or keyboard, 이전 /
    the primary action), top to bottom, for the shell's fixed place under (or beside) the
    working area (Screen.pinned). `grow` (the keypad or keyboard) takes the height the bar
    has beyond what the others need: its keys grow.

    A `grow` already in a bar (a keyboard or keypad kept from the step before, Shelf) brings
    that bar: what the step before had in it beside the keyboard goes, and `widgets` take
    their places around it, the keyboard never moved."""
    kept = grow.parentWidget() if grow is not None else None
    if isinstance(kept, ActionBar) and kept.flexible == flexible:
        bar, column = kept, kept.layout()
        assert isinstance(column, QVBoxLayout)
        # Hidden until the window shows it for this step: widgets added to a bar on show
        # would stay hidden (Qt shows them only with their parent, or by a queued call).
        bar.hide()
        while (item := column.takeAt(0)) is not None:
            gone = item.widget()
            if gone is not None and gone is not grow:  # the step before's row and lines
                gone.hide()
                gone.deleteLater()
    else:
        bar = ActionBar(flexible)
        bar.setObjectName("stepActionBar")
        column = QVBoxLayout(bar)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(env.theme.metrics.gap_px)
    for widget in widgets:
        column.addWidget(widget, 1 if widget is grow else 0)
    if grow is not None:
        for key in grow.findChildren(QAbstractButton):
            key.setSizePolicy(key.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Expanding)
    return bar


class Screen(QWidget):
    """A full working area, built from its route's parameters.

    Subclasses set `title_id` and build their widgets in `build()`. They keep no state that
    must survive a rebuild (text size, theme or language change): such state belongs to a
    flow object passed in the route.
    """

    title_id: ClassVar[str] = "app.title"
    # Attract-style screens fill the window without the top and bottom bars.
    fills_window: ClassVar[bool] = False
    # Whether, on a landscape window, the words above a paged list may stand beside it where
    # a card would not fit whole under them (kiosk.ui.paging.fit_pages): a step's lines.
    words_beside_pages: ClassVar[bool] = False

    def __init__(self, env: ScreenEnv, **params: Any) -> None:
        super().__init__()
        self.setObjectName("screenRoot")
        self.env = env
        self.params = params
        self.box = QVBoxLayout(self)
        gap = env.theme.metrics.gap_px
        self.box.setContentsMargins(gap * 3, gap * 3, gap * 3, gap * 3)
        self.box.setSpacing(gap * 2)
        # A widget the shell keeps in view under the scrolling area while this screen shows
        # (a ballot's running total); build() sets it. The shell owns its place, the screen
        # its content.
        self.pinned: QWidget | None = None
        # 0: the shell puts `pinned` under the scrolling area; otherwise beside it, with this
        # many tenths of the width (a keypad beside the step's words on a landscape window).
        self.pinned_beside = 0
        # The words that must be in sight on arrival over a pinned keypad or keyboard (the
        # shell opens the scrolling area where they show), and under a pinned part that takes
        # all the room it can (a step's keyboard) the height of the scrolling area kept for
        # them (0: the pinned part takes its size hint).
        self.in_view: QWidget | None = None
        self.keeps_in_view = 0
        # Gaps (the theme's) between the window's sides and the pinned part: a keyboard's ten
        # keys a row need all but one.
        self.pinned_edge = 3
        self.build_top()
        self.build()

    @property
    def has_own_back(self) -> bool:
        """Whether the screen shows an 이전 of its own (a step's, in its action bar): the bar's
        then stands aside (kiosk.domain.chrome.bar_shows_back)."""
        return False

    @property
    def ends_flow(self) -> bool:
        """Whether the screen ends a flow (its thank-you): no 이전 then
        (kiosk.domain.chrome.bar_shows_back)."""
        return False

    @property
    def has_own_home(self) -> bool:
        """Whether the screen shows a 처음으로 of its own (a thank-you's): the bar's then
        stands aside (kiosk.domain.chrome.bar_shows_home)."""
        return False

    def build_top(self) -> None:
        """What every screen of a kind has above what build() adds: nothing here (a
        TitledScreen's title)."""

    def build(self) -> None:
        raise NotImplementedError

    def title(self) -> str:
        return self.env.tr(self.title_id)

    def heading(self) -> None:
        """The screen's title (`title_id`, the words the bars and read-aloud use too) at its
        top."""
        self.box.addWidget(label(self.title(), "title"))

    def from_pack(
        self, find: Callable[[ContentPack], T | None], missing_id: str, *, name: str = ""
    ) -> T | None:
        """What this screen shows of the content pack (`find` in it). When there is none (no
        pack yet, an empty list, an item the content no longer has): the notice `missing_id`
        (`only_notice`) and None, and build() returns."""
        pack = self.env.ctx.pack
        found = find(pack) if pack is not None else None
        if not found:
            self.only_notice(missing_id, name=name)
            return None
        return found

    def keep_keypad(self, *widgets: QWidget) -> None:
        """Keep `widgets` (a readout, the keypad last) in the shell's fixed place:
        under the screen's words, or beside them on a landscape window with the keys taking
        the height there is; every key in sight on arrival at any text size."""
        self.pinned = action_bar(self.env, widgets, widgets[-1])
        self.pinned_beside = KEYPAD_BESIDE if self.env.landscape else 0

    def only_notice(self, message_id: str, *, name: str = "") -> None:
        """What a screen shows when it has nothing else to show (no content, a closed item):
        one notice and empty space below; build() returns after it."""
        self.box.addWidget(label(self.env.tr(message_id), "notice", name=name))
        self.box.addStretch(1)

    def speech(self) -> Sequence[Spoken] | None:
        """What read-aloud says of this screen, as parts in reading order; None (the default)
        lets kiosk.ui.speech read them from the widget tree (titles, questions, buttons,
        messages). A screen overrides this only when its widgets would say it wrongly."""
        return None

    def typed(self) -> str | None:
        """What the resident has typed on this screen's keypad or keyboard, for a lesson step
        that types a practice number or words (kiosk.ui.lesson); None on a screen without one."""
        return None

    def fill(self, text: str) -> None:
        """Write a lesson's practice text on this screen's keyboard, as if typed (kiosk.ui.lesson,
        a step of kind "fill"); nothing on a screen without one."""

    def fit_height(self, room: QSize) -> bool:
        """Make the screen's words fit `room` (the working area, laid out) where they can
        (the thank-you's lines a step smaller); True when something changed. Paged lists fit
        themselves (kiosk.ui.paging.PageFit)."""
        return False

    def on_shown(self) -> None:
        """Called once the screen is on screen; start timers here, not in build()."""

    def on_hidden(self) -> None:
        """Called before the screen is replaced; stop timers here."""

    def on_receipts(self, receipts: dict[str, dict[str, Any]]) -> None:
        """The sync worker brought the server's receipts of envelopes this kiosk sent (envelope
        id -> receipt); a screen waiting for one shows it (the thank-you's points)."""


class TitledScreen(Screen):
    """A screen that opens as most do: its title on top, then what build() adds."""

    def build_top(self) -> None:
        self.heading()


ScreenFactory = Callable[..., Screen]
