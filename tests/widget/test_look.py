"""The public-service look: icons beside the words of the home tiles and the main actions, the
온통중구 header band, and the attract loop's one huge 시작하기."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

from kiosk.paths import asset_path
from kiosk.ui.icons import ICON_SET, ICONS, IconLine, renderer
from kiosk.ui.render import show_screen
from kiosk.ui.screens.home import AREAS
from tests.helpers.resident import find, on, tap


def icon_of(button) -> IconLine:
    lines = [line for line in button.findChildren(IconLine) if line.isVisible()]
    assert len(lines) == 1, button.objectName()
    return lines[0]


def ink_share(image: QImage, rect: QRect, colour: str, tolerance: int = 40) -> float:
    """The share of the pixels of `rect` within `tolerance` of `colour` per channel."""
    want = QColor(colour)
    hits = total = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            got = QColor(image.pixel(x, y))
            total += 1
            hits += all(
                abs(a - b) <= tolerance
                for a, b in zip(got.getRgb()[:3], want.getRgb()[:3], strict=True)
            )
    return hits / max(1, total)


def drawn_icon_share(line: IconLine, colour: str) -> float:
    """How much of the icon's square, before the words, is drawn in `colour`."""
    image = line.grab().toImage()
    side = line.icon_side()
    margin = line.contentsMargins().left()
    words = line.fontMetrics().boundingRect(line.contentsRect(), int(line.alignment()), line.text())
    left = words.left() - margin
    top = words.top() + (min(words.height(), line.fontMetrics().height()) - side) // 2
    return ink_share(image, QRect(left, max(0, top), side, side), colour)


def test_every_icon_is_vendored_with_its_licence_and_can_be_drawn(qapp):
    folder = asset_path("icons", ICON_SET)
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    for purpose in ICONS:
        assert renderer(purpose, "#083891").isValid(), purpose


def test_home_tiles_and_bar_actions_show_icons_in_the_words_colour_and_keep_their_names(
    qtbot, make_window
):
    window = make_window((1920, 1080))  # the rail: every bar button has room for its icon
    palette = window.theme.palette
    for area in AREAS:
        tile = find(window, f"tile_{area}")
        line = icon_of(tile)
        assert line.purpose == area and line.text() == tile.lines[0].text()
        # Drawn, in the tile's words' colour (white on the primary blue).
        assert drawn_icon_share(line, palette.on_primary) > 0.08, area
    names = {
        "homeButton": ("home", "처음으로"),
        "backButton": ("back", "이전"),
        "staffCallButton": ("staff_call", "직원 호출"),
        "settingsButton": ("settings", "도움·설정"),
    }
    for name, (purpose, words) in names.items():
        button = find(window, name)
        assert icon_of(button).purpose == purpose
        # The words alone name the button: the icon is not read out.
        assert button.accessibleName() == words
        assert icon_of(button).text() == words
    window.prefs.set(language="ko", text_scale=100, high_contrast=True)
    home = find(window, "homeButton")
    assert drawn_icon_share(icon_of(home), window.theme.palette.on_secondary) > 0.08


def test_a_step_says_next_and_send_with_their_icons(qtbot, make_window):
    window = make_window()
    show_screen(window, "survey_question_single_choice")
    assert icon_of(find(window, "flowNext")).purpose == "next"
    show_screen(window, "survey_review")
    assert icon_of(find(window, "submitButton")).purpose == "send"
    show_screen(window, "thanks")
    assert icon_of(find(window, "thanksHome")).purpose == "home"


def test_the_header_is_a_band_of_the_district_colour_and_grows_with_the_text(qtbot, make_window):
    window = make_window()
    brand = find(window, "brand")
    band = brand.parentWidget()
    assert band.property("role") == "header"
    image = window.grab().toImage()
    corner = band.mapTo(window, band.rect().topLeft())
    inside = QRect(corner.x() + band.width() // 2, corner.y() + band.height() // 2 - 4, 40, 8)
    palette = window.theme.palette
    assert ink_share(image, inside, palette.header, tolerance=8) > 0.5
    assert brand.palette().color(brand.foregroundRole()).name().upper() == palette.on_header
    assert isinstance(brand, IconLine) and brand.purpose == "district"
    at_100 = brand.fontInfo().pixelSize()
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    assert find(window, "brand").fontInfo().pixelSize() >= at_100 * 1.2


def test_tapping_start_on_the_attract_loop_starts_a_visit_at_home(qtbot, window):
    window.enter_attract()
    start = find(window, "attractStart")
    assert start.accessibleName() == "시작하기"
    assert icon_of(start).purpose == "start"
    # Huge: its words are the largest on the screen.
    assert icon_of(start).fontInfo().pixelSize() >= 2.5 * window.theme.metrics.body_px
    tap(qtbot, start)
    assert not window.in_attract
    assert on(window) == "home" and not window.navigator.can_go_back
    assert window.idle.enabled
