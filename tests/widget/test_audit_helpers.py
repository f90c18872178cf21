"""The layout audit used by the shell tests must catch what it claims to catch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.ui.render import show_screen
from kiosk.ui.widgets import fit_longest_words
from tests.helpers.audit import (
    broken_words,
    clipped_labels,
    cut_words,
    small_targets,
    working_area_share,
)


def shown(qtbot, *children: QWidget) -> QWidget:
    root = QWidget()
    box = QVBoxLayout(root)
    for child in children:
        box.addWidget(child)
    qtbot.addWidget(root)
    root.resize(400, 600)
    root.show()
    qtbot.waitExposed(root)
    return root


def test_finds_a_single_line_label_cut_short(qtbot, fonts):
    lab = QLabel("주민참여예산 사업에 투표해 주세요 " * 3)
    lab.setFixedWidth(120)
    root = shown(qtbot, lab)
    assert len(clipped_labels(root)) == 1


def test_finds_a_wrapped_label_without_room_for_its_lines(qtbot, fonts):
    lab = QLabel("주민참여예산 사업에 투표해 주세요 " * 8)
    lab.setWordWrap(True)
    lab.setFixedHeight(30)
    root = shown(qtbot, lab)
    assert len(clipped_labels(root)) == 1


def test_finds_a_button_whose_own_text_is_cut_short(qtbot, fonts):
    roomy, cramped = QPushButton("ㅎ"), QPushButton("주민참여예산 사업에 투표")
    cramped.setFixedWidth(80)
    root = shown(qtbot, roomy, cramped)
    problems = clipped_labels(root)
    assert len(problems) == 1 and "주민참여예산" in problems[0]


def test_passes_a_label_with_room(qtbot, fonts):
    lab = QLabel("처음으로")
    root = shown(qtbot, lab)
    assert clipped_labels(root) == []


def test_finds_a_small_button_and_passes_a_large_one(qtbot, fonts):
    small, large = QPushButton("작게"), QPushButton("크게")
    small.setFixedSize(60, 60)
    large.setFixedSize(120, 120)
    root = shown(qtbot, small, large)
    problems = small_targets(root, 96)
    assert len(problems) == 1 and "작게" in problems[0]


def test_finds_a_word_broken_between_syllables_and_passes_a_break_between_words(qtbot, fonts):
    broken, between = QLabel("↺ 처음으로"), QLabel("낮은 화면")
    for lab in (broken, between):
        lab.setWordWrap(True)
    narrow = broken.fontMetrics().horizontalAdvance("처음으로") // 2
    broken.setFixedWidth(narrow)  # Qt breaks 처음으/로 to fit
    between.setFixedWidth(between.fontMetrics().horizontalAdvance("화면") + 4)
    root = shown(qtbot, broken, between)
    problems = broken_words(root)
    assert len(problems) == 1 and "'처음으로'" in problems[0]


def test_the_working_area_share_counts_what_the_bars_leave(qtbot, make_window):
    window = make_window((1080, 1920))
    share = working_area_share(window)
    bars = window.top_bar.height() + window.bottom_bar.height()
    assert share == (window.height() - bars) / window.height()
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.rail.isVisible())
    assert working_area_share(window) == (window.width() - window.rail.width()) / window.width()
    window.enter_attract()  # fills the window: nothing to share
    assert working_area_share(window) is None


def scrolled_column(qtbot, text: str, width: int) -> tuple[QScrollArea, QLabel]:
    """A label in a scrolling column `width` wide, as a step's words beside its keyboard."""
    lab = QLabel(text)
    lab.setWordWrap(True)
    words = QWidget()
    QVBoxLayout(words).addWidget(lab)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(words)
    area.setFixedWidth(width)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, lab


def test_finds_a_word_cut_at_the_edge_of_a_narrow_scrolling_column(qtbot, fonts):
    """The label fits itself (as wide as its longest word), yet the column shows less: the
    word's end is cut at the column's edge. clipped_labels does not see it; cut_words does."""
    probe = QLabel("이야기를")
    word = probe.fontMetrics().horizontalAdvance("이야기를")
    area, lab = scrolled_column(qtbot, "하고 싶은 이야기를 적어 주세요", word)
    assert lab.width() >= word  # the words are wider than the column
    assert clipped_labels(area) == []
    problems = cut_words(area)
    assert len(problems) == 1 and "이야기를" in problems[0], problems


def test_passes_words_that_wrap_at_spaces_inside_the_column(qtbot, fonts):
    probe = QLabel("이야기를")
    word = probe.fontMetrics().horizontalAdvance("이야기를")
    area, _ = scrolled_column(qtbot, "하고 싶은 이야기를 적어 주세요", word * 3)
    assert cut_words(area) == []


def test_fit_longest_words_makes_only_a_label_too_wide_smaller_never_under_the_floor(qtbot, fonts):
    long, short = QLabel("주민참여예산사업설명회에서"), QLabel("짧은 말")
    root = QWidget()
    box = QVBoxLayout(root)
    for lab in (long, short):
        lab.setWordWrap(True)
        lab.setStyleSheet("font-size: 60px;")
        box.addWidget(lab)
    qtbot.addWidget(root)
    root.show()
    width = long.minimumSizeHint().width() * 2 // 3
    assert fit_longest_words(root, width, smallest_px=30)
    assert long.fontInfo().pixelSize() < 60 and short.fontInfo().pixelSize() == 60
    assert root.minimumSizeHint().width() <= width
    # Never under the floor, even if the word then stays too wide.
    fit_longest_words(root, 50, smallest_px=30)
    assert long.fontInfo().pixelSize() == 30


def test_a_long_word_of_a_keyboard_steps_words_is_not_cut_at_200_percent_landscape(
    qtbot, make_window
):
    """The step's words stood in 3/10 of the width beside the keyboard: "이야기를" of the
    contest's prompt was cut at the column's edge. Now the keyboard takes the width its keys
    need at the touch size and the words the rest, the prompt at the body size (never
    smaller): its words fit their column, several a line."""
    window = make_window((1920, 1080))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    show_screen(window, "contest_idea_text")
    keyboard = window.current_screen.keyboard
    assert keyboard is not None
    assert cut_words(window) == []
    prompt = window.current_screen.named["prompt"]
    assert prompt.fontInfo().pixelSize() >= window.theme.metrics.body_px
    work = window.scroll_area.width() + window.pinned_slot.width()
    assert window.scroll_area.width() > work * 3 // 10
    assert keyboard.area.unit >= window.theme.metrics.target_px


def test_a_keypads_words_column_takes_the_width_its_longest_word_needs(qtbot, make_window):
    """Beside a keypad (6/10 of the width) the words' column grows to hold its longest word
    ("비밀번호를" at 200 %) rather than cut it; the keypad keeps keys of the touch size."""
    window = make_window((1920, 1080))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    show_screen(window, "coach_sign_in_pin")
    assert window.pinned_slot.isVisible()
    assert cut_words(window) == []
    viewport = window.scroll_area.viewport()
    assert window.current_screen.minimumSizeHint().width() <= viewport.width()
