"""Colour is never the only signal (issue 8, part 5): a chosen answer, seen in greyscale, still
differs from the others by its fill, its thicker frame and its ticked box, and says so in its
accessible name; the focused control differs by a thicker frame."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.domain.a11y import contrast_ratio
from kiosk.ui.render import show_screen
from tests.helpers.keys import SPACE, move_to, press
from tests.helpers.resident import find


def grey_at(image: QImage, widget, x: int, y: int) -> str:
    point = widget.mapTo(widget.window(), widget.rect().topLeft())
    v = QColor(image.pixel(point.x() + x, point.y() + y)).value()
    return f"#{v:02X}{v:02X}{v:02X}"


@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "contrast"])
def test_a_chosen_answer_stands_out_in_greyscale(qtbot, make_window, high_contrast):
    window = make_window()
    window.prefs.set(language="ko", text_scale=100, high_contrast=high_contrast)
    show_screen(window, "survey_question_single_choice")
    choices = window.current_screen.choices
    chosen, other = choices[0], choices[1]
    press(qtbot, window, chosen.objectName(), with_key=SPACE)
    chosen = find(window, chosen.objectName())
    other = find(window, other.objectName())
    move_to(qtbot, window, "flowBack")  # the focus away from both answers
    qtbot.wait(1)
    assert chosen.selected and not other.selected
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    m = window.theme.metrics
    inside = m.focus_px + 2  # inside the chosen frame, clear of the words
    fill = (grey_at(image, chosen, inside, inside), grey_at(image, other, inside, inside))
    # Default: a dark fill against a light one. High contrast: both black, the frame tells.
    frame = (
        grey_at(image, chosen, m.border_px + 1, chosen.height() // 2),
        grey_at(image, other, m.border_px + 1, other.height() // 2),
    )
    assert contrast_ratio(*fill) >= 3 or contrast_ratio(*frame) >= 3, (fill, frame)
    assert chosen.mark.kind == "radio_on" and other.mark.kind == "radio"  # one of several
    assert chosen.chosen_label.isVisible() and not other.chosen_label.isVisible()
    assert "고른 답" in chosen.accessibleName()
    assert "고른 답" not in other.accessibleName()
