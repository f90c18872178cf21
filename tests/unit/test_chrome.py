"""What the chrome shows and when (kiosk.domain.chrome): the 도움·설정 panel's buttons."""

from __future__ import annotations

from kiosk.domain.chrome import ViewState, bar_shows_back, panel_settings


def state(**changes: object) -> ViewState:
    base: dict[str, object] = {
        "text_scale": 100,
        "high_contrast": False,
        "low_screen": False,
        "voice_on": False,
        "voice_unavailable": False,
    }
    return ViewState(**{**base, **changes})  # type: ignore[arg-type]


def names(view: ViewState) -> list[str]:
    return [s.name for s in panel_settings(view)]


def test_one_button_per_setting_and_low_screen_last_nearest_the_foot():
    assert names(state()) == [
        "textSizeButton",
        "contrastButton",
        "voiceButton",
        "languageButton",
        "lowScreenButton",
    ]


def test_voice_settings_only_while_voice_is_on_and_it_leaves_the_panel():
    assert "voiceSettingsButton" not in names(state())
    on = {s.name: s for s in panel_settings(state(voice_on=True))}
    assert on["voiceSettingsButton"].closes_panel
    assert not any(s.closes_panel for s in panel_settings(state()))
    assert on["voiceButton"].label_ids == ("bar.voice.off",) and on["voiceButton"].checked


def test_each_button_says_what_a_press_does_now():
    first = {s.name: s for s in panel_settings(state())}
    then = {
        s.name: s
        for s in panel_settings(
            state(text_scale=200, high_contrast=True, low_screen=True, voice_unavailable=True)
        )
    }
    assert first["textSizeButton"].label_ids == ("bar.text_size", "bar.text_size.100")
    assert then["textSizeButton"].label_ids == ("bar.text_size", "bar.text_size.200")
    assert first["contrastButton"].label_ids == ("bar.contrast.on",)
    assert (
        then["contrastButton"].label_ids == ("bar.contrast.off",) and then["contrastButton"].checked
    )
    assert then["lowScreenButton"].label_ids == ("bar.low_screen.off",)
    assert then["voiceButton"].label_ids == ("bar.voice.unavailable",)


def test_the_bar_shows_its_back_only_where_the_screen_has_none():
    """One 이전 per screen: a step's own 이전 (its action bar) puts the bar's aside."""
    assert bar_shows_back(screen_has_own_back=False)
    assert not bar_shows_back(screen_has_own_back=True)
