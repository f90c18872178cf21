"""음성 안내 as a resident meets it: the bar button, what each screen says, speed and volume, no
personal digits ever spoken, the plain message when the kiosk has no speech engine.

Speech goes to Qt's own mock engine (QTextToSpeech("mock"), shipped in PySide6-Addons): the
engine really receives the lines, and the guide's `spoken` list records what it was given.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from nacl.public import PrivateKey
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QWidget

from contract.content import KST
from kiosk.domain.identify import LENGTHS
from kiosk.domain.speech import DEFAULT_VOLUME
from kiosk.ui.render import show_screen
from tests.helpers.resident import (
    find,
    on,
    pass_intro,
    setting_name,
    setting_shown,
    tap,
    tap_back,
    tap_name,
    tap_setting,
)
from tests.widget.test_ballot_flow import enrol
from tests.widget.test_settings_page import open_status_page

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
LUNCH = "lunch-yaksu"
DIGITAL = "2026-senior-digital"

pytestmark = pytest.mark.skipif(
    "mock" not in QTextToSpeech.availableEngines(), reason="Qt's mock speech engine is missing"
)


@pytest.fixture
def kiosk(make_window):
    window = make_window(speech_engine="mock")
    window.ctx.clock = lambda: NOW
    return window


def spoken(window) -> list[str]:
    return list(window.voice.spoken)


def voice_on(qtbot, window) -> None:
    """Tap 음성 안내: on at once; then wait until the engine, loaded on its own thread, has
    chosen its voice and taken the settings."""
    tap_setting(qtbot, window, "voiceButton")
    assert window.voice.on
    assert setting_name(qtbot, window, "voiceButton") == "음성 안내 끄기"
    unchecked = window.translator.tr("voice.status.unchecked")
    qtbot.waitUntil(lambda: window.voice.staff_status() != unchecked)
    engine = window.voice.engine
    qtbot.waitUntil(lambda: engine.volume() == pytest.approx(window.voice.settings.volume))


def open_first_question(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"survey_{DIGITAL}")
    tap_name(qtbot, window, "startButton")
    assert on(window) == "survey_question"


def test_a_survey_question_is_spoken_as_its_title_question_and_options_in_order(qtbot, kiosk):
    voice_on(qtbot, kiosk)
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, f"survey_{DIGITAL}")
    kiosk.voice.spoken.clear()
    tap_name(qtbot, kiosk, "startButton")
    assert on(kiosk) == "survey_question"
    screen = kiosk.current_screen
    expected = [
        screen.flow.survey.title.get("ko"),
        screen.flow.session.question(screen.at.key).prompt.get("ko"),
        *[b.accessibleName() for b in screen.choices],
    ]
    assert len(screen.choices) >= 2
    # Exactly these, in this order: no progress, no hint, no 이전 / 다음, not the tapped 시작.
    assert spoken(kiosk) == expected
    # The engine received them: the mock engine is speaking.
    qtbot.waitUntil(lambda: kiosk.voice.engine.state() == QTextToSpeech.State.Speaking)
    # In English, the same screen in English.
    kiosk.voice.spoken.clear()
    tap_setting(qtbot, kiosk, "languageButton")
    screen = kiosk.current_screen
    assert spoken(kiosk) == [
        "도움·설정",  # the tap on the bar's button names it; then the panel's language
        screen.flow.survey.title.get("en"),
        screen.flow.session.question(screen.at.key).prompt.get("en"),
        *[b.accessibleName() for b in screen.choices],
    ]
    assert kiosk.voice.engine.locale().language() == QLocale.Language.English


def test_a_choice_is_spoken_with_its_chosen_state(qtbot, kiosk):
    voice_on(qtbot, kiosk)
    open_first_question(qtbot, kiosk)
    first = kiosk.current_screen.choices[0]
    kiosk.voice.spoken.clear()
    tap(qtbot, first)
    assert spoken(kiosk) == [first.accessibleName()]
    assert "선택됨" in spoken(kiosk)[0] or first.isChecked()


def test_a_problem_message_is_spoken_and_sounded(qtbot, kiosk):
    voice_on(qtbot, kiosk)
    open_first_question(qtbot, kiosk)
    kiosk.voice.spoken.clear()
    tap_name(qtbot, kiosk, "flowNext")  # nothing chosen on a required question
    message = find(kiosk, "problemMessage").text()
    qtbot.waitUntil(lambda: message in spoken(kiosk))
    assert "error" in kiosk.voice.sounds.played


def test_the_identity_keypad_speaks_counts_never_digits(qtbot, make_window):
    window = make_window(speech_engine="mock")
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    voice_on(qtbot, window)
    tap_name(qtbot, window, "tile_proposals")
    tap_name(qtbot, window, f"proposal_{LUNCH}")
    tap_name(qtbot, window, "agreeButton")
    assert on(window) == "identity"
    pass_intro(qtbot, window)

    def count(n: int, total: int = 11) -> str:
        return window.translator.tr("civic.identity.count", count=n, total=total)

    assert spoken(window)[-1] == count(0)
    window.voice.spoken.clear()
    for digit in "01012345678":
        tap_name(qtbot, window, f"key_{digit}")
        QTest.qWait(1)  # the count is said once the tap's effects are laid out
    assert spoken(window) == [count(n) for n in range(1, 12)]
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "identity"  # the birth date now
    for digit in "19500302":
        tap_name(qtbot, window, f"key_{digit}")
        QTest.qWait(1)
    said = spoken(window)
    assert said[-1] == count(8, LENGTHS["birth"])
    # Every line is the screen's own words or a count: nothing typed, in any form.
    counts = {count(n, total) for total in LENGTHS.values() for n in range(total + 1)}
    words = {window.translator.tr(f"civic.identity.{m}") for m in ("title", "birth.prompt")}
    assert set(said) <= counts | words, set(said) - counts
    for secret in ("010", "1234", "5678", "1950", "0302", "3월"):
        assert not any(secret in line for line in said)
    # The readout shows the masked number; what is spoken is its accessible name only.
    assert (
        find(window, "identityReadout").text() != find(window, "identityReadout").accessibleName()
    )


def test_voice_off_speaks_nothing(qtbot, kiosk):
    open_first_question(qtbot, kiosk)
    tap(qtbot, kiosk.current_screen.choices[0])
    tap_name(qtbot, kiosk, "flowNext")
    assert spoken(kiosk) == []
    assert kiosk.voice.engine is None  # not even made
    voice_on(qtbot, kiosk)
    assert spoken(kiosk)
    tap_setting(qtbot, kiosk, "voiceButton")
    assert not kiosk.voice.on
    kiosk.voice.spoken.clear()
    tap_back(qtbot, kiosk)
    tap(qtbot, kiosk.current_screen.choices[1])
    assert spoken(kiosk) == []
    qtbot.waitUntil(lambda: kiosk.voice.engine.state() != QTextToSpeech.State.Speaking)


def test_speed_and_volume_have_their_own_screen_while_voice_is_on(qtbot, kiosk):
    assert not setting_shown(qtbot, kiosk, "voiceSettingsButton")
    voice_on(qtbot, kiosk)
    before = on(kiosk)
    tap_setting(qtbot, kiosk, "voiceSettingsButton")
    assert on(kiosk) == "voice_settings"
    engine = kiosk.voice.engine
    assert engine.volume() == pytest.approx(DEFAULT_VOLUME)
    assert find(kiosk, "voiceRateValue").text() == "말 빠르기: 4단계 (모두 6단계)"
    tap_name(qtbot, kiosk, "voiceLouder")
    qtbot.waitUntil(lambda: engine.volume() == pytest.approx(1.0))
    assert find(kiosk, "voiceVolumeValue").text() == "소리 크기: 100"
    assert not find(kiosk, "voiceLouder").isEnabled()  # the loudest: the + says so
    assert spoken(kiosk)[-1] == "소리 크기 100"
    tap_name(qtbot, kiosk, "voiceSlower")
    qtbot.waitUntil(lambda: engine.rate() < 0)
    assert find(kiosk, "voiceRateValue").text() == "말 빠르기: 3단계 (모두 6단계)"
    tap_name(qtbot, kiosk, "backButton")  # back where the resident was, settings kept
    assert on(kiosk) == before
    assert engine.rate() < 0
    tap_setting(qtbot, kiosk, "voiceButton")
    assert not setting_shown(qtbot, kiosk, "voiceSettingsButton")


def test_the_end_of_a_visit_puts_volume_back_and_voice_off(qtbot, kiosk):
    voice_on(qtbot, kiosk)
    tap_setting(qtbot, kiosk, "voiceSettingsButton")
    tap_name(qtbot, kiosk, "voiceQuieter")
    tap_name(qtbot, kiosk, "voiceQuieter")
    qtbot.waitUntil(lambda: kiosk.voice.engine.volume() < DEFAULT_VOLUME)
    kiosk.idle.expired.emit()  # the idle reset ends the visit
    assert kiosk.in_attract
    assert not kiosk.voice.on
    qtbot.waitUntil(lambda: kiosk.voice.engine.volume() == pytest.approx(DEFAULT_VOLUME))
    QTest.mouseClick(kiosk, Qt.MouseButton.LeftButton)  # the next resident
    assert on(kiosk) == "home"
    assert setting_name(qtbot, kiosk, "voiceButton") == "음성 안내 켜기"


def test_taps_and_success_have_sounds(qtbot, kiosk):
    open_first_question(qtbot, kiosk)
    assert "tap" in kiosk.voice.sounds.played


@pytest.mark.parametrize("engine", ["no-such-engine"])
def test_without_a_speech_engine_the_button_says_so(qtbot, make_window, engine):
    window = make_window(speech_engine=engine)
    assert setting_name(qtbot, window, "voiceButton") == "음성 안내 켜기"
    tap_setting(qtbot, window, "voiceButton")
    assert not window.voice.on
    assert setting_name(qtbot, window, "voiceButton") == "음성 안내를 쓸 수 없습니다"
    assert not setting_shown(qtbot, window, "voiceSettingsButton")
    # It stays said on the next screens, and nothing fails.
    tap_name(qtbot, window, "tile_surveys")
    assert setting_name(qtbot, window, "voiceButton") == "음성 안내를 쓸 수 없습니다"
    assert list(window.voice.spoken) == []


def test_with_no_engine_installed_at_all_the_button_says_so(qtbot, make_window):
    window = make_window()
    window.voice._available_engines = lambda: []
    tap_setting(qtbot, window, "voiceButton")
    assert setting_name(qtbot, window, "voiceButton") == "음성 안내를 쓸 수 없습니다"


def test_without_a_korean_voice_staff_are_told_once_and_voice_still_speaks(qtbot, kiosk, caplog):
    open_status_page(qtbot, kiosk)
    assert find(kiosk, "value_한국어 음성").text() == "음성 안내를 한 번 켜면 확인됩니다"
    tap_name(qtbot, kiosk, "homeButton")
    voice_on(qtbot, kiosk)  # Qt's mock engine has English and Nordic voices, no Korean
    for _ in range(2):  # to English and back: the Korean voice is looked for again
        tap_setting(qtbot, kiosk, "languageButton")
    tap_name(qtbot, kiosk, "tile_surveys")
    warnings = [r for r in caplog.records if r.getMessage().startswith("voice_no_locale")]
    assert [r.getMessage().split(":")[0] for r in warnings] == [
        "voice_no_locale language=ko engine=mock"
    ]
    assert "설문" in " ".join(spoken(kiosk)[-3:])  # in another voice, but not silent
    open_status_page(qtbot, kiosk)
    assert find(kiosk, "value_한국어 음성").text().startswith("한국어 음성이 없습니다 (mock)")


@pytest.mark.skipif(
    "mock" not in QTextToSpeech.availableEngines(), reason="Qt's mock speech engine is missing"
)
def test_a_page_turn_reads_the_new_page_and_its_first_item(qtbot, make_window):
    """다음 쪽 with voice on: the new page's place ("2 / 5쪽") and its first card are said (contest
    entries at landscape 200 %: a card a page)."""
    window = make_window((1920, 1080), speech_engine="mock")
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    window.voice.toggle()
    show_screen(window, "contest_entries")
    pages = window.findChild(QWidget, "pages")
    assert pages is not None
    qtbot.waitUntil(lambda: pages.pages > 1, timeout=3000)  # paged once laid out
    window.voice.spoken.clear()
    qtbot.mouseClick(pages.next, Qt.MouseButton.LeftButton)
    first = pages.items[pages.starts[1] * pages.columns]
    assert f"2 / {pages.pages}쪽" in window.voice.spoken
    assert first.accessibleName() in window.voice.spoken
