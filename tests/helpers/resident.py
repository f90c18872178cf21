"""A resident's hands for widget tests: taps on what is shown, typing on the on-screen keyboard."""

from __future__ import annotations

import base64
from typing import TypeVar

from nacl.public import PrivateKey
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain.hangul import decompose
from kiosk.store.settings import DeviceSettings
from kiosk.ui.keyboard import HangulKeyboard
from kiosk.ui.screens import SCREENS
from sync.worker import SERVER_PUBLIC_KEY_KEY

TAP = Qt.MouseButton.LeftButton
W = TypeVar("W", bound=QWidget)
# Keys typed with shift on the 2-beolsik page, and keys that have a name.
UNSHIFTED = dict(zip("ㄲㄸㅃㅆㅉㅒㅖ", "ㄱㄷㅂㅅㅈㅐㅔ", strict=True))
SPECIAL = {" ": "space", "\n": "newline"}


def on_the_glass(qtbot, window: W, size: tuple[int, int] = (1080, 1920)) -> W:
    """The window as the app starts it: sized, shown, started and exposed (closed by qtbot)."""
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.start()
    qtbot.waitExposed(window)
    return window


def find(window: QWidget, name: str) -> QWidget:
    """The one visible widget called `name` (replaced widgets linger hidden until deleted)."""
    found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{len(found)} visible widgets named {name}"
    return found[0]


def on(window) -> str:
    """The route name of the screen on show, checked against the widget actually shown."""
    name = window.navigator.current.screen
    if not window.in_attract:
        assert isinstance(window.current_screen, SCREENS[name]), (name, type(window.current_screen))
    return name


def shown(window: QWidget, name: str) -> bool:
    return any(w.isVisible() for w in window.findChildren(QWidget, name))


def tap(qtbot, widget: QWidget) -> None:
    """A tap on a widget the resident can see and use."""
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, TAP)
    settle()


def tap_back(qtbot, window) -> None:
    """A tap on the 이전 the screen shows: a step's own (in its action bar), else the bar's
    (a screen has one; kiosk.domain.chrome.bar_shows_back)."""
    from kiosk.ui.steps.screen import StepScreen

    screen = window.current_screen
    own = isinstance(screen, StepScreen) and screen.has_own_back
    if own:
        assert screen.row is not None
        assert not window.back_button.isVisible(), "one 이전 per screen"
        tap(qtbot, screen.row.back)
    else:
        tap(qtbot, window.back_button)


