"""주민참여예산 as a resident meets it: a dong, its projects within the budget, the review, the
identity keypad and one sealed envelope; then the same resident again, an idle reset, and a
search of the device for the numbers in clear."""

from __future__ import annotations

import base64
import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from types import FrameType

import pytest
from nacl.public import PrivateKey, SealedBox
from PySide6.QtCore import QPoint, QRect

from contract.content import KST
from contract.wire import binding_of
from kiosk.domain import ballot_flow
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from kiosk.ui.render import show_screen
from kiosk.ui.screens import proposals
from sync.worker import SERVER_PUBLIC_KEY_KEY
from tests.helpers.audit import layout_problems
from tests.helpers.resident import (
    BIRTH,
    PHONE,
    enrol,
    find,
    identify,
    on,
    pass_intro,
    press,
    shown,
    tap,
    tap_name,
    words,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
CLEAR_FORMS = (PHONE, "010-1234-5678", "12345678", BIRTH, "1950-03-15")


@pytest.fixture
def server_key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def kiosk(make_window, server_key):
    """A portrait kiosk in the 명동 centre, enrolled, on 1 December 2026."""
    window = make_window(dong="myeong")
    window.ctx.clock = lambda: NOW
    enrol(window, server_key)
    return window


def choose_myeong(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_budget")
    tap_name(qtbot, window, "voteButton")
    assert on(window) == "budget_dongs"
    # The centre's own dong comes first.
    first = window.current_screen.findChildren(type(find(window, "dong_myeong")))[0]
    assert first.objectName() == "dong_myeong"
    tap_name(qtbot, window, "dong_myeong")
    assert on(window) == "budget_projects"


def select_within_budget(qtbot, window) -> None:
    for project in ("myeong-lights", "myeong-benches", "myeong-recycling"):
        tap_name(qtbot, window, f"project_{project}")
    assert "남은 예산 100만원" in find(window, "ballotStatus").text()


def chosen(window) -> list[str]:
    return [b.objectName() for b in window.current_screen.choices if b.selected]


def vote(qtbot, window) -> None:
    choose_myeong(qtbot, window)
    select_within_budget(qtbot, window)
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "budget_review"
    tap_name(qtbot, window, "submitButton")
    identify(qtbot, window)


def up_to_the_birth_date(qtbot, window, birth: str) -> None:
    """A ballot chosen and reviewed, the phone number given, `birth` typed (not confirmed)."""
    choose_myeong(qtbot, window)
    select_within_budget(qtbot, window)
    tap_name(qtbot, window, "flowNext")
    tap_name(qtbot, window, "submitButton")
    pass_intro(qtbot, window)
    press(qtbot, window, PHONE)
    tap_name(qtbot, window, "flowNext")
    press(qtbot, window, birth)


def modules_on_the_way_to_enqueue(tap_it: Callable[[], None]) -> list[list[str]]:
    """For each `Outbox.enqueue` that `tap_it` leads to: the kiosk modules on the call stack
    as it is entered, outermost first, each once (the module hops from the tap to the
    outbox). A profile hook sees every Python call on this thread, wherever it came from."""
    enqueue = Outbox.enqueue.__code__
    found: list[list[str]] = []

    def probe(frame: FrameType, event: str, _arg: object) -> None:
        if event != "call" or frame.f_code is not enqueue:
            return
        modules: list[str] = []
        caller: FrameType | None = frame
        while caller is not None:
            modules.append(caller.f_globals.get("__name__", ""))
            caller = caller.f_back
        kiosk_modules = [m for m in reversed(modules) if m.startswith("kiosk.")]
        found.append(list(dict.fromkeys(kiosk_modules)))

    sys.setprofile(probe)
    try:
        tap_it()
    finally:
        sys.setprofile(None)
    return found


def test_the_ballots_tap_reaches_the_outbox_in_at_most_five_module_hops(qtbot, kiosk):
    """Issue 18's measure of the layers between a tap and the write: the ballot's 확인 after
    the birth date, to `Outbox.enqueue`, passes through at most five kiosk modules."""
    up_to_the_birth_date(qtbot, kiosk, BIRTH)
    [hops] = modules_on_the_way_to_enqueue(lambda: tap_name(qtbot, kiosk, "flowNext"))
    assert on(kiosk) == "thanks"
    logging.getLogger(__name__).info("ballot hops: %s", " -> ".join(hops))
    assert hops[0] == "kiosk.ui.flow" and hops[-1] == "kiosk.store.outbox", hops
    assert len(hops) <= 5, hops


def test_a_resident_votes_within_the_budget_by_taps(qtbot, kiosk, server_key):
    choose_myeong(qtbot, kiosk)
    assert "예산 1억원" in words(kiosk)
    assert find(kiosk, "ballotStatus").text() == "고른 사업 0원 · 남은 예산 1억원"
    select_within_budget(qtbot, kiosk)
    tap_name(qtbot, kiosk, "project_myeong-mural")  # 1,900만원 more: over the budget
    message = find(kiosk, "problemMessage").text()
    assert "예산을 넘습니다: 남은 예산 100만원, 이 사업 1,900만원" in message
    assert "project_myeong-mural" not in chosen(kiosk)
    assert len(chosen(kiosk)) == 3
    # The running total stays in view however far the resident scrolls (where the page of
    # projects needs no scrolling, it stays in view as well).
    bar = kiosk.scroll_area.verticalScrollBar()
    for value in (bar.maximum(), bar.minimum()):
        bar.setValue(value)
        status = find(kiosk, "ballotStatus")
        assert status.isVisible() and not kiosk.scroll_area.isAncestorOf(status)
        assert kiosk.rect().contains(QRect(status.mapTo(kiosk, QPoint(0, 0)), status.size()))
    assert shown(kiosk, "shareButton")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "budget_review"
    assert find(kiosk, "ballotTotal").text() == "합계 9,900만원 (예산 1억원)"
    tap_name(qtbot, kiosk, "submitButton")
    assert on(kiosk) == "identity"
    assert "구청 서버만 열 수 있게" in words(kiosk)
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert "1,000점" in find(kiosk, "thanksPoints").text()
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "ballot"
    assert envelope.payload == {
        "vote_id": "2027-pb",
        "ballot_id": envelope.payload["ballot_id"],
        "dong": "myeong",
        "project_ids": ["myeong-benches", "myeong-recycling", "myeong-lights"],
    }
    sealed = envelope.sealed_identity
    assert sealed is not None and PHONE not in sealed and BIRTH not in sealed
    opened = json.loads(SealedBox(server_key).decrypt(base64.b64decode(sealed)))
    # Sealed when the ballot was made, bound to it: its id, kind, vote, time and payload.
    assert opened == {
        "v": 2,
        "phone": PHONE,
        "birth": "1950-03-15",
        "binding": binding_of(envelope).model_dump(mode="json"),
    }
    assert binding_of(envelope).target == "2027-pb"
    assert kiosk.ctx.outbox.sealed_to(envelope.id) == DeviceSettings(kiosk.ctx.db).get(
        SERVER_PUBLIC_KEY_KEY
    )


def test_the_same_resident_cannot_vote_twice_at_this_kiosk(qtbot, kiosk):
    vote(qtbot, kiosk)
    tap_name(qtbot, kiosk, "thanksHome")  # the visit ends; the same resident comes back
    vote(qtbot, kiosk)
    assert on(kiosk) == "identity"
    assert "이미 투표하셨습니다" in find(kiosk, "problemMessage").text()
    assert not shown(kiosk, "key_1")
    assert len(kiosk.ctx.outbox.pending()) == 1
    # Another resident may still vote here.
    tap(qtbot, kiosk.home_button)
    choose_myeong(qtbot, kiosk)
    select_within_budget(qtbot, kiosk)
    tap_name(qtbot, kiosk, "flowNext")
    tap_name(qtbot, kiosk, "submitButton")
    identify(qtbot, kiosk, "01099990000", "19610101")
    assert on(kiosk) == "thanks" and len(kiosk.ctx.outbox.pending()) == 2


def test_wrong_numbers_are_explained_and_nothing_is_sent(qtbot, kiosk):
    vote_until_identity = [
        lambda: choose_myeong(qtbot, kiosk),
        lambda: select_within_budget(qtbot, kiosk),
        lambda: tap_name(qtbot, kiosk, "flowNext"),
        lambda: tap_name(qtbot, kiosk, "submitButton"),
    ]
    for step in vote_until_identity:
        step()
    pass_intro(qtbot, kiosk)
    press(qtbot, kiosk, "0101234")
    tap_name(qtbot, kiosk, "flowNext")
    assert "010으로 시작하는 11자리" in find(kiosk, "problemMessage").text()
    press(qtbot, kiosk, "5678")
    tap_name(qtbot, kiosk, "flowNext")
    press(qtbot, kiosk, "20200101")  # six years old
    tap_name(qtbot, kiosk, "flowNext")
    assert "만 14세 이상" in find(kiosk, "problemMessage").text()
    assert kiosk.ctx.outbox.pending() == []


def test_a_kiosk_never_connected_says_so_before_any_number_is_typed(qtbot, make_window):
    window = make_window(dong="myeong")
    window.ctx.clock = lambda: NOW
    choose_myeong(qtbot, window)
    select_within_budget(qtbot, window)
    tap_name(qtbot, window, "flowNext")
    tap_name(qtbot, window, "submitButton")
    assert on(window) == "identity"
    assert "구청 서버에 한 번 연결" in words(window)
    assert shown(window, "noServerKey") and not shown(window, "key_1")


def test_idle_reset_mid_ballot_leaves_no_envelope_and_no_digits(qtbot, kiosk, idle_clock):
    up_to_the_birth_date(qtbot, kiosk, "1950")
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract
    tap(qtbot, kiosk.current_screen)
    assert on(kiosk) == "home" and not kiosk.navigator.can_go_back
    assert kiosk.ctx.outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}
    assert "5678" not in words(kiosk) and "1950" not in words(kiosk)
    choose_myeong(qtbot, kiosk)
    assert chosen(kiosk) == []


def test_no_number_in_clear_on_the_device_or_in_the_logs(qtbot, kiosk, caplog):
    caplog.set_level(logging.DEBUG)
    vote(qtbot, kiosk)
    tap_name(qtbot, kiosk, "thanksHome")
    tap_name(qtbot, kiosk, "tile_proposals")
    tap_name(qtbot, kiosk, "proposal_lunch-yaksu")
    tap_name(qtbot, kiosk, "agreeButton")
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    kiosk.ctx.close()  # the database's pages and WAL on disk, as a power cut would leave them
    found = []
    files = [p for p in kiosk.ctx.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" or "db" in p.name for p in files)
    for path in files:
        data = path.read_bytes()
        found += [f"{path.name}: {form}" for form in CLEAR_FORMS if form.encode() in data]
    logged = caplog.text + "\n".join(repr(r.args) for r in caplog.records)
    found += [f"log: {form}" for form in CLEAR_FORMS if form in logged]
    assert "submission_queued kind=ballot" in caplog.text  # the logs were captured
    assert not found, found


# -- results ------------------------------------------------------------------------------------


def test_published_results_show_each_dongs_ranking(qtbot, kiosk):
    from contract.content import BallotResult, ProjectResult

    pack = kiosk.ctx.pack
    result = BallotResult(
        dong="myeong",
        voters=321,
        ranking=[
            ProjectResult(project="myeong-lights", votes=200, selected=True),
            ProjectResult(project="myeong-books", votes=90, selected=True),
            ProjectResult(project="myeong-mural", votes=90, selected=False),
        ],
    )
    budget = pack.budget.model_copy(update={"results": [result]})
    kiosk.ctx.pack = pack.model_copy(update={"budget": budget})
    tap_name(qtbot, kiosk, "tile_budget")
    tap_name(qtbot, kiosk, "resultsButton")
    tap_name(qtbot, kiosk, "dong_myeong")
    assert on(kiosk) == "budget_results"
    text = words(kiosk)
    assert "투표한 주민 321명" in text
    assert "1위 · 200표 · 선정" in text
    assert text.count("2위 · 90표") == 2 and "선정 안 됨" in text


def test_a_closed_vote_says_so(qtbot, kiosk):
    kiosk.ctx.clock = lambda: datetime(2027, 2, 15, tzinfo=KST)
    tap_name(qtbot, kiosk, "tile_budget")
    assert "투표 기간이 끝났습니다" in find(kiosk, "voteClosed").text()
    assert not shown(kiosk, "voteButton")


# -- layout -------------------------------------------------------------------------------------

NEW_SCREENS = (
    "proposals",
    "budget",
    *proposals.SAMPLE_NAMES,
    *ballot_flow.SAMPLE_NAMES,
)


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_new_screen_fits_at_every_text_size(qtbot, make_window, size, scale):
    window = make_window(size)
    window.ctx.clock = lambda: NOW
    problems: list[str] = []

    def audit(where: str) -> None:
        qtbot.wait(1)
        problems.extend(layout_problems(window, where))

    for language in ("ko", "en"):
        window.prefs.set(language=language, text_scale=scale, high_contrast=False)
        for name in NEW_SCREENS:
            show_screen(window, name)
            audit(f"{name} ({language})")
        # The states after taps: a refusal on the ballot, a wrong number on the keypad.
        show_screen(window, "budget_projects_budget")
        unchosen = [b for b in window.current_screen.choices if not b.selected]
        tap_name(qtbot, window, unchosen[0].objectName())
        audit(f"budget refused ({language})")
        show_screen(window, "identity_phone")
        tap_name(qtbot, window, "flowNext")
        audit(f"identity wrong number ({language})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_at_the_largest_text_the_projects_come_a_page_at_a_time(qtbot, make_window, size):
    """Issue 17: pages, not scrolling. At 200 % the projects come a page at a time with
    "1 / N쪽"; 다음 쪽 and 이전 쪽 turn them, what a page shows stands in sight without
    scrolling, a project chosen on page 2 goes on to the review and 본인 확인, and back from
    there the projects open on page 2 again."""
    window = make_window(size, dong="myeong")
    window.ctx.clock = lambda: NOW
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    choose_myeong(qtbot, window)
    count = find(window, "pageCount")
    pages = int(count.text().split("/")[1].strip().rstrip("쪽"))
    assert pages > 1 and count.text() == f"1 / {pages}쪽"
    assert not find(window, "pagePrevious").isEnabled()
    area = window.scroll_area.verticalScrollBar()
    shown_first = [b.objectName() for b in window.current_screen.choices if b.isVisible()]
    assert shown_first and len(shown_first) < len(window.current_screen.choices)

    tap_name(qtbot, window, "pageNext")
    assert find(window, "pageCount").text() == f"2 / {pages}쪽"
    tap_name(qtbot, window, "pagePrevious")
    assert find(window, "pageCount").text() == f"1 / {pages}쪽"
    tap_name(qtbot, window, "pageNext")
    on_page_2 = [b for b in window.current_screen.choices if b.isVisible()]
    assert on_page_2 and not {b.objectName() for b in on_page_2} & set(shown_first)
    project = on_page_2[0].objectName()
    tap(qtbot, on_page_2[0])
    assert project in chosen(window)
    # What the page shows stands in the working area without scrolling.
    viewport = window.scroll_area.viewport()
    seen = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
    for button in (*on_page_2, find(window, "pageNext"), find(window, "pagePrevious")):
        assert seen.contains(QRect(button.mapTo(window, QPoint(0, 0)), button.size()))
    assert area.value() == 0

    tap_name(qtbot, window, "flowNext")
    assert on(window) == "budget_review"
    assert shown(window, f"review_{project.removeprefix('project_')}")
    tap_name(qtbot, window, "submitButton")
    assert on(window) == "identity"
    # Back from the review: the projects open on the page the resident turned to.
    tap_name(qtbot, window, "flowBack")
    tap_name(qtbot, window, "flowBack")
    assert on(window) == "budget_projects"
    assert find(window, "pageCount").text() == f"2 / {pages}쪽"
    assert project in chosen(window)
