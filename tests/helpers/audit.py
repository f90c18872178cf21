"""Checks on a live widget tree: clipped text, touch targets and their gaps in millimetres,
glyph heights, contrast against what is really painted behind each text, accessible names and
descriptions, and a Tab path through every control."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QStyle, QStyleOptionButton, QWidget

from kiosk.domain.a11y import (
    MIN_CONTRAST_ANYWHERE,
    MIN_GAP_MM,
    MIN_GLYPH_MM,
    Panel,
    contrast_ratio,
)
from kiosk.ui.fonts import hangul_glyph_height
from kiosk.ui.theme import FONT_FAMILY


def visible(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window()) and widget.isVisible()


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    text = text or widget.accessibleName()
    return f"{type(widget).__name__}#{widget.objectName()} {text[:40]!r}"


def clipped_labels(root: QWidget) -> list[str]:
    """Visible labels, and buttons drawing their own text, that need more room than they have."""
    problems = []
    for lab in root.findChildren(QLabel):
        if not visible(lab) or not lab.text().strip():
            continue
        hint = lab.sizeHint()
        if lab.wordWrap():
            needed_h = lab.heightForWidth(lab.width())
            if needed_h > lab.height() + 1:
                problems.append(f"{describe(lab)} needs {needed_h}px high, has {lab.height()}")
            if lab.minimumSizeHint().width() > lab.width() + 1:
                problems.append(
                    f"{describe(lab)} has a word {lab.minimumSizeHint().width()}px wide "
                    f"in {lab.width()}px"
                )
        elif hint.width() > lab.width() + 1 or hint.height() > lab.height() + 1:
            problems.append(f"{describe(lab)} needs {hint.toTuple()}, has {lab.size().toTuple()}")
    # Buttons that draw their own text (the keyboard's letter keys) hold it on one line.
    for button in root.findChildren(QAbstractButton):
        if not visible(button) or not button.text().strip():
            continue
        metrics = button.fontMetrics()
        option = QStyleOptionButton()
        option.initFrom(button)
        contents = QStyle.SubElement.SE_PushButtonContents
        inner = button.style().subElementRect(contents, option, button)
        needed = metrics.size(0, button.text())
        if needed.width() > inner.width() or needed.height() > inner.height():
            problems.append(
                f"{describe(button)} needs {needed.toTuple()}, has {inner.size().toTuple()}"
            )
    return problems


def small_targets(root: QWidget, min_px: int) -> list[str]:
    """Visible buttons smaller than `min_px` on either side."""
    return [
        f"{describe(b)} is {b.width()}x{b.height()}"
        for b in root.findChildren(QAbstractButton)
        if visible(b) and (b.width() < min_px or b.height() < min_px)
    ]


def missing_glyphs(root: QWidget) -> list[str]:
    """Visible labels and buttons showing a character the bundled font lacks (it would need a
    system font)."""
    font = QFont(FONT_FAMILY)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    metrics = QFontMetrics(font)
    problems = []
    shown: list[QLabel | QAbstractButton] = [*root.findChildren(QLabel)]
    shown += root.findChildren(QAbstractButton)
    for lab in shown:
        if not visible(lab):
            continue
        missing = {ch for ch in lab.text() if not ch.isspace() and not metrics.inFontUcs4(ord(ch))}
        if missing:
            problems.append(f"{describe(lab)} needs {''.join(sorted(missing))!r} from another font")
    return problems


# -- physical sizes, contrast, names and keys (DESIGN.md, accessibility) ------------------------


MIN_SIDE_MM = 12.0
MIN_AREA_MM2 = 150.0


@dataclass
class Findings:
    """What one screen's audit measured, and what fell short (each problem names the widget)."""

    targets: int = 0
    min_side_mm: float = float("inf")
    min_gap_mm: float = float("inf")
    min_glyph_mm: float = float("inf")
    min_contrast: float = float("inf")
    tab_reached: int = 0
    working_share: float | None = None
    # Keys of a keypad or keyboard out of sight on arrival (hidden_keys).
    keys_hidden: int = 0
    problems: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        def num(v: float, fmt: str) -> str:
            return "-" if v == float("inf") else format(v, fmt)

        share = float("inf") if self.working_share is None else self.working_share

        return (
            f"{name:<34} {self.targets:>3} {num(self.min_side_mm, '5.1f'):>6} "
            f"{num(self.min_gap_mm, '5.1f'):>6} {num(self.min_glyph_mm, '5.1f'):>6} "
            f"{num(self.min_contrast, '5.1f'):>6} {self.tab_reached:>4} "
            f"{num(share, '5.2f'):>6} "
            f"{len(self.problems):>4}"
        )


