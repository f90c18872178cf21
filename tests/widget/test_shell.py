"""The kiosk shell as a resident meets it: tiles, bars, idle prompt, attract loop, staff entry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.app import report_staff_pin
from kiosk.domain.a11y import TEXT_SCALES, Panel
from kiosk.domain.admin import DEMO_STAFF_PIN, DEMO_STAFF_PIN_HASH
from kiosk.ui.fonts import hangul_glyph_height
from kiosk.ui.navigation import Route
from kiosk.ui.paging import Pages
from kiosk.ui.render import screen_names, show_screen
from kiosk.ui.screens.home import AREAS
from tests.helpers.audit import clipped_labels, layout_problems, missing_glyphs, small_targets
from tests.helpers.resident import tap_back, tap_setting
from tests.helpers.staff_pin import STAFF_PIN, give_staff_pin

TAP = Qt.MouseButton.LeftButton


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, TAP)


def find(window, name):
    """The visible widget called `name` (replaced widgets linger hidden until deleted)."""
    found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, (
        f"{len(found)} widgets named {name} on {window.navigator.current.screen}"
    )
    return found[0]


def test_home_shows_a_tile_for_each_area_in_korean(window):
    assert window.navigator.current.screen == "home"
    titles = [find(window, f"tile_{a}").accessibleName() for a in AREAS]
    assert [t.split()[0] for t in titles] == [
        "설문·공모",
        "정책제안",
        "주민참여예산",
        "영상센터",
        "포인트",
    ]


@pytest.mark.parametrize("area", AREAS)
def test_each_tile_opens_its_area_and_back_returns_home(qtbot, window, area):
    tap(qtbot, find(window, f"tile_{area}"))
    assert window.navigator.current.screen == area
    shown = {lab.text() for lab in window.current_screen.findChildren(QLabel)}
    assert window.translator.tr(f"area.{area}") in shown
    assert window.back_button.isEnabled()
    tap_back(qtbot, window)
    assert window.navigator.current.screen == "home"
    assert not window.back_button.isEnabled()


def test_home_button_clears_history(qtbot, window):
    tap(qtbot, find(window, "tile_budget"))
    tap(qtbot, find(window, "homeButton"))
    assert window.navigator.current.screen == "home"
    assert not window.navigator.can_go_back


def test_korean_text_uses_the_bundled_font(window):
    greeting = next(
        lab for lab in window.current_screen.findChildren(QLabel) if "무엇을" in lab.text()
    )
    assert QFontInfo(greeting.font()).family() == "Pretendard GOV"


def test_language_switch_and_back(qtbot, window):
    tap_setting(qtbot, window, "languageButton")
    texts = {lab.text() for lab in window.current_screen.findChildren(QLabel)}
    assert "What would you like to do?" in texts
    assert find(window, "homeButton").accessibleName() == "Start over"
    tap_setting(qtbot, window, "languageButton")
    texts = {lab.text() for lab in window.current_screen.findChildren(QLabel)}
    assert "무엇을 하시겠어요?" in texts


def test_text_size_button_cycles_three_sizes(qtbot, window):
    sizes = []
    for _ in range(3):
        sizes.append(window.prefs.text_scale)
        tap_setting(qtbot, window, "textSizeButton")
    assert sizes == list(TEXT_SCALES)
    assert window.prefs.text_scale == 100


def test_idle_prompt_then_more_time_keeps_the_screen(qtbot, window, idle_clock):
    tap(qtbot, find(window, "tile_proposals"))
    for _ in range(10):  # "시간 연장" can be pressed at least 10 times
        idle_clock.advance(101)
        window.idle.check()
        assert window.lifecycle.prompt.isVisible()
        assert "19초" in find(window, "idleCountdown").text()
        tap(qtbot, find(window, "idleExtend"))
        assert not window.lifecycle.prompt.isVisible()
        assert window.navigator.current.screen == "proposals"


def test_idle_timeout_goes_to_attract_and_touch_returns_home(qtbot, window, idle_clock):
    tap(qtbot, find(window, "tile_videos"))
    tap_setting(qtbot, window, "textSizeButton")
    idle_clock.advance(100)
    window.idle.check()
    assert window.lifecycle.prompt.isVisible()
    tap(qtbot, window.current_screen)  # a touch on the veil is not "시간 연장"
    idle_clock.advance(21)
    window.idle.check()
    assert window.in_attract and window.navigator.current.screen == "home"
    assert find(window, "attractStart").text_of_lines() == "시작하기\n화면 어디를 눌러도 시작합니다"
    assert window.prefs.text_scale == 100  # the next resident gets the default view
    tap(qtbot, window.current_screen)
    assert not window.in_attract
    assert window.navigator.current.screen == "home" and not window.navigator.can_go_back


def test_attract_loop_plays_promotions(qtbot, window):
    # The rotation itself is tested with a fake clock in test_board_player.py.
    window.enter_attract()
    player = window.current_screen.player
    qtbot.waitUntil(lambda: player.showing is not None and player.showing.promotion is not None)


def open_pin_page(qtbot, window) -> None:
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    assert window.navigator.current.screen == "admin_pin"


def type_pin(qtbot, window, pin: str) -> None:
    for digit in pin:
        tap(qtbot, find(window, f"key_{digit}"))
    tap(qtbot, find(window, "key_확인"))


def test_hidden_staff_entry_and_pin(qtbot, window):
    give_staff_pin(window)  # as enrolment does
    open_pin_page(qtbot, window)
    assert not window.current_screen.message.isVisible()
    for digit in "1111":
        tap(qtbot, find(window, f"key_{digit}"))
    assert find(window, "pinDots").text() == "●●●●"
    tap(qtbot, find(window, "key_확인"))
    assert "맞지 않습니다" in find(window, "pinMessage").text()
    assert window.navigator.current.screen == "admin_pin"
    type_pin(qtbot, window, DEMO_STAFF_PIN)  # the README's demo PIN opens nothing here
    assert window.navigator.current.screen == "admin_pin"
    type_pin(qtbot, window, STAFF_PIN)
    assert window.navigator.current.screen == "admin_status"
    values = " ".join(lab.text() for lab in window.current_screen.findChildren(QLabel))
    assert window.ctx.content.active_version() in values
    assert "대기 0" in values
    # The path may wrap at its separators (zero-width spaces): it shows whole.
    assert str(window.ctx.data_dir) in values.replace("\u200b", "")


# The high-contrast theme changes colours only (kiosk.ui.theme.stylesheet: one Metrics for both
# palettes), so its layout is the default theme's but for the words naming the theme's own state
# (the settings panel): it is walked at the largest text, where those words need the most room.
THEMED_SCALES = [(scale, False) for scale in TEXT_SCALES] + [(max(TEXT_SCALES), True)]


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize(
    ("scale", "high_contrast"),
    THEMED_SCALES,
    ids=[f"{'contrast' if c else 'default'}-{s}" for s, c in THEMED_SCALES],
)
def test_no_clipped_text_and_large_targets_everywhere(
    qtbot, make_window, size, scale, high_contrast
):
    window = make_window(size)
    problems = []
    for language in ("ko", "en"):
        window.prefs.set(language=language, text_scale=scale, high_contrast=high_contrast)
        # The practice kiosks' pages: tests/widget/test_practice_kiosks.py, at every size.
        for name in screen_names(None):
            show_screen(window, name)
            qtbot.wait(1)
            root = window.lifecycle.prompt if name == "idle_prompt" else window
            where = f"{name} ({language})"
            problems += [f"{where}: {p}" for p in clipped_labels(root)]
            problems += [f"{where}: {p}" for p in small_targets(root, 96)]
            problems += [f"{where}: {p}" for p in missing_glyphs(root)]
            window.lifecycle.close_prompt()
    assert not problems, "\n".join(problems)


def test_long_screens_scroll_by_taps_not_swipes(qtbot, window):
    assert not find_any(window, "scrollDownButton").isVisible()  # everything fits at 100 %
    window.prefs.set(language="en", text_scale=200, high_contrast=False)
    # The home tiles come a page at a time at 200 % (test_home_tiles_page_at_large_text);
    # the video centre's list is longer than the working area.
    window.navigate(Route("videos"))
    qtbot.waitUntil(lambda: find_any(window, "scrollDownButton").isVisible())
    bar = window.scroll_area.verticalScrollBar()
    up, down = find(window, "scrollUpButton"), find(window, "scrollDownButton")
    assert not up.isEnabled() and bar.value() == 0
    while down.isEnabled():
        before = bar.value()
        tap(qtbot, down)
        assert bar.value() > before
    assert bar.value() == bar.maximum()
    tap(qtbot, up)
    assert bar.value() < bar.maximum()


@pytest.mark.parametrize("size", ((1080, 1920), (1920, 1080)), ids=("portrait", "landscape"))
def test_home_tiles_page_at_large_text(qtbot, make_window, size):
    """At 200 % the five home tiles do not all fit: they come a page at a time with 이전 쪽 /
    다음 쪽 and "1 / N쪽", nothing scrolls, and 간편 모드's switch stays in sight under them."""
    window = make_window(size)
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    bar = window.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0)  # the pages fit once the screen is laid out
    (pages,) = window.current_screen.findChildren(Pages)
    assert pages.pages > 1 and find(window, "pageCount").text() == f"1 / {pages.pages}쪽"
    seen = []
    for page in range(pages.pages):
        assert bar.maximum() == 0
        assert not find(window, "simpleModeButton").visibleRegion().isEmpty()
        seen += [t.objectName() for t in pages.items if t.isVisible()]
        if page < pages.pages - 1:
            tap(qtbot, find(window, "pageNext"))
    assert seen == [f"tile_{area}" for area in AREAS]


