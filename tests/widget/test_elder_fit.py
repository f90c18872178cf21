"""Steps that did not fit at the text sizes elders choose (issue 17), tapped through as a
resident would: 본인 확인 (its first page says why, then the keypad pages keep only their
prompt), 포인트 받기 on a landscape window, and the home tiles at 150 %."""

from __future__ import annotations

from datetime import datetime

import pytest
from nacl.public import PrivateKey
from PySide6.QtWidgets import QApplication

from contract.content import KST
from kiosk.ui.paging import Pages
from kiosk.ui.render import show_screen
from kiosk.ui.screens.home import AREAS
from tests.helpers.audit import hidden_action, out_of_sight, step_keys_hidden, visible
from tests.helpers.resident import enrol, find, on, press, shown, tap_name

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)


def scrolls(window) -> int:
    """How far the working area scrolls: 0 when the whole step is in sight."""
    QApplication.processEvents()
    return window.scroll_area.verticalScrollBar().maximum()


def assert_fits(window, where: str) -> None:
    assert scrolls(window) == 0, f"{where}: the words scroll {scrolls(window)}px"
    assert hidden_action(window) is None, f"{where}: {hidden_action(window)}"
    assert step_keys_hidden(window) == [], where


def open_window(make_window, size, scale, *, voice=False):
    window = make_window(size, speech_engine="mock")
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False)
    if voice:
        window.voice.toggle()
    return window


@pytest.mark.parametrize(
    ("size", "scale", "voice"),
    [
        (PORTRAIT, 200, False),
        (PORTRAIT, 200, True),
        (LANDSCAPE, 200, False),
        (PORTRAIT, 150, False),
    ],
    ids=["portrait-200", "portrait-200-voice", "landscape-200", "portrait-150"],
)
def test_identity_fits_every_page_without_scrolling(qtbot, make_window, size, scale, voice):
    """투표하기 → 본인 확인: its first page says why the numbers are asked and that they are not
    kept here, whole with 다음; then the phone number and the birth date, each page's words,
    every key and 다음 (확인) in sight with nothing to scroll (the words scrolled 571 px at
    200 % portrait before)."""
    window = open_window(make_window, size, scale, voice=voice)
    show_screen(window, "budget_review")
    tap_name(qtbot, window, "submitButton")
    assert on(window) == "identity"
    why = find(window, "identityWhy").text()
    assert "이 기기에는 남기지 않습니다" in why and "한 번만" in why
    assert not shown(window, "key_1")
    assert_fits(window, "intro")
    tap_name(qtbot, window, "flowNext")
    assert shown(window, "key_1") and not shown(window, "identityWhy")
    assert_fits(window, "phone")
    press(qtbot, window, "01012345678")
    tap_name(qtbot, window, "flowNext")
    assert find(window, "identityReadout").text() == "○○○○.○○.○○"
    assert_fits(window, "birth")


def test_identity_with_low_screen_keeps_its_keys_and_action_in_sight(qtbot, make_window):
    """낮은 화면 at 200 % on a portrait window: its band leaves the words above the keypad a
    strip, so they may scroll there; every key and 다음 stay in sight."""
    window = open_window(make_window, PORTRAIT, 200)
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=True)
    show_screen(window, "budget_review")
    tap_name(qtbot, window, "submitButton")
    assert hidden_action(window) is None
    tap_name(qtbot, window, "flowNext")
    assert hidden_action(window) is None and step_keys_hidden(window) == []


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_points_choice_fits_at_200_with_its_action_in_the_bar(qtbot, make_window, size):
    """포인트 받기 at 200 %: the question, how, 포인트 없이 보내기 and the once-only rule in sight
    without scrolling (landscape scrolled 269 px), 포인트 받기 in the fixed action bar; a tap
    on it opens 본인 확인 on the page that says why."""
    window = open_window(make_window, size, 200)
    show_screen(window, "points_choice")
    assert on(window) == "points_choice"
    assert scrolls(window) == 0
    button = find(window, "earnPoints")
    assert not window.scroll_area.isAncestorOf(button) and hidden_action(window) is None
    assert visible(find(window, "earn_anonymous"))
    tap_name(qtbot, window, "earnPoints")
    assert on(window) == "identity" and shown(window, "identityWhy")
    assert scrolls(window) == 0


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_home_shows_every_tile_on_one_page_at_150(qtbot, make_window, size):
    """At 150 % the five tiles stand on one page (a second page held 포인트 before), each at
    least twice a touch target tall with its name and words whole; no page controls."""
    window = open_window(make_window, size, 150)
    show_screen(window, "home")
    QApplication.processEvents()
    pages = window.current_screen.findChild(Pages)
    assert pages is not None and pages.pages == 1 and not pages.controls.isVisible()
    assert scrolls(window) == 0
    target = window.theme.metrics.target_px
    for area in AREAS:
        tile = find(window, f"tile_{area}")
        assert tile.height() >= 2 * target, (area, tile.height())
        assert tile.visibleRegion().boundingRect().size() == tile.size(), area
    tap_name(qtbot, window, "tile_points")
    assert on(window) == "points"