TABLE_HEADER = (
    f"{'screen':<34} {'n':>3} {'side':>6} {'gap':>6} {'glyph':>6} {'contr':>6} {'tab':>4} "
    f"{'work':>6} {'bad':>4}   (mm, mm, mm, :1, share)"
)


def controls(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if visible(b)]


def _window_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def target_sizes(root: QWidget, panel: Panel, found: Findings) -> None:
    """Every visible control at least 12 mm on each side and 150 mm² in area."""
    for b in controls(root):
        w_mm, h_mm = panel.mm(b.width()), panel.mm(b.height())
        found.targets += 1
        found.min_side_mm = min(found.min_side_mm, w_mm, h_mm)
        if min(w_mm, h_mm) < MIN_SIDE_MM - 1e-6 or w_mm * h_mm < MIN_AREA_MM2:
            found.problems.append(f"{describe(b)} is {w_mm:.1f} x {h_mm:.1f} mm")


def target_gaps(root: QWidget, panel: Panel, found: Findings) -> None:
    """Every two visible controls at least 2.5 mm apart (neither inside the other)."""
    # The part of each control on show: one half under the bottom bar is not next to it.
    rects = []
    for b in controls(root):
        part = b.visibleRegion().boundingRect()
        if not part.isEmpty():
            rects.append((b, QRect(b.mapTo(b.window(), part.topLeft()), part.size())))
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            dx = max(0, rb.x() - (ra.x() + ra.width()), ra.x() - (rb.x() + rb.width()))
            dy = max(0, rb.y() - (ra.y() + ra.height()), ra.y() - (rb.y() + rb.height()))
            gap = panel.mm((dx * dx + dy * dy) ** 0.5)
            found.min_gap_mm = min(found.min_gap_mm, gap)
            if gap < MIN_GAP_MM - 1e-6:
                found.problems.append(f"{describe(a)} and {describe(b)} are {gap:.1f} mm apart")


def _texts(root: QWidget) -> list[QLabel | QAbstractButton]:
    shown: list[QLabel | QAbstractButton] = [
        lab for lab in root.findChildren(QLabel) if visible(lab) and lab.text().strip()
    ]
    shown += [b for b in controls(root) if b.text().strip()]
    return shown


@cache
def _glyph_mm_px(pixel_size: int, bold: bool) -> float:
    return hangul_glyph_height(pixel_size, bold)


def glyph_heights(root: QWidget, panel: Panel, found: Findings) -> None:
    """Every visible text's Hangul glyph (with 받침) at least 10 mm tall."""
    for item in _texts(root):
        info = QFontInfo(item.font())
        mm = panel.mm(_glyph_mm_px(info.pixelSize(), info.bold()))
        found.min_glyph_mm = min(found.min_glyph_mm, mm)
        if mm < MIN_GLYPH_MM - 0.05:
            found.problems.append(f"{describe(item)} has {mm:.1f} mm glyphs")


def _background(image: QImage, rect: QRect) -> str | None:
    """The commonest colour in `rect` of the window's picture: what the text is drawn on."""
    rect = rect.intersected(image.rect())
    if rect.isEmpty():
        return None
    counts: Counter[int] = Counter()
    steps_x, steps_y = min(24, rect.width()), min(8, rect.height())
    for i in range(steps_x):
        x = rect.x() + (rect.width() - 1) * i // max(1, steps_x - 1)
        for j in range(steps_y):
            y = rect.y() + (rect.height() - 1) * j // max(1, steps_y - 1)
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    rgb = counts.most_common(1)[0][0]
    return f"#{rgb:06X}"


