"""The layout audit used by the shell tests must catch what it claims to catch."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from tests.helpers.audit import broken_words, clipped_labels, small_targets, working_area_share


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
