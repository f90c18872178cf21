"""The top and bottom bars, the same on every screen, and the empty bands of 낮은 화면.

What they hold is decided in kiosk.domain.chrome: only what a resident needs at every moment.
The top bar holds the district name (a quick run of taps on it opens the staff PIN page, with
the sync indicator under it when the device syncs) and 직원 호출. The bottom bar holds 위로 /
아래로 (shown only when the working area holds more than fits), 이전, 도움·설정 (the panel of
the view settings, kiosk.ui.shell.settings_panel) and 처음으로. 도움·설정 sits in the bottom bar
because that is the part a wheelchair user can reach before switching 낮은 화면 on; once on,
the window leaves the panel's top (and, mounted low, its bottom) empty, so every control lies
400–1,220 mm above the floor (kiosk.domain.a11y.low_screen).

Where the bars stand (rows across, or a rail at the right of a landscape window) is decided in
kiosk.ui.shell.bar_layout; this module makes the buttons, wires them and puts them in place.
In the rail 도움·설정 stands under the district name, apart from 이전, 직원 호출 and 처음으로 at
the foot (a landscape panel's top is within reach; where it is not, 도움·설정 heads the foot).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.admin import TapPattern
from kiosk.domain.chrome import bar_shows_back, bar_shows_home
from kiosk.ui.coach_session import coach_tag
from kiosk.ui.icons import IconLine
from kiosk.ui.navigation import Route
from kiosk.ui.shell.bar_layout import BarLayout, replace_content
from kiosk.ui.sync_indicator import SyncIndicator
from kiosk.ui.widgets import describe_controls

if TYPE_CHECKING:
    from kiosk.ui.screens.base import Screen
    from kiosk.ui.shell.window import KioskWindow

log = logging.getLogger(__name__)


class BrandLabel(IconLine):
    """The district name with its emblem, on the 온통중구 header band; a quick run of taps on it
    opens the staff PIN page.

    Signals:
        tapped(): one tap.
    """

    tapped = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.tapped.emit()
        super().mousePressEvent(event)


def _bar(name: str = "") -> QWidget:
    bar = QWidget()
    if name:
        bar.setObjectName(name)
    bar.setProperty("role", "bar")
    bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
    return bar


class Bars(QObject):
    """The window's two bars, the rail they move into on a landscape window, and 낮은 화면's
    empty bands; built again only when what they show changes.

    Attributes:
        top_bar, bottom_bar: the bars (their contents are replaced on each rebuild).
        rail: the column at the right of a landscape window that holds both bars.
        reach_top, reach_bottom: 낮은 화면's empty bands, hidden while it is off.
        rail_shape: "column" or "" (no rail); rail_px: its width (0 without one).
        back_button, home_button, settings_button, staff_call_button, scroll_up_button,
        scroll_down_button: the buttons now in the bars (None before the first screen).
        admin_taps: the run of taps on the district name that opens the staff PIN page.

    Of the window it reads the view settings, theme, size, reach and sync link, and asks it to
    navigate, go back or home, call staff and open the 도움·설정 panel.
    """

    def __init__(
        self,
        window: KioskWindow,
        main_box: QVBoxLayout,
        column: Sequence[tuple[QWidget, int]],
    ) -> None:
        """Lay out the main page: 낮은 화면's top band, the working `column` (widgets and their
        stretch) between the bars with the rail at its right, 낮은 화면's bottom band."""
        super().__init__(window)
        self.window = window
        self.admin_taps = TapPattern()
        self.top_bar = _bar()
        self.bottom_bar = _bar()
        self.reach_top = QWidget()
        self.reach_top.setObjectName("reachTop")
        self.reach_bottom = QWidget()
        self.reach_bottom.setObjectName("reachBottom")
        for spacer in (self.reach_top, self.reach_bottom):
            spacer.setProperty("role", "reach")
            spacer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            spacer.hide()
        self.back_button: QWidget | None = None
        self.home_button: QWidget | None = None
        self.settings_button: QWidget | None = None
        self.staff_call_button: QWidget | None = None
        self.scroll_up_button: QWidget | None = None
        self.scroll_down_button: QWidget | None = None
        self.rail_shape = ""
        self.rail_px = 0
        self.bar_layout: BarLayout | None = None
        self.rows: tuple[tuple[QGridLayout, tuple[QWidget, ...]], ...] = ()
        self._icons_for: tuple[bool, ...] = ()
        self._key: tuple[object, ...] = ()

        self.main_box = main_box
        main_box.addWidget(self.reach_top)
        # The working column: on a portrait window the bars sit above and below it; on a
        # landscape one they move into the rail at its right (place).
        self.work_box = QVBoxLayout()
        self.work_box.setSpacing(0)
        self.work_box.addWidget(self.top_bar)
        for widget, stretch in column:
            self.work_box.addWidget(widget, stretch)
        self.work_box.addWidget(self.bottom_bar)
        self.rail = _bar("rail")
        self.rail_box = QVBoxLayout(self.rail)
        self.rail_box.setContentsMargins(0, 0, 0, 0)
        self.rail_box.setSpacing(0)
        # Between the top bar's part and the bottom bar's: the rest of the height. (In a
        # grid's empty stretching row it was not always: the grid shared it out by what the
        # screens before had shown, so a screen's rail depended on the screen before.)
        self.rail_box.addStretch(1)
        self.rail.hide()
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addLayout(self.work_box, 1)
        body.addWidget(self.rail)
        main_box.addLayout(body, 1)
        main_box.addWidget(self.reach_bottom)

        bar = window.scroll_area.verticalScrollBar()
        bar.rangeChanged.connect(self.on_scroll_changed)
        bar.valueChanged.connect(self.on_scroll_changed)

    def apply_reach(self) -> None:
        """Size 낮은 화면's empty bands for the window's reach now."""
        band = self.window.reach()
        for spacer, px in ((self.reach_top, band.top_px), (self.reach_bottom, band.bottom_px)):
            spacer.setFixedHeight(px)
            spacer.setVisible(px > 0)

    def update(self) -> None:
        """Bars for the next screen: built again only when what they show has changed (the
        language, the text size or contrast, the size, the sync indicator); otherwise only
        이전 follows the history. Rebuilding them cost every screen change several ms."""
        w = self.window
        key = (
            w.prefs.language,
            w.theme,
            w.size(),
            w.sync is not None,
            w.prefs.low_screen,
            w.coach.state_key(),
            w.staff_call.state_line(),
        )
        if key != self._key or self.back_button is None:
            self.rebuild()
            self._key = key
            return
        self.back_button.setEnabled(w.navigator.can_go_back)
        self.on_scroll_changed()

    def show_back(self, screen: Screen) -> None:
        """One 이전 per screen: the bar's only where `screen` has none of its own, and none
        where it ends a flow; one 처음으로 likewise."""
        if self.back_button is not None:
            self.back_button.setVisible(bar_shows_back(screen.has_own_back, screen.ends_flow))
        if self.home_button is not None:
            self.home_button.setVisible(bar_shows_home(screen.has_own_home))
        self.fit_row_icons()

    def fit_row_icons(self) -> None:
        """Each row of the bottom bar fitted to the buttons it shows now (BarLayout.fit_row):
        a row without 위로 / 아래로 or 이전 keeps icons the full row had no room for (at
        200 % they all went), and the hidden buttons' columns take no width."""
        shown = tuple(not item.isHidden() for _, row in self.rows for item in row)
        if self.bar_layout is None or shown == self._icons_for:
            return
        self._icons_for = shown
        for line, row in self.rows:
            self.bar_layout.fit_row(line, row)
        # Laid out now (the rows' grid is its own widget's: the bar's layout does not reach
        # it): what is measured or drawn next sees the rows as they are.
        holder = self.rows[0][1][0].parentWidget() if self.rows else None
        grid = holder.layout() if holder is not None else None
        if grid is not None:
            grid.activate()
        self.settle()

    def rebuild(self) -> None:
        """Make every button again, in the current language and sizes, and put them in place."""
        w = self.window
        tr = w.translator.tr
        brand = BrandLabel(tr("app.title"), "district")
        brand.setProperty("role", "brand")
        brand.setObjectName("brand")
        brand.tapped.connect(self.on_brand_tapped)
        button = w.screen_env().button
        # While a call of this visit is open, 직원 호출 says so in its own place (the notice
        # may be closed): "직원 호출 중 · 3분째", "직원이 오고 있습니다"; a tap on it opens the
        # notice again, as a tap on 직원 호출 within a call always has.
        state = w.staff_call.state_line()
        staff = button(
            state or tr("bar.staff_call"),
            role="primary" if state else None,
            name="staffCallButton",
            icon="staff_call",
        )
        staff.clicked.connect(w.staff_call.call_staff)
        staff.setAccessibleDescription(
            tr("a11y.desc.staff_state" if state else "a11y.desc.staff_call")
        )
        home = button(tr("bar.home"), name="homeButton", icon="home")
        home.clicked.connect(w.go_home)
        back = button(tr("bar.back"), name="backButton", icon="back")
        back.clicked.connect(w.go_back)
        back.setEnabled(w.navigator.can_go_back)
        settings = button(tr("bar.settings"), name="settingsButton", icon="settings")
        settings.clicked.connect(w.settings.open)
        home.setAccessibleDescription(tr("a11y.desc.home"))
        back.setAccessibleDescription(tr("a11y.desc.back"))
        settings.setAccessibleDescription(tr("a11y.desc.settings"))
        # Scrolling must never need a swipe: two buttons page the working area when it
        # holds more than fits (large text), and disappear when it does not.
        up = button(tr("bar.scroll_up"), name="scrollUpButton", icon="scroll_up")
        up.clicked.connect(lambda: self.scroll_page(-1))
        down = button(tr("bar.scroll_down"), name="scrollDownButton", icon="scroll_down")
        down.clicked.connect(lambda: self.scroll_page(1))
        up.setAccessibleDescription(tr("a11y.desc.scroll"))
        down.setAccessibleDescription(tr("a11y.desc.scroll"))

        layout = BarLayout(
            w.theme.metrics,
            w.width(),
            w.height(),
            w.reach_rect().height(),
            settings_low=w.top_out_of_reach(),
        )
        block = self._brand_block(brand)
        chosen = layout.arrange([block, staff], [up, down, back, settings, home])
        self.rail_shape, self.rail_px = chosen.rail_shape, chosen.rail_px
        self.bar_layout, self.rows = layout, chosen.rows
        self._icons_for = ()  # new buttons: their icons are fitted again
        if not self.rail_shape:
            self._coach_in_header(block, brand)
        replace_content(self.top_bar, chosen.top)
        replace_content(self.bottom_bar, chosen.bottom)
        self.place()
        self.staff_call_button, self.settings_button = staff, settings
        self.back_button, self.home_button = back, home
        self.scroll_up_button, self.scroll_down_button = up, down
        w.voice.watch(self.top_bar)
        w.voice.watch(self.bottom_bar)
        describe_controls(self.top_bar, w.translator)
        if w.current_screen is not None:
            self.show_back(w.current_screen)
        self.on_scroll_changed()

    def place(self) -> None:
        """The one place that puts the bars where `rebuild` decided: above and below the
        working area, or in the rail at its right, one over the other (the rest of the
        height between them)."""
        for layout in (self.work_box, self.rail_box):
            for bar in (self.top_bar, self.bottom_bar):
                layout.removeWidget(bar)
        if self.rail_shape == "column":
            self.rail_box.insertWidget(0, self.top_bar)
            self.rail_box.addWidget(self.bottom_bar)
        else:
            self.work_box.insertWidget(0, self.top_bar)
            self.work_box.addWidget(self.bottom_bar)
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

    def settle(self) -> None:
        """Lay the bars out again for the screen now shown. 이전 and 위로 / 아래로 show or
        hide with each screen, and the rail's grid kept the heights it had given its parts
        for the screen before (so the same screen's rail came out otherwise after another
        one than alone): what is measured or drawn next sees them as they now are."""
        for bar in (self.top_bar, self.bottom_bar):
            for inner in bar.findChildren(QLayout):
                inner.invalidate()
        for part in (self.top_bar.layout(), self.bottom_bar.layout(), self.rail_box):
            if part is not None:
                part.invalidate()
                part.activate()
        self.main_box.activate()

    def _brand_block(self, brand: QLabel) -> QWidget:
        """The 온통중구 header: the district's emblem and name on a band of its colour across
        the top (or the rail's head), with the sync indicator under it when the device syncs."""
        gap = self.window.theme.metrics.gap_px
        band = QWidget()
        band.setProperty("role", "header")
        band.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(band)
        row.setContentsMargins(gap // 2, 0, gap // 2, 0)  # the words' own line leaves room
        row.addWidget(brand)
        sync = self.window.sync
        if sync is None:
            return band
        block = QWidget()
        box = QVBoxLayout(block)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(band)
        box.addWidget(SyncIndicator(self.window.translator, sync))
        return block

    def _coach_in_header(self, block: QWidget, brand: QLabel) -> None:
        """Across the top of a window without a rail, the coach's band would cost the working
        area the height it is measured by: the coach's tag (kiosk.ui.coach_session.coach_tag)
        stands in the header's row instead, at the right of the district's name."""
        w = self.window
        band = block if block.property("role") == "header" else block.findChild(QWidget)
        row = band.layout() if band is not None else None
        if not isinstance(row, QHBoxLayout):
            return
        gap = w.theme.metrics.gap_px
        brand.ensurePolished()
        room = w.width() - 3 * gap - brand.sizeHint().width() - gap
        tag = coach_tag(w.screen_env(), w.coach, room)
        # The name keeps the rest of the band (its own colours behind it, as without a coach).
        row.setStretch(0, 1)
        for part in tag:
            row.addWidget(part)

    def scroll_page(self, direction: int) -> None:
        """Move the working area by most of a screenful (-1 up, +1 down)."""
        bar = self.window.scroll_area.verticalScrollBar()
        bar.setValue(bar.value() + direction * int(bar.pageStep() * 0.8))

    # -- slots ------------------------------------------------------------------------------

    @Slot()
    def on_scroll_changed(self) -> None:
        if self.scroll_up_button is None or self.scroll_down_button is None:
            return
        bar = self.window.scroll_area.verticalScrollBar()
        overflowing = bar.maximum() > 0
        for b in (self.scroll_up_button, self.scroll_down_button):
            b.setVisible(overflowing)
        self.fit_row_icons()
        self.scroll_up_button.setEnabled(bar.value() > bar.minimum())
        self.scroll_down_button.setEnabled(bar.value() < bar.maximum())

    @Slot()
    def on_brand_tapped(self) -> None:
        if self.admin_taps.tap(time.monotonic()):
            log.info("admin_entry_opened")
            self.window.navigate(Route("admin_pin"))
