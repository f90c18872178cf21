"""Every QR code the app draws decodes (zxing-cpp) to its item's address, and is big enough to
scan: on the board, on the 휴대폰으로 보기 page (from a video, a proposal and the budget
vote), in the video centre and on the SNS page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain.a11y import Panel
from kiosk.i18n import Translator
from kiosk.ui.player.slides import SlideStyle, qr_module, split
from kiosk.ui.qr import (
    BOARD_SCAN_MM,
    QUIET_MODULES,
    QrPanel,
    breakable,
    display_url,
    module_px,
    qr_image,
    qr_matrix,
    side_modules,
)
from kiosk.ui.theme import DEFAULT, Metrics, Theme
from tests.helpers.board import (
    close_board,
    decode_qr,
    finish_fade,
    next_item,
    stage_picture,
    start,
)
from tests.helpers.board import make_board as build_board
from tests.helpers.resident import tap_name

TAP = Qt.MouseButton.LeftButton


def pack_addresses(pack) -> list[str]:
    urls = [pack.district.platform_url]
    urls += [s.url for s in pack.surveys] + [c.url for c in pack.contests]
    urls += [p.url for p in pack.proposals] + [v.url for v in pack.videos]
    urls += [p.url for p in pack.promotions if p.url] + [c.url for c in pack.district.sns]
    if pack.budget is not None:
        urls.append(pack.budget.url)
    return sorted(set(urls))


def visible(window: QWidget, name: str) -> QWidget:
    found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{len(found)} visible widgets named {name}"
    return found[0]


def test_every_address_in_the_demo_pack_decodes_from_its_code(qtbot, window):
    urls = pack_addresses(window.ctx.pack)
    assert len(urls) > 20
    for url in urls:
        assert decode_qr(qr_image(url, 4)) == [url]
        panel = QrPanel(url, 4)
        qtbot.addWidget(panel)
        panel.setFixedWidth(400)
        panel.resize(400, panel.heightForWidth(400) if panel.hasHeightForWidth() else 600)
        panel.show()
        qtbot.waitExposed(panel)
        assert decode_qr(panel.grab().toImage()) == [url]
        assert panel.address.text().replace("\u200b", "") == display_url(url)
        assert panel.address.accessibleName() == url


def test_the_printed_address_is_the_one_people_type():
    assert display_url("https://ontong.junggu.seoul.kr/") == "ontong.junggu.seoul.kr"
    assert breakable("a.b/c").replace("\u200b", "") == "a.b/c"
    assert breakable("a/b").count("\u200b") == 1


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_board_codes_are_readable_from_one_and_a_half_metres(size, fonts):
    panel = Panel(32, *size)
    style = SlideStyle(Theme(DEFAULT, Metrics.for_panel(panel, 100)), panel, Translator("ko"))
    for url in ("https://ontong.junggu.seoul.kr", "https://ontong.junggu.seoul.kr/budget/2027"):
        matrix = qr_matrix(url)
        _, area = split(QSize(*size), style, url)
        module = qr_module(style, url, min(area.width(), area.height()))
        assert panel.mm(module) >= 1.0  # each module at least 1 mm on the glass
        symbol_mm = panel.mm(module * len(matrix))
        assert symbol_mm >= BOARD_SCAN_MM / 15  # a phone reads it from 1.5 m
        assert module * side_modules(matrix) <= min(area.width(), area.height())
    assert module_px(panel, qr_matrix("https://x.kr"), 600, fit_px=10) >= panel.px(1.0)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "contrast"])
def test_each_board_item_with_a_link_shows_a_code_of_its_own_address(
    qtbot, fonts, data_dir, size, high_contrast
):
    board = build_board(qtbot, data_dir, size, high_contrast=high_contrast)
    try:
        start(qtbot, board)
        checked: set[str] = set()
        for _ in range(7):
            item = board.player.showing.item
            finish_fade(board)
            codes = decode_qr(stage_picture(board))
            assert codes == ([item.url] if item.url else []), item.id
            if item.url:
                checked.add(item.id)
            next_item(qtbot, board)
        assert {"budget-vote-2027", "quiz-points", "ontong-clip"} <= checked
    finally:
        close_board(board)


def test_the_district_card_links_to_the_platform(qtbot, fonts, data_dir):
    board = build_board(qtbot, data_dir)
    try:
        board.player.start()  # the card holds the screen until the first item is ready
        assert decode_qr(stage_picture(board)) == [board.ctx.pack.district.platform_url]
    finally:
        close_board(board)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "contrast"])
def test_view_on_your_phone_from_a_video_decodes_to_the_video(qtbot, window, high_contrast):
    window.prefs.set(language="ko", text_scale=100, high_contrast=high_contrast)
    qtbot.mouseClick(visible(window, "tile_videos"), TAP)
    video = window.ctx.pack.videos[1]
    qtbot.mouseClick(visible(window, f"video_{video.id}"), TAP)
    assert window.navigator.current.screen == "video"
    assert decode_qr(visible(window, "qrCode").grab().toImage()) == [video.url]
    qtbot.mouseClick(visible(window, "shareButton"), TAP)
    assert window.navigator.current.screen == "share"
    assert visible(window, "shareItemTitle").text() == video.title.ko
    code = visible(window, "qrCode")
    assert decode_qr(window.grab().toImage()) == [video.url]
    assert Panel(32, 1080, 1920).mm(code.width()) >= 100
    qtbot.mouseClick(window.back_button, TAP)
    assert window.navigator.current.screen == "video"


def test_the_sns_page_shows_each_channel_with_a_readable_code(qtbot, window):
    qtbot.mouseClick(visible(window, "tile_videos"), TAP)
    qtbot.mouseClick(visible(window, "snsButton"), TAP)
    assert window.navigator.current.screen == "sns"
    channels = window.ctx.pack.district.sns
    assert channels
    for channel in channels:
        card = visible(window, f"sns_{channel.id}")
        assert channel.name.ko in {lab.text() for lab in card.findChildren(QLabel)}
        code = card.findChild(QWidget, "qrCode")
        assert decode_qr(code.grab().toImage()) == [channel.url]
        quiet = code.grab().toImage()
        assert all(
            quiet.pixelColor(x, y).lightness() == 255
            for x in range(code.module * QUIET_MODULES)
            for y in range(0, quiet.height(), 7)
        )


def share_page_decodes_to(qtbot, window, url: str) -> None:
    qtbot.mouseClick(visible(window, "shareButton"), TAP)
    assert window.navigator.current.screen == "share"
    visible(window, "qrCode")
    assert decode_qr(window.grab().toImage()) == [url]


def test_view_on_your_phone_from_a_proposal_decodes_to_the_proposal(qtbot, window):
    proposal = window.ctx.pack.proposals[0]
    qtbot.mouseClick(visible(window, "tile_proposals"), TAP)
    tap_name(qtbot, window, f"proposal_{proposal.id}")  # on whichever page of the list it is
    assert window.navigator.current.screen == "proposal"
    share_page_decodes_to(qtbot, window, proposal.url)


def test_view_on_your_phone_from_the_budget_vote_decodes_to_the_vote(qtbot, window):
    budget = window.ctx.pack.budget
    assert budget is not None
    qtbot.mouseClick(visible(window, "tile_budget"), TAP)
    assert window.navigator.current.screen == "budget"
    share_page_decodes_to(qtbot, window, budget.url)
