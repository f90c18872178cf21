"""정책제안 screens: the list (by dong and topic, by agrees or newest), a proposal with 공감.

A count is the server's last published count (GET /counts, kept by the sync worker; the pack's
agree_count before any arrived) plus this kiosk's agrees given after it (both read through
kiosk.services), and the screens say which part is which. 공감 leads to the
identity step; the agree is refused there when this resident already agreed at this kiosk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from contract.content import KST, TOPIC_NAMES, ContentPack, Proposal
from kiosk.domain.counts import PublishedCounts
from kiosk.domain.points import activity_points
from kiosk.domain.proposal_flow import AgreeFlow, ProposalFlow
from kiosk.domain.proposals import (
    PROPOSAL_AGREE_KIND,
    PROPOSAL_KIND,
    AgreeTally,
    agree_problems,
    count_parts,
    phase,
    status_line,
    tally,
)
from kiosk.ui.coach_session import in_practice
from kiosk.ui.flow import (
    TakePart,
    choice_buttons,
    choice_grid,
    columns_for_texts,
    option_grid,
    take_part_button,
)
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.paging import Pages, refit
from kiosk.ui.screens.base import Screen, ScreenEnv, TitledScreen, action_bar
from kiosk.ui.screens.item_page import ItemPage
from kiosk.ui.steps import enter
from kiosk.ui.widgets import WrapButton, columns_for, label, one_line_or_two

log = logging.getLogger(__name__)

LIST = "proposals"
DETAIL = "proposal"
FILTER = "proposal_filter"
AGREE = TakePart("civic.proposal.agree", "proposal_agree", "agreeButton", PROPOSAL_AGREE_KIND)

Sort = Literal["agrees", "newest"]
SORTS: tuple[Sort, ...] = ("agrees", "newest")  # in the order the list shows them


@dataclass
class ProposalFilter:
    """What the list shows, kept in its route: a dong, a topic (None: all), the order and
    the page turned to."""

    dong: str | None = None
    topic: str | None = None
    sort: Sort = "agrees"
    first_shown: int = 0  # the first card of the page turned to (kiosk.ui.paging)


def published_counts(env: ScreenEnv) -> PublishedCounts | None:
    """The server's last published counts on this device; None until the first arrived."""
    return env.services.reads.published_counts()


def counts(
    env: ScreenEnv, proposal: Proposal, published: PublishedCounts | None = None
) -> AgreeTally:
    """The server's last total plus this kiosk's agrees given after it was taken. Until the
    kiosk has received counts (or when they do not name this proposal), the pack's
    agree_count plus this kiosk's agrees since the pack was published."""
    pack = env.ctx.pack
    assert pack is not None
    reads = env.services.reads
    threshold = pack.district.proposal_threshold
    server = published.proposal(proposal.id) if published is not None else None
    if published is None or server is None:
        return tally(proposal, threshold, reads.agrees_since(proposal.id, pack.published_at))
    return tally(
        proposal,
        threshold,
        reads.agrees_since(proposal.id, published.as_of),
        server_total=server.total,
        server_reached=server.reached,
    )


def listed(
    pack: ContentPack, chosen: ProposalFilter, tallies: dict[str, AgreeTally]
) -> list[Proposal]:
    """The proposals of the chosen dong and topic, most agrees (then newest) or newest first."""
    found = [
        p
        for p in pack.proposals
        if chosen.dong in (None, p.dong) and chosen.topic in (None, p.topic)
    ]
    if chosen.sort == "agrees":
        return sorted(found, key=lambda p: (tallies[p.id].total, p.created_at), reverse=True)
    return sorted(found, key=lambda p: p.created_at, reverse=True)


def dong_name(env: ScreenEnv, dong_id: str) -> str:
    pack = env.ctx.pack
    dong = pack.district.dong(dong_id) if pack else None
    return dong.name.get(env.language) if dong else dong_id


def topic_name(env: ScreenEnv, topic: str) -> str:
    name = TOPIC_NAMES.get(topic)
    return name.get(env.language) if name else topic


def sort_name(env: ScreenEnv, sort: str) -> str:
    return env.tr(f"civic.proposals.sort.{sort}")


def short_sort_name(env: ScreenEnv, sort: str) -> str:
    """The order in a word ("공감순"), for the list's 순서 button."""
    return env.tr(f"civic.proposals.sort_short.{sort}")


def status_text(env: ScreenEnv, proposal: Proposal, counts: AgreeTally, now: datetime) -> str:
    """ "73 / 100 · 27명 남음 · D-12"."""
    return " · ".join(env.tr(m.message_id, **m.values) for m in status_line(proposal, counts, now))