def text_contrast(root: QWidget, image: QImage, min_ratio: float, found: Findings) -> None:
    """Every visible text's colour against the colour actually painted behind it in `image`
    (a grab of the whole window): at least `min_ratio`, and 4.5:1 for disabled controls' text."""
    for item in _texts(root):
        region = item.visibleRegion().boundingRect()
        # A sliver at the edge of the scrolling area shows a border, not the text: the text
        # is checked where it can be read, scrolled into view.
        if region.isEmpty() or region.height() < item.height() // 2:
            continue
        rect = QRect(item.mapTo(item.window(), region.topLeft()), region.size())
        bg = _background(image, rect)
        if bg is None:
            continue
        fg = item.palette().color(item.foregroundRole()).name().upper()
        ratio = contrast_ratio(fg, bg)
        found.min_contrast = min(found.min_contrast, ratio)
        enabled = item.isEnabled()
        need = min_ratio if enabled else MIN_CONTRAST_ANYWHERE
        if ratio < need - 0.01:
            found.problems.append(f"{describe(item)} is {fg} on {bg}: {ratio:.2f}:1 < {need}")


def unnamed_controls(root: QWidget, found: Findings) -> None:
    """Every visible control has an accessible name and description."""
    for b in controls(root):
        if not b.accessibleName().strip():
            found.problems.append(f"{describe(b)} has no accessible name")
        if not b.accessibleDescription().strip():
            found.problems.append(f"{describe(b)} has no accessible description")


def tab_path(window: QWidget, root: QWidget, found: Findings) -> None:
    """Tab pressed on whatever has the focus, once round: every visible, enabled control of
    `root` takes the focus on the way."""
    wanted = {id(b): b for b in controls(root) if b.isEnabled()}
    reached: set[int] = set()
    # Once round the window's whole order: `root` may be a part of it (a lesson's panel).
    for _ in range(max(len(wanted), len(window.key_focus.order())) + 3):
        target = window.focusWidget()
        if target is None or not target.isVisible():
            target = window
        QTest.keyClick(target, Qt.Key.Key_Tab)
        now = window.focusWidget()
        if now is not None:
            reached.add(id(now))
        # 위로 / 아래로 turn themselves off while Tab scrolls the working area to an end;
        # the keys scroll it anyway. Such a control is not owed a visit.
        reached.update(key for key, b in wanted.items() if not b.isEnabled())
    found.tab_reached = len(reached & wanted.keys())
    for key, b in wanted.items():
        if key not in reached and visible(b) and b.isEnabled():
            found.problems.append(f"{describe(b)} is never reached by Tab")


def out_of_reach(window, found: Findings) -> None:
    """With 낮은 화면 on, no control above or below the band kiosk.domain.a11y.low_screen
    allows (400–1,220 mm above the floor on the configured panel)."""
    band = window.reach()
    top, bottom = band.top_px, window.height() - band.bottom_px
    for b in controls(window):
        part = b.visibleRegion().boundingRect()
        if part.isEmpty():
            continue
        r = QRect(b.mapTo(window, part.topLeft()), part.size())
        if r.y() < top or r.y() + r.height() > bottom:
            found.problems.append(
                f"{describe(b)} spans {r.y()}..{r.y() + r.height()} px, band {top}..{bottom}"
            )


def overlay(window) -> QWidget | None:
    """A veil over the whole window (the idle prompt, 직원 호출's notice): what is under it
    cannot be used, so the audit looks at the veil only. A lesson's veil lets taps through and
    only dims; what the resident reads and uses there is the lesson's panel, so that is looked
    at (the target under the veil is a screen's own control, audited with its screen)."""
    pages = {window.main_page, window.full_page}
    shown = [
        child
        for child in window.children()
        if isinstance(child, QWidget)
        and child not in pages
        and visible(child)
        and not child.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        and child.geometry().contains(window.rect().adjusted(0, window.reach().top_px, 0, 0))
    ]
    if shown:
        return shown[-1]
    panels = [p for p in window.findChildren(QWidget, "lessonPanel") if visible(p)]
    return panels[-1] if panels else None


