"""`--render-screens DIR`: every screen, at both orientations, each text size and both themes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from contract.content import ContentPack
from contract.wire import EmergencyNotice
from kiosk.context import AppContext
from kiosk.domain import (
    ballot_flow,
    budget_proposal_flow,
    contest_flow,
    proposal_flow,
    survey_flow,
)
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.domain.points import Credit
from kiosk.domain.staff_call import StaffCallProgress
from kiosk.domain.steps import At, Flow, ThanksNote
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens import (
    ATTRACT,
    SCREENS,
    STEP_ROUTES,
    contest,
    points,
    proposals,
    survey,
)
from kiosk.ui.screens import coach as coach_screens
from kiosk.ui.screens import lessons as lesson_screens
from kiosk.ui.screens import settings as settings_screens
from kiosk.ui.screens import usb as usb_screens
from kiosk.ui.screens.coach import SIGN_IN as COACH_SIGN_IN
from kiosk.ui.shell import KioskWindow
from kiosk.ui.steps.thanks import thanks_route

SIZES: tuple[tuple[int, int], ...] = ((1080, 1920), (1920, 1080))
SAMPLE_ENVELOPE = "00000000-0000-4000-8000-000000000000"
THEMES: tuple[bool, ...] = (False, True)
IDLE_PROMPT = "idle_prompt"
# 도움·설정's panel of the view settings, open over the home screen.
SETTINGS_PANEL = "help_panel"
# The 직원 호출 notice over the screen: confirmed and waiting 2 minutes; not reached the staff
# (a render has no sync) and 다시 부르기 offered; staff coming; the notice closed, with the call
# waiting 2 minutes and with staff coming (its state beside 직원 호출).
STAFF_CALL_SAMPLES: tuple[str, ...] = (
    "staff_call_waiting",
    "staff_call_recall",
    "staff_call_coming",
    "staff_call_open",
    "staff_call_open_coming",
)


# Steps of the step flows, drawn at sample places of flows filled in from the pack.
# The thank-you: points promised until the server answers; sent without identity; the
# server's answers (credited, earned before, a second vote not counted).
THANKS_SAMPLES: dict[str, Credit | None] = {
    "thanks": "pending",
    "thanks_anonymous": None,
    "thanks_credited": "credited",
    "thanks_already": "already",
    "thanks_not_counted": "not_counted",
}
STEP_SAMPLES: tuple[str, ...] = (
    *survey_flow.SAMPLE_NAMES,
    *THANKS_SAMPLES,
    *contest_flow.SAMPLE_NAMES,
    *proposal_flow.SAMPLE_NAMES,
    *ballot_flow.SAMPLE_NAMES,
    *budget_proposal_flow.SAMPLE_NAMES,
)
# Screens of a flow need its state: they are drawn from sample states instead of bare routes.
FLOW_SAMPLES: tuple[str, ...] = (
    STEP_SAMPLES + contest.SAMPLE_NAMES + proposals.SAMPLE_NAMES + points.SAMPLE_NAMES
)
FLOW_ROUTES = (
    frozenset(STEP_ROUTES)
    | frozenset(contest.SCREENS)
    | frozenset(proposals.SCREENS) - {proposals.LIST}
    | frozenset(points.SCREENS) - {points.POINTS}
    | {"thanks", "identity"}
)


# Screens only a signed-in coach sees: drawn from the coach and lesson samples, never bare.
COACHED_ROUTES = frozenset(coach_screens.SCREENS) - {COACH_SIGN_IN} | frozenset(
    lesson_screens.SCREENS
)
COACHED_SAMPLES = {**coach_screens.SAMPLES, **lesson_screens.SAMPLES}


def screen_names(pack: ContentPack | None) -> list[str]:
    """Every route (flows by their sample states) plus the idle prompt, the 도움·설정 panel
    (over the home screen), the 직원 호출 notice and every page of `pack`'s practice kiosks
    (each opened alone shows a sample visit)."""
    plain = [
        name
        for name in SCREENS
        if name != ATTRACT
        and name not in FLOW_ROUTES
        and name not in settings_screens.SCREENS
        and name not in usb_screens.SCREENS
        and name not in COACHED_ROUTES
    ]
    coached = list(COACHED_SAMPLES) + list(settings_screens.SAMPLE_NAMES)
    coached += usb_screens.SAMPLE_NAMES
    chrome = [ATTRACT, IDLE_PROMPT, SETTINGS_PANEL, *STAFF_CALL_SAMPLES]
    practice = list(pack.practice_screens()) if pack is not None else []
    return plain + list(FLOW_SAMPLES) + coached + chrome + practice


def sample_route(window: KioskWindow, name: str) -> Route:
    """The route of a flow sample, filled in from the window's content pack."""
    pack = window.ctx.pack
    if pack is None:
        return Route(survey.LIST)
    now = window.ctx.clock()
    if name in STEP_SAMPLES:
        return step_sample(window, name)
    for module in (contest, proposals, points):
        if name in module.SAMPLE_NAMES:
            route: Route = module.samples(pack, now)[name]
            return route
    raise KeyError(name)


