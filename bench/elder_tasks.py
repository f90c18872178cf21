"""Each resident task driven by taps, as a 75-year-old would meet it, at every text size in
both orientations with voice guidance on (issue 17's benchmark).

Tasks: a survey, the policy quiz, a contest vote, a new proposal, an agree, the ballot with
본인 확인, the points balance (offline: no server here) and a video. A tap is a mouse click on
the widget's centre; a control on another page of a paged list is first brought up by tapping
다음 쪽 / 이전 쪽, and one that is not in sight by tapping the bars' 위로 / 아래로, each such tap
counted as a scroll. On arriving at each screen the
working area's share of the window and whether the step's primary action is out of sight are
measured with the audit's own measures (tests/helpers/audit.py).

    QT_QPA_PLATFORM=offscreen python bench/elder_tasks.py [--tasks survey,ballot] [--sizes 100,200]

Prints a line per task and variant, then one JSON line: tasks (runs completed), taps_median,
scrolls_total, scrolls_to_action (the scrolls that reached a primary action), page_turns
(taps on 이전 쪽 / 다음 쪽 of a paged list, counted in the taps too),
action_hidden_on_arrival, keys_hidden_on_arrival (screens where a keypad or keyboard key is out
of sight as the screen opens), min_working_area_share (and where it was), failed.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nacl.public import PrivateKey  # noqa: E402
from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from contract.content import KST  # noqa: E402
from kiosk.app import open_context  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.domain.a11y import TEXT_SCALES  # noqa: E402
from kiosk.domain.earn import ANONYMOUS, POINTS_CHOICE  # noqa: E402
from kiosk.domain.hangul import decompose  # noqa: E402
from kiosk.store.settings import DeviceSettings  # noqa: E402
from kiosk.ui.fonts import load_bundled_fonts  # noqa: E402
from kiosk.ui.paging import pages_of  # noqa: E402
from kiosk.ui.shell import KioskWindow  # noqa: E402
from sync.worker import SERVER_PUBLIC_KEY_KEY  # noqa: E402
from tests.helpers.audit import hidden_action, hidden_keys, working_area_share  # noqa: E402
from tests.helpers.resident import SPECIAL, UNSHIFTED, discard, settle  # noqa: E402

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)
PHONE, BIRTH = "01012345678", "19500315"
# What a resident taps to do what they came for: reaching one of these is what must never
# need a scroll.
ACTIONS = frozenset(
    {"flowNext", "submitButton", "voteButton", "agreeButton", "startButton", "checkPoints"}
)


@dataclass
class Resident:
    """Taps on what the window shows, scrolling with 위로 / 아래로 to what is out of sight,
    and the measures taken on arriving at each screen."""

    window: KioskWindow
    where: str
    taps: int = 0
    scrolls: int = 0
    scrolls_to_action: int = 0
    page_turns: int = 0
    hidden: list[str] = field(default_factory=list)
    keys_hidden: list[str] = field(default_factory=list)
    scrolled: list[str] = field(default_factory=list)
    shares: list[tuple[float, str]] = field(default_factory=list)
    _measured: object = None

    def find(self, name: str) -> QWidget:
        found = [w for w in self.window.findChildren(QWidget, name) if w.isVisible()]
        if not found:
            self.turn_to(name)
            found = [w for w in self.window.findChildren(QWidget, name) if w.isVisible()]
        if len(found) != 1:
            raise LookupError(f"{len(found)} visible widgets named {name} on {self.route()}")
        return found[0]

    def turn_to(self, name: str) -> None:
        """Tap 이전 쪽 / 다음 쪽 until the page showing the item `name` is shown."""
        for item in self.window.findChildren(QWidget, name):
            pages = pages_of(item)
            if pages is None or not pages.isVisible():
                continue
            while (page := pages.page_of(item)) != pages.page:
                self.click(pages.next if page > pages.page else pages.previous)
                self.page_turns += 1
            return

    def route(self) -> str:
        return self.window.navigator.current.screen

    def arrived(self) -> None:
        """Measure the screen now shown, once per screen."""
        QApplication.processEvents()
        screen = self.window.current_screen
        if screen is None or screen is self._measured:
            return
        self._measured = screen
        label = f"{self.route()} [{self.where}]"
        share = working_area_share(self.window)
        if share is not None:
            self.shares.append((share, label))
        where = hidden_action(self.window)
        if where is not None:
            self.hidden.append(f"{label}: {where}")
        keys = hidden_keys(self.window)
        if keys:
            self.keys_hidden.append(f"{label}: {len(keys)} keys, {keys[0]}")

    def in_sight(self, widget: QWidget) -> bool | int:
        """True when a resident sees `widget` (whole, or its middle and most of it);
        else -1 or 1: the way to scroll."""
        area = self.window.scroll_area
        rect = QRect(widget.mapTo(self.window, QPoint(0, 0)), widget.size())
        if not area.isAncestorOf(widget):
            return True
        viewport = area.viewport()
        shown = QRect(viewport.mapTo(self.window, QPoint(0, 0)), viewport.size())
        # Wholly, or enough of it to be sure what it is and tap its middle (위로 / 아래로 move
        # by most of a page, so a tall card may never stand wholly in view).
        part = shown.intersected(rect)
        if shown.contains(rect) or (
            shown.contains(rect.center()) and part.height() * 2 >= rect.height()
        ):
            return True
        return -1 if rect.center().y() < shown.center().y() else 1

    def bring_into_sight(self, widget: QWidget) -> int:
        """Tap 위로 / 아래로 until `widget` is in sight; the number of taps that took."""
        scrolls = 0
        while (way := self.in_sight(widget)) is not True:
            button = self.find("scrollUpButton" if way == -1 else "scrollDownButton")
            if not button.isEnabled() or scrolls > 50:
                rect = QRect(widget.mapTo(self.window, QPoint(0, 0)), widget.size())
                raise RuntimeError(
                    f"{widget.objectName()} at {rect.getCoords()} cannot be scrolled into "
                    f"sight on {self.route()}"
                )
            self.click(button)
            scrolls += 1
        return scrolls

    def click(self, widget: QWidget) -> None:
        if not (widget.isVisible() and widget.isEnabled()):
            raise RuntimeError(f"{widget.objectName()} is not there to tap on {self.route()}")
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        settle()
        self.taps += 1

    def tap(self, target: str | QWidget) -> None:
        widget = self.find(target) if isinstance(target, str) else target
        scrolls = self.bring_into_sight(widget)
        self.scrolls += scrolls
        if scrolls:
            self.scrolled.append(
                f"{self.route()} [{self.where}]: {scrolls} to {widget.objectName()}"
            )
        if widget.objectName() in ACTIONS:
            self.scrolls_to_action += scrolls
        self.click(widget)
        self.arrived()

    def type(self, text: str) -> None:
        keyboard = self.window.current_screen.keyboard  # type: ignore[union-attr]
        for key in decompose(text):
            if key in SPECIAL:
                self.tap(keyboard.button(SPECIAL[key]))
                continue
            if key in UNSHIFTED:
                self.tap(keyboard.button("shift"))
                key = UNSHIFTED[key]
            self.tap(keyboard.button(key))

    def press(self, digits: str) -> None:
        for digit in digits:
            self.tap(f"key_{digit}")

    def identify(self) -> None:
        self.expect("identity")
        self.tap("flowNext")  # its first page: why the numbers are asked
        self.press(PHONE)
        self.tap("flowNext")
        self.press(BIRTH)
        self.tap("flowNext")

    def send(self) -> None:
        """보내기 on a review; where points are offered for it, 포인트 없이 보내기 (the ballot
        task is the one that goes through 본인 확인)."""
        self.tap("submitButton")
        if self.route() == POINTS_CHOICE:
            self.tap(f"earn_{ANONYMOUS}")

    def expect(self, route: str) -> None:
        if self.route() != route:
            raise AssertionError(f"on {self.route()}, expected {route}")

    def wait_for(self, name: str, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QApplication.processEvents()
            if any(w.isVisible() for w in self.window.findChildren(QWidget, name)):
                self.arrived()
                return
            time.sleep(0.02)
        raise TimeoutError(f"{name} not shown on {self.route()}")


def survey(r: Resident) -> None:
    r.tap("tile_surveys")
    r.tap("survey_2026-senior-digital")
    r.tap("startButton")
    r.tap("choice_70s")
    r.tap("flowNext")
    r.tap("choice_False")
    r.tap("flowNext")
    r.tap("choice_eyesight")
    r.tap("flowNext")
    r.tap("choice_4")
    r.tap("flowNext")
    r.type("기차표")
    r.tap("flowNext")
    r.tap("flowNext")  # the last question is optional
    r.expect("survey_review")
    r.send()
    r.expect("thanks")


def quiz(r: Resident) -> None:
    r.tap("tile_surveys")
    r.tap("survey_2026-quiz-ontong")
    r.tap("startButton")
    for choices in (["n100"], [True], ["survey", "proposal", "budget"]):
        for choice in choices:
            r.tap(f"choice_{choice}")
        r.tap("flowNext")  # 정답 확인
        r.expect("survey_feedback")
        r.tap("flowNext")
    r.expect("survey_review")
    r.send()
    r.expect("thanks")


def contest_vote(r: Resident) -> None:
    r.tap("tile_surveys")
    r.tap("contest_2026-alley-photo")
    r.tap("voteButton")
    r.tap("entry_market")
    r.tap("entry_ginkgo")
    r.tap("flowNext")
    r.expect("contest_vote_review")
    r.send()
    r.expect("thanks")


def new_proposal(r: Resident) -> None:
    r.tap("tile_proposals")
    r.tap("writeProposal")
    r.tap("dong_myeong")
    r.tap("flowNext")
    r.tap("topic_welfare")
    r.tap("flowNext")
    r.type("쉼터 의자")
    r.tap("flowNext")
    r.type("약수시장 가는 오르막에 쉬어 갈 의자를 놓아 주세요")
    r.tap("flowNext")
    r.expect("proposal_new_review")
    r.tap("submitButton")
    r.identify()
    r.expect("thanks")


def agree(r: Resident) -> None:
    r.tap("tile_proposals")
    r.tap("proposal_lunch-yaksu")
    r.tap("agreeButton")
    r.identify()
    r.expect("thanks")


def ballot(r: Resident) -> None:
    r.tap("tile_budget")
    r.tap("voteButton")
    r.tap("dong_myeong")
    for project in ("myeong-lights", "myeong-benches", "myeong-recycling"):
        r.tap(f"project_{project}")
    r.tap("flowNext")
    r.expect("budget_review")
    r.tap("submitButton")
    r.identify()
    r.expect("thanks")


def points(r: Resident) -> None:
    r.tap("tile_points")
    r.tap("checkPoints")
    r.identify()
    r.expect("points_balance")
    r.wait_for("points_offline")


def video(r: Resident) -> None:
    r.tap("tile_videos")
    first = r.window.ctx.pack.videos[0]  # type: ignore[union-attr]
    r.tap(f"video_{first.id}")
    r.expect("video")


TASKS: dict[str, Callable[[Resident], None]] = {
    "survey": survey,
    "quiz": quiz,
    "contest_vote": contest_vote,
    "new_proposal": new_proposal,
    "agree": agree,
    "ballot": ballot,
    "points": points,
    "video": video,
}


def fresh_visit(window: KioskWindow, scale: int) -> None:
    """A new resident who chose this text size and turned voice guidance on."""
    window.end_visit()
    window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
    if not window.voice.on:
        window.voice.toggle()
    settle()
    QApplication.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", help=f"comma-separated, of {','.join(TASKS)}")
    parser.add_argument("--sizes", help="comma-separated text sizes (default: all)")
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication([])  # kept alive for the run
    load_bundled_fonts()
    tasks = args.tasks.split(",") if args.tasks else list(TASKS)
    scales = [int(s) for s in args.sizes.split(",")] if args.sizes else list(TEXT_SCALES)
    runs: list[Resident] = []
    failed: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as data:
        for size in (PORTRAIT, LANDSCAPE):
            for scale in scales:
                orientation = "portrait" if size == PORTRAIT else "landscape"
                where = f"{orientation} {scale}%"
                config = KioskConfig(
                    data_dir=Path(data) / f"{orientation}-{scale}",
                    dong="myeong",
                    speech_engine="mock",
                )
                ctx = open_context(config)
                ctx.clock = lambda: NOW
                # Enrolled as far as sealing needs: the server's public key.
                key = bytes(PrivateKey.generate().public_key)
                DeviceSettings(ctx.db).set(SERVER_PUBLIC_KEY_KEY, base64.b64encode(key).decode())
                window = KioskWindow(ctx)
                window.resize(*size)
                window.show()
                window.start()
                for name in tasks:
                    fresh_visit(window, scale)
                    resident = Resident(window, where)
                    resident.arrived()
                    try:
                        TASKS[name](resident)
                    except Exception as error:  # noqa: BLE001 - reported, the run goes on
                        failed.append(f"{name} [{where}]: {error}")
                        traceback.print_exc()
                        continue
                    runs.append(resident)
                    low = min((s for s, _ in resident.shares), default=1.0)
                    print(
                        f"{name:<13} {where:<15} taps {resident.taps:>3} "
                        f"scrolls {resident.scrolls:>3} (to an action {resident.scrolls_to_action})"
                        f" pages turned {resident.page_turns:>2}"
                        f" hidden {len(resident.hidden)} min share {low:.2f}",
                        flush=True,
                    )
                fresh_visit(window, 100)
                discard(window, ctx)
    for run in runs:
        for line in run.scrolled:
            print("scrolled on:", line)
        for line in run.hidden:
            print("hidden on arrival:", line)
        for line in run.keys_hidden:
            print("keys hidden on arrival:", line)
    shares = [share for run in runs for share in run.shares]
    lowest = min(shares, default=(1.0, ""))
    for line in failed:
        print("failed:", line)
    print(
        json.dumps(
            {
                "tasks": len(runs),
                "taps_median": statistics.median(r.taps for r in runs) if runs else None,
                "scrolls_total": sum(r.scrolls for r in runs),
                "scrolls_to_action": sum(r.scrolls_to_action for r in runs),
                "page_turns": sum(r.page_turns for r in runs),
                "action_hidden_on_arrival": sum(len(r.hidden) for r in runs),
                "keys_hidden_on_arrival": sum(len(r.keys_hidden) for r in runs),
                "min_working_area_share": round(lowest[0], 3),
                "min_share_at": lowest[1],
                "failed": len(failed),
                "seconds": round(time.monotonic() - started, 1),
            },
            ensure_ascii=False,
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
