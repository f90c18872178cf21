"""The attract loop shown while nobody uses the kiosk: rotating promotions and "touch to start"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.domain.promotions import showing_now
from kiosk.ui.images import ImageView, read_image
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import label

# Videos join the loop with the media-board player; until then the kiosk shows stills and notices.
ATTRACT_KINDS = ("image", "notice")


class AttractScreen(Screen):
    """Any touch or key leaves it for the home screen (the shell's idle monitor sees it first)."""

    title_id = "attract.touch"
    fills_window = True

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        promos = showing_now(pack.promotions, env.ctx.clock(), ATTRACT_KINDS) if pack else []
        self.slides = QStackedWidget()
        for promo in promos:
            self.slides.addWidget(self._slide(promo))
        if not promos:
            self.slides.addWidget(self._fallback())
        self.box.addWidget(self.slides, 1)
        if env.ctx.config.mode == "kiosk":  # a media board is not for touching
            touch = label(env.tr("attract.touch"), "banner")
            touch.setAlignment(Qt.AlignmentFlag.AlignCenter)
            touch.setObjectName("attractTouch")
            self.box.addWidget(touch)
        self.timer = QTimer(self)
        self.timer.setInterval(int(env.ctx.config.attract_slide_s * 1000))
        self.timer.timeout.connect(self.next_slide)

    def _slide(self, promo) -> QWidget:
        lang = self.env.language
        page = QWidget()
        page.setObjectName("screenRoot")
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(label(promo.title.get(lang), "title"))
        if promo.kind == "image" and promo.asset:
            path = self.env.ctx.asset_file(promo.asset)
            image = read_image(path) if path else None
            box.addWidget(ImageView(image), 1)
        else:
            box.addWidget(label(promo.body.get(lang) if promo.body else "", "notice"), 1)
        return page

    def _fallback(self) -> QWidget:
        return label(self.env.tr("attract.empty"), "title")

    def next_slide(self) -> None:
        count = self.slides.count()
        self.slides.setCurrentIndex((self.slides.currentIndex() + 1) % count)

    def on_shown(self) -> None:
        if self.slides.count() > 1:
            self.timer.start()

    def on_hidden(self) -> None:
        self.timer.stop()