def step_sample(window: KioskWindow, name: str) -> Route:
    """A step of a flow at a sample place; the list when the pack cannot show it."""
    pack = window.ctx.pack
    assert pack is not None
    if name in THANKS_SAMPLES:
        credit = THANKS_SAMPLES[name]
        points = pack.survey_points(pack.surveys[0]) if pack.surveys and credit else None
        # A sample envelope id: no receipt is ever found for it, the route says the answer.
        note = ThanksNote("thanks.survey", points, credit=SAMPLE_ENVELOPE if points else "")
        return thanks_route(note, credit or "pending")
    now = window.ctx.clock()
    places: dict[str, tuple[Flow, At]] = {
        **survey_flow.samples(pack, now),
        **contest_flow.samples(pack, now),
        **proposal_flow.samples(pack, now),
        **ballot_flow.samples(pack, now),
        **budget_proposal_flow.samples(pack, now),
    }
    place = places.get(name)
    return step_route(*place) if place is not None else Route(survey.LIST)


def sample_call(call: StaffCallProgress, name: str, now: float) -> StaffCallProgress:
    """`call` (none made yet) as one of STAFF_CALL_SAMPLES shows it at `now` (monotonic)."""
    if name == "staff_call_recall":
        call.called(now - call.recall_after_s)
        return call
    call.called(now - 130)  # 2분째
    call.server_said("waiting")
    if name in ("staff_call_coming", "staff_call_open_coming"):
        call.server_said("coming")
    return call


def show_screen(window: KioskWindow, name: str) -> None:
    """Put `window` on the screen called `name`, as a resident would find it."""
    # The screens the last sample let go are deleted first: a walk over every screen would
    # otherwise keep them all (each later layout, Tab walk and the window's end grow with them).
    free_closed_screens()
    window.navigator.home()
    window.settings.close()
    # Nothing of the last sample stays: no lesson playing, no coach signed in, no staff call.
    lesson_screens.stop_lesson(window)
    window.coach.discard()
    window.staff_call.hide_notice()
    window.staff_call.progress = window.staff_call.new_progress()
    coached = COACHED_SAMPLES.get(name)
    if coached is not None:
        coached(window)
        return
    if settings_screens.show_sample(window, name):
        return
    if usb_screens.show_sample(window, name):
        return
    if name == ATTRACT:
        window.enter_attract()
    elif name == IDLE_PROMPT:
        window.leave_attract()
        window.lifecycle.on_idle_warning(window.ctx.config.idle_warning_s)
    elif name == SETTINGS_PANEL:
        window.leave_attract()
        window.settings.open()
    elif name in STAFF_CALL_SAMPLES:
        window.leave_attract()
        caller = window.staff_call
        caller.show_progress(sample_call(caller.new_progress(), name, caller.monotonic()))
        if name.startswith("staff_call_open"):
            caller.hide_notice()
    elif name in FLOW_SAMPLES:
        window.leave_attract(then=sample_route(window, name))
    else:
        window.leave_attract(then=None if name == "home" else Route(name))


def variants() -> Iterator[tuple[tuple[int, int], int, bool]]:
    for size in SIZES:
        for scale in TEXT_SCALES:
            for high_contrast in THEMES:
                yield size, scale, high_contrast


