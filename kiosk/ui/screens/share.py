"""콘텐츠 공유: "휴대폰으로 보기" and the district's news channels, as QR codes.

Any screen gives an item a "휴대폰으로 보기" button with one line::

    from kiosk.ui.screens.share import share_button
    self.box.addWidget(share_button(self.env, survey.url, survey.title.get(self.env.language)))

A tap opens the `share` route: the item's title, how to use the code, a large QR code of its
address on the platform and the address printed under it; 이전 returns to the item. Surveys,
contests, proposals and ballots add the button the same way (their `url` is on the platform).

The `sns` route lists the district's channels from the content pack (`district.sns`), each
with its QR code and address.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.domain.a11y import Panel
from kiosk.ui.navigation import Route
from kiosk.ui.qr import BOARD_SCAN_MM, KIOSK_SCAN_MM, QrPanel, module_px, qr_matrix, side_modules
from kiosk.ui.screens.base import ScreenEnv, TitledScreen
from kiosk.ui.widgets import WrapButton, columns_for, grid, label


def share_button(env: ScreenEnv, url: str, title: str) -> WrapButton:
    """A "휴대폰으로 보기" button that opens the QR code page of `url`."""
    button = env.button(env.tr("share.button"), name="shareButton")
    button.setAccessibleName(env.tr("share.button"))
    button.clicked.connect(
        lambda _=False: env.shell.navigate(Route("share", {"url": url, "title": title}))
    )
    return button


def panel_of(env: ScreenEnv) -> Panel:
    window = env.shell.window() if isinstance(env.shell, QWidget) else None
    width, height = (window.width(), window.height()) if window is not None else (1080, 1920)
    return Panel(env.ctx.config.panel_diagonal_inches, max(width, 1), max(height, 1))


def qr_panel(env: ScreenEnv, url: str, scan_mm: float, fit_px: int) -> QrPanel:
    """A QR code of `url` sized for `scan_mm` (shrunk to `fit_px` if it must), address under it."""
    module = module_px(panel_of(env), qr_matrix(url), scan_mm, fit_px)
    return QrPanel(url, module)


class ShareScreen(TitledScreen):
    """Route params: `url` (the item on the platform) and `title`; the platform itself without."""

    title_id = "share.title"

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        url = self.params.get("url") or (pack.district.platform_url if pack else None)
        title = self.params.get("title") or env.tr("share.default")
        name = label(title, "notice")
        name.setObjectName("shareItemTitle")
        self.box.addWidget(name)
        self.box.addWidget(label(env.tr("share.how")))
        self.code: QrPanel | None = None
        if url:
            # As large as the width allows, up to the size a phone reads from 1.5 m.
            self.code = qr_panel(env, url, BOARD_SCAN_MM, int(env.width * 0.8))
            self.box.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        self.box.addStretch(1)


class SnsScreen(TitledScreen):
    """The district's channels (district.sns) as QR codes with their names and addresses."""

    title_id = "sns.title"

    def build(self) -> None:
        env = self.env
        channels = self.from_pack(lambda pack: pack.district.sns, "sns.empty")
        if channels is None:
            return
        self.box.addWidget(label(env.tr("sns.hint")))
        m = env.theme.metrics
        widest = max(side_modules(qr_matrix(c.url)) for c in channels)
        columns = columns_for(env.width, max(m.body_px * 9, widest * 6), most=3)
        cell = (env.width - (columns - 1) * m.gap_px * 2) // columns - 2 * m.gap_px * 2
        cards: list[QWidget] = []
        for channel in channels:
            card = QFrame()
            card.setProperty("role", "card")
            card.setObjectName(f"sns_{channel.id}")
            box = QVBoxLayout(card)
            box.setContentsMargins(m.gap_px * 2, m.gap_px * 2, m.gap_px * 2, m.gap_px * 2)
            name = label(channel.name.get(env.language), "tileTitle")
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(name)
            box.addWidget(qr_panel(env, channel.url, KIOSK_SCAN_MM, cell), 0)
            cards.append(card)
        holder = QWidget()
        holder.setLayout(grid(cards, columns, m.gap_px * 2))
        self.box.addWidget(holder)
        self.box.addStretch(1)
