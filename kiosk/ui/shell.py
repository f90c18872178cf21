"""The kiosk window: top bar, working area, bottom bar, the idle prompt and the attract loop.

The top bar (text size, contrast, language, 음성 안내, 직원 호출) and the bottom bar (처음으로,
낮은 화면, 이전) are the same on every screen; while voice guidance is on, the top bar also holds
its speed and volume buttons. On a landscape window both stand in a rail at the right, the top
bar's part from the top and the bottom bar's at the foot, so that the working area keeps the
whole height (as rows they left it 40 % at 200 % text); when even the rail cannot hold them
(200 % text with the voice controls on a 16:9 panel), they go across as on a portrait window.
낮은 화면 sits in the bottom bar because that is the part a wheelchair user can reach before
switching it on; once on, the window leaves the panel's top (and, mounted low, its bottom)
empty, so every control lies 400–1,220 mm above the floor (kiosk.domain.a11y.low_screen). The
window rebuilds the current screen from its route when a view setting changes, so a screen
never has to restyle itself.

Physical keys: Tab / Shift+Tab and the arrow keys move the focus through the controls in reading
order (top bar, coach band, working area, pinned total, bottom bar, in the rail or not; only the
prompt's or notice's buttons while one is up), Enter or Space presses the focused control, and
a visible keypad takes digit keys. The focused control scrolls into view.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.context import AppContext
from kiosk.domain.a11y import LowScreen, Panel, low_screen
from kiosk.domain.admin import TapPattern
from kiosk.domain.staff_call import ServerCallState, StaffCallProgress, StaffCallRule
from kiosk.domain.visit import Visit
from kiosk.i18n import Translator
from kiosk.services import Receipt, Services
from kiosk.services.background import Background
from kiosk.ui.coach_session import COACH_PANEL, CoachController, coach_strip
from kiosk.ui.idle import IdleMonitor, IdlePrompt
from kiosk.ui.lesson import LessonPlayer, player_for
from kiosk.ui.navigation import HOME, Navigator, Route
from kiosk.ui.preferences import ViewPreferences
from kiosk.ui.screens import ATTRACT, SCREENS
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.screens.coach import CONFIRM as COACH_CONFIRM
from kiosk.ui.speech import VoiceGuide
from kiosk.ui.staff_call import StaffCallNotice
from kiosk.ui.sync_indicator import SyncIndicator
from kiosk.ui.theme import DEFAULT, HIGH_CONTRAST, Metrics, Theme, stylesheet
from kiosk.ui.widgets import FOCUS_REGION, Keypad, columns_for, grid

if TYPE_CHECKING:
    from kiosk.services.sync_link import SyncLink

log = logging.getLogger(__name__)
# The coach's own screens: they close when the coach's session ends by revocation.
COACH_SCREENS = frozenset({COACH_PANEL, COACH_CONFIRM, "lessons"})

# How often the staff-call notice re-reads the call (minutes waited, 다시 부르기).
CALL_NOTICE_TICK_MS = 5000


class BrandLabel(QLabel):
    """The district name in the top bar; a quick run of taps on it opens the staff PIN page.

    Signals:
        tapped(): one tap.
    """

    tapped = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.tapped.emit()
        super().mousePressEvent(event)


class KioskWindow(QWidget):
    """The one window of kiosk mode.

    Signals:
        screen_changed(str): the route name of the screen now shown.

    Attributes:
        screen: the Screen widget now shown.
        navigator: the route history behind 이전 and 처음으로.
        visit: what this visit sent (one response per survey per visit).
        idle: the idle monitor (tests drive it with a fake clock).
        background: runs the screens' slow work off the GUI thread (kiosk.services.background).
    """

    screen_changed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        *,
        idle: IdleMonitor | None = None,
        start_in_attract: bool = False,
    ) -> None:
        super().__init__()
        self.setWindowTitle("온통중구")
        self.ctx = ctx
        self.prefs = ViewPreferences(ctx.config.language)
        self.translator = Translator(self.prefs.language)
        self.navigator = Navigator()
        self.visit = Visit()
        self.idle = idle or IdleMonitor(ctx.config.idle_timeout_s, ctx.config.idle_warning_s)
        self.admin_taps = TapPattern()
        # Every write and read of the device's data (kiosk.services); practice is the coach's.
        self.services = Services(ctx, practice_on=lambda: self.coach.practice)
        self.services.queued.append(self.on_act_queued)
        # A digital coach's session (kiosk.ui.coach_session): banner, practice, its record.
        self.coach = CoachController(self.services)
        self.coach.changed.connect(self.on_coach_changed)
        self.coach.ended.connect(self.on_coach_ended)
        self._coach_key: tuple[object, ...] | None = None
        self._coach_state: tuple[object, ...] = ()
        # Read-aloud and sounds; the clock of 직원 호출 (one call a minute), replaceable in tests.
        self.voice = VoiceGuide(self, self.translator, ctx.config.speech_engine)
        self.voice.changed.connect(self.on_voice_changed)
        self.staff_calls = StaffCallRule()
        self.monotonic: Callable[[], float] = time.monotonic
        self.staff_notice: StaffCallNotice | None = None
        # The latest call and the server's word on it; the notice follows it while shown (how
        # long the resident has waited, 다시 부르기), re-reading it every few seconds.
        self.call_progress = StaffCallProgress()
        self._call_visit: Visit | None = None
        self._call_spoken: tuple[object, ...] = ()
        self.call_timer = QTimer(self)
        self.call_timer.setInterval(CALL_NOTICE_TICK_MS)
        self.call_timer.timeout.connect(self.on_call_tick)
        self.current_screen: Screen | None = None
        # The screens' slow work (a ledger look-up, an enrolment), off the GUI thread.
        self.background = Background(self, threads=2, name="screen-work")
        # The sync worker's handle once the app started it (attach_sync); None when not enrolled.
        self.sync: SyncLink | None = None
        # A media board plays the loop for passers-by and never opens for touch.
        self.board = ctx.config.mode == "board"
        self._in_attract = start_in_attract or self.board
        self._built_size = QSize()
        self._bars_key: tuple[object, ...] = ()

        self.pages = QStackedLayout(self)
        # The window is the panel: its contents never make it larger (낮은 화면's empty band,
        # computed for one size, would otherwise hold the window at that size when it turns).
        self.pages.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.main_page = QWidget()
        self.main_box = QVBoxLayout(self.main_page)
        self.main_box.setContentsMargins(0, 0, 0, 0)
        self.main_box.setSpacing(0)
        self.top_bar = QWidget()
        self.top_bar.setProperty("role", "bar")
        self.top_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        # The keys move between controls; the scrolling area itself is never one.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button: QWidget | None = None
        self.home_button: QWidget | None = None
        self.scroll_up_button: QWidget | None = None
        self.scroll_down_button: QWidget | None = None
        self.voice_button: QWidget | None = None
        self.staff_call_button: QWidget | None = None
        bar = self.scroll_area.verticalScrollBar()
        bar.rangeChanged.connect(self.on_scroll_changed)
        bar.valueChanged.connect(self.on_scroll_changed)
        self.bottom_bar = QWidget()
        self.bottom_bar.setProperty("role", "bar")
        self.bottom_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # 낮은 화면: the empty top (and bottom) of a tall panel, out of reach; hidden otherwise.
        self.reach_top = QWidget()
        self.reach_top.setObjectName("reachTop")
        self.reach_top.hide()
        self.reach_bottom = QWidget()
        self.reach_bottom.setObjectName("reachBottom")
        self.reach_bottom.hide()
        for spacer in (self.reach_top, self.reach_bottom):
            spacer.setProperty("role", "reach")
            spacer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.low_screen_button: QWidget | None = None
        # Set once the resident moves the focus by keys: each new screen then starts focused.
        self.keys_in_use = False
        self.main_box.addWidget(self.reach_top)
        # The working column: on a portrait window the bars sit above and below it; on a
        # landscape one they move into the rail at its right (_place_bars).
        self.work_box = QVBoxLayout()
        self.work_box.setSpacing(0)
        self.work_box.addWidget(self.top_bar)
        # "코치와 함께" and the practice band, under the top bar while a coach is signed in.
        self.coach_bar = QWidget()
        self.coach_bar.setProperty("role", "bar")
        self.coach_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.coach_bar.hide()
        self.work_box.addWidget(self.coach_bar)
        self.work_box.addWidget(self.scroll_area, 1)
        # What a screen keeps in view under its scrolling area (Screen.pinned): a running total.
        self.pinned_slot = QWidget()
        self.pinned_box = QVBoxLayout(self.pinned_slot)
        self.pinned_slot.hide()
        self.work_box.addWidget(self.pinned_slot)
        self.work_box.addWidget(self.bottom_bar)
        self.rail = QWidget()
        self.rail.setObjectName("rail")
        self.rail.setProperty("role", "bar")
        self.rail.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.rail_box = QGridLayout(self.rail)
        self.rail_box.setContentsMargins(0, 0, 0, 0)
        self.rail_box.setSpacing(0)
        self.rail_box.setColumnStretch(0, 1)
        # Between the top bar's part and the bottom bar's: the rest of the height.
        self.rail_box.setRowStretch(1, 1)
        self.rail.hide()
        # How the bars stand in the rail ("column", "stacks", "" for no rail) and its width
        # (0 without one): the working area is narrower by it (_rail).
        self.rail_shape = ""
        self.rail_px = 0
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addLayout(self.work_box, 1)
        body.addWidget(self.rail)
        self.main_box.addLayout(body, 1)
        self.main_box.addWidget(self.reach_bottom)
        self.full_page = QWidget()
        self.full_box = QVBoxLayout(self.full_page)
        self.full_box.setContentsMargins(0, 0, 0, 0)
        self.pages.addWidget(self.main_page)
        self.pages.addWidget(self.full_page)

        self.prompt: IdlePrompt | None = None
        self.prefs.changed.connect(self.on_prefs_changed)
        self.idle.warning.connect(self.on_idle_warning)
        self.idle.expired.connect(self.on_idle_expired)
        self.idle.active.connect(self.on_idle_active)
        self.theme = self._make_theme()
        self._apply_style()
        self._build_prompt()

    # -- building -------------------------------------------------------------------------

    def _panel(self) -> Panel:
        width, height = max(self.width(), 1), max(self.height(), 1)
        return Panel(self.ctx.config.panel_diagonal_inches, width, height)

    def reach(self) -> LowScreen:
        """The band 낮은 화면 keeps everything in (the whole window while it is off)."""
        if not self.prefs.low_screen:
            return LowScreen(0, 0, max(self.height(), 1))
        return low_screen(self._panel(), self.ctx.config.panel_bottom_mm)

    def reach_rect(self) -> QRect:
        """The part of the window controls may use now: all of it, or 낮은 화면's band."""
        band = self.reach()
        return self.rect().adjusted(0, band.top_px, 0, -band.bottom_px)

    def _apply_reach(self) -> None:
        band = self.reach()
        for spacer, px in ((self.reach_top, band.top_px), (self.reach_bottom, band.bottom_px)):
            spacer.setFixedHeight(px)
            spacer.setVisible(px > 0)

    def _make_theme(self) -> Theme:
        palette = HIGH_CONTRAST if self.prefs.high_contrast else DEFAULT
        return Theme(palette, Metrics.for_panel(self._panel(), self.prefs.text_scale))

    def _apply_style(self) -> None:
        app = QApplication.instance()
        sheet = stylesheet(self.theme)
        # Setting even the same sheet restyles every widget: skip it (end_visit, rebuilds).
        if isinstance(app, QApplication) and app.styleSheet() != sheet:
            app.setStyleSheet(sheet)

    def _build_prompt(self) -> None:
        if self.prompt is not None:
            self.prompt.deleteLater()
        self.prompt = IdlePrompt(self, self.translator, self.theme.metrics.gap_px)
        self.prompt.extend.connect(self.on_prompt_extend)

    def _env(self) -> ScreenEnv:
        m = self.theme.metrics
        usable = max(1, self.width() - self.rail_px - m.gap_px * 6)
        return ScreenEnv(self.ctx, self.translator, self.theme, self, usable, self.services)

    def _update_bars(self) -> None:
        """Bars for the next screen: built again only when what they show has changed (the
        language, the text size or contrast, the size, the sync indicator); otherwise only
        이전 follows the history. Rebuilding them cost every screen change several ms."""
        key = (
            self.prefs.language,
            self.theme,
            self.size(),
            self.sync is not None,
            self.voice.settings.on,
            self.voice.unavailable,
            self.prefs.low_screen,
        )
        if key != self._bars_key or self.back_button is None:
            self._rebuild_bars()
            self._bars_key = key
            return
        self.back_button.setEnabled(self.navigator.can_go_back)
        self.on_scroll_changed()

    def _rebuild_bars(self) -> None:
        tr = self.translator.tr
        brand = BrandLabel(tr("app.title"))
        brand.setProperty("role", "brand")
        brand.setObjectName("brand")
        brand.tapped.connect(self.on_brand_tapped)
        button = self._env().button
        text_size = button(
            f"{tr('bar.text_size')}: {tr(f'bar.text_size.{self.prefs.text_scale}')}",
            name="textSizeButton",
        )
        text_size.clicked.connect(self.prefs.next_text_scale)
        contrast_id = "bar.contrast.off" if self.prefs.high_contrast else "bar.contrast.on"
        contrast = button(tr(contrast_id), name="contrastButton")
        contrast.clicked.connect(self.prefs.toggle_contrast)
        language = button(tr("bar.language"), name="languageButton")
        language.clicked.connect(self.prefs.toggle_language)
        voice = button(tr(self._voice_message_id()), name="voiceButton")
        voice.clicked.connect(self.voice.toggle)
        staff = button(tr("bar.staff_call"), name="staffCallButton")
        staff.clicked.connect(self.call_staff)
        for widget, message_id in (
            (text_size, "a11y.desc.text_size"),
            (contrast, "a11y.desc.contrast"),
            (language, "a11y.desc.language"),
            (voice, "a11y.desc.voice"),
            (staff, "a11y.desc.staff_call"),
        ):
            widget.setAccessibleDescription(tr(message_id))
        top_items: list[QWidget] = [
            self._brand_block(brand),
            text_size,
            contrast,
            language,
            voice,
            staff,
        ]
        landscape = self.width() > self.height()
        # Made even while voice guidance is off on a landscape window: the rail keeps room
        # for their words (_rail).
        voice_controls = self._voice_controls() if self.voice.settings.on or landscape else []
        shown = voice_controls if self.voice.settings.on else []

        home = button(f"↺ {tr('bar.home')}", name="homeButton", accessible_name=tr("bar.home"))
        home.clicked.connect(self.go_home)
        back = button(f"← {tr('bar.back')}", name="backButton", accessible_name=tr("bar.back"))
        back.clicked.connect(self.go_back)
        back.setEnabled(self.navigator.can_go_back)
        low_id = "bar.low_screen.off" if self.prefs.low_screen else "bar.low_screen.on"
        low = button(f"↓ {tr(low_id)}", name="lowScreenButton", accessible_name=tr(low_id))
        low.setCheckable(True)
        low.setChecked(self.prefs.low_screen)
        low.clicked.connect(self.prefs.toggle_low_screen)
        home.setAccessibleDescription(tr("a11y.desc.home"))
        back.setAccessibleDescription(tr("a11y.desc.back"))
        low.setAccessibleDescription(tr("a11y.desc.low_screen"))
        # Scrolling must never need a swipe: two buttons page the working area when it
        # holds more than fits (large text), and disappear when it does not.
        up = button(
            f"▲ {tr('bar.scroll_up')}", name="scrollUpButton", accessible_name=tr("bar.scroll_up")
        )
        up.clicked.connect(lambda: self.scroll_page(-1))
        down = button(
            f"▼ {tr('bar.scroll_down')}",
            name="scrollDownButton",
            accessible_name=tr("bar.scroll_down"),
        )
        down.clicked.connect(lambda: self.scroll_page(1))
        up.setAccessibleDescription(tr("a11y.desc.scroll"))
        down.setAccessibleDescription(tr("a11y.desc.scroll"))

        bottom_items: list[QWidget] = [up, down, back, low, home]
        railed = None
        if landscape:
            railed = self._rail(top_items, voice_controls, shown, bottom_items)
        if railed is None:
            self.rail_shape, self.rail_px = "", 0
            top, bottom = self._rows(top_items, shown, bottom_items)
        else:
            top, bottom = railed
        for control in voice_controls:
            if control not in shown:
                control.deleteLater()
        _replace_content(self.top_bar, top)
        _replace_content(self.bottom_bar, bottom)
        self._place_bars()
        self.voice_button, self.staff_call_button = voice, staff
        self.back_button, self.home_button = back, home
        self.low_screen_button = low
        self.scroll_up_button, self.scroll_down_button = up, down
        self.voice.watch(self.top_bar)
        self.voice.watch(self.bottom_bar)
        describe_controls(self.top_bar, self.translator)
        self.on_scroll_changed()

    def _rows(
        self, top_items: list[QWidget], voice_controls: list[QWidget], bottom_items: list[QWidget]
    ) -> tuple[QGridLayout, QGridLayout]:
        """The bars across the window (portrait, or landscape when the rail does not fit):
        the top bar's items in as many columns as fit, the voice controls under them;
        위로 / 아래로 over 이전, 낮은 화면 and 처음으로."""
        m = self.theme.metrics
        up, down, back, low, home = bottom_items
        top = self._top_row(top_items)
        if top is None:
            columns = columns_for(self.width() - 2 * m.gap_px, m.body_px * 6, most=len(top_items))
            top = grid(top_items, columns, m.gap_px)
        # A quarter of the usual gap above and below on a short window: height counts there.
        edge = m.gap_px // 4 if self.width() > self.height() else m.gap_px
        top.setContentsMargins(m.gap_px, edge, m.gap_px, edge)
        if voice_controls:
            most = columns_for(self.width() - 2 * m.gap_px, m.body_px * 5, most=4)
            controls = grid(voice_controls, most, m.gap_px)
            top.addLayout(controls, top.rowCount(), 0, 1, top.columnCount())
        bottom = QGridLayout()
        bottom.setContentsMargins(m.gap_px, m.gap_px, m.gap_px, m.gap_px)
        # One gap (4 mm) between the rows on a short window, where height counts.
        bottom.setSpacing(m.gap_px if self.width() > self.height() else m.gap_px * 2)
        # 이전 left, 처음으로 right as before; 낮은 화면 between them; three equal columns.
        bottom.addWidget(up, 0, 0, 1, 2)
        bottom.addWidget(down, 0, 2, 1, 2)
        bottom.addWidget(back, 1, 0)
        bottom.addWidget(low, 1, 1, 1, 2)
        bottom.addWidget(home, 1, 3)
        for column, stretch in enumerate((2, 1, 1, 2)):
            bottom.setColumnStretch(column, stretch)
        return top, bottom

    def _top_row(self, items: list[QWidget]) -> QGridLayout | None:
        """The top bar in one row, on a wide and short window where rows cost the working area
        its height: each item as wide as its words ask, never narrower than its longest word.
        None when they do not fit side by side."""
        m = self.theme.metrics
        if self.width() <= self.height():
            return None
        pad = 2 * m.button_margin_px + 2 * m.focus_px + 2
        widths = [_text_widths(item) for item in items]
        needed = sum(longest + pad for _, longest in widths) + m.gap_px * (len(items) + 1)
        if needed > self.width():
            return None
        # Each column gets its longest word, then a share of what is left by what it would
        # take on one line; the stretch factors carry those widths.
        spare = self.width() - needed
        extra = [max(0, whole - longest) for whole, longest in widths]
        total = max(1, sum(extra))
        row = grid(items, len(items), m.gap_px)
        for column, ((_, longest), more) in enumerate(zip(widths, extra, strict=True)):
            row.setColumnStretch(column, longest + pad + spare * more // total)
        return row

    def _rail(
        self,
        top_items: list[QWidget],
        voice_controls: list[QWidget],
        shown: list[QWidget],
        bottom_items: list[QWidget],
    ) -> tuple[QGridLayout, QGridLayout] | None:
        """The bars as a rail down the right of a landscape window, where rows across would
        cost the working area its height. The top bar's part (the voice controls two by two
        under 음성 안내) and the bottom bar's (위로 / 아래로 side by side when they fit) stand
        one over the other in a column up to a third of the window wide, else side by side
        (at 100 % text the ten buttons are already taller than a 1080 px window); the
        narrowest that fits the height, from about two lines a label. None when neither
        fits (200 % text with the voice controls on a 16:9 window): the bars then go across
        as on a portrait window. Sets `rail_shape` and `rail_px`."""
        m = self.theme.metrics
        gap = m.gap_px
        pad = self._button_pad()
        brand, *buttons = top_items
        up, down, *foot = bottom_items
        singles = [_text_widths(item) for item in [*buttons, *foot]]
        # The voice controls count even while off: the rail keeps its width when they show.
        pairs = [_text_widths(item) for item in [up, down, *voice_controls]]
        floor = max(
            max(longest for _, longest in singles) + pad, _text_widths(brand)[0], 2 * pad + gap
        )
        natural = max(
            max(whole for whole, _ in singles) + pad, 2 * (max(w for w, _ in pairs) + pad) + gap
        )
        room = self.reach_rect().height()

        # 음성 설정 heads the lower part: the upper one is the taller at large text.
        def fits(shape: str, inner: int, controls: list[QWidget]) -> bool:
            top = self._rail_grid([brand], buttons, [], [], inner)
            bottom = self._rail_grid(controls, [], [up, down], foot, inner)
            heights = (_grid_height(top, inner), _grid_height(bottom, inner))
            for layout in (top, bottom):
                while layout.takeAt(0) is not None:
                    pass
            return (sum(heights) if shape == "column" else max(heights)) <= room

        # Room for the voice controls even while they are off, where there is room for them:
        # the working area then keeps its width when they show. That area is never narrower
        # than the window is tall, as on the portrait panel every screen is made for.
        tries: list[list[QWidget]] = [voice_controls] if shown else [voice_controls, []]
        for controls in tries:
            for shape, parts, most in (
                ("column", 1, self.width() // 3),
                ("stacks", 2, (self.width() - self.height()) // 2),
            ):
                lo = max(floor, min(natural // 2, most - 2 * gap))
                hi = max(lo, min(natural, most - 2 * gap))
                if lo + 2 * gap > most or not fits(shape, hi, controls):
                    continue
                while lo < hi:  # the narrowest that fits
                    mid = (lo + hi) // 2
                    lo, hi = (lo, mid) if fits(shape, mid, controls) else (mid + 1, hi)
                self.rail_shape = shape
                self.rail_px = (hi + 2 * gap) * parts
                return (
                    self._rail_grid([brand], buttons, [], [], hi),
                    self._rail_grid(shown, [], [up, down], foot, hi),
                )
        return None

    def _button_pad(self) -> int:
        """What a bar button needs around its words: inner margins and the focus frame."""
        m = self.theme.metrics
        return 2 * m.button_margin_px + 2 * m.focus_px + 2

    def _rail_grid(
        self,
        heads: list[QWidget],
        before: list[QWidget],
        pairs: list[QWidget],
        after: list[QWidget],
        inner: int,
    ) -> QGridLayout:
        """One part of the rail, `inner` pixels wide within its margins, on a grid of two
        equal columns: `heads` and the buttons of `before` and `after` across it, those of
        `pairs` two to a row when their words fit, one to a row when not."""
        m = self.theme.metrics
        layout = QGridLayout()
        layout.setContentsMargins(m.gap_px, m.gap_px, m.gap_px, m.gap_px)
        layout.setSpacing(m.gap_px)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        longest = max([0, *(_text_widths(w)[1] for w in pairs)]) + self._button_pad()
        span = 2 if 2 * longest + m.gap_px > inner else 1
        row = 0
        for widget in [*heads, *before]:
            layout.addWidget(widget, row, 0, 1, 2)
            row += 1
        for i, widget in enumerate(pairs):
            if span == 2 or i % 2 == 0:
                row += i > 0
            layout.addWidget(widget, row, 0 if span == 2 else i % 2, 1, span)
        row += bool(pairs)
        for widget in after:
            layout.addWidget(widget, row, 0, 1, 2)
            row += 1
        return layout

    def _place_bars(self) -> None:
        """The one place that puts the bars where `_rebuild_bars` decided: above and below
        the working area, or in the rail at its right, one over the other (the rest of the
        height between them) or side by side (the bottom bar's part at the foot)."""
        for layout in (self.work_box, self.rail_box):
            for bar in (self.top_bar, self.bottom_bar):
                layout.removeWidget(bar)
        if self.rail_shape == "column":
            self.rail_box.addWidget(self.top_bar, 0, 0)
            self.rail_box.addWidget(self.bottom_bar, 2, 0)
        elif self.rail_shape == "stacks":
            self.rail_box.addWidget(self.top_bar, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
            self.rail_box.addWidget(self.bottom_bar, 0, 1, 3, 1, Qt.AlignmentFlag.AlignBottom)
        else:
            self.work_box.insertWidget(0, self.top_bar)
            self.work_box.addWidget(self.bottom_bar)
        self.rail_box.setColumnStretch(1, 1 if self.rail_shape == "stacks" else 0)
        if self.rail_px:
            self.rail.setFixedWidth(self.rail_px)
        self.rail.setVisible(bool(self.rail_px))
        self.top_bar.show()
        self.bottom_bar.show()
        # Laid out now, not a few turns of the event loop later: what is measured next (the
        # working area's height, a test, the audit) sees the bars where they are.
        for part in (self.top_bar.layout(), self.bottom_bar.layout(), self.rail_box):
            if part is not None:
                part.activate()
        self.main_box.activate()

    def _voice_message_id(self) -> str:
        if self.voice.unavailable:
            return "bar.voice.unavailable"
        return "bar.voice.off" if self.voice.settings.on else "bar.voice.on"

    def _voice_controls(self) -> list[QWidget]:
        """ "음성 설정", shown while voice guidance is on: speed and volume on a screen of their
        own (kiosk.ui.screens.voice), not four more buttons on every screen."""
        tr = self.translator.tr
        settings = self._env().button(tr("voice.settings.button"), name="voiceSettingsButton")
        settings.setAccessibleDescription(tr("a11y.desc.voice_settings"))
        settings.clicked.connect(self.open_voice_settings)
        return [settings]

    @Slot()
    def open_voice_settings(self) -> None:
        from kiosk.ui.screens.voice import VOICE_SETTINGS

        if self.navigator.current.screen != VOICE_SETTINGS:
            self.navigate(Route(VOICE_SETTINGS))

    def _update_coach_bar(self) -> None:
        """The coach banner and the practice band, built again only when they change."""
        key = (self.coach.state_key(), self.prefs.language, self.theme, self.width())
        if key == self._coach_key:
            return
        self._coach_key = key
        # Said when the coach signs in or switches practice, not when it is only laid out again.
        state = self.coach.state_key()
        announce, self._coach_state = state != self._coach_state, state
        strip = coach_strip(self._env(), self.coach)
        if strip is None:
            _replace_content(self.coach_bar, QVBoxLayout())
            self.coach_bar.hide()
            return
        box = QVBoxLayout()
        # The top bar's edge is a quarter gap on a short window with the bars across: half a
        # gap more keeps the coach's buttons 2.5 mm from the bar's.
        box.setContentsMargins(0, self.theme.metrics.gap_px // 2, 0, 0)
        box.addWidget(strip)
        _replace_content(self.coach_bar, box)
        self.coach_bar.show()
        describe_controls(self.coach_bar, self.translator)
        if announce:
            said = ("coachBanner", "practiceBand")
            lines = [lab.text() for lab in strip.findChildren(QLabel) if lab.objectName() in said]
            self.voice.say(lines, interrupt=False)

    def _brand_block(self, brand: QLabel) -> QWidget:
        """The district name, with the sync indicator under it when the device syncs."""
        if self.sync is None:
            return brand
        block = QWidget()
        box = QVBoxLayout(block)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(brand)
        box.addWidget(SyncIndicator(self.translator, self.sync))
        return block

    def attach_sync(self, controller: SyncLink | None) -> None:
        """Show the sync indicator and give the staff page its "지금 동기화" from now on."""
        self.sync = controller
        if controller is not None:
            controller.content_activated.connect(self.on_sync_content_activated)
            controller.staff_call_changed.connect(self.on_sync_staff_call)
            controller.coaches_changed.connect(self.coach.on_coaches_changed)
        if self.current_screen is not None and not self.current_screen.fills_window:
            self._rebuild_bars()

    @Slot(str)
    def on_sync_content_activated(self, version: str) -> None:
        """New content arrived: show it at once where nobody is in the middle of something
        (home, the attract loop, a board); a flow in progress keeps what it started with."""
        if not self.ctx.reload_pack():
            return
        log.info("content_shown version=%s", version)
        if self._in_attract or self.navigator.current.screen == HOME:
            self._show_route(Route(ATTRACT) if self._in_attract else self.navigator.current)

    def _show_route(self, route: Route) -> None:
        if self.current_screen is not None:
            self.current_screen.on_hidden()
        screen_class = SCREENS[route.screen]
        if not screen_class.fills_window:
            # Before the screen: the rail's width sets the working area's (ScreenEnv.usable).
            self._update_bars()
        screen = screen_class(self._env(), **route.params)
        old = self.current_screen
        self.current_screen = screen
        if screen.fills_window:
            self.full_box.addWidget(screen)
            self.pages.setCurrentWidget(self.full_page)
        else:
            self._update_coach_bar()
            self.scroll_area.takeWidget()
            self.scroll_area.setWidget(screen)
            self._pin(screen)
            self.pages.setCurrentWidget(self.main_page)
        if old is not None:
            # Later, not now: the tap that led here may still be running inside the old screen.
            old.hide()
            old.deleteLater()
            if old.pinned is not None and old.pinned is not screen.pinned:
                old.pinned.hide()
                old.pinned.deleteLater()
        self._built_size = self.size()
        describe_controls(self, self.translator)
        if self.keys_in_use and not screen.fills_window:
            self._focus_first(screen)
        screen.on_shown()
        if not screen.fills_window:
            self.voice.screen_shown(screen, route.screen)
        self.screen_changed.emit(route.screen)

    def _focus_first(self, screen: Screen) -> None:
        """Put the focus on the first control of a new screen, for a resident using keys."""
        for widget in self.focus_order():
            if screen.isAncestorOf(widget):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def focus_order(self) -> list[QWidget]:
        """Every control the keys reach now, in reading order: only the idle prompt's or the
        staff notice's buttons while one is up; otherwise the top bar, the coach band, the
        working area, the pinned total, the bottom bar and any panel floating over the screen
        (a widget of the window with the FOCUS_REGION property), each in its focus-chain order. In
        the rail of a landscape window that is its upper part, the working column from the
        top, then the rail's lower part: the settings first, 이전 / 처음으로 last, as on a
        portrait window."""
        regions: list[QWidget]
        if self.prompt is not None and self.prompt.isVisible():
            regions = [self.prompt]
        elif self.staff_notice is not None and self.staff_notice.isVisible():
            regions = [self.staff_notice]
        elif self.current_screen is not None and self.current_screen.fills_window:
            regions = [self.full_page]
        else:
            regions = [self.top_bar, self.coach_bar, self.scroll_area, self.pinned_slot]
            regions.append(self.bottom_bar)
            # Panels floating over the screen (a lesson's guide) come last.
            regions += [
                child
                for child in self.children()
                if isinstance(child, QWidget) and child.property(FOCUS_REGION) and child.isVisible()
            ]
        chain: list[QWidget] = []
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self and widget not in chain:
            chain.append(widget)
            widget = widget.nextInFocusChain()
        order: list[QWidget] = []
        for region in regions:
            order += [w for w in chain if region.isAncestorOf(w) and _takes_tab(w)]
        return order

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt override
        """Tab, Shift+Tab, ← and → (and ↑ ↓ via keyPressEvent) walk `focus_order`; from no
        focus, the first step lands on the working area's first control."""
        # None when nothing has the focus (PySide6's stub forgets that).
        current: QWidget | None = self.focusWidget()
        by_key = current is None or (current.isVisible() and current.isEnabled())
        if current is not None and not by_key:
            # Qt moving the focus off a control being hidden or disabled (a screen replaced,
            # 아래로 at the end), not a key: a touch leaves no focus behind; a resident on keys
            # goes on from there, without the working area jumping.
            if not self.keys_in_use:
                current.clearFocus()
                return True
        elif not self.keys_in_use:
            # Qt puts the focus on the first control of a new window by itself; the first key
            # of a visit goes to the working area wherever that left it.
            self.keys_in_use = True
            current = None
        order = self.focus_order()
        if not order:
            return False
        if current in order:
            target = order[(order.index(current) + (1 if next else -1)) % len(order)]
        else:
            content = [w for w in order if self.scroll_area.isAncestorOf(w)] or order
            target = content[0] if next else content[-1]
        target.setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        if by_key and self.scroll_area.isAncestorOf(target):
            self.scroll_area.ensureWidgetVisible(target, 0, self.theme.metrics.gap_px * 2)
        return True

    def _pin(self, screen: Screen) -> None:
        while (item := self.pinned_box.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()
        if screen.pinned is None:
            self.pinned_slot.hide()
            return
        gap = self.theme.metrics.gap_px
        self.pinned_box.setContentsMargins(gap * 3, gap, gap * 3, gap)
        self.pinned_box.addWidget(screen.pinned)
        screen.pinned.show()
        self.pinned_slot.show()

    def start(self) -> None:
        """Show the first screen and start watching for idleness."""
        self._restyle()
        if self._in_attract:
            self._enter_attract()
        else:
            self._show_route(self.navigator.current)
        if not self.board:
            self.winId()  # creates the native window the idle monitor watches
            self.idle.start(self.windowHandle())
            self.coach.watch(self.windowHandle())

    # -- navigation (the Shell protocol screens use) --------------------------------------

    def navigate(self, route: Route) -> None:
        self._show_route(self.navigator.push(route))

    def go_back(self) -> None:
        self._show_route(self.navigator.back())

    def go_home(self) -> None:
        self._show_route(self.navigator.home())

    def submission_queued(self) -> None:
        """A submission is in the outbox: the sync worker sends it now, not at its next check."""
        if self.sync is not None:
            self.sync.wake()

    def on_act_queued(self, receipt: Receipt) -> None:
        """An act of kiosk.services was queued: the coached session counts it, and the sync
        worker sends it now."""
        self.coach.submitted(receipt)
        self.submission_queued()

    def lesson_player(self) -> LessonPlayer:
        """The player of lessons (kiosk.ui.lesson), made the first time it is asked for."""
        return player_for(self)

    def end_visit(self) -> None:
        """Forget everything of this visit: history, answers held by routes, view settings,
        voice guidance (off, default speed and volume) and the staff-call notice."""
        self.navigator.home()
        self.visit = Visit()
        self.coach.visit_ended()
        self.voice.end_visit()
        if self.staff_notice is not None:
            self.staff_notice.hide()
        self.keys_in_use = False
        self.prefs.blockSignals(True)
        self.prefs.reset()
        self.prefs.blockSignals(False)
        self._restyle()

    def leave_attract(self) -> None:
        if self.board:
            return
        self._in_attract = False
        self.idle.enabled = True
        self.idle.restart()
        self._show_route(self.navigator.home())

    def _enter_attract(self) -> None:
        self._in_attract = True
        self.idle.enabled = False
        self._show_route(Route(ATTRACT))

    @property
    def in_attract(self) -> bool:
        return self._in_attract

    # -- slots ----------------------------------------------------------------------------

    @Slot()
    def on_prefs_changed(self) -> None:
        self._restyle()
        self._show_route(self.navigator.current if not self._in_attract else Route(ATTRACT))

    def _restyle(self) -> None:
        self.translator.language = self.prefs.language
        self._apply_reach()
        self.theme = self._make_theme()
        self._apply_style()
        self._build_prompt()
        if self.staff_notice is not None:
            # Built again when next needed, in the new language and sizes.
            self.staff_notice.hide()
            self.staff_notice.deleteLater()
            self.staff_notice = None

    @Slot()
    def on_voice_changed(self) -> None:
        """Voice went on or off, or its speed or volume moved: the bar shows it."""
        if self.current_screen is not None and not self.current_screen.fills_window:
            rail_px = self.rail_px
            self._rebuild_bars()
            self._bars_key = ()
            if self.rail_px != rail_px:
                # The rail could not make room for the voice controls (large text on a short
                # window): the working area changed width, so its screen is built again.
                self._show_route(self.navigator.current)

    @Slot()
    def call_staff(self) -> None:
        """직원 호출: queue one staff_call envelope a minute, and say so in large words; the
        notice then follows the call (kiosk.domain.staff_call)."""
        route = self.navigator.current.screen
        now = self.monotonic()
        if not self.staff_calls.press(now):
            log.info("staff_call_repeated screen=%s", route)
            self._show_call_notice(again=True)
            return
        outcome = self.services.acts.call_staff(route)
        if not isinstance(outcome, Receipt):
            self.staff_calls.failed()
            self.call_timer.stop()  # the failure stays on the notice, not the last call's words
            self._show_staff_notice("staff.failed.title", "staff.failed.body", sound="error")
            return
        log.info("staff_call screen=%s seq=%d", route, outcome.device_seq)
        self.call_progress.called(now)
        self._call_visit = self.visit
        if self.sync is not None:
            self.sync.staff_called(outcome.envelope_id)
        self._show_call_notice()

    def _show_call_notice(self, *, again: bool = False, sound: str = "chime") -> None:
        if self.call_progress.state is None:  # cannot be after a call; never a blank notice
            self.call_progress.called(self.monotonic())
        words = self.call_progress.words(self.monotonic(), again=again)
        self._call_spoken = words.spoken_key
        self._show_staff_notice(
            words.title_id, words.body_id, sound, words.values, words.can_call_again
        )
        self.call_timer.start()

    def _show_staff_notice(
        self,
        title_id: str,
        body_id: str,
        sound: str | None = "chime",
        values: dict[str, object] | None = None,
        call_again: bool = False,
    ) -> None:
        if self.staff_notice is None:
            notice = StaffCallNotice(self, self.translator, self.theme.metrics.gap_px)
            notice.closed.connect(self.on_staff_notice_closed)
            notice.call_again.connect(self.call_staff)
            self.voice.watch(notice)
            self.staff_notice = notice
        words = self.staff_notice.show_message(title_id, body_id, values, call_again=call_again)
        self.staff_notice.setGeometry(self.reach_rect())
        self.voice.announce(words, sound)

    @Slot(object)
    def on_sync_staff_call(self, state: ServerCallState) -> None:
        """The server's word on this kiosk's call: the notice says it at once, and is shown
        again for "직원이 오고 있습니다" while the resident who called is still here."""
        if not self.call_progress.server_said(state):
            return
        log.info("staff_call_state state=%s", self.call_progress.state)
        notice = self.staff_notice
        if notice is not None and notice.isVisible():
            self.on_call_tick()
        elif (
            self.call_progress.state == "coming"
            and self._call_visit is self.visit
            and not self._in_attract
        ):
            self._show_call_notice()

    @Slot()
    def on_call_tick(self) -> None:
        """Every few seconds while the notice is up, and when the server's word changes: the
        words follow the call; they are read aloud again only when the news changed."""
        notice = self.staff_notice
        if self.call_progress.state is None or notice is None or not notice.isVisible():
            self.call_timer.stop()
            return
        now = self.monotonic()
        words = self.call_progress.words(now)
        if words.spoken_key != self._call_spoken:
            self._call_spoken = words.spoken_key
            self._show_staff_notice(
                words.title_id, words.body_id, "chime", words.values, words.can_call_again
            )
        else:  # only the minutes moved: shown, not read aloud again
            notice.show_message(
                words.title_id, words.body_id, words.values, call_again=words.can_call_again
            )
        if self.call_progress.holds_visit(now) and not (
            self.prompt is not None and self.prompt.isVisible()
        ):
            # The resident is waiting for staff in front of the notice, not gone.
            self.idle.restart()

    @Slot()
    def on_staff_notice_closed(self) -> None:
        if self.current_screen is not None:
            self.current_screen.setFocus()

    @Slot()
    def on_coach_changed(self) -> None:
        """A coach signed in or out, or practice was switched: every screen shows it."""
        if self.current_screen is not None and not self.current_screen.fills_window:
            self._update_coach_bar()

    @Slot(str)
    def on_coach_ended(self, reason: str) -> None:
        """30 minutes without a touch end the session and, as an idle reset does, the visit."""
        if reason == "revoked" and self.navigator.current.screen in COACH_SCREENS:
            # The district revoked the coach: their menu closes; the resident's screen stays.
            self.go_home()
            return
        if reason == "inactivity" and not self._in_attract:
            log.info("visit_reset reason=coach_inactivity screen=%s", self.navigator.current.screen)
            self._close_prompt()
            self.end_visit()
            self._enter_attract()

    def scroll_page(self, direction: int) -> None:
        """Move the working area by most of a screenful (-1 up, +1 down)."""
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(bar.value() + direction * int(bar.pageStep() * 0.8))

    @Slot()
    def on_scroll_changed(self) -> None:
        if self.scroll_up_button is None or self.scroll_down_button is None:
            return
        bar = self.scroll_area.verticalScrollBar()
        overflowing = bar.maximum() > 0
        for b in (self.scroll_up_button, self.scroll_down_button):
            b.setVisible(overflowing)
        self.scroll_up_button.setEnabled(bar.value() > bar.minimum())
        self.scroll_down_button.setEnabled(bar.value() < bar.maximum())

    @Slot()
    def on_brand_tapped(self) -> None:
        if self.admin_taps.tap(time.monotonic()):
            log.info("admin_entry_opened")
            self.navigate(Route("admin_pin"))

    @Slot(int)
    def on_idle_warning(self, seconds: int) -> None:
        assert self.prompt is not None
        self.idle.paused = True
        if not self.prompt.isVisible():
            self.voice.say([self.prompt.title.text(), self.translator.tr("idle.extend")])
        self.prompt.show_remaining(seconds)
        self.prompt.setGeometry(self.reach_rect())

    @Slot()
    def on_prompt_extend(self) -> None:
        self._close_prompt()
        self.idle.extend()

    @Slot()
    def on_idle_active(self) -> None:
        self._close_prompt()

    @Slot()
    def on_idle_expired(self) -> None:
        log.info("visit_reset reason=idle screen=%s", self.navigator.current.screen)
        self._close_prompt()
        self.end_visit()
        self.coach.end("idle")
        self._enter_attract()

    def _close_prompt(self) -> None:
        self.idle.paused = False
        if self.prompt is not None:
            self.prompt.hide()

    # -- Qt events --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.prompt is not None and self.prompt.isVisible():
            self.prompt.setGeometry(self.reach_rect())
        if self.staff_notice is not None and self.staff_notice.isVisible():
            self.staff_notice.setGeometry(self.reach_rect())
        # Sizes are millimetres on the panel, so a new size means a new theme.
        if self.size() != self._built_size:
            self._restyle()
            if self.current_screen is not None:
                self._show_route(Route(ATTRACT) if self._in_attract else self.navigator.current)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._in_attract:
            self.leave_attract()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self._in_attract:
            self.leave_attract()
            return
        # Keys no control took: ↑ ↓ move as ← → do, digits go to a keypad on show.
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.focusNextPrevChild(event.key() == Qt.Key.Key_Down)
            return
        if self.current_screen is not None and not self.current_screen.fills_window:
            for keypad in self.current_screen.findChildren(Keypad):
                if keypad.isVisible() and keypad.press_key(event):
                    return
        super().keyPressEvent(event)


def _takes_tab(widget: QWidget) -> bool:
    return (
        bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.isEnabled()
        and widget.isVisibleTo(widget.window())
        and widget.isVisible()
    )


def describe_controls(root: QWidget, translator: Translator) -> None:
    """Give every control under `root` without an accessible description the general one of
    its kind, in the current language (a screen that knows better sets its own)."""
    from PySide6.QtWidgets import QAbstractButton

    for control in root.findChildren(QAbstractButton):
        if control.accessibleDescription():
            continue
        kind = "a11y.desc.choice" if control.isCheckable() else "a11y.desc.button"
        control.setAccessibleDescription(translator.tr(kind))


def _text_widths(item: QWidget) -> tuple[int, int]:
    """Pixel widths of the words an item shows: all on one line, and its longest word."""
    whole = longest = 0
    for lab in [item] if isinstance(item, QLabel) else item.findChildren(QLabel):
        lab.ensurePolished()
        metrics = lab.fontMetrics()
        text = lab.text()
        whole = max(whole, metrics.horizontalAdvance(text))
        words = text.split() if lab.wordWrap() else [text]
        longest = max([longest, *(metrics.horizontalAdvance(w) for w in words)])
    return whole, longest


def _grid_height(layout: QGridLayout, inner: int) -> int:
    """The height a grid of two equal columns needs, `inner` pixels wide within its margins,
    from its widgets' own (before it is laid out)."""
    margins = layout.contentsMargins()
    gap = layout.spacing()
    column = (inner - gap) // 2
    rows: dict[int, int] = {}
    for i in range(layout.count()):
        # PySide6's stub says object; it is (row, column, row span, column span).
        row, _, _, span = cast(tuple[int, int, int, int], layout.getItemPosition(i))
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is None:
            continue
        widget.ensurePolished()  # the style sheet sets its minimum height
        width = column * span + gap * (span - 1)
        height = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
        height = max(height, widget.sizeHint().height() if height < 0 else 0)
        rows[row] = max(rows.get(row, 0), height, widget.minimumHeight())
    return margins.top() + margins.bottom() + sum(rows.values()) + gap * max(0, len(rows) - 1)


def _replace_content(bar: QWidget, layout: QLayout) -> None:
    """Give `bar` new contents; the old ones are deleted once the current event is over."""
    holder = bar.layout()
    if holder is None:
        holder = QVBoxLayout(bar)
        holder.setContentsMargins(0, 0, 0, 0)
    while (item := holder.takeAt(0)) is not None:
        old = item.widget()
        if old is not None:
            old.hide()
            old.deleteLater()
    content = QWidget()
    content.setLayout(layout)
    holder.addWidget(content)
    content.show()


__all__ = ["KioskWindow", "HOME"]
