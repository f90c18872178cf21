"""The home screen: one large tile for each thing a resident can do."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import columns_for, grid, label

# (area id, message id prefix) in the order they appear.
AREAS: tuple[str, ...] = ("surveys", "proposals", "budget", "videos", "points")


class HomeScreen(Screen):
    title_id = "home.greeting"

    def build(self) -> None:
        env = self.env
        self.box.addWidget(label(env.tr("home.greeting"), "title"))
        self.box.addWidget(label(env.tr("home.hint"), "muted"))
        tiles: list[QWidget] = []
        for area in AREAS:
            tile = env.button(
                (env.tr(f"area.{area}"), "tileTitle"),
                (env.tr(f"area.{area}.desc"), "tileText"),
                role="primary",
                name=f"tile_{area}",
            )
            # Tall tiles: the five tasks are the whole point of the screen.
            tile.setProperty("tile", True)
            tile.clicked.connect(lambda _=False, a=area: env.shell.navigate(Route(a)))
            tiles.append(tile)
        m = env.theme.metrics
        columns = columns_for(env.width, m.tile_px * 8, most=3)
        holder = QWidget()
        holder.setLayout(grid(tiles, columns, m.gap_px * 2))
        self.box.addWidget(holder)
        self.box.addStretch(1)