def free_closed_screens() -> None:
    """Delete the screens the window let go (deleteLater): without an event loop running,
    nothing else does, and a full render would otherwise hold every screen it drew."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def render_screens(window: KioskWindow, out_dir: Path) -> list[Path]:
    """Save one PNG per screen and variant into `out_dir`; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # Shown (offscreen when rendering headless), so screens are laid out as on the kiosk: a
    # hidden window puts layouts off, and a step that opens scrolled to its prompt (under a
    # keyboard) would be drawn from its top.
    window.show()
    written: list[Path] = []
    for (width, height), scale, high_contrast in variants():
        window.resize(width, height)
        window.prefs.set(language="ko", text_scale=scale, high_contrast=high_contrast)
        for name in screen_names(window.ctx.pack):
            show_screen(window, name)
            # Twice: the first pass lays out the screen, which may show or hide the scroll buttons.
            QApplication.processEvents()
            QApplication.processEvents()
            theme = "contrast" if high_contrast else "default"
            path = out_dir / f"{name}_{width}x{height}_{scale}_{theme}.png"
            if not window.grab().save(str(path)):
                raise OSError(f"cannot write {path}")
            written.append(path)
            window.lifecycle.close_prompt()
    return written


# -- the media board ------------------------------------------------------------------------------

BOARD_SIGN = "board_emergency_sign"


def board_samples(pack: ContentPack) -> dict[str, tuple[str, str]]:
    """The board's slides a passer-by meets, one of each kind the pack has: name → (section,
    key) as the console's 미리보기 draws them (a picture with its QR code, a clip's frame, a
    notice, the district card with the platform's QR code). Emergencies are the 긴급 sign
    (BOARD_SIGN)."""
    promotions = pack.promotions
    picks = {
        "board_picture": next((p for p in promotions if p.kind == "image" and p.url), None),
        "board_video": next((p for p in promotions if p.kind == "video"), None),
        "board_notice": next(
            (p for p in promotions if p.kind == "notice" and not p.emergency), None
        ),
    }
    samples = {name: ("promotions", p.id) for name, p in picks.items() if p is not None}
    samples["board_card"] = ("district", "")
    return samples


def sample_emergency(pack: ContentPack, now: datetime) -> EmergencyNotice:
    """A 긴급 notice posted now, worded as the pack's own emergency notice (or its first)."""
    notices = [p for p in pack.promotions if p.kind == "notice"]
    source = next((p for p in notices if p.emergency), notices[0] if notices else None)
    text = source.title.get("ko") if source is not None else pack.district.name.get("ko")
    return EmergencyNotice(
        id=1, text=text, level="danger", posted_at=now, until=now + timedelta(hours=1)
    )


def render_board(ctx: AppContext, out_dir: Path) -> list[Path]:
    """Save the media board's slides (`board_samples`) and its 긴급 sign at both orientations
    and both themes, drawn by a board-mode window as a board shows them; returns the files."""
    from kiosk.preview import focused, save, settle_layout, show_on_board

    pack, kiosk_config = ctx.pack, ctx.config
    if pack is None:
        return []
    document = pack.model_dump(mode="json", by_alias=True)
    ctx.config = kiosk_config.model_copy(update={"mode": "board"})
    written: list[Path] = []
    try:
        window = KioskWindow(ctx, start_in_attract=True)
        for (width, height), high_contrast in itertools.product(SIZES, THEMES):
            window.resize(width, height)
            window.prefs.set(language="ko", text_scale=100, high_contrast=high_contrast)
            window.start()
            end = f"{width}x{height}_100_{'contrast' if high_contrast else 'default'}.png"
            for name, (section, key) in board_samples(pack).items():
                ctx.pack = focused(document, section, key, ctx.clock())
                show_on_board(window, section, key)
                written.append(save(window, out_dir / f"{name}_{end}"))
            ctx.pack = pack
            window.emergency.on_sync_emergency([sample_emergency(pack, ctx.clock())])
            settle_layout()
            written.append(save(window, out_dir / f"{BOARD_SIGN}_{end}"))
            window.emergency.on_sync_emergency([])
            free_closed_screens()
        player = getattr(window.current_screen, "player", None)
        if player is not None:
            player.stop()
        window.deleteLater()
        free_closed_screens()
    finally:
        ctx.pack, ctx.config = pack, kiosk_config
    return written
