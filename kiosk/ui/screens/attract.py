"""The attract loop and the media board: the signage player, full screen.

In kiosk mode the loop runs while nobody uses the kiosk, with one huge 시작하기 under it (it,
or a touch anywhere, leaves the loop for the home screen) and, when the item on screen links
to the platform, a "휴대폰으로 보기" button that opens its QR code page. In board mode the player
fills the whole window and nothing invites a touch.

A player that passes its memory ceiling asks for a clean restart: the app quits with
`RESTART_EXIT_CODE` (75) at that item boundary and the launcher starts it again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.navigation import Route
from kiosk.ui.player.health import RESTART_EXIT_CODE
from kiosk.ui.player.player import SignagePlayer
from kiosk.ui.player.slides import PlayItem
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import WrapButton
from kiosk.update_switch import SWITCH_EXIT_CODE, switch_due

log = logging.getLogger(__name__)


def request_restart(code: int = RESTART_EXIT_CODE) -> None:
    """Quit the app with `code` so that its launcher starts it again (tests replace this)."""
    QCoreApplication.exit(code)


class AttractScreen(Screen):
    """The player, plus 시작하기 and the share button in kiosk mode.

    Attributes:
        player: the SignagePlayer.
        start: the 시작하기 button (kiosk mode).
        share: the "휴대폰으로 보기" button (kiosk mode; shown for items with a link).
    """

    title_id = "attract.touch"
    fills_window = True

    def build(self) -> None:
        env = self.env
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(0)
        self.player = SignagePlayer(env.ctx, env.theme, env.translator)
        self.player.restart_requested.connect(self.on_player_restart_requested)
        self.box.addWidget(self.player, 1)
        self.share: WrapButton | None = None
        self.start: WrapButton | None = None
        self._item: PlayItem | None = None
        self.player.item_started.connect(self.on_item_boundary)
        if env.ctx.config.mode != "kiosk":
            return  # a media board is not for touching
        gap = env.theme.metrics.gap_px
        bottom = QWidget()
        bottom.setProperty("role", "bar")
        bottom.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # Side by side on a landscape window; on a portrait one 시작하기 takes the whole width.
        row: QBoxLayout = QHBoxLayout(bottom) if env.landscape else QVBoxLayout(bottom)
        row.setContentsMargins(gap, gap, gap, gap)
        row.setSpacing(gap * 2)
        # One huge 시작하기, as large before anyone picks a text size as at 200 %.
        self.start = env.button(
            (env.tr("attract.start"), "display"),
            (env.tr("attract.anywhere"), "tileText"),
            role="primary",
            name="attractStart",
            accessible_name=env.tr("attract.start"),
            icon="start",
        )
        self.start.setProperty("tile", True)
        self.start.setAccessibleDescription(env.tr("a11y.desc.start"))
        self.start.clicked.connect(self.on_start_clicked)
        row.addWidget(self.start, 3)
        self.share = env.button(env.tr("attract.share"), name="attractShare")
        self.share.clicked.connect(self.on_share_clicked)
        self.share.setVisible(False)
        row.addWidget(self.share, 2)
        self.box.addWidget(bottom)
        self.player.item_started.connect(self.on_player_item_started)

    def on_shown(self) -> None:
        self.player.start()

    def on_hidden(self) -> None:
        self.player.stop()

    @Slot(object)
    def on_player_item_started(self, item: PlayItem) -> None:
        self._item = item
        if self.share is not None:
            self.share.setVisible(bool(item.url) and item.kind != "off")

    @Slot()
    def on_start_clicked(self) -> None:
        self.env.shell.leave_attract()

    @Slot()
    def on_share_clicked(self) -> None:
        item = self._item
        if item is None or not item.url:
            return
        shell = self.env.shell
        shell.leave_attract(then=Route("share", {"url": item.url, "title": item.title}))

    @Slot(object)
    def on_item_boundary(self, item: PlayItem) -> None:
        """A quiet moment: switch to a downloaded app version when one is staged (a kiosk in
        its attract loop is unused; a board waits for its update hours)."""
        version = switch_due(self.env.ctx.config)
        if version is None:
            return
        self.player.stop()
        log.warning("app_restart reason=update version=%s exit_code=%d", version, SWITCH_EXIT_CODE)
        # From the event loop: the first item starts before it runs, when exit() does nothing.
        QTimer.singleShot(0, self, lambda: request_restart(SWITCH_EXIT_CODE))

    @Slot(int)
    def on_player_restart_requested(self, rss: int) -> None:
        self.player.stop()
        log.warning("app_restart reason=memory rss_bytes=%d exit_code=%d", rss, RESTART_EXIT_CODE)
        request_restart(RESTART_EXIT_CODE)
