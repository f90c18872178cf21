"""What the window's chrome shows, and when: the few controls always in sight, and the view
settings folded into the 도움·설정 panel (issue 17: the working area keeps at least 75 % of
the window).

Always in sight, on every screen: 직원 호출 (with the district name) at the top; 이전,
도움·설정 and 처음으로 at the foot (위로 / 아래로 only while the working area holds more than
fits). One 이전 per screen: the bar's stands aside where the screen shows its own (a step's,
in its action bar), and none after a finished flow (`bar_shows_back`); one 처음으로 too
(`bar_shows_home`). Everything else a resident sets once per visit (text size, contrast,
voice guidance and its settings, language, 낮은 화면) is one large button each in the
panel 도움·설정 opens.
Qt-free: kiosk.ui.shell draws what this says.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewState:
    """The view settings and voice guidance as they are now."""

    text_scale: int
    high_contrast: bool
    low_screen: bool
    voice_on: bool
    voice_unavailable: bool
    # A digital coach is signed in: the coach's menu is one more button of the panel.
    coached: bool = False


@dataclass(frozen=True)
class Setting:
    """One button of the 도움·설정 panel.

    Attributes:
        name: the button's object name (tests, key focus and read-aloud know it by this).
        label_ids: message ids of its words, joined by ": " (글자 크기: 크게).
        description_id: the message id of its accessible description.
        checked: whether it shows as switched on; None for a button that only acts.
        closes_panel: a tap leaves the panel (it opens a screen of its own).
    """

    name: str
    label_ids: tuple[str, ...]
    description_id: str
    checked: bool | None = None
    closes_panel: bool = False


def bar_shows_back(screen_has_own_back: bool, flow_finished: bool = False) -> bool:
    """Whether the bar shows its 이전: not beside a screen's own 이전 (a step's action bar,
    which goes back the same way), so that a screen has one 이전; nor where a flow has
    finished (its thank-you: what was sent is sent, there is no step to go back to)."""
    return not screen_has_own_back and not flow_finished


def bar_shows_home(screen_has_own_home: bool) -> bool:
    """Whether the bar shows its 처음으로: not beside a screen's own (a thank-you's, in its
    action bar, which also ends the visit), so that a screen has one 처음으로."""
    return not screen_has_own_home


def voice_label_id(state: ViewState) -> str:
    """The words of 음성 안내: what a press does, or that no engine speaks."""
    if state.voice_unavailable:
        return "bar.voice.unavailable"
    return "bar.voice.off" if state.voice_on else "bar.voice.on"


def panel_settings(state: ViewState) -> tuple[Setting, ...]:
    """The panel's buttons, in the order a resident reads them: how it looks, how it speaks,
    its language, where it stands. 음성 설정 (speed and volume) only while voice guidance is
    on. While a digital coach is signed in, 코치 메뉴 comes first: it is the coach's, not
    the resident's, so it stands here rather than in the bars."""
    contrast_id = "bar.contrast.off" if state.high_contrast else "bar.contrast.on"
    low_id = "bar.low_screen.off" if state.low_screen else "bar.low_screen.on"
    voice: tuple[Setting, ...] = (
        Setting("voiceButton", (voice_label_id(state),), "a11y.desc.voice", state.voice_on),
    )
    if state.voice_on:
        voice += (
            Setting(
                "voiceSettingsButton",
                ("voice.settings.button",),
                "a11y.desc.voice_settings",
                closes_panel=True,
            ),
        )
    coach: tuple[Setting, ...] = ()
    if state.coached:
        coach = (Setting("coachMenuButton", ("coach.menu",), "a11y.desc.coach_menu", None, True),)
    return (
        *coach,
        Setting(
            "textSizeButton",
            ("bar.text_size", f"bar.text_size.{state.text_scale}"),
            "a11y.desc.text_size",
        ),
        Setting("contrastButton", (contrast_id,), "a11y.desc.contrast", state.high_contrast),
        *voice,
        Setting("languageButton", ("bar.language",), "a11y.desc.language"),
        Setting("lowScreenButton", (low_id,), "a11y.desc.low_screen", state.low_screen),
    )
