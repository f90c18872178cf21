"""The on-screen keyboard as a resident meets it: taps on keys, what the display shows, sizes."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.domain.a11y import MIN_GAP_MM, MIN_TARGET_PX, TEXT_SCALES, Panel
from kiosk.domain.hangul import decompose
from kiosk.i18n import Translator
from kiosk.ui.keyboard import ENGLISH, HANGUL, NUMBERS, PAGES, HangulKeyboard
from kiosk.ui.theme import DEFAULT, Metrics, Theme, stylesheet
from tests.helpers.audit import clipped_labels, small_targets

TAP = Qt.MouseButton.LeftButton
PANEL_INCHES = 32
UNSHIFTED = dict(zip("ㄲㄸㅃㅆㅉㅒㅖ", "ㄱㄷㅂㅅㅈㅐㅔ", strict=True))
SPECIAL = {" ": "space", "\n": "newline"}


@pytest.fixture
def make_keyboard(qtbot, qapp, fonts):
    """A keyboard in a scrolling host filling a window of `size`, as a screen would hold it."""
    previous = qapp.styleSheet()
    hosts: list[QScrollArea] = []  # qtbot holds widgets weakly

    def make(size=(1080, 1920), scale=100, language="ko", **options) -> HangulKeyboard:
        metrics = Metrics.for_panel(Panel(PANEL_INCHES, *size), scale)
        qapp.setStyleSheet(stylesheet(Theme(DEFAULT, metrics)))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("screenRoot")
        box = QVBoxLayout(content)
        box.setContentsMargins(*[metrics.gap_px] * 4)
        keyboard = HangulKeyboard(Translator(language), metrics, **options)
        box.addWidget(keyboard)
        box.addStretch(1)
        scroll.setWidget(content)
        qtbot.addWidget(scroll)
        hosts.append(scroll)
        scroll.resize(*size)
        scroll.show()
        qtbot.waitExposed(scroll)
        # The keys' size hints follow the width the keyboard got, one layout pass later.
        qapp.processEvents()
        return keyboard

    yield make
    for host in hosts:
        host.close()
        host.deleteLater()
    # Delete them now: live widgets would all be restyled by the next test's stylesheet.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.setStyleSheet(previous)


@pytest.fixture
def keyboard(make_keyboard) -> HangulKeyboard:
    return make_keyboard()


def tap(qtbot, keyboard: HangulKeyboard, name: str) -> None:
    button = keyboard.button(name)
    assert button.isVisible(), name
    qtbot.mouseClick(button, TAP)


def tap_text(qtbot, keyboard: HangulKeyboard, text: str) -> None:
    """Tap the keys that type `text` on the Hangul page, with shift for double consonants."""
    for key in decompose(text):
        if key in SPECIAL:
            tap(qtbot, keyboard, SPECIAL[key])
            continue
        if key in UNSHIFTED:
            tap(qtbot, keyboard, "shift")
            key = UNSHIFTED[key]
        tap(qtbot, keyboard, key)


def test_typing_a_sentence_by_taps_produces_exactly_that_text(qtbot, keyboard):
    changes: list[str] = []
    keyboard.text_changed.connect(changes.append)
    tap_text(qtbot, keyboard, "중구 주민 의견입니다")
    assert keyboard.text() == "중구 주민 의견입니다"
    assert changes[-1] == "중구 주민 의견입니다"
    assert "중구 주민 의견입니<u>다</u>" in keyboard.display.text()


def test_the_display_underlines_only_the_syllable_being_composed(qtbot, keyboard):
    tap_text(qtbot, keyboard, "닭")
    assert "<u>닭</u>" in keyboard.display.text()
    tap(qtbot, keyboard, "ㅏ")
    assert "달<u>가</u>" in keyboard.display.text()
    tap(qtbot, keyboard, "space")
    assert "<u>" not in keyboard.display.text()
    assert keyboard.text() == "달가 "


def test_backspace_removes_one_jamo_at_a_time(qtbot, keyboard):
    tap_text(qtbot, keyboard, "주민 닭")
    seen = [keyboard.text()]
    for _ in range(6):
        tap(qtbot, keyboard, "backspace")
        seen.append(keyboard.text())
    assert seen == ["주민 닭", "주민 달", "주민 다", "주민 ㄷ", "주민 ", "주민", "주"]


def test_shift_types_a_double_consonant_and_releases_itself(qtbot, keyboard):
    shift, giyeok = keyboard.button("shift"), keyboard.button("ㄱ")
    tap(qtbot, keyboard, "shift")
    assert shift.isChecked()
    assert "켜짐" in shift.text_of_lines()
    assert giyeok.text_of_lines() == "ㄲ"
    assert giyeok.accessibleName() == "쌍기역"
    tap(qtbot, keyboard, "ㄱ")
    assert keyboard.text() == "ㄲ"
    assert not shift.isChecked()
    assert "켜짐" not in shift.text_of_lines()
    assert giyeok.text_of_lines() == "ㄱ"
    tap(qtbot, keyboard, "ㅗ")
    tap(qtbot, keyboard, "ㅊ")
    assert keyboard.text() == "꽃"


def test_shift_gives_yae_and_ye_and_a_second_tap_turns_it_off(qtbot, keyboard):
    tap_text(qtbot, keyboard, "얘기 예")
    assert keyboard.text() == "얘기 예"
    tap(qtbot, keyboard, "shift")
    tap(qtbot, keyboard, "shift")
    tap(qtbot, keyboard, "ㄷ")
    assert keyboard.text() == "얘기 옏"


def test_the_number_page_types_digits_and_symbols(qtbot, keyboard):
    tap_text(qtbot, keyboard, "중구 ")
    tap(qtbot, keyboard, "page_numbers")
    assert keyboard.page == NUMBERS
    with pytest.raises(KeyError):
        keyboard.button("shift")
    for key in "2026?":
        tap(qtbot, keyboard, key)
    assert keyboard.text() == "중구 2026?"
    tap(qtbot, keyboard, "page_hangul")
    tap_text(qtbot, keyboard, "년")
    assert keyboard.text() == "중구 2026?년"


def test_the_english_page_types_seoul_with_a_capital(qtbot, keyboard):
    tap(qtbot, keyboard, "page_english")
    assert keyboard.page == ENGLISH
    tap(qtbot, keyboard, "shift")
    assert keyboard.button("s").text_of_lines() == "S"
    assert "대문자" in keyboard.button("shift").text_of_lines()
    for key in "seoul":
        tap(qtbot, keyboard, key)
    assert keyboard.text() == "Seoul"
    assert keyboard.button("s").text_of_lines() == "s"


def test_changing_page_finishes_the_syllable(qtbot, keyboard):
    tap_text(qtbot, keyboard, "각")
    tap(qtbot, keyboard, "page_english")
    tap(qtbot, keyboard, "page_hangul")
    tap(qtbot, keyboard, "ㅏ")
    assert keyboard.text() == "각ㅏ"


def test_done_emits_the_finished_text(qtbot, keyboard):
    tap_text(qtbot, keyboard, "좋아요")
    with qtbot.waitSignal(keyboard.done, timeout=1000) as blocker:
        tap(qtbot, keyboard, "done")
    assert blocker.args == ["좋아요"]
    assert "<u>" not in keyboard.display.text()


def test_max_length_is_respected_and_said(qtbot, make_keyboard):
    keyboard = make_keyboard(max_length=5)
    tap_text(qtbot, keyboard, "중구 주민")
    assert keyboard.status.text() == "5자 / 최대 5자"
    tap_text(qtbot, keyboard, "이")
    tap(qtbot, keyboard, "space")
    assert keyboard.text() == "중구 주민"
    assert keyboard.status.text().startswith("5자를 다 썼습니다")
    tap(qtbot, keyboard, "backspace")
    assert keyboard.text() == "중구 주미"
    assert keyboard.status.text() == "5자 / 최대 5자"


def test_keys_stay_in_place_and_the_end_of_a_long_text_stays_in_view(qtbot, make_keyboard):
    keyboard = make_keyboard(scale=200, max_length=60)
    key = keyboard.button("ㄱ")

    def place():
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # layouts settle
        return key.mapTo(keyboard, key.rect().topLeft())

    places = [place()]  # the status line says how to start
    tap_text(qtbot, keyboard, "공원에 나무를 더 심어 주세요 " * 2)
    places.append(place())  # it counts the characters; the display is full
    keyboard.set_text("공원에 나무를 더 심어 주세요 " * 4)
    tap_text(qtbot, keyboard, "끝")
    assert keyboard.status.text().startswith("60자를 다 썼습니다")
    places.append(place())  # it says the text is full
    assert places == [places[0]] * 3
    shown = keyboard.display.text()
    assert "…" in shown and "주세요 " in shown
    assert clipped_labels(keyboard) == []


def test_initial_text_set_text_and_clear(qtbot, make_keyboard):
    keyboard = make_keyboard(initial_text="처음 글", max_length=None)
    assert keyboard.text() == "처음 글"
    assert "처음 글" in keyboard.display.text()
    assert keyboard.status.isHidden()  # no limit, nothing to count
    with qtbot.waitSignal(keyboard.text_changed, timeout=1000) as blocker:
        keyboard.clear()
    assert blocker.args == [""]
    # An empty display says how to start.
    assert "아래 글자판을 눌러 글을 써 주세요." in keyboard.display.text()
    keyboard.set_text("다시")
    assert "아래 글자판" not in keyboard.display.text()
    tap_text(qtbot, keyboard, "ㄱ")
    assert keyboard.text() == "다시ㄱ"


def test_multiline_has_a_new_line_key(qtbot, make_keyboard):
    single = make_keyboard()
    with pytest.raises(KeyError):
        single.button("newline")
    keyboard = make_keyboard(multiline=True)
    tap_text(qtbot, keyboard, "첫 줄\n둘째 줄")
    assert keyboard.text() == "첫 줄\n둘째 줄"


def test_keys_have_spoken_names_in_the_current_language(make_keyboard):
    korean = make_keyboard()
    assert korean.button("ㄱ").accessibleName() == "기역"
    assert korean.button("ㅏ").accessibleName() == "아"
    assert korean.button("backspace").accessibleName() == "지우기"
    assert korean.button("done").accessibleName() == "입력 완료"
    korean.show_page(ENGLISH)
    assert korean.button("s").accessibleName() == "에스"
    english = make_keyboard(language="en")
    assert english.button("ㄱ").accessibleName() == "giyeok"
    assert english.button("done").accessibleName() == "Done"
    assert english.button("space").accessibleName() == "Space"
    english.show_page(NUMBERS)
    assert english.button("?").accessibleName() == "question mark"
    for page in PAGES:
        korean.show_page(page)
        for key in korean.area.findChildren(QWidget):
            if key.isVisible() and key.inherits("QPushButton"):
                assert key.accessibleName().strip(), key.objectName()


def test_key_letters_are_drawn_in_the_bundled_font(keyboard):
    key = keyboard.button("ㅎ")
    assert QFontInfo(key.font()).family() == "Pretendard GOV"
    assert key.font().pixelSize() >= keyboard.metrics.body_px
    assert key.font().bold()


def visible_keys(keyboard: HangulKeyboard) -> list:
    return [k for line in keyboard.area.lines for k in line]


def tab_through(qtbot, keyboard: HangulKeyboard, count: int) -> list:
    """Focus the first key on show, then press Tab: the keys reached, in order."""
    first = visible_keys(keyboard)[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    reached = [keyboard.focusWidget()]
    for _ in range(count - 1):
        qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Tab)
        reached.append(keyboard.focusWidget())
    return reached


def test_tab_moves_through_the_keys_left_to_right_top_to_bottom(qtbot, keyboard):
    keys = visible_keys(keyboard)
    assert tab_through(qtbot, keyboard, len(keys)) == keys
    rows = [(k.y(), k.x()) for k in keys]
    assert rows == sorted(rows)


@pytest.mark.parametrize("page", [ENGLISH, NUMBERS])
def test_tab_order_on_a_page_first_opened_by_a_tap(qtbot, keyboard, page):
    # Pages other than Hangul are built on their first showing, after the keyboard is placed.
    qtbot.mouseClick(keyboard.button(f"page_{page}"), TAP)
    keys = visible_keys(keyboard)
    assert keys[0].property("page") == page
    assert tab_through(qtbot, keyboard, len(keys)) == keys


def test_arrow_keys_move_and_enter_presses(qtbot, keyboard):
    start = keyboard.button("ㅂ")
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    qtbot.keyClick(start, Qt.Key.Key_Right)
    assert keyboard.focusWidget() is keyboard.button("ㅈ")
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Down)
    assert keyboard.focusWidget() in (keyboard.button("ㅁ"), keyboard.button("ㄴ"))
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Up)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Left)
    assert keyboard.focusWidget() is keyboard.button("ㅁ")
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Up)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Right)
    assert keyboard.focusWidget() is keyboard.button("ㅛ")
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Space)
    assert keyboard.text() == "묘"
    for _ in range(4):
        qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Down)
    # Down from the middle of the keyboard lands on the middle key of the last line.
    assert keyboard.focusWidget() is keyboard.button("page_numbers")
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Right)
    assert keyboard.focusWidget() is keyboard.button("done")
    with qtbot.waitSignal(keyboard.done, timeout=1000):
        qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Enter)


def test_a_page_key_pressed_by_enter_leaves_focus_in_the_same_place(qtbot, keyboard):
    english = keyboard.button("page_english")
    english.setFocus()
    qtbot.waitUntil(english.hasFocus)
    qtbot.keyClick(english, Qt.Key.Key_Return)
    assert keyboard.page == ENGLISH
    assert keyboard.button("page_hangul").hasFocus()
    qtbot.keyClick(keyboard.focusWidget(), Qt.Key.Key_Space)
    assert keyboard.page == HANGUL
    assert keyboard.button("page_english").hasFocus()


def test_the_caret_is_not_drawn_as_a_letter(qtbot, keyboard):
    tap_text(qtbot, keyboard, "이 ")
    shown = keyboard.display.text()
    assert "<u>" not in shown
    assert 'white-space: pre-wrap">이 <span style="color: #' in shown


def test_special_keys_go_beside_the_letters_on_a_landscape_screen(make_keyboard):
    portrait = make_keyboard()
    assert portrait.button("done").y() > portrait.button("ㅡ").geometry().bottom()
    landscape = make_keyboard(size=(1920, 1080))
    assert landscape.button("done").x() > landscape.button("ㅔ").geometry().right()
    assert landscape.area.height() < portrait.area.height()


def test_a_keyboard_without_its_own_confirm_has_no_done_key(make_keyboard):
    """Where the step's 다음 stands by, the keyboard carries no 입력 완료: one action."""
    keyboard = make_keyboard(confirm=False)
    with pytest.raises(KeyError):
        keyboard.button("done")
    assert keyboard.button("page_english").isVisible()
    assert not any(
        key.isVisible() and key.objectName() == "key_done"
        for key in keyboard.area.findChildren(QPushButton)
    )


