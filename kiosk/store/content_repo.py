"""The content pack as stored on the device: every version's items, point rules and assets, and
which version is active. A new version becomes active in one transaction, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, fields
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kiosk.store.db import Database
from kiosk.store.models import (
    Asset,
    Ballot,
    BallotProject,
    ContentAsset,
    ContentVersion,
    Contest,
    PointRule,
    Promotion,
    Proposal,
    Survey,
    Video,
)

ContentKind = Literal[
    "survey", "contest", "proposal", "ballot", "ballot_project", "promotion", "video"
]
CONTENT_KINDS: tuple[ContentKind, ...] = get_args(ContentKind)

ContentModel = type[Survey | Contest | Proposal | Ballot | BallotProject | Promotion | Video]

# Each kind's table and the optional ContentItem fields it keeps in columns. Ballots come before
# their projects: projects reference them.
_TABLES: dict[ContentKind, tuple[ContentModel, tuple[str, ...]]] = {
    "survey": (Survey, ("opens_at", "closes_at")),
    "contest": (Contest, ("opens_at", "closes_at")),
    "proposal": (Proposal, ("dong", "topic", "status", "agree_count", "deadline")),
    "ballot": (Ballot, ("dong", "opens_at", "closes_at")),
    "ballot_project": (BallotProject, ("parent_id", "dong", "cost_won")),
    "promotion": (Promotion, ("starts_at", "ends_at", "priority", "emergency")),
    "video": (Video, ("duration_s",)),
}


def kept_fields(kind: ContentKind) -> tuple[str, ...]:
    """The optional ContentItem fields `kind` keeps in columns: what the store queries by."""
    return _TABLES[kind][1]


# ContentItem field -> column, where the names differ.
_COLUMN_NAMES = {"parent_id": "ballot_id"}

_SHA256 = re.compile(r"[0-9a-f]{64}")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ContentItem:
    """One item of a content pack: its full dict in `data`, plus the fields worth querying.

    Only the fields its kind keeps may be set (a survey has no cost_won); datetimes must carry
    a time zone. A ballot_project's `parent_id` is its ballot's id.
    """

    kind: ContentKind
    id: str
    title: str
    data: dict[str, Any]
    _: KW_ONLY
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    parent_id: str | None = None
    dong: str | None = None
    topic: str | None = None
    status: str | None = None
    agree_count: int | None = None
    deadline: datetime | None = None
    cost_won: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int | None = None
    emergency: bool | None = None
    duration_s: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in _TABLES:
            raise ValueError(f"unknown content kind {self.kind!r}")
        if not self.id:
            raise ValueError(f"a {self.kind} needs an id")
        kept = _TABLES[self.kind][1]
        for name in _OPTIONAL_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if name not in kept:
                raise ValueError(f"{self.kind} {self.id}: a {self.kind} has no {name}")
            if isinstance(value, datetime) and value.utcoffset() is None:
                raise ValueError(f"{self.kind} {self.id}: {name} needs a time zone")
        if self.kind == "ballot_project" and not self.parent_id:
            raise ValueError(f"ballot_project {self.id}: parent_id (its ballot) is required")


_OPTIONAL_FIELDS = tuple(f.name for f in fields(ContentItem) if f.kw_only)


@dataclass(frozen=True)
class AssetRecord:
    """A file of the content pack in the content-addressed cache."""

    sha256: str
    size: int
    media_type: str

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"not a lowercase hex SHA-256: {self.sha256!r}")
        if self.size < 0:
            raise ValueError(f"asset {self.sha256}: negative size {self.size}")


class ContentRepository:
    """Stores content pack versions and answers questions about the active one."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    def activate(
        self,
        version: str,
        schema_version: int,
        manifest: dict[str, Any],
        items: Iterable[ContentItem],
        point_rules: dict[str, int],
        assets: Iterable[AssetRecord],
    ) -> None:
        """Store `version` with everything in it and make it the active version.

        One transaction: if anything fails, nothing changes and the previous version stays
        active. Activating a version that is already stored replaces its rows.
        """
        rows = _rows_by_kind(version, items)
        asset_list = _unique_assets(assets)
        with self._db.session() as session:
            _delete_version(session, version)
            session.execute(
                insert(ContentVersion).values(
                    version=version,
                    schema_version=schema_version,
                    manifest=manifest,
                    loaded_at=self._clock(),
                    active=False,
                )
            )
            for kind, (model, _) in _TABLES.items():
                if rows[kind]:
                    session.execute(insert(model), rows[kind])
            if point_rules:
                session.execute(
                    insert(PointRule),
                    [
                        {"content_version": version, "activity_kind": k, "points": p}
                        for k, p in point_rules.items()
                    ],
                )
            if asset_list:
                upsert = sqlite_insert(Asset)
                upsert = upsert.on_conflict_do_update(
                    index_elements=[Asset.sha256],
                    set_={"size": upsert.excluded.size, "media_type": upsert.excluded.media_type},
                )
                session.execute(
                    upsert,
                    [
                        {"sha256": a.sha256, "size": a.size, "media_type": a.media_type}
                        for a in asset_list
                    ],
                )
                session.execute(
                    insert(ContentAsset),
                    [{"content_version": version, "sha256": a.sha256} for a in asset_list],
                )
            # Off first, then on: the unique index allows one active row at any moment.
            session.execute(
                update(ContentVersion).where(ContentVersion.active).values(active=False)
            )
            session.execute(
                update(ContentVersion).where(ContentVersion.version == version).values(active=True)
            )

    def active_version(self) -> str | None:
        with self._db.read_session() as session:
            return session.scalar(select(ContentVersion.version).where(ContentVersion.active))

    def active_manifest(self) -> dict[str, Any] | None:
        with self._db.read_session() as session:
            return session.scalar(select(ContentVersion.manifest).where(ContentVersion.active))

    def items(self, kind: ContentKind) -> list[ContentItem]:
        """Every item of `kind` in the active version, in pack order."""
        model, _ = _table(kind)
        stmt = (
            select(model)
            .join(ContentVersion, ContentVersion.version == model.content_version)
            .where(ContentVersion.active)
            .order_by(model.position)
        )
        with self._db.read_session() as session:
            return [_item(kind, row) for row in session.scalars(stmt)]

    def item(self, kind: ContentKind, item_id: str) -> ContentItem | None:
        """One item of the active version by its id; None if the active version lacks it."""
        model, _ = _table(kind)
        stmt = (
            select(model)
            .join(ContentVersion, ContentVersion.version == model.content_version)
            .where(ContentVersion.active, model.id == item_id)
        )
        with self._db.read_session() as session:
            row = session.scalar(stmt)
            return None if row is None else _item(kind, row)

    def point_rules(self) -> dict[str, int]:
        """Points per activity kind in the active version."""
        stmt = (
            select(PointRule.activity_kind, PointRule.points)
            .join(ContentVersion, ContentVersion.version == PointRule.content_version)
            .where(ContentVersion.active)
        )
        with self._db.read_session() as session:
            return {kind: points for kind, points in session.execute(stmt)}

    def referenced_assets(self) -> set[str]:
        """SHA-256 of every asset the active version uses: what the cache must keep."""
        stmt = (
            select(ContentAsset.sha256)
            .join(ContentVersion, ContentVersion.version == ContentAsset.content_version)
            .where(ContentVersion.active)
        )
        with self._db.read_session() as session:
            return set(session.scalars(stmt))


