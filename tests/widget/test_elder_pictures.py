"""Pictures kept at the text sizes elders choose (issue 17): each contest entry shows its photo
on every page at 200 % (they were left out, at landscape 200 % for lack of height), with no
page overflowing, turned through and chosen by taps."""

from __future__ import annotations

from datetime import datetime

import pytest
from nacl.public import PrivateKey
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from contract.content import KST
from kiosk.ui.images import ImageView
from kiosk.ui.paging import Pages
from kiosk.ui.render import show_screen
from tests.helpers.audit import pages_overflow
from tests.helpers.resident import enrol, on, tap, tap_name

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
ALLEY = "2026-alley-photo"


def photo_px(entry) -> int:
    """How high the entry's photo is drawn (0: left out)."""
    views = [v for v in entry.findChildren(ImageView) if v.isVisible()]
    return max((v.height() for v in views), default=0)


@pytest.mark.parametrize(
    "size", [(1920, 1080), (1080, 1920)], ids=["landscape-200", "portrait-200"]
)
def test_every_contest_entry_shows_its_photo_at_200(qtbot, make_window, size):
    window = make_window(size)
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=False)
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"contest_{ALLEY}")
    tap_name(qtbot, window, "voteButton")
    assert on(window) == "contest_entries"
    pages = window.current_screen.findChild(Pages)
    assert pages is not None
    # Large enough to tell what it shows: at least a touch target high.
    least = window.theme.metrics.target_px
    seen = []
    for page in range(pages.pages):
        QApplication.processEvents()
        shown = [item for item in pages.items if item.isVisible()]
        assert shown, page
        for entry in shown:
            assert photo_px(entry) >= least, (entry.objectName(), photo_px(entry))
            assert entry.visibleRegion().boundingRect().size() == entry.size()
        assert pages.overflow == 0 and pages_overflow(window) == []
        seen += [entry.objectName() for entry in shown]
        if page < pages.pages - 1:
            tap(qtbot, pages.next)
    assert len(seen) == len(pages.items)
    # Chosen, the last entry keeps its photo and its page still fits.
    entry = window.current_screen.findChild(type(pages.items[0]), seen[-1])
    tap(qtbot, entry)
    QApplication.processEvents()
    assert entry.selected and photo_px(entry) >= least
    assert pages.overflow == 0 and pages_overflow(window) == []


def test_reviews_fit_their_pages_at_landscape_200_with_every_answer_and_fix(qtbot, make_window):
    """Cards with no picture fit as before the pictures were kept, with each answer shown (a
    strong line: shortened, never left out; the question shortens first) and 고치기 with its
    word on every page of a survey's and a new proposal's review: at landscape 200 % with 낮은
    화면, they overflowed their pages by 135 and 297 px (answers could not shorten) and had
    left out answers and 고치기's word before."""
    window = make_window((1920, 1080))
    window.prefs.set(language="ko", text_scale=200, high_contrast=True, low_screen=True)
    for name in ("survey_review", "proposal_new_review"):
        show_screen(window, name)
        QApplication.processEvents()
        pages = window.current_screen.findChild(Pages)
        assert pages is not None and pages.pages > 1, name
        for page in range(pages.pages):
            assert pages.overflow == 0 and pages_overflow(window) == [], (name, page)
            for card in (item for item in pages.items if item.isVisible()):
                answer = card.findChild(QLabel, card.objectName().replace("review_", "answer_"))
                fix = card.findChild(QPushButton)
                assert answer is not None and answer.isVisible() and answer.text(), card
                assert fix is not None and any(w.isVisible() for w in fix.findChildren(QLabel))
            if page < pages.pages - 1:
                tap(qtbot, pages.next)
                QApplication.processEvents()
        window.lifecycle.close_prompt()
