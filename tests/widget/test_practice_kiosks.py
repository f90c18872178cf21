"""The practice kiosks by taps on the real screens (issue 19): every part a lesson may point at on
a practice page is there (the names come from the pack, contract.content.PracticeKiosk.screens),
a fast-food set with a second one and one taken away adds up, the 무인민원발급기 charges the
certificate's fee, the subway machine its fare, and nothing is ever queued for the server."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from contract.pack import load_pack
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.domain.practice import PracticeVisit
from kiosk.paths import asset_path
from kiosk.ui.navigation import Route
from kiosk.ui.paging import Pages
from kiosk.ui.render import show_screen
from kiosk.ui.screens import practice
from tests.helpers.audit import hidden_action, practice_unfit
from tests.helpers.audit_matrix import LANDSCAPE, PORTRAIT, Variant, run_audit, variant_id
from tests.helpers.resident import find, on, settle, shown, tap, tap_name

# The largest text, each orientation, high contrast and 낮은 화면 on one and off on the other:
# the audit of every practice page (bench/a11y_audit.py --screens runs the whole matrix).
AUDITED: tuple[Variant, ...] = ((PORTRAIT, 200, True, True, 32), (LANDSCAPE, 200, False, False, 32))


@pytest.fixture
def kiosk(make_window, monkeypatch):
    monkeypatch.setattr(practice, "CARD_ANIMATION_MS", 20)
    return make_window()


def shown_names(window) -> set[str]:
    roots = [r for r in (window.current_screen, window.current_screen.pinned) if r is not None]
    return {w.objectName() for r in roots for w in (r, *r.findChildren(QWidget)) if w.objectName()}


def covers(shown: set[str], target: str) -> bool:
    if target.endswith("*"):
        return any(n.startswith(target[:-1]) and n != target[:-1] for n in shown)
    return target in shown


def test_every_part_a_lesson_may_name_is_on_its_page(kiosk):
    missing = []
    for practice_kiosk in kiosk.ctx.pack.practice:
        # Each tab of a menu shows its own items, each item its own options.
        states: list[dict[str, str]] = [{}]
        states += [{"category": c.id} for p in practice_kiosk.pages for c in p.categories]
        states += [{"item": item.id} for item in practice_kiosk.items()]
        for route, targets in practice_kiosk.screens().items():
            seen: set[str] = set()
            for params in states:
                kiosk.navigate(Route(route, dict(params)))
                seen |= shown_names(kiosk)
                kiosk.go_home()
            missing += [f"{route}:{t}" for t in sorted(targets) if not covers(seen, t)]
    assert missing == []


def test_a_burger_set_twice_and_fries_to_take_away(qtbot, kiosk):
    kiosk.navigate(Route("practice_burger_where"))
    tap_name(qtbot, kiosk, "choice_takeout")
    tap_name(qtbot, kiosk, "menu_bulgogi")
    tap_name(qtbot, kiosk, "option_set-set")
    assert find(kiosk, "addToCart").text_of_lines() == "담기 · 7,000원"
    tap_name(qtbot, kiosk, "addToCart")
    tap_name(qtbot, kiosk, "cartMore_1")
    tap_name(qtbot, kiosk, "category_sides")
    tap_name(qtbot, kiosk, "menu_fries")
    tap_name(qtbot, kiosk, "option_size-large")
    tap_name(qtbot, kiosk, "addToCart")
    assert find(kiosk, "cartTotal").text() == "담은 것 3개 · 합계 16,700원"
    tap_name(qtbot, kiosk, "cartLess_2")  # the fries go again
    assert find(kiosk, "cartTotal").text() == "담은 것 2개 · 합계 14,000원"
    tap_name(qtbot, kiosk, "order")
    assert find(kiosk, "payTotal").text() == "결제할 금액: 14,000원"
    tap_name(qtbot, kiosk, "payCard")
    tap_name(qtbot, kiosk, "insertCard")
    qtbot.waitUntil(lambda: on(kiosk) == "practice_burger_done")
    assert find(kiosk, "number").text() == "105"
    tap_name(qtbot, kiosk, "finish")
    assert on(kiosk) == "practice_burger_where"
    assert kiosk.ctx.outbox.pending() == []


def test_the_civil_documents_machine_charges_the_certificates_fee(qtbot, kiosk):
    kiosk.navigate(Route("practice_civil_doc"))
    tap_name(qtbot, kiosk, "choice_resident")
    assert on(kiosk) == "practice_civil_finger"
    tap_name(qtbot, kiosk, "noticeOk")
    tap_name(qtbot, kiosk, "choice_without")
    assert find(kiosk, "payTotal").text() == "결제할 금액: 200원"
    assert "주민등록등본 × 1 — 200원" in find(kiosk, "paySummary").text()
    tap_name(qtbot, kiosk, "payCard")
    tap_name(qtbot, kiosk, "insertCard")
    qtbot.waitUntil(lambda: on(kiosk) == "practice_civil_done")
    assert kiosk.ctx.outbox.pending() == []


def test_the_subway_machine_charges_the_fare_to_the_station(qtbot, kiosk):
    kiosk.navigate(Route("practice_subway_what"))
    tap_name(qtbot, kiosk, "choice_single")
    tap_name(qtbot, kiosk, "choice_suwon")
    assert find(kiosk, "payTotal").text() == "결제할 금액: 3,300원"


@pytest.mark.parametrize("variant", AUDITED, ids=variant_id)
def test_every_practice_page_passes_the_accessibility_audit(qtbot, make_window, variant):
    """Touch targets, contrast (the sign's colour too), words not cut, the working area's
    share: held to the rules of every other screen."""
    names = list(load_pack(asset_path("demo")).practice_screens())
    run_audit(make_window, variant, names, tab=False)


@pytest.mark.parametrize("size", (PORTRAIT, LANDSCAPE), ids=("portrait", "landscape"))
def test_every_practice_page_fits_the_window_at_every_text_size(qtbot, make_window, size):
    """At 100, 150 and 200 %: the page's action (주문하기, 담기, 확인, 카드로 결제하기, 처음
    화면으로) in sight on arrival, nothing to scroll (a menu's items, a page's choices and an
    item's option groups come a page at a time), and a menu's cart whole in the action bar,
    never half under it."""
    window = make_window(size)
    names = list(window.ctx.pack.practice_screens())
    problems = []
    for scale in TEXT_SCALES:
        window.prefs.set(language="ko", text_scale=scale, high_contrast=False, low_screen=False)
        for name in names:
            show_screen(window, name)
            problems += [f"{name} {scale}%: {p}" for p in practice_unfit(window)]
            if name.endswith("_menu"):
                assert window.pinned_slot.isAncestorOf(find(window, "cart")), name
        settle()
    assert problems == []


def test_the_fit_measure_sees_a_page_that_scrolls(qtbot, make_window):
    """practice_unfit finds what a resident would have to scroll to: on a window too low for
    the café's card payment at 200 %, the page runs below the fold. (Its menu, which was the
    example here, now fits such a window: its sign and band stand on the first page only,
    kiosk.ui.paging.fit_pages.)"""
    window = make_window((1080, 1100))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    show_screen(window, "practice_cafe_pay_card")
    assert any("the page scrolls" in p for p in practice_unfit(window))
    assert hidden_action(window) is None  # its action stays in the action bar all the same


def test_a_menu_comes_a_page_at_a_time_at_200_percent(qtbot, kiosk):
    """Portrait at 200 %: the café's coffees on pages (2 / 2쪽), the page turned to kept when
    a tap adds an item to the cart, the cart and 주문하기 in sight below."""
    kiosk.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    kiosk.navigate(Route("practice_cafe_menu", {"visit": PracticeVisit("cafe")}))
    pages = kiosk.current_screen.findChild(Pages)
    assert pages.pages > 1 and find(kiosk, "pageCount").text() == f"1 / {pages.pages}쪽"
    assert not shown(kiosk, "menu_vanilla")
    tap(qtbot, find(kiosk, "pageNext"))
    tap_name(qtbot, kiosk, "menu_vanilla")
    tap_name(qtbot, kiosk, "addToCart")
    assert on(kiosk) == "practice_cafe_menu"
    assert shown(kiosk, "menu_vanilla"), "back on the page the resident turned to"
    assert find(kiosk, "cartTotal").text() == "담은 것 1개 · 합계 3,500원"
    assert practice_unfit(kiosk) == []