def test_home_tiles_keep_their_height_where_they_fit_anyway(qtbot, make_window):
    """At 100 % on a portrait window nothing needed lowering: the tiles keep the stylesheet's
    height."""
    window = open_window(make_window, PORTRAIT, 100)
    show_screen(window, "home")
    QApplication.processEvents()
    tile = find(window, "tile_surveys")
    assert tile.height() >= round(window.theme.metrics.target_px * 2.5)


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_thanks_fits_at_200_with_no_way_back_and_home_in_the_bar(qtbot, make_window, size):
    """The thank-you at 200 % (with the points line), counting down and stopped: whole without
    scrolling (it scrolled, its 처음으로 under the fold); 처음으로 in the fixed action bar,
    and no 이전 (the rail showed one enabled: a finished flow has no step to go back to),
    nor a second 처음으로; a tap on 처음으로 goes home, where the bar's 처음으로 is back."""
    window = open_window(make_window, size, 200)
    show_screen(window, "thanks")
    assert on(window) == "thanks" and window.navigator.can_go_back
    assert scrolls(window) == 0
    home = find(window, "thanksHome")
    assert not window.scroll_area.isAncestorOf(home)
    assert out_of_sight(window, home) is None
    assert visible(find(window, "thanksStay")) and visible(find(window, "thanksPoints"))
    assert not shown(window, "backButton")
    assert not shown(window, "homeButton")  # one 처음으로 (the bar's stood beside it)
    tap_name(qtbot, window, "thanksStay")  # stopped: its longer words still fit whole
    assert scrolls(window) == 0 and out_of_sight(window, home) is None
    tap_name(qtbot, window, "thanksHome")
    assert on(window) == "home" and shown(window, "homeButton")
    # Each points line the server's receipt may bring (the already-credited and not-counted
    # ones had two sentences and scrolled 115 px), in both languages.
    for language in ("ko", "en"):
        window.prefs.set(language=language, text_scale=200, high_contrast=False)
        for sample in ("thanks_credited", "thanks_already", "thanks_not_counted"):
            show_screen(window, sample)
            assert visible(find(window, "thanksPoints")), sample
            assert scrolls(window) == 0, (sample, language)
            tap_name(qtbot, window, "thanksStay")
            assert scrolls(window) == 0, (sample, language, "stopped")


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_new_proposal_stays_in_reach_at_every_size(qtbot, make_window, size):
    """새 제안 쓰기, the proposals list's primary action: on a portrait window in the fixed
    action bar (it stood in the scrolling page, beside the title), on a landscape one beside
    the title of a list that fits without scrolling; in sight on arrival and after a page
    turn at 150 and 200 %; a tap on it starts a new proposal."""
    window = open_window(make_window, size, 150)
    for scale in (150, 200):
        window.prefs.set(language="ko", text_scale=scale, high_contrast=False)
        show_screen(window, "home")
        tap_name(qtbot, window, "tile_proposals")
        write = find(window, "writeProposal")
        assert window.scroll_area.isAncestorOf(write) == (size == LANDSCAPE), scale
        if size == LANDSCAPE:
            assert scrolls(window) == 0, scale
        assert out_of_sight(window, write) is None, scale
        pages = window.current_screen.findChild(Pages)
        if pages is not None and pages.pages > 1:
            tap_name(qtbot, window, "pageNext")
            assert out_of_sight(window, find(window, "writeProposal")) is None, scale
    tap_name(qtbot, window, "writeProposal")
    assert on(window) == "proposal_new_dong"