class AgreeBar(QWidget):
    """A progress bar to the threshold, drawn in the colour of the words beside it (the numbers
    are always written too: the bar is never the only signal)."""

    def __init__(self, progress: float, height: int, ink_from: QLabel) -> None:
        super().__init__()
        self.progress = progress
        self._ink_from = ink_from
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        ink = self._ink_from.palette().color(QPalette.ColorRole.WindowText)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = max(2.0, self.height() / 8)
        painter.setPen(QPen(ink, pen))
        outer = QRectF(pen / 2, pen / 2, self.width() - pen, self.height() - pen)
        radius = outer.height() / 2
        painter.drawRoundedRect(outer, radius, radius)
        if self.progress > 0:
            inner = outer.adjusted(pen, pen, -pen, -pen)
            inner.setWidth(max(inner.height(), inner.width() * self.progress))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2)


def _bar(env: ScreenEnv, counts: AgreeTally, ink_from: QLabel) -> AgreeBar:
    bar = AgreeBar(counts.progress, round(env.theme.metrics.body_px * 0.7), ink_from)
    bar.setObjectName("agreeBar")
    return bar


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


class ProposalListScreen(TitledScreen):
    """Route params: filter (ProposalFilter; a new one when absent)."""

    title_id = "area.proposals"

    def heading(self) -> None:
        self.title_line = label(self.title(), "title")
        self.box.addWidget(self.title_line)

    def build(self) -> None:
        env = self.env
        pack = self.from_pack(
            lambda p: p if p.proposals else None, "civic.proposals.empty", name="proposalsEmpty"
        )
        if pack is None:
            return
        self.chosen: ProposalFilter = self.params.get("filter") or ProposalFilter()
        threshold = pack.district.proposal_threshold
        write = env.button(env.tr("civic.proposals.write"), role="primary", name="writeProposal")
        write.clicked.connect(self.on_write_clicked)
        # The title with the count of the proposals shown on one line where they fit (the
        # cards keep the height at large text), else one under the other.
        spacing = self.box.spacing()
        self.found = label("", "strong", name="proposalsShown")
        self.box.removeWidget(self.title_line)
        top = one_line_or_two(self.title_line, self.found, spacing)
        if env.landscape:
            # Beside them (under them where it does not fit), above the list, which fits the
            # height without scrolling: a fixed bar under the list took the height a card
            # needs at 200 %.
            top = one_line_or_two(top, write, spacing)
        else:
            # 새 제안 쓰기, the list's primary action, in the shell's fixed action bar (as a
            # step's 다음): never scrolled nor paged away, at any text size.
            self.pinned = action_bar(env, [write])
        self.box.insertWidget(0, top)
        self.box.addWidget(label(env.tr("civic.proposals.hint", threshold=threshold), "muted"))
        self.box.addWidget(self._filters())
        self.results = QWidget()
        self.results_box = QVBoxLayout(self.results)
        self.results_box.setContentsMargins(0, 0, 0, 0)
        self.results_box.setSpacing(self.box.spacing())
        self.box.addWidget(self.results)
        self.box.addStretch(1)
        self._fill()

    def on_write_clicked(self) -> None:
        env = self.env
        assert env.ctx.pack is not None
        practice = in_practice(env, PROPOSAL_KIND)
        flow = ProposalFlow(env.ctx.pack, own_dong=env.ctx.config.dong, practice=practice)
        env.shell.navigate(step_route(flow, flow.first()))

    def _fill(self) -> None:
        """The count and the cards, in the filter's order (again after a change of order)."""
        env = self.env
        pack = env.ctx.pack
        assert pack is not None
        while self.results_box.count():
            item = self.results_box.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.deleteLater()
        now = env.ctx.clock()
        published = published_counts(env)
        tallies = {p.id: counts(env, p, published) for p in pack.proposals}
        shown = listed(pack, self.chosen, tallies)
        self.found.setText(env.tr("civic.proposals.shown", count=len(shown)))
        parts: list[QWidget] = []
        if shown:
            m = env.theme.metrics
            cards = [self._card(p, tallies[p.id], now) for p in shown]
            columns = columns_for(env.width, m.tile_px * 11, most=2)
            parts.append(
                Pages(
                    env,
                    cards,
                    columns,
                    m.gap_px * 2,
                    first_item=self.chosen.first_shown,
                    on_turn=self._turned,
                )
            )
        else:
            empty = label(env.tr("civic.proposals.empty"), "notice")
            empty.setObjectName("proposalsEmpty")
            parts.append(empty)
        for part in parts:
            self.results_box.addWidget(part)
            if self.isVisible():  # a new order on screen: show it now, not after the next event
                part.show()
        refit(self)

    def _turned(self, first: int) -> None:
        self.chosen.first_shown = first

    def _filters(self) -> QWidget:
        """동, 분야 and 순서, each a button saying what the list shows now that opens its
        choice: one row where the three fit (the cards keep the height at large text)."""
        env = self.env
        m = env.theme.metrics
        dong = self._filter_button("dong", self.chosen.dong, dong_name, "filterDong")
        topic = self._filter_button("topic", self.chosen.topic, topic_name, "filterTopic")
        order = self._filter_button("sort", self.chosen.sort, short_sort_name, "filterSort")
        buttons: list[QWidget] = [dong, topic, order]
        texts = [b.accessibleName() for b in buttons]
        extra = 2 * (m.button_margin_px + m.border_px + m.focus_px)  # (no mark)
        columns = columns_for_texts(texts, m.body_px, env.width, m.gap_px * 2, extra, 3)
        return choice_grid(buttons, columns, m.gap_px * 2)

    def _filter_button(
        self,
        kind: str,
        chosen: str | None,
        name_of: Callable[[ScreenEnv, str], str],
        object_name: str,
    ) -> WrapButton:
        """The list's `kind` filter ("전체" when none) as a button that opens its choice."""
        env = self.env
        shown = name_of(env, chosen) if chosen else env.tr("civic.proposals.all")
        button = env.button(env.tr(f"civic.proposals.{kind}", name=shown), name=object_name)
        button.clicked.connect(lambda _=False: self._choose(kind))
        return button

    def _choose(self, kind: str) -> None:
        self.env.shell.navigate(Route(FILTER, {"filter": self.chosen, "kind": kind}))

    def _card(self, proposal: Proposal, counts: AgreeTally, now: datetime) -> WrapButton:
        env = self.env
        lang = env.language
        card = env.button(
            (proposal.title.get(lang), "tileTitle"),
            (f"{dong_name(env, proposal.dong)} · {topic_name(env, proposal.topic)}", "tileText"),
            (status_text(env, proposal, counts, now), "tileText"),
            (env.tr(count_parts(counts).message_id, **count_parts(counts).values), "tileText"),
            name=f"proposal_{proposal.id}",
        )
        box = card.layout()
        assert isinstance(box, QVBoxLayout)
        box.insertWidget(3, _bar(env, counts, card.lines[0]))
        card.clicked.connect(
            lambda _=False, p=proposal.id: env.shell.navigate(Route(DETAIL, {"proposal_id": p}))
        )
        return card


