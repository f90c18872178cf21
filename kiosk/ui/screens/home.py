"""The home screen: one large tile for each thing a resident can do.

In 간편 모드 (switched on the home screen itself) it shows instead only what is open today —
each open survey, contest and the budget vote — one large button each, in a single column.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens.base import TitledScreen
from kiosk.ui.widgets import columns_for, label

# (area id, message id prefix) in the order they appear.
AREAS: tuple[str, ...] = ("surveys", "proposals", "budget", "videos", "points")


def lower(tile: QWidget, low: bool) -> None:
    """A home tile lower (the stylesheet's `tile="low"`: twice a touch target, its words
    whole) or as tall as the stylesheet's tiles again (kiosk.ui.paging.Pages `lower`)."""
    value = "low" if low else True
    if tile.property("tile") != value:
        tile.setProperty("tile", value)
        tile.style().unpolish(tile)
        tile.style().polish(tile)


class HomeScreen(TitledScreen):
    title_id = "home.greeting"

    def build(self) -> None:
        env = self.env
        prefs = getattr(env.shell, "prefs", None)
        simple = bool(getattr(prefs, "simple_mode", False))
        self.box.addWidget(label(env.tr("home.simple.hint" if simple else "home.hint"), "muted"))
        tiles = self._today_tiles() if simple else self._area_tiles()
        m = env.theme.metrics
        if simple and not tiles:
            empty = label(env.tr("home.simple.none"), "notice")
            empty.setObjectName("simpleEmpty")
            self.box.addWidget(empty)
        # Imported here: kiosk.ui.paging needs the screens' base, which the registry of screens
        # (and so this module) is imported with.
        from kiosk.ui.paging import Pages

        columns = 1 if simple else columns_for(env.width, m.tile_px * 8, most=3)
        # A page of tiles at a time where they do not all fit (large text): 다음 쪽 says that
        # more follows, and 간편 모드's switch stays in sight under them. Before that, the
        # tiles stand lower (twice a touch target at the least, their words whole) where that
        # puts them all on one page (150 %, either orientation).
        self.box.addWidget(Pages(env, tiles, columns, m.gap_px * 2, lower=lower))
        if prefs is not None:
            switch = env.button(
                env.tr("home.simple.off" if simple else "home.simple.on"), name="simpleModeButton"
            )
            switch.setCheckable(True)
            switch.setChecked(simple)
            switch.setAccessibleDescription(env.tr("a11y.desc.simple_mode"))
            switch.clicked.connect(prefs.toggle_simple_mode)
            self.box.addWidget(switch)
        self.box.addStretch(1)

    def _area_tiles(self) -> list[QWidget]:
        env = self.env
        tiles: list[QWidget] = []
        for area in AREAS:
            tile = env.button(
                (env.tr(f"area.{area}"), "tileTitle"),
                (env.tr(f"area.{area}.desc"), "tileText"),
                role="primary",
                name=f"tile_{area}",
                icon=area,
            )
            # Tall tiles: the five tasks are the whole point of the screen.
            tile.setProperty("tile", True)
            tile.clicked.connect(lambda _=False, a=area: env.shell.navigate(Route(a)))
            tiles.append(tile)
        return tiles

    def _today_tiles(self) -> list[QWidget]:
        """간편 모드: one button for each thing open today, straight to its first step."""
        env = self.env
        pack, now = env.ctx.pack, env.ctx.clock()
        if pack is None:
            return []
        # Imported here: what is open today needs the content pack's models, and a survey's
        # steps the wire's models and the resident's seal, none of which the first screen of
        # a start (간편 모드 off) needs: they are imported after it is painted.
        from kiosk.domain.ballot import vote_phase
        from kiosk.domain.contest import contests_open
        from kiosk.domain.survey import surveys_open
        from kiosk.domain.survey_flow import SurveyFlow

        lang = env.language
        tiles: list[QWidget] = []

        def tile(kind_id: str, title: str, name: str, route: Route, icon: str) -> None:
            b = env.button(
                (env.tr(kind_id), "tileText"),
                (title, "tileTitle"),
                role="primary",
                name=name,
                icon=icon,
            )
            b.setProperty("tile", True)
            b.clicked.connect(lambda _=False: env.shell.navigate(route))
            tiles.append(b)

        for survey in surveys_open(pack, now):
            # 간편 모드 asks only the required questions.
            flow = SurveyFlow(pack, survey, now, skip_optional=True)
            route = step_route(flow, flow.first())
            tile(
                "home.simple.survey",
                survey.title.get(lang),
                f"today_survey_{survey.id}",
                route,
                "surveys",
            )
        for contest in contests_open(pack, now):
            route = Route("contest", {"contest_id": contest.id})
            tile(
                "home.simple.contest",
                contest.title.get(lang),
                f"today_contest_{contest.id}",
                route,
                "contest",
            )
        if pack.budget is not None and vote_phase(pack.budget, now) == "open":
            tile(
                "home.simple.vote",
                pack.budget.title.get(lang),
                "today_budget",
                Route("budget"),
                "budget",
            )
        return tiles