def test_keys_shrink_to_the_height_they_are_given_never_below_the_touch_size(make_keyboard):
    """A layout short of room gives the keyboard less than it asks: its keys get smaller,
    down to the touch size, and all stay inside it."""
    keyboard = make_keyboard(size=(1920, 1080), confirm=False)
    area = keyboard.area
    full = area.sizeHint().height()
    assert area.minimumSizeHint().height() < full
    area.resize(area.width(), area.minimumSizeHint().height())
    target = keyboard.metrics.target_px
    letters = keyboard.letter_keys["hangul"]
    assert letters[0].width() == target
    for key in area.findChildren(QPushButton):
        if key.isVisible():
            assert area.rect().contains(key.geometry()), key.objectName()
    area.resize(area.width(), full)
    assert letters[0].width() > target


def gaps_mm(panel: Panel, rects: list[QRect]) -> float:
    """The smallest distance between two keys, in millimetres on the panel."""
    smallest = float("inf")
    for a, b in itertools.combinations(rects, 2):
        dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1)
        dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1)
        smallest = min(smallest, panel.mm(max(dx, dy)))
    return smallest


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_key_is_large_apart_and_unclipped(qtbot, make_keyboard, size, scale):
    keyboard = make_keyboard(size=size, scale=scale, multiline=True, initial_text="중구 " * 30)
    root = keyboard.window()
    panel = Panel(PANEL_INCHES, *size)
    for page in (HANGUL, ENGLISH, NUMBERS):
        keyboard.show_page(page)
        if page != NUMBERS:
            tap(qtbot, keyboard, "shift")  # the longest labels: "쌍자음 켜짐", capitals

        def laid_out(page=page):
            assert small_targets(root, MIN_TARGET_PX) == [], page
            assert clipped_labels(root) == [], page
            keys = visible_keys(keyboard)
            assert all(k.width() == k.height() for k in keys[:26]), page  # letters are square
            assert gaps_mm(panel, [k.geometry() for k in keys]) >= MIN_GAP_MM, page
            assert all(keyboard.area.rect().contains(k.geometry()) for k in keys), page

        # Labels settle once Qt has run the layout requests the page change posted.
        qtbot.waitUntil(laid_out, timeout=2000)
    assert keyboard.width() <= size[0]