class ProposalFilterScreen(Screen):
    """Route params: filter (the list's ProposalFilter), kind ("dong", "topic" or "sort")."""

    title_id = "area.proposals"
    words_beside_pages = True

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        self.chosen: ProposalFilter = self.params["filter"]
        self.kind: str = self.params["kind"]
        self.box.addWidget(label(env.tr(f"civic.proposals.choose.{self.kind}"), "title"))
        options: list[tuple[str | None, str]] = [(None, env.tr("civic.proposals.all"))]
        if self.kind == "dong" and pack is not None:
            options += [(d.id, d.name.get(env.language)) for d in pack.district.dongs]
        elif self.kind == "topic":
            options += [(t, name.get(env.language)) for t, name in TOPIC_NAMES.items()]
        elif self.kind == "sort":  # an order always: no 전체
            options = [(sort, sort_name(env, sort)) for sort in SORTS]
        current = getattr(self.chosen, self.kind)
        prefix = "sort" if self.kind == "sort" else "option"
        buttons = choice_buttons(
            env,
            options,
            current,
            self.on_chosen,
            lambda _, value: f"{prefix}_{value or 'all'}",
            text_role="tileTitle",
            chosen_word_id="civic.proposals.sorted" if self.kind == "sort" else "survey.chosen",
        )
        self.box.addWidget(option_grid(env, buttons, tiles=True))
        self.box.addStretch(1)

    def on_chosen(self, value: str | None) -> None:
        setattr(self.chosen, self.kind, value)
        self.chosen.first_shown = 0  # another list: from its first page
        # The list is always just above home (its tile): show it again, now with its filter
        # in the route, so 이전 from a proposal and a rebuild both keep the choice.
        self.env.shell.go_home()
        self.env.shell.navigate(Route(LIST, {"filter": self.chosen}))


