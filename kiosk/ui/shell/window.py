"""The kiosk window: the pages, the route shown, and the collaborators each job belongs to.

The window holds the working area (a scrolling area, with what a screen pins under it) between
the bars, or a full-window page for the attract loop, and shows the screen of the current route.
It rebuilds that screen from its route when a view setting changes, so a screen never has to
restyle itself. The rest it gives to collaborators, one job each:

- `bars` (kiosk.ui.shell.bars, bar_layout, voice_controls): the top and bottom bars, the rail
  of a landscape window, 낮은 화면's empty bands.
- `key_focus` (kiosk.ui.shell.focus): the focus moved by physical keys, in reading order.
- `lifecycle` (kiosk.ui.shell.visit_lifecycle): the attract loop, the idle prompt, the end of a
  visit.
- `staff_call` (kiosk.ui.shell.staff_call): 직원 호출 and its notice.
- `settings` (kiosk.ui.shell.settings_panel): 도움·설정, the panel of the view settings.
- `coach_banner` (kiosk.ui.shell.coach_banner): the coach's band; `voice` reads aloud.
- `emergency` (kiosk.ui.shell.emergency): a 긴급 공지 as a sign over the window or a band.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.context import AppContext
from kiosk.domain.a11y import LowScreen, Panel, low_screen
from kiosk.domain.visit import Visit
from kiosk.i18n import Translator
from kiosk.services import Receipt, Services
from kiosk.services.background import Background
from kiosk.ui.coach_session import CoachController
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.navigation import HOME, Navigator, Route
from kiosk.ui.paging import FitOnResize
from kiosk.ui.preferences import ViewPreferences
from kiosk.ui.screens import ATTRACT, SCREENS
from kiosk.ui.screens.base import ActionBar, Screen, ScreenEnv
from kiosk.ui.shell.bars import Bars
from kiosk.ui.shell.coach_banner import CoachBanner
from kiosk.ui.shell.emergency import EmergencyShow
from kiosk.ui.shell.focus import KeyFocus
from kiosk.ui.shell.settings_panel import SettingsControl
from kiosk.ui.shell.staff_call import StaffCaller
from kiosk.ui.shell.visit_lifecycle import VisitLifecycle
from kiosk.ui.speech import VoiceGuide
from kiosk.ui.theme import DEFAULT, HIGH_CONTRAST, Metrics, Theme, stylesheet
from kiosk.ui.widgets import (
    LastInput,
    Shelf,
    describe_controls,
    fit_longest_words,
    words_in_lines,
)

if TYPE_CHECKING:
    from kiosk.services.sync_link import SyncLink
    from kiosk.ui.lesson import LessonPlayer

log = logging.getLogger(__name__)
# Syllables of a question's line the words beside a keyboard get room for, where the keyboard can
# spare the width (its keys at the touch size): a question reads in lines, not a word a line.
WORDS_BESIDE_KEYBOARD = 10
# Where the column still holds fewer of a title's or question's syllables a line, they are set
# at the body size (kiosk.ui.widgets.words_in_lines).
FEWEST_SYLLABLES_A_LINE = 6


class KioskWindow(QWidget):
    """The one window of kiosk mode.

    Signals:
        screen_changed(str): the route name of the screen now shown.

    Attributes:
        current_screen: the Screen widget now shown.
        navigator: the route history behind 이전 and 처음으로.
        visit: what this visit sent (one response per survey per visit).
        idle: the idle monitor (tests drive it with a fake clock).
        services: every write and read of the device's data (kiosk.services).
        coach: a digital coach's session (kiosk.ui.coach_session): banner, practice, record.
        voice: read-aloud and sounds.
        background: runs the screens' slow work off the GUI thread (kiosk.services.background).
        sync: the sync worker's handle once the app started it (attach_sync); else None.
        board: a media board plays the loop for passers-by and never opens for touch.
        bars, key_focus, lifecycle, staff_call, settings, coach_banner, emergency: the
            collaborators (module doc).
        scroll_area, pinned_slot, main_page, full_page: the window's parts; top_bar,
            bottom_bar, rail, reach_top and coach_bar are the bars' and the banner's.
    """

    screen_changed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        *,
        idle: IdleMonitor | None = None,
        start_in_attract: bool = False,
        size: QSize | None = None,
    ) -> None:
        super().__init__()
        if size is not None:
            # The size it will be shown at: its look is built once, for that size (sizes are
            # millimetres on the panel), rather than for Qt's default size and then again.
            self.resize(size)
        self.setWindowTitle("온통중구")
        self.ctx = ctx
        self.prefs = ViewPreferences(ctx.config.language)
        self.translator = Translator(self.prefs.language)
        self.navigator = Navigator()
        self.visit = Visit()
        self.idle = idle or IdleMonitor(ctx.config.idle_timeout_s, ctx.config.idle_warning_s)
        # Every write and read of the device's data (kiosk.services); practice is the coach's.
        self.services = Services(ctx, practice_on=lambda: self.coach.practice)
        self.services.queued.append(self.on_act_queued)
        self.coach = CoachController(self.services)
        self.voice = VoiceGuide(self, self.translator, ctx.config.speech_engine)
        self.current_screen: Screen | None = None
        # The screens' slow work (a ledger look-up, an enrolment), off the GUI thread.
        self.background = Background(self, threads=2, name="screen-work")
        self.sync: SyncLink | None = None
        self.board = ctx.config.mode == "board"
        self._built_size = QSize()
        self.theme = self._make_theme()

        self.coach_banner = CoachBanner(self)
        self.emergency = EmergencyShow(self)
        self.lifecycle = VisitLifecycle(self, self.idle, in_attract=start_in_attract or self.board)
        self.staff_call = StaffCaller(self)
        self.key_focus = KeyFocus(self)
        # The focus ring only after a key, never after a tap: decided for every control here.
        self.last_input = LastInput.of(cast(QApplication, QApplication.instance()))
        self.settings = SettingsControl(self)

        self.pages = QStackedLayout(self)
        # The window is the panel: its contents never make it larger (낮은 화면's empty band,
        # computed for one size, would otherwise hold the window at that size when it turns).
        self.pages.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.main_page = QWidget()
        main_box = QVBoxLayout(self.main_page)
        main_box.setContentsMargins(0, 0, 0, 0)
        main_box.setSpacing(0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        QApplication.sendEvent(self.scroll_area, QEvent(QEvent.Type.LayoutRequest))
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        # The keys move between controls; the scrolling area itself is never one.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # On a short window at large text the fixed action bar under it comes first: the
        # working area may get shorter than its scroll bar would ask (it still scrolls).
        self.scroll_area.setMinimumHeight(1)
        # The screens' one parent in the scrolling area: a screen is put in and taken out of
        # its box, never moved to another parent (which restyles every widget of a screen).
        self.screen_holder = QWidget()
        self.screen_holder.setObjectName("screenHolder")
        self.screen_box = QVBoxLayout(self.screen_holder)
        self.screen_box.setContentsMargins(0, 0, 0, 0)
        self.screen_box.setSpacing(0)
        self.scroll_area.setWidget(self.screen_holder)
        # Paged lists (kiosk.ui.paging) fit the working area as it is now, after every change.
        self.page_fit = FitOnResize(self.scroll_area, lambda: self.current_screen)
        # What a screen keeps in view under its scrolling area (Screen.pinned): a running total.
        self.pinned_slot = QWidget()
        self.pinned_slot.setObjectName("pinnedSlot")
        # Painted like the working area it continues (unpainted, the window shows through).
        self.pinned_slot.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.pinned_box = QVBoxLayout(self.pinned_slot)
        self.pinned_slot.hide()
        # The scrolling area and the pinned slot, one under (or beside: Screen.pinned_beside)
        # the other.
        self.work_pair = QWidget()
        self.work_pair_box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.work_pair)
        self.work_pair_box.setContentsMargins(0, 0, 0, 0)
        self.work_pair_box.setSpacing(0)
        self.work_pair_box.addWidget(self.scroll_area, 1)
        self.work_pair_box.addWidget(self.pinned_slot, 0)
        # The working column between the bars: a 긴급 공지's band, the coach's band, the screen,
        # the pinned total.
        column = [
            (self.emergency.band, 0),
            (self.coach_banner.bar, 0),
            (self.work_pair, 1),
        ]
        self.bars = Bars(self, main_box, column)
        self.top_bar, self.bottom_bar = self.bars.top_bar, self.bars.bottom_bar
        self.rail, self.reach_top = self.bars.rail, self.bars.reach_top
        self.coach_bar = self.coach_banner.bar
        self.full_page = QWidget()
        self.full_box = QVBoxLayout(self.full_page)
        self.full_box.setContentsMargins(0, 0, 0, 0)
        self.pages.addWidget(self.main_page)
        self.pages.addWidget(self.full_page)

        # The step screens' keyboard and keypad, kept from one step that types to the next.
        self.shelf = Shelf()

        self.prefs.changed.connect(self.on_prefs_changed)
        self._apply_style()
        self.lifecycle.build_prompt()

    # -- sizes and looks ------------------------------------------------------------------

    def _panel(self) -> Panel:
        width, height = max(self.width(), 1), max(self.height(), 1)
        return Panel(self.ctx.config.panel_diagonal_inches, width, height)

    def reach(self) -> LowScreen:
        """The band 낮은 화면 keeps everything in (the whole window while it is off)."""
        if not self.prefs.low_screen:
            return LowScreen(0, 0, max(self.height(), 1))
        return low_screen(self._panel(), self.ctx.config.panel_bottom_mm)

    def top_out_of_reach(self) -> bool:
        """Whether, with 낮은 화면 off, the window's top lies above a seated resident's reach
        (a landscape panel mounted high): 도움·설정, which switches it on, then stands low."""
        if self.prefs.low_screen:
            return False
        return low_screen(self._panel(), self.ctx.config.panel_bottom_mm).top_px > 0

    def reach_rect(self) -> QRect:
        """The part of the window controls may use now: all of it, or 낮은 화면's band."""
        band = self.reach()
        return self.rect().adjusted(0, band.top_px, 0, -band.bottom_px)

    def _make_theme(self) -> Theme:
        palette = HIGH_CONTRAST if self.prefs.high_contrast else DEFAULT
        return Theme(palette, Metrics.for_panel(self._panel(), self.prefs.text_scale))

    def _apply_style(self) -> None:
        app = QApplication.instance()
        sheet = stylesheet(self.theme)
        # Setting even the same sheet restyles every widget: skip it (end_visit, rebuilds).
        if isinstance(app, QApplication) and app.styleSheet() != sheet:
            app.setStyleSheet(sheet)

    def restyle(self) -> None:
        """Language, theme and 낮은 화면 as the view settings and the size say now."""
        with self.last_input.quiet():
            self._restyle()

    def _restyle(self) -> None:
        self.translator.language = self.prefs.language
        self.bars.apply_reach()
        self.theme = self._make_theme()
        self._apply_style()
        self.lifecycle.build_prompt()
        self.staff_call.drop_notice()

    def screen_env(self) -> ScreenEnv:
        """What a screen (or a bar button) is built with now."""
        m = self.theme.metrics
        usable = max(1, self.width() - self.bars.rail_px - m.gap_px * 6)
        landscape = self.width() > self.height()
        return ScreenEnv(
            self.ctx, self.translator, self.theme, self, usable, self.services, landscape
        )

    # -- the route shown ------------------------------------------------------------------

    def show_route(self, route: Route) -> None:
        """Build the screen of `route` and show it in place of the one before."""
        # No input arrives while it is built: the focus ring's filter stands aside (LastInput).
        with self.last_input.quiet():
            self._show_route(route)

    def _show_route(self, route: Route) -> None:
        if self.current_screen is not None:
            self.current_screen.on_hidden()
        screen_class = SCREENS[route.screen]
        if not screen_class.fills_window:
            # Before the screen: the rail's width sets the working area's (ScreenEnv.width).
            self.bars.update()
        screen = screen_class(self.screen_env(), **route.params)
        old = self.current_screen
        self.current_screen = screen
        if screen.fills_window:
            self.full_box.addWidget(screen)
            self.pages.setCurrentWidget(self.full_page)
        else:
            self.coach_banner.update()
            if old is not None and not old.fills_window:
                old.hide()
                self.screen_box.removeWidget(old)
            self.screen_box.addWidget(screen)
            screen.show()  # now: a box shows a widget added to a parent on show only later
            # The bars' buttons for this screen before anything is fitted: shown or hidden,
            # 이전 and 처음으로 change the bottom bar's icons and height, so the room a page has.
            self.bars.show_back(screen)
            self.screen_box.activate()
            self._pin(screen)
            self.page_fit.fit(screen)
            if screen.fit_height(self.scroll_area.viewport().size()):
                screen.box.activate()
                self._lay_out_pinned()
                self._settle_scroll_bar()
            self.pages.setCurrentWidget(self.main_page)
        if old is not None:
            # Later, not now: the tap that led here may still be running inside the old screen.
            old.hide()
            old.deleteLater()
            if old.pinned is not None and old.pinned is not screen.pinned:
                old.pinned.hide()
                if not self.shelf.keeps(old.pinned):  # kept hidden for the next one
                    old.pinned.deleteLater()
        self._built_size = self.size()
        describe_controls(self, self.translator)
        self.key_focus.focus_first(screen)
        screen.on_shown()
        if not screen.fills_window:
            self.voice.screen_shown(screen, route.screen)
        self.screen_changed.emit(route.screen)
        if not screen.fills_window:
            self._settle_scroll_bar()
            self.bars.settle()

    def _pin(self, screen: Screen) -> None:
        while (item := self.pinned_box.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()
        if screen.pinned is None:
            self.pinned_slot.hide()
        else:
            gap = self.theme.metrics.gap_px
            edge = gap * screen.pinned_edge
            self.pinned_box.setContentsMargins(edge, gap, edge, gap)
            self.pinned_box.addWidget(screen.pinned)
            screen.pinned.show()
            self.pinned_slot.show()
        beside = screen.pinned_beside if screen.pinned is not None else 0
        # A pinned keyboard takes what the words leave (Screen.keeps_in_view): the scrolling
        # area asks for no more height than that, and is given the rest.
        kept = screen.keeps_in_view if screen.pinned is not None and not beside else 0
        policy = QSizePolicy.Policy.Ignored if kept else QSizePolicy.Policy.Expanding
        self.scroll_area.setSizePolicy(QSizePolicy.Policy.Expanding, policy)
        self.scroll_area.setMinimumHeight(max(1, kept))
        self.work_pair_box.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        self.work_pair_box.setStretch(0, 10 - beside if beside else 1)
        self.work_pair_box.setStretch(1, beside)
        self.scroll_area.setMinimumWidth(self._words_width(screen) if beside else 0)
        self._lay_out_pinned()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        words = self.scroll_area.width() - bar - 2 * self.scroll_area.frameWidth()
        m = self.theme.metrics
        pinned = screen.pinned
        beside_keys = bool(beside) and isinstance(pinned, ActionBar) and pinned.flexible
        lines = beside_keys and words_in_lines(screen, words, m.body_px, FEWEST_SYLLABLES_A_LINE)
        if fit_longest_words(screen, words, m.small_px) or lines:
            QApplication.sendEvent(screen, QEvent(QEvent.Type.LayoutRequest))
        self._settle_scroll_bar()
        if screen.in_view is not None:
            self.scroll_area.verticalScrollBar().setValue(
                opening(screen, screen.in_view, self.scroll_area.viewport().height())
            )

    def _lay_out_pinned(self) -> None:
        """Laid out now, as the bars are (Bars.place): the working area takes or gives back
        the slot's height before anything measures it (a test, the audit, the keys). Twice:
        a keyboard given less height than it needs squeezes its text as it is laid out
        (HangulKeyboard.squeeze) and then asks for less."""
        for _ in range(2):
            self.pinned_box.activate()
            self.work_pair_box.activate()
            self.bars.main_box.activate()

    def _settle_scroll_bar(self) -> None:
        """The scroll bar and the screen's size for the screen shown now, not when the posted
        events come (Qt shows or hides a scroll bar through a queued call). Until then the
        scroll bar the screen before needed stayed, narrowing this one's viewport: a screen
        shown after another was laid out otherwise than alone, and what measured it (the
        opening, the audit, a render) measured a stale layout."""
        self.scroll_area.setWidgetResizable(True)  # sizes the screen, sets the bar's range
        QApplication.sendPostedEvents(self.scroll_area, QEvent.Type.MetaCall)

    def _words_width(self, screen: Screen) -> int:
        """The width of the words' column beside a pinned keypad or keyboard: its share
        (Screen.pinned_beside), or more where the words need it, as long as the keys keep
        their own least width (the touch size). Beside a keypad, what the words' longest word
        needs with the scroll bar; beside a keyboard, a question's line of
        WORDS_BESIDE_KEYBOARD syllables (at 200 % its share held one word a line). Whatever
        still does not fit is made smaller (fit_longest_words)."""
        m = self.theme.metrics
        work = screen.env.width + m.gap_px * 6  # ScreenEnv.width's margins
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        pinned = screen.pinned
        if isinstance(pinned, ActionBar) and pinned.flexible:
            # A Hangul syllable is about as wide as the font is high.
            needed = WORDS_BESIDE_KEYBOARD * m.question_px + m.gap_px * 6
        else:
            needed = screen.minimumSizeHint().width()
        needed += bar + 2 * self.scroll_area.frameWidth()
        return max(0, min(needed, work - self.pinned_slot.minimumSizeHint().width()))

    def start(self) -> None:
        """Show the first screen and start watching for idleness."""
        self.restyle()
        if self.in_attract:
            self.enter_attract()
        else:
            self.show_route(self.navigator.current)
        if not self.board:
            self.winId()  # creates the native window the idle monitor watches
            self.idle.start(self.windowHandle())
            self.coach.watch(self.windowHandle())

    def _show_again(self) -> None:
        """The screen now shown, built again (new sizes, settings or content)."""
        self.show_route(Route(ATTRACT) if self.in_attract else self.navigator.current)

    # -- the Shell protocol screens use -----------------------------------------------------

    def navigate(self, route: Route) -> None:
        self.show_route(self.navigator.push(route))

    def replace(self, route: Route) -> None:
        self.show_route(self.navigator.replace(route))

    def go_back(self) -> None:
        self.show_route(self.navigator.back())

    def go_home(self) -> None:
        self.show_route(self.navigator.home())

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
        from kiosk.ui.lesson import player_for  # with the first lesson, not before the home

        return player_for(self)

    def end_visit(self) -> None:
        self.lifecycle.end_visit()

    def leave_attract(self, then: Route | None = None) -> None:
        self.lifecycle.leave_attract(then)

    def enter_attract(self) -> None:
        self.lifecycle.enter_attract()

    @property
    def in_attract(self) -> bool:
        return self.lifecycle.in_attract

    # -- the bars' 이전 and 처음으로 ---------------------------------------------------------------

    @property
    def back_button(self) -> QWidget | None:
        return self.bars.back_button

    @property
    def home_button(self) -> QWidget | None:
        return self.bars.home_button

    # -- sync -------------------------------------------------------------------------------

    def attach_sync(self, controller: SyncLink | None) -> None:
        """Show the sync indicator and give the staff page its "지금 동기화" from now on."""
        self.sync = controller
        if controller is not None:
            controller.content_activated.connect(self.on_sync_content_activated)
            controller.staff_call_changed.connect(self.staff_call.on_sync_staff_call)
            controller.status_changed.connect(self.staff_call.on_sync_status)
            controller.coaches_changed.connect(self.coach.on_coaches_changed)
            controller.emergency_changed.connect(self.emergency.on_sync_emergency)
            controller.receipts_arrived.connect(self.on_sync_receipts)
        if self.current_screen is not None and not self.current_screen.fills_window:
            self.bars.rebuild()

    @Slot(object)
    def on_sync_receipts(self, receipts: dict[str, dict[str, Any]]) -> None:
        """The server's receipts, as the sync worker recorded them: to the screen shown."""
        if self.current_screen is not None:
            self.current_screen.on_receipts(receipts)

    @Slot(str)
    def on_sync_content_activated(self, version: str) -> None:
        """New content arrived: show it at once where nobody is in the middle of something
        (home, the attract loop, a board); a flow in progress keeps what it started with."""
        if not self.ctx.reload_pack():
            return
        log.info("content_shown version=%s", version)
        if self.in_attract or self.navigator.current.screen == HOME:
            self._show_again()

    @Slot()
    def on_prefs_changed(self) -> None:
        self.restyle()
        self._show_again()
        # Over the screen built again, in the new sizes, colours or language.
        self.settings.refresh()

    # -- Qt events --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.lifecycle.fit(self.reach_rect())
        self.staff_call.fit(self.reach_rect())
        self.emergency.fit(self.reach_rect())
        # Sizes are millimetres on the panel, so a new size means a new theme.
        if self.size() != self._built_size:
            self.restyle()
            if self.current_screen is not None:
                self._show_again()
            self.settings.refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self.in_attract:
            self.leave_attract()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.in_attract:
            self.leave_attract()
            return
        if not self.key_focus.key_press(event):
            super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt override
        return self.key_focus.step(next)


__all__ = ["HOME", "KioskWindow"]


def opening(screen: Screen, words: QWidget, height: int) -> int:
    """Where a working area `height` high opens to show all of `words` (never past their
    first line): as little down as that needs, and at the top of one of the screen's parts,
    so no line stands cut at the top edge."""
    top = words.mapTo(screen, QPoint(0, 0)).y()
    least = top + words.height() - height
    if least <= 0:
        return 0
    starts = [
        item.geometry().top()
        for i in range(screen.box.count())
        if (item := screen.box.itemAt(i)) is not None and item.widget() is not None
    ]
    return min((y for y in starts if least <= y <= top), default=min(top, least))
