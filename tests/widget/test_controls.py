"""Controls say what they are, as a resident meets them by taps and keys: one answer of several
as a radio card, several as checkboxes, chosen by mark and words as well as colour; a problem
red after a warning sign and read aloud; the thank-you's green check and a receipt number in
digits; and the yellow focus ring after a key only, never after a tap."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from nacl.public import PrivateKey
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTextToSpeech import QTextToSpeech

from contract.content import KST
from kiosk.ui.flow import ChoiceButton
from kiosk.ui.widgets import RING, ErrorLabel, WrapButton
from tests.helpers.keys import TAB, focused, key
from tests.helpers.resident import find, on, tap, tap_name, words
from tests.widget.test_ballot_flow import enrol, identify
from tests.widget.test_survey_flow import DIGITAL, open_survey
from tests.widget.test_survey_flow import kiosk as survey_kiosk

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
kiosk = survey_kiosk  # a portrait kiosk on the demo content


def first_question(qtbot, window) -> None:
    open_survey(qtbot, window, DIGITAL)


def choices(window) -> list[ChoiceButton]:
    return list(window.current_screen.choices)


def shows_chosen(button: ChoiceButton) -> bool:
    """Chosen by the filled mark and the words on the button, not only its colour."""
    words_shown = button.chosen_label.isVisible() and button.chosen_label.text() == "고른 답"
    return button.mark.kind in ("radio_on", "check") and words_shown


def test_one_answer_of_several_is_a_radio_card_chosen_by_mark_and_words(qtbot, kiosk):
    first_question(qtbot, kiosk)  # 연령대: one answer
    options = choices(kiosk)
    assert {b.mark.kind for b in options} == {"radio"}
    assert not any(b.chosen_label.isVisible() for b in options)
    tap(qtbot, options[1])
    options = choices(kiosk)
    assert options[1].mark.kind == "radio_on" and shows_chosen(options[1])
    assert "고른 답" in options[1].accessibleName()
    assert [b.mark.kind for b in options if b is not options[1]] == ["radio"] * (len(options) - 1)
    assert not any(b.chosen_label.isVisible() for b in options if b is not options[1])


def test_several_answers_are_checkboxes_each_chosen_by_mark_and_words(qtbot, kiosk):
    first_question(qtbot, kiosk)
    tap(qtbot, choices(kiosk)[0])
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "choice_True")  # 스마트폰을 쓴다: then what for, several answers
    tap_name(qtbot, kiosk, "flowNext")
    assert kiosk.navigator.current.params["at"].key == "uses"
    assert {b.mark.kind for b in choices(kiosk)} == {"box"}
    tap(qtbot, choices(kiosk)[0])
    tap(qtbot, choices(kiosk)[2])
    options = choices(kiosk)
    assert [shows_chosen(b) for b in options[:3]] == [True, False, True]
    assert [b.mark.kind for b in options[:3]] == ["check", "box", "check"]
    # The words stand beside a one-line answer where the card holds both, else under it;
    # never over it.
    answer, word = options[0].lines[0], options[0].chosen_label.geometry()
    if options[0].chosen_beside:
        text_width = answer.fontMetrics().horizontalAdvance(answer.text())
        assert word.left() >= answer.geometry().left() + text_width
    else:
        assert word.top() >= answer.geometry().bottom()


def test_an_unanswered_next_is_red_after_a_warning_sign(qtbot, kiosk):
    first_question(qtbot, kiosk)
    tap_name(qtbot, kiosk, "flowNext")
    message = find(kiosk, "problemMessage")
    assert isinstance(message, ErrorLabel) and "꼭 답해야 하는 질문입니다" in message.text()
    red = QColor(kiosk.theme.palette.alarm)
    assert message.palette().color(QPalette.ColorRole.WindowText) == red
    # The sign is drawn before the words, in the same red: its pixels are in the indent.
    image = message.grab().toImage()
    area = message.contentsRect()
    assert message.indent() >= message.fontMetrics().height()
    sign = {
        image.pixelColor(x, y).name()
        for x in range(area.left(), area.left() + message.indent())
        for y in range(area.top(), area.bottom())
    }
    assert red.name() in sign


@pytest.mark.skipif("mock" not in QTextToSpeech.availableEngines(), reason="no mock engine")
def test_an_unanswered_next_is_read_aloud_when_the_voice_is_on(qtbot, make_window):
    from tests.widget.test_speech import voice_on

    window = make_window(speech_engine="mock")
    window.ctx.clock = lambda: NOW
    voice_on(qtbot, window)
    first_question(qtbot, window)
    window.voice.spoken.clear()
    tap_name(qtbot, window, "flowNext")
    text = find(window, "problemMessage").text()
    qtbot.waitUntil(lambda: text in window.voice.spoken)


def ring_shown(button: WrapButton) -> bool:
    return button.hasFocus() and bool(button.property(RING))


def test_a_tap_leaves_no_focus_ring_and_a_key_brings_it(qtbot, kiosk):
    first_question(qtbot, kiosk)
    next_button = find(kiosk, "flowNext")
    assert isinstance(next_button, WrapButton)
    key(qtbot, kiosk, TAB)  # a resident on keys: the ring on whatever has the focus
    ringed = focused(kiosk)
    assert isinstance(ringed, WrapButton) and ring_shown(ringed)
    tap(qtbot, next_button)  # 다음 unanswered: the screen stays, the tapped button too
    assert on(kiosk) == "survey_question"
    assert next_button.hasFocus() and not ring_shown(next_button)
    assert {line.property("state") for line in next_button.lines} == {"normal"}
    assert not (ringed.hasFocus() and ringed.property(RING))
    # The look: the tapped button keeps its own colour, not the yellow of the ring.
    image = kiosk.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colour = image.pixelColor(next_button.mapTo(kiosk, QPoint(12, next_button.height() // 2)))
    assert colour.name() != QColor(kiosk.theme.palette.focus_fill).name()
    key(qtbot, kiosk, TAB)
    now = focused(kiosk)
    assert isinstance(now, WrapButton) and ring_shown(now)
    assert {line.property("state") for line in now.lines} == {"focused"}


def test_the_thank_you_has_a_green_check_and_a_receipt_in_digits(qtbot, make_window):
    window = make_window()
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    tap_name(qtbot, window, "tile_proposals")
    tap_name(qtbot, window, "proposal_lunch-yaksu")
    tap_name(qtbot, window, "agreeButton")
    identify(qtbot, window)
    assert on(window) == "thanks"
    title = find(window, "mark_done")
    assert title.property("role") == "success"
    assert title.palette().color(QPalette.ColorRole.WindowText) == QColor(
        window.theme.palette.success
    )
    number = re.search(r"접수 번호 (\S+)", words(window))
    assert number is not None and re.fullmatch(r"\d{4}-\d{4}", number.group(1)), words(window)