def find_any(window, name):
    """The newest widget called `name`, shown or not."""
    return window.findChildren(QWidget, name)[-1]


@pytest.mark.parametrize(
    ("diagonal", "size"), [(32, (1080, 1920)), (24, (1080, 1920)), (32, (1920, 1080))]
)
def test_body_text_is_at_least_12_mm_tall_on_the_panel(make_window, diagonal, size):
    window = make_window(size, panel_diagonal_inches=diagonal)
    greeting = next(
        lab for lab in window.current_screen.findChildren(QLabel) if "하고 싶은" in lab.text()
    )
    glyph_px = hangul_glyph_height(QFontInfo(greeting.font()).pixelSize())
    panel = Panel(diagonal, *size)
    assert panel.mm(glyph_px) >= 12.0
    tile_title = find(window, "tile_surveys").lines[0]
    assert panel.mm(hangul_glyph_height(QFontInfo(tile_title.font()).pixelSize(), bold=True)) >= 12


def test_any_tap_or_key_restarts_the_idle_time(qtbot, window, idle_clock):
    # Through the native window, as a touchscreen's input arrives (QTest's widget clicks skip it).
    native = window.windowHandle()
    tile = find(window, "tile_surveys")
    idle_clock.advance(90)
    QTest.mouseClick(
        native, TAP, Qt.KeyboardModifier.NoModifier, tile.mapTo(window, tile.rect().center())
    )
    assert window.navigator.current.screen == "surveys"
    idle_clock.advance(90)  # 180 s since start, 90 s since the tap
    window.idle.check()
    assert not window.lifecycle.prompt.isVisible() and not window.in_attract
    QTest.keyClick(native, Qt.Key.Key_Tab)
    idle_clock.advance(90)
    window.idle.check()
    assert not window.lifecycle.prompt.isVisible() and not window.in_attract
    idle_clock.advance(30)
    window.idle.check()
    assert window.in_attract


