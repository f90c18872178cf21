"""An area whose kiosk screens are still being built: says so plainly and points online."""

from __future__ import annotations

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import label


class ComingSoonScreen(Screen):
    """Route params: none; the area is the screen name the route was registered under."""

    area = "surveys"

    def title(self) -> str:
        return self.env.tr(f"area.{self.area}")

    def build(self) -> None:
        env = self.env
        area_name = env.tr(f"area.{self.area}")
        self.box.addWidget(label(area_name, "title"))
        self.box.addWidget(label(env.tr("soon.title"), "notice"))
        self.box.addWidget(label(env.tr("soon.body", area=area_name)))
        count = self._loaded_count()
        if count is not None:
            self.box.addWidget(label(env.tr("soon.available", count=count), "muted"))
        self.box.addStretch(1)

    def _loaded_count(self) -> int | None:
        pack = self.env.ctx.pack
        if pack is None:
            return None
        collections = {
            "surveys": len(pack.surveys) + len(pack.contests),
            "proposals": len(pack.proposals),
            "budget": len(pack.budget.ballots) if pack.budget else 0,
            "videos": len(pack.videos),
            "points": len(pack.district.points.rules),
        }
        return collections.get(self.area)


def coming_soon(area: str) -> type[ComingSoonScreen]:
    """A ComingSoonScreen class for one area, registered under the area's route name."""
    return type(f"ComingSoon_{area}", (ComingSoonScreen,), {"area": area})