def broken_words(root: QWidget) -> list[str]:
    """Visible wrapping labels (a button's words are labels too) narrower than one of their
    words: Qt may then break a word between two syllables ("처음으/로"). Words are what
    spaces part, so a Korean label may break between words only."""
    problems = []
    for lab in root.findChildren(QLabel):
        if not visible(lab) or not lab.wordWrap() or not lab.text().strip():
            continue
        metrics = lab.fontMetrics()
        room = lab.contentsRect().width() - 2 * lab.margin() - max(0, lab.indent())
        widest = max(lab.text().split(), key=metrics.horizontalAdvance)
        needed = metrics.horizontalAdvance(widest)
        if needed > room + 1:
            problems.append(f"{describe(lab)} breaks {widest!r} ({needed}px in {room}px)")
    return problems


def cut_words(root: QWidget) -> list[str]:
    """Visible texts (labels, a button's own words) that stand partly outside what shows them.
    A label fits itself, yet a screen wider than the scrolling area's viewport (its horizontal
    bar is off) or a line wider than its button is cut at that edge: a word loses its end
    ("이야기" of 이야기를); a line standing past the foot of its button loses its lower
    half. The scrolling area's viewport is held to the width only: a text below its fold is
    not cut, only not yet in sight. So is a keyboard: a key past its foot is a hidden key
    (hidden_keys), measured and reported as those are."""
    from kiosk.ui.keyboard import HangulKeyboard

    problems = []
    for item in _texts(root):
        window = item.window()
        rect = _ink(item)
        parent = item.parentWidget()
        scrolled = False  # past the viewport: what stands below the fold scrolls into sight
        keyboards = [k for k in window.findChildren(HangulKeyboard) if k.isAncestorOf(item)]
        while parent is not None and parent is not window:
            shown = _window_rect(parent)
            scrolled = scrolled or parent.objectName() == "qt_scrollarea_viewport"
            if scrolled or (keyboards and not isinstance(parent, QAbstractButton)):
                shown.setTop(rect.top())
                shown.setBottom(rect.bottom())
            cut = max(
                shown.left() - rect.left(),
                rect.right() - shown.right(),
                shown.top() - rect.top(),
                rect.bottom() - shown.bottom(),
            )
            if cut > 1:
                problems.append(
                    f"{describe(item)} is cut {cut}px at the edge of "
                    f"{type(parent).__name__}#{parent.objectName()}"
                )
                break
            parent = parent.parentWidget()
    return problems


def _ink(item: QLabel | QAbstractButton) -> QRect:
    """Where `item`'s words stand across (in window coordinates): its widest line (as wide as
    the label at most) placed by its alignment; a button's own words centred in it."""
    rect = _window_rect(item)
    inner = item.contentsRect() if isinstance(item, QLabel) else item.rect()
    wide = min(inner.width(), item.fontMetrics().size(0, item.text()).width())
    align = item.alignment() if isinstance(item, QLabel) else Qt.AlignmentFlag.AlignHCenter
    left = rect.left() + inner.left()
    if align & Qt.AlignmentFlag.AlignHCenter:
        left += (inner.width() - wide) // 2
    elif align & Qt.AlignmentFlag.AlignRight:
        left += inner.width() - wide
    return QRect(left, rect.top(), wide, rect.height())


def chrome(window) -> list[QWidget]:
    """What the window shows around every screen: the bars, and the 도움·설정 panel when up."""
    parts: list[QWidget] = [window.top_bar, window.bottom_bar]
    if window.settings.panel is not None:
        parts.append(window.settings.panel)
    return parts