def window_rect(window, widget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_landscape_at_200_percent_gives_the_working_area_the_height(qtbot, make_window):
    """A wall-mounted landscape panel at the largest text: the bars stand in a rail at the
    right, the home tiles get nearly the whole height and each can be read whole."""
    window = make_window((1920, 1080))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    qtbot.wait(1)
    work = window_rect(window, window.scroll_area.viewport())
    assert work.height() >= 0.8 * window.height()
    assert not layout_problems(window, "home")
    rail_buttons = [
        b
        for bar in (window.top_bar, window.bottom_bar)
        for b in bar.findChildren(QAbstractButton)
        if b.isVisible()
    ]
    assert {b.objectName() for b in rail_buttons} >= {
        "staffCallButton",
        "settingsButton",
        "homeButton",
    }
    for b in rail_buttons:
        assert window_rect(window, b).left() > window_rect(window, window.scroll_area).right()
    # Every tile shown whole at some point while 다음 쪽 turns the pages.
    seen = set()
    down = find_any(window, "pageNext")
    while True:
        for area in AREAS:
            tile = find_any(window, f"tile_{area}")
            if tile.isVisible() and tile.visibleRegion().boundingRect() == tile.rect():
                seen.add(area)
        if not (down.isVisible() and down.isEnabled()):
            break
        tap(qtbot, down)
    assert seen == set(AREAS)
    while not find_any(window, "tile_budget").isVisible():
        tap(qtbot, find(window, "pagePrevious"))
    tap(qtbot, find(window, "tile_budget"))
    assert window.navigator.current.screen == "budget"
    tap(qtbot, find(window, "homeButton"))
    assert window.navigator.current.screen == "home"
    assert not window.navigator.can_go_back


def test_turning_the_window_moves_the_bars_between_rows_and_the_rail(qtbot, make_window):
    window = make_window((1080, 1920))

    def bars_across() -> bool:
        scroll = window_rect(window, window.scroll_area)
        top, bottom = window_rect(window, window.top_bar), window_rect(window, window.bottom_bar)
        return (
            top.bottom() < scroll.top()
            and bottom.top() > scroll.bottom()
            and top.width() == bottom.width() == window.width()
        )

    def bars_in_rail() -> bool:
        scroll = window_rect(window, window.scroll_area)
        bars = [window_rect(window, bar) for bar in (window.top_bar, window.bottom_bar)]
        return scroll.height() == window.height() and all(r.left() > scroll.right() for r in bars)

    assert bars_across() and not window.rail.isVisible()
    window.resize(1920, 1080)
    qtbot.waitUntil(bars_in_rail)
    assert window.rail.isVisible()
    window.resize(1080, 1920)
    qtbot.waitUntil(bars_across)
    assert not window.rail.isVisible()


def test_the_bars_hold_only_what_a_resident_needs_at_every_moment(qtbot, window):
    shown = {
        b.objectName()
        for bar in (window.top_bar, window.bottom_bar)
        for b in bar.findChildren(QAbstractButton)
        if b.isVisible()
    }
    assert shown == {"staffCallButton", "backButton", "settingsButton", "homeButton"}


def test_help_and_settings_opens_a_large_panel_that_stays_until_close(qtbot, window):
    """도움·설정 opens one panel over the window with a large button per setting; a setting
    changed there shows at once (the panel is built again in the new size) and the panel
    stays until 닫기; the keys move only among its buttons while it is up."""
    tap(qtbot, find(window, "settingsButton"))
    panel = find(window, "settingsPanel")
    assert panel.geometry() == window.rect()
    names = ["textSizeButton", "contrastButton", "voiceButton", "languageButton"]
    names += ["lowScreenButton", "settingsClose"]
    target = window.theme.metrics.target_px
    for name in names:
        button = find(window, name)
        assert panel.isAncestorOf(button)
        assert button.width() >= 2 * target and button.height() >= target
    assert find(window, "settingsTitle").text() == "도움·설정"
    assert find(window, "textSizeButton").accessibleName() == "글자 크기: 보통"
    tap(qtbot, find(window, "textSizeButton"))
    assert window.prefs.text_scale == 150 and window.settings.is_open
    assert find(window, "textSizeButton").accessibleName() == "글자 크기: 크게"
    assert not layout_problems(window.settings.panel, "the panel at 150 %")
    QTest.keyClick(window, Qt.Key.Key_Tab)
    order = [b.objectName() for b in window.key_focus.order()]
    assert order == names
    tap(qtbot, find(window, "settingsClose"))
    assert not window.settings.is_open and not shown_any(window, "settingsPanel")
    assert window.prefs.text_scale == 150
    assert window.key_focus.in_use and window.focusWidget() is find(window, "settingsButton")


def shown_any(window, name: str) -> bool:
    return any(w.isVisible() for w in window.findChildren(QWidget, name))


def test_voice_settings_on_a_landscape_window_at_200_percent(qtbot, make_window):
    """With voice guidance on at the largest text the rail does not change (음성 설정 is in
    the 도움·설정 panel, not in the bars) and the working area keeps the whole height; speed
    and volume open from the panel."""
    window = make_window((1920, 1080), speech_engine="mock")
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    assert window.rail.isVisible()
    width = window.scroll_area.viewport().width()
    tap_setting(qtbot, window, "voiceButton")
    assert window.voice.settings.on and window.rail.isVisible()
    assert not window.rail.findChildren(QWidget, "voiceSettingsButton")
    assert window.scroll_area.viewport().height() >= 0.8 * window.height()
    assert window.scroll_area.viewport().width() == width
    assert not layout_problems(window, "home, voice on")
    tap(qtbot, find(window, "settingsButton"))
    assert not layout_problems(window.settings.panel, "the panel, voice on")
    tap(qtbot, find(window, "voiceSettingsButton"))
    assert not window.settings.is_open
    assert window.navigator.current.screen == "voice_settings"
    assert not layout_problems(window, "voice settings")
    tap_setting(qtbot, window, "voiceButton")
    assert not window.voice.settings.on and window.rail.isVisible()
    assert not layout_problems(window, "home, voice off")


@pytest.mark.logs_error("staff_pin_refused reason=admin.pin.unset")
def test_without_a_staff_pin_the_page_says_so_and_2580_opens_nothing(qtbot, window, caplog):
    open_pin_page(qtbot, window)
    message = find(window, "pinMessage")
    assert "관리자 비밀번호가 아직 정해지지 않았습니다" in message.text()
    assert "python -m sync enroll" in message.text()  # and how to set one
    type_pin(qtbot, window, DEMO_STAFF_PIN)
    assert window.navigator.current.screen == "admin_pin"
    assert "정해지지 않았습니다" in find(window, "pinMessage").text()
    # No try is counted against a PIN that does not exist: no lock-out, nothing to report.
    assert window.ctx.staff_pin.lockout.failures.misses == 0
    assert "staff_pin_refused reason=admin.pin.unset" in caplog.text


@pytest.mark.logs_error("staff_pin_unusable reason=demo", "staff_pin_refused reason=")
def test_the_demo_pin_hash_in_the_configuration_is_refused_with_the_reason(
    qtbot, make_window, caplog
):
    window = make_window(admin_pin_hash=DEMO_STAFF_PIN_HASH)
    report_staff_pin(window.ctx)  # what start-up logs
    assert "staff_pin_unusable reason=demo" in caplog.text
    open_pin_page(qtbot, window)
    assert "체험용 비밀번호(2580)는 체험 모드에서만" in find(window, "pinMessage").text()
    type_pin(qtbot, window, DEMO_STAFF_PIN)
    assert window.navigator.current.screen == "admin_pin"


def test_in_demo_mode_2580_opens_the_staff_page(qtbot, window):
    window.ctx.demo = True  # python -m kiosk --demo (./dev demo)
    open_pin_page(qtbot, window)
    assert not window.current_screen.message.isVisible()
    type_pin(qtbot, window, DEMO_STAFF_PIN)
    assert window.navigator.current.screen == "admin_status"


def test_the_staff_pin_lockout_survives_a_restart(qtbot, make_window):
    first = make_window()
    give_staff_pin(first)
    open_pin_page(qtbot, first)
    for _ in range(5):
        type_pin(qtbot, first, "11111111")
    assert "잠겼습니다" in find(first, "pinMessage").text()
    first.close()
    first.ctx.close()
    # The app starts again on the same data directory (a power cut, a watchdog restart).
    second = make_window()
    open_pin_page(qtbot, second)
    type_pin(qtbot, second, STAFF_PIN)  # even the right PIN waits
    assert second.navigator.current.screen == "admin_pin"
    assert "잠겼습니다" in find(second, "pinMessage").text()
    failures = second.ctx.staff_pin.lockout.failures
    assert failures.lockouts == 1 and failures.lock_s == 60


@pytest.mark.parametrize("size", ((1080, 1920), (1920, 1080)), ids=("portrait", "landscape"))
def test_a_screen_shows_one_back(qtbot, window, size):
    """A step's own 이전 stands in its action bar: the bar's is then hidden, and shown again
    on a screen without one (the home screen, a list)."""
    window.resize(*size)
    for name in ("identity_phone", "survey_question_single_choice", "budget_projects"):
        show_screen(window, name)
        assert window.current_screen.row.back.isVisible(), name
        assert not window.back_button.isVisible(), name
    show_screen(window, "home")
    assert window.back_button.isVisible()
    tap(qtbot, find(window, f"tile_{AREAS[0]}"))
    assert window.back_button.isVisible() and window.back_button.isEnabled()


@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_the_bottom_bar_keeps_its_icons_where_the_buttons_shown_leave_room(make_window, scale):
    """A portrait window's bottom bar fits each row to the buttons it shows: on a step (its
    own 이전 in its action bar, nothing to scroll) 직원 호출, 도움·설정 and 처음으로 keep
    their icons at every text size (at 200 % they all went, measured with 위로 / 아래로 and
    이전 that were not shown), hidden buttons leave no gap, and no word breaks."""
    window = make_window((1080, 1920))
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    show_screen(window, "survey_question_yes_no")
    bar, bars = window.bottom_bar, window.bars
    buttons = [bars.staff_call_button, bars.settings_button, bars.home_button]
    for button in buttons:
        assert button is not None and button.isVisible()
        (line,) = [lab for lab in button.findChildren(QLabel) if lab.text()]
        assert line.icon_shown, f"{button.objectName()} at {scale} %"
        assert line.heightForWidth(line.width()) <= line.fontMetrics().lineSpacing() + 2
    # 직원 호출 alone in its row takes the row's width: the hidden 위로 / 아래로 take none.
    assert buttons[0] is not None and buttons[0].width() > window.width() * 3 // 4
    # Where 이전 shows beside them (home at 200 %), the icons go before any word would wrap.
    show_screen(window, "home")
    for button in buttons[1:]:
        assert button is not None
        (line,) = [lab for lab in button.findChildren(QLabel) if lab.text()]
        assert line.heightForWidth(line.width()) <= line.fontMetrics().lineSpacing() + 2
    assert layout_problems(bar, "bar") == []