def _table(kind: str) -> tuple[ContentModel, tuple[str, ...]]:
    try:
        return _TABLES[kind]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"unknown content kind {kind!r}") from None


def _rows_by_kind(
    version: str, items: Iterable[ContentItem]
) -> dict[ContentKind, list[dict[str, Any]]]:
    rows: dict[ContentKind, list[dict[str, Any]]] = {kind: [] for kind in _TABLES}
    for item in items:
        kept = _TABLES[item.kind][1]
        row: dict[str, Any] = {
            "content_version": version,
            "id": item.id,
            "position": len(rows[item.kind]),
            "title": item.title,
            "data": item.data,
        }
        for name in kept:
            row[_COLUMN_NAMES.get(name, name)] = getattr(item, name)
        rows[item.kind].append(row)
    return rows


def _unique_assets(assets: Iterable[AssetRecord]) -> list[AssetRecord]:
    by_sha: dict[str, AssetRecord] = {}
    for asset in assets:
        seen = by_sha.setdefault(asset.sha256, asset)
        if seen != asset:
            raise ValueError(f"asset {asset.sha256} is listed twice, differently")
    return list(by_sha.values())


def _delete_version(session: Session, version: str) -> None:
    # Dependants first: projects before their ballots, every item before its version row.
    for model, _ in reversed(_TABLES.values()):
        session.execute(delete(model).where(model.content_version == version))
    for link in (PointRule, ContentAsset):
        session.execute(delete(link).where(link.content_version == version))
    session.execute(delete(ContentVersion).where(ContentVersion.version == version))


def _item(kind: ContentKind, row: Any) -> ContentItem:
    _, kept = _TABLES[kind]
    optional = {name: getattr(row, _COLUMN_NAMES.get(name, name)) for name in kept}
    return ContentItem(kind, row.id, row.title, row.data, **optional)