def audit_screen(window, name: str, *, tab: bool) -> Findings:
    """Every check on the screen `name` as the window shows it now (show_screen first)."""
    from kiosk.domain.a11y import MIN_CONTRAST_DEFAULT
    from kiosk.ui.render import IDLE_PROMPT

    found = Findings()
    root = window.lifecycle.prompt if name == IDLE_PROMPT else overlay(window) or window
    panel = Panel(window.ctx.config.panel_diagonal_inches, window.width(), window.height())
    image = window.grab().toImage()
    target_sizes(root, panel, found)
    target_gaps(root, panel, found)
    glyph_heights(root, panel, found)
    text_contrast(root, image, MIN_CONTRAST_DEFAULT, found)
    unnamed_controls(root, found)
    if window.prefs.low_screen:
        out_of_reach(window, found)
    found.working_share = working_area_share(window)
    # Held with a digital coach signed in too: the coach's name and 연습 중 stand in the
    # header of a portrait window, beside the rail of a landscape one.
    if found.working_share is not None and found.working_share < MIN_WORKING_AREA_SHARE:
        found.problems.append(
            f"the working area has {found.working_share:.0%} of the window, under "
            f"{MIN_WORKING_AREA_SHARE:.0%}"
        )
    found.problems += [p for part in chrome(window) for p in broken_words(part)]
    found.problems += cut_words(root)
    # Every key of a step's keypad or keyboard in sight on arrival is held (낮은 화면 at 200 %
    # too); the other keypads and keyboards (the staff PIN, a coach's sign-in, the staff's
    # address page) are measured and reported (bench/a11y_audit.py).
    found.problems += [f"key out of sight: {p}" for p in step_keys_hidden(window)]
    found.problems += practice_unfit(window)
    found.problems += pages_overflow(window)
    found.keys_hidden = len(hidden_keys(window))
    if tab:
        tab_path(window, root, found)
    return found


def layout_problems(root: QWidget, where: str) -> list[str]:
    """Clipped text, targets under 96 px and missing glyphs under `root`, each named `where`."""
    found = clipped_labels(root) + small_targets(root, 96) + missing_glyphs(root)
    return [f"{where}: {p}" for p in found]


def hidden_action(window) -> str | None:
    """Where the step or practice kiosk page now shown puts its primary action (다음 / 보내기
    / 투표하기; 주문하기 / 담기 / 확인 / 카드로 결제하기) out of sight on arrival: not wholly
    inside the window, or, inside the scrolling working area, not wholly inside its viewport
    at the scroll position the screen opens at. None when it is in sight (or the screen has no
    such action)."""
    from kiosk.ui.screens.practice import PracticeScreen
    from kiosk.ui.steps.screen import StepScreen

    screen = window.current_screen
    if isinstance(screen, PracticeScreen):
        button = screen.action
    elif isinstance(screen, StepScreen) and screen.row is not None:
        button = screen.row.next
    else:
        return None
    if button is None or not visible(button):
        return None
    return out_of_sight(window, button)


def practice_unfit(window) -> list[str]:
    """How a practice kiosk page now shown falls short of fitting the window: its action out
    of sight on arrival, or (낮은 화면 off, whose band is lower than the window) the page
    scrolling at all (its items and choices come a page at a time instead); a menu's cart not
    wholly in sight."""
    from kiosk.ui.screens.practice import PracticeScreen

    screen = window.current_screen
    if not isinstance(screen, PracticeScreen):
        return []
    problems = []
    where = hidden_action(window)
    if where is not None:
        problems.append(f"the page's action is out of sight: {where}")
    scrolls = window.scroll_area.verticalScrollBar().maximum()
    if scrolls > 0 and not window.prefs.low_screen:
        problems.append(f"the page scrolls {scrolls}px")
    for cart in window.findChildren(QWidget, "cart"):
        if visible(cart):
            where = out_of_sight(window, cart)
            shown = cart.visibleRegion().boundingRect()
            if where is None and shown.size() != cart.size():
                where = f"{describe(cart)} shows {shown.height()} of its {cart.height()}px"
            if where is not None:
                problems.append(f"the cart is not whole in sight: {where}")
    return problems