# ---------------------------------------------------------------------------------------------
# One proposal
# ---------------------------------------------------------------------------------------------


class ProposalScreen(ItemPage[Proposal]):
    """Route params: proposal_id. The proposal, its count and 공감; read-only once archived or
    withdrawn."""

    title_id = "area.proposals"
    words_beside_pages = True
    gone_id = "civic.proposal.gone"

    def item_in(self, pack: ContentPack) -> Proposal | None:
        return pack.proposal(self.params["proposal_id"])

    def kind_line(self, proposal: Proposal) -> str:
        env = self.env
        return f"{dong_name(env, proposal.dong)} · {topic_name(env, proposal.topic)}"

    def describe(self, proposal: Proposal) -> None:
        env = self.env
        lang = env.language
        now = env.ctx.clock()
        tallied = counts(env, proposal, published_counts(env))
        created = proposal.created_at.astimezone(KST)
        self.box.addWidget(
            label(
                env.tr(
                    "civic.proposal.by",
                    author=proposal.author,
                    year=created.year,
                    month=created.month,
                    day=created.day,
                ),
                "muted",
            )
        )
        status = label(status_text(env, proposal, tallied, now), "notice")
        status.setObjectName("agreeStatus")
        self.box.addWidget(status)
        self.box.addWidget(_bar(env, tallied, status))
        parts = count_parts(tallied)
        count = label(env.tr(parts.message_id, **parts.values), "strong")
        count.setObjectName("agreeCount")
        self.box.addWidget(count)
        threshold = self.pack.district.proposal_threshold
        self.box.addWidget(label(env.tr("civic.proposal.threshold", threshold=threshold), "muted"))
        self.phase = state = phase(proposal, now)
        if state != "open":
            readonly = label(env.tr(f"civic.proposal.readonly.{state}"), "notice")
            readonly.setObjectName("readOnly")
            self.box.addWidget(readonly)
        self.box.addWidget(label(proposal.body.get(lang)))
        if proposal.district_answer:
            heading = label(env.tr("civic.proposal.answer"), "strong")
            heading.setObjectName("districtAnswerHeading")
            self.box.addWidget(heading)
            answer = label(proposal.district_answer)
            answer.setObjectName("districtAnswer")
            self.box.addWidget(answer)

    def take_part(self, proposal: Proposal) -> list[WrapButton]:
        if self.phase != "open":  # as `describe` said
            return []
        return [take_part_button(self.env, AGREE, proposal.id, self.on_agree_clicked)]

    def on_agree_clicked(self) -> None:
        env = self.env
        problems = agree_problems(self.item, env.ctx.clock(), agreed_here=False)
        if problems:
            self.message.show_problems(problems)
            return
        flow = AgreeFlow(
            self.item.id,
            lambda proposal_id: env.ctx.pack.proposal(proposal_id) if env.ctx.pack else None,
            lambda proposal: counts(env, proposal, published_counts(env)),
            activity_points(self.pack, "proposal_agree"),
        )
        enter(env, flow)


SCREENS: dict[str, type[Screen]] = {
    LIST: ProposalListScreen,
    FILTER: ProposalFilterScreen,
    DETAIL: ProposalScreen,
}


# ---------------------------------------------------------------------------------------------
# Sample states for --render-screens and the layout audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: tuple[str, ...] = (
    f"{FILTER}_dong",
    f"{FILTER}_topic",
    f"{FILTER}_sort",
    DETAIL,
    f"{DETAIL}_withdrawn",
    f"{DETAIL}_archived",
)


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    routes: dict[str, Route] = {
        f"{FILTER}_dong": Route(FILTER, {"filter": ProposalFilter(), "kind": "dong"}),
        f"{FILTER}_topic": Route(FILTER, {"filter": ProposalFilter(), "kind": "topic"}),
        f"{FILTER}_sort": Route(FILTER, {"filter": ProposalFilter(), "kind": "sort"}),
    }
    by_phase: dict[str, Proposal] = {}
    for p in pack.proposals:
        by_phase.setdefault(phase(p, now), p)
    for state, name in (("open", DETAIL), ("withdrawn", f"{DETAIL}_withdrawn")):
        if state in by_phase:
            routes[name] = Route(DETAIL, {"proposal_id": by_phase[state].id})
    if "archived" in by_phase:
        routes[f"{DETAIL}_archived"] = Route(DETAIL, {"proposal_id": by_phase["archived"].id})
    return {name: routes.get(name, Route(LIST)) for name in SAMPLE_NAMES}