def settle() -> None:
    """Delete the screens a tap replaced, as the running event loop would between two taps
    (left alive, every later restyle would restyle them too)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def discard(window: QWidget, ctx) -> None:
    """Close a window and its device context for good, before the next one opens (a bench's
    variants): deleted now, since processEvents() leaves deferred deletes alone and a window
    left alive would, at its idle reset minutes later, restyle the whole application in its
    own sizes and colours under the next window; and the application unstyled, as a kiosk's
    one window (and each of the suite's) starts."""
    window.close()
    window.deleteLater()
    settle()
    QCoreApplication.processEvents()
    ctx.close()
    app = QCoreApplication.instance()
    if app is not None:
        app.setStyleSheet("")  # type: ignore[attr-defined]


def tap_name(qtbot, window: QWidget, name: str) -> None:
    """A tap on `name`, turning to its page first (이전 쪽 / 다음 쪽) where it is on another."""
    turn_to(qtbot, window, name)
    tap(qtbot, find(window, name))


def find_paged(qtbot, window: QWidget, name: str) -> QWidget:
    """`find`, after turning to the page of a paged list that shows `name`."""
    turn_to(qtbot, window, name)
    return find(window, name)


def turn_to(qtbot, window: QWidget, name: str) -> int:
    """Tap 다음 쪽 / 이전 쪽 until the page showing `name` shows; the taps it took."""
    from kiosk.ui.paging import pages_of

    turns = 0
    for item in window.findChildren(QWidget, name):
        pages = pages_of(item)
        if pages is None or not pages.isVisible():
            continue
        while (page := pages.page_of(item)) != pages.page:
            tap(qtbot, pages.next if page > pages.page else pages.previous)
            turns += 1
        break
    return turns


def words(window) -> str:
    """Every text the current screen shows, one line each."""
    return "\n".join(
        lab.text() for lab in window.current_screen.findChildren(QLabel) if lab.isVisible()
    )


def type_text(qtbot, keyboard: HangulKeyboard, text: str) -> None:
    """Tap the keys that type `text` on the Hangul page, with shift for double consonants."""
    for key in decompose(text):
        if key in SPECIAL:
            tap(qtbot, keyboard.button(SPECIAL[key]))
            continue
        if key in UNSHIFTED:
            tap(qtbot, keyboard.button("shift"))
            key = UNSHIFTED[key]
        tap(qtbot, keyboard.button(key))


# -- the view settings, behind 도움·설정 ---------------------------------------------------------

SETTINGS_BUTTON, SETTINGS_CLOSE = "settingsButton", "settingsClose"


def in_settings(qtbot, window, read):
    """Open 도움·설정 by a tap, return what `read(window)` finds in the panel, close it by 닫기
    (unless what was read already left the panel)."""
    tap_name(qtbot, window, SETTINGS_BUTTON)
    try:
        return read(window)
    finally:
        if window.settings.is_open:
            tap_name(qtbot, window, SETTINGS_CLOSE)


def tap_setting(qtbot, window, name: str) -> None:
    """A tap on a view setting as a resident makes it: 도움·설정, the setting's button (text
    size, contrast, language, voice, 음성 설정, 낮은 화면), then 닫기 if the panel is still up."""
    in_settings(qtbot, window, lambda w: tap_name(qtbot, w, name))


def setting_name(qtbot, window, name: str) -> str:
    """The accessible name (what it says and is read as) of a setting's button in the panel."""
    return in_settings(qtbot, window, lambda w: find(w, name).accessibleName())


def setting_shown(qtbot, window, name: str) -> bool:
    """Whether the panel offers the setting `name` now."""
    return in_settings(qtbot, window, lambda w: shown(w, name))


# -- 본인 확인 and 포인트 받기 ----------------------------------------------------------------

PHONE, BIRTH = "01012345678", "19500315"


def enrol(window, key: PrivateKey) -> None:
    """What enrolment leaves on the device: the server's public key for sealing."""
    public = base64.b64encode(bytes(key.public_key)).decode("ascii")
    DeviceSettings(window.ctx.db).set(SERVER_PUBLIC_KEY_KEY, public)


def press(qtbot, window, digits: str) -> None:
    for digit in digits:
        tap_name(qtbot, window, f"key_{digit}")


def identify(qtbot, window, phone: str = PHONE, birth: str = BIRTH) -> None:
    """본인 확인 by taps: 다음 on its first page (why it is asked), then on the keypad the
    phone number, 다음, the birth date, 확인."""
    assert on(window) == "identity"
    pass_intro(qtbot, window)
    press(qtbot, window, phone)
    assert find(window, "identityReadout").text() == f"010-****-{phone[-4:]}"
    tap_name(qtbot, window, "flowNext")
    press(qtbot, window, birth)
    assert find(window, "identityReadout").text() == f"{birth[:4]}.**.**"
    tap_name(qtbot, window, "flowNext")


def pass_intro(qtbot, window) -> None:
    """다음 on 본인 확인's first page: what it is for and that the numbers are not kept."""
    assert on(window) == "identity"
    assert shown(window, "identityWhy"), "본인 확인 opens on the page that says why"
    assert not shown(window, "key_1")
    tap_name(qtbot, window, "flowNext")
    assert shown(window, "key_1")


def send_anonymously(qtbot, window) -> None:
    """보내기 on a review, then 포인트 없이 보내기."""
    tap_name(qtbot, window, "submitButton")
    assert on(window) == "points_choice"
    tap_name(qtbot, window, "earn_anonymous")


def send_for_points(qtbot, window, phone: str = PHONE, birth: str = BIRTH) -> None:
    """보내기 on a review, then 포인트 받기 and 본인 확인."""
    tap_name(qtbot, window, "submitButton")
    assert on(window) == "points_choice"
    tap_name(qtbot, window, "earnPoints")
    identify(qtbot, window, phone, birth)