def pages_overflow(window) -> list[str]:
    """The lists shown a page at a time (kiosk.ui.paging.Pages) whose tallest row, or page
    controls, still reach past the room a page has (`Pages.overflow`): the resident would
    scroll to see a whole card or 다음 쪽. Held with 낮은 화면 too (its band lower than a
    portrait window: the words above a list stand on its first page only, kiosk.ui.paging.
    fit_pages), except at 200 % there, where a few cards are still taller than their page
    (a budget project with 휴대폰으로 보기 under the list, a proposal, a burger's options)."""
    from kiosk.ui.paging import Pages

    if window.reach_rect().height() < window.height() and window.prefs.text_scale >= 200:
        return []
    return [
        f"{describe(pages)} overflows its page by {pages.overflow}px ({pages.pages} pages)"
        for pages in window.findChildren(Pages)
        if visible(pages) and pages.overflow > 0
    ]


def out_of_sight(window, widget: QWidget) -> str | None:
    """Where `widget` lies when it is not wholly in sight now: outside the window, or, inside
    the scrolling working area, outside its viewport at the present scroll position."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    shown = window.rect()
    if window.scroll_area.isAncestorOf(widget):
        viewport = window.scroll_area.viewport()
        shown = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
    if shown.contains(rect):
        return None
    return f"{describe(widget)} spans {_span(rect)}, in sight {_span(shown)}"


def _span(rect: QRect) -> str:
    return f"x {rect.left()}..{rect.right()}, y {rect.top()}..{rect.bottom()} px"


def hidden_keys(window, *, keyboards: bool = True) -> list[str]:
    """The keys of a keypad (and, with `keyboards`, of an on-screen keyboard) shown now that
    are not wholly in sight on arrival (the scroll position the screen opens at): a resident
    must scroll to reach them. Empty when every key is in sight."""
    from kiosk.ui.keyboard import HangulKeyboard
    from kiosk.ui.widgets import Keypad

    pads: list[QWidget] = [p for p in window.findChildren(Keypad) if visible(p)]
    if keyboards:
        pads += [k for k in window.findChildren(HangulKeyboard) if visible(k)]
    return keys_out_of_sight(window, pads)


def step_keys_hidden(window) -> list[str]:
    """The keys of the step's keypad (본인 확인, an amount) or keyboard now shown out of sight
    on arrival."""
    from kiosk.ui.steps.screen import StepScreen

    screen = window.current_screen
    if not isinstance(screen, StepScreen):
        return []
    pads = [p for p in (screen.keypad, screen.keyboard) if p is not None and visible(p)]
    return keys_out_of_sight(window, pads)


def keys_out_of_sight(window, pads: list[QWidget]) -> list[str]:
    """Keys of `pads` not wholly in sight: outside the window or the scrolling area's
    viewport, or partly hidden by what holds them (a keyboard given less height than its
    keys need)."""
    found = []
    for pad in pads:
        for key in pad.findChildren(QAbstractButton):
            if not visible(key):
                continue
            where = out_of_sight(window, key)
            shown = key.visibleRegion().boundingRect()
            if where is None and shown.size() != key.size():
                where = f"{describe(key)} shows {shown.height()} of its {key.height()}px"
            if where is not None:
                found.append(where)
    return found


MIN_WORKING_AREA_SHARE = 0.75


def working_area_share(window) -> float | None:
    """The share of the window the screen's own work gets: in portrait of the height, in
    landscape of the width, between the bars (or beside the rail). The working area is the
    scrolling area with what the screen pins under it (a step's action bar); 낮은 화면's empty
    bands are not the bars', so the share is of the band controls may use. None for a screen
    that fills the whole window (the attract loop)."""
    screen = window.current_screen
    if screen is None or screen.fills_window or window.in_attract:
        return None
    parts = [window.scroll_area] + [window.pinned_slot] * window.pinned_slot.isVisible()
    work = QRect()
    for part in parts:
        work = work.united(QRect(part.mapTo(window, QPoint(0, 0)), part.size()))
    room = window.reach_rect()
    if window.width() > window.height():
        return work.width() / max(1, room.width())
    return work.height() / max(1, room.height())
