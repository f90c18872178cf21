"""기기 묶음: device groups (e.g. "신당동 공동주택 보드", "동주민센터 키오스크") and the devices in
them, and who each device is to the content (`audience_of`): its groups and its dong.

Owns the `device_groups` and `device_group_members` tables. A group has a key, which promotions
name in their `groups` (contract.content.Promotion), and a name staff read. Only 관리자 change
groups (the console asks `groups.manage`); every change writes its audit event in the same
transaction. A device gets the manifest narrowed to what targets it (contract.audience), so a
change of membership reaches it at its next content poll.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from contract.archive import CarriedGroup
from contract.audience import Audience
from contract.content import TARGETED_SECTIONS, Id
from server import audit
from server.db import ServerDatabase
from server.db.models import Device, DeviceGroup, DeviceGroupMember, DeviceStatus
from server.fleet import dong_of, status_document
from server.problems import FieldProblem

log = logging.getLogger(__name__)

MAX_NAME_LENGTH = 40
_KEY = TypeAdapter(Id)


class GroupError(FieldProblem):
    """A group cannot be made or changed."""


@dataclass(frozen=True)
class GroupRow:
    """A group as the console lists it, with the ids of its devices."""

    key: str
    name: str
    created_at: datetime
    changed_at: datetime
    changed_by: str | None
    members: tuple[str, ...]


def check_key(key: str) -> str:
    try:
        return _KEY.validate_python(key)
    except ValidationError:
        raise GroupError(
            "식별자는 영문 소문자·숫자로 시작하고 영문 소문자, 숫자, -, _ 만 64자까지 씁니다."
            " 예: sindang-apt-boards",
            "key",
        ) from None


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise GroupError(f"이름은 1~{MAX_NAME_LENGTH}자로 입력하세요.", "name")
    return name


def problems(*, key: str | None = None, name: str | None = None) -> dict[str, str]:
    """Every problem of a form at once, by field (a field not given is not checked)."""
    found: dict[str, str] = {}
    for field, value, check in (("key", key, check_key), ("name", name, check_name)):
        if value is None:
            continue
        try:
            check(value)
        except GroupError as e:
            found[e.field or field] = str(e)
    return found


def listing(db: ServerDatabase) -> list[GroupRow]:
    """Every group, by name, with its devices."""
    with db.read() as session:
        groups = session.scalars(select(DeviceGroup).order_by(DeviceGroup.name)).all()
        members: dict[str, list[str]] = {}
        for group_key, device_id in session.execute(
            select(DeviceGroupMember.group_key, DeviceGroupMember.device_id).order_by(
                DeviceGroupMember.device_id
            )
        ):
            members.setdefault(group_key, []).append(device_id)
    return [
        GroupRow(
            g.key, g.name, g.created_at, g.changed_at, g.changed_by, tuple(members.get(g.key, ()))
        )
        for g in groups
    ]


def find(db: ServerDatabase, key: str) -> GroupRow | None:
    return next((g for g in listing(db) if g.key == key), None)


def _doc(group: DeviceGroup, members: Iterable[str]) -> dict[str, Any]:
    return {"key": group.key, "name": group.name, "devices": sorted(members)}


def _members(session: Session, key: str) -> list[str]:
    return list(
        session.scalars(
            select(DeviceGroupMember.device_id).where(DeviceGroupMember.group_key == key)
        )
    )


def _get(session: Session, key: str) -> DeviceGroup:
    group = session.get(DeviceGroup, key)
    if group is None:
        raise GroupError("그런 기기 묶음이 없습니다. 다른 직원이 지웠을 수 있습니다.")
    return group


def create(
    db: ServerDatabase, key: str, name: str, by: audit.Actor, now: datetime | None = None
) -> None:
    """A new, empty group."""
    key, name = check_key(key.strip()), check_name(name)
    now = now or datetime.now(UTC)
    with db.write() as session:
        if session.get(DeviceGroup, key) is not None:
            raise GroupError(f"식별자 {key}인 기기 묶음이 이미 있습니다.", "key")
        group = DeviceGroup(key=key, name=name, created_at=now, changed_at=now, changed_by=by.name)
        session.add(group)
        audit.record(
            session, by, "groups.create", target=f"group:{key}", after=_doc(group, ()), now=now
        )
    log.info("groups.created key=%s", key)


def change(
    db: ServerDatabase,
    key: str,
    name: str,
    device_ids: Iterable[str],
    by: audit.Actor,
    now: datetime | None = None,
) -> bool:
    """Give the group `name` and exactly the devices `device_ids`; False if nothing changed.

    Every device must be enrolled and not revoked (a revoked one already in the group may
    stay, so a page kept open does not fail)."""
    name = check_name(name)
    wanted = set(device_ids)
    now = now or datetime.now(UTC)
    with db.write() as session:
        group = _get(session, key)
        had = set(_members(session, key))
        usable = set(session.scalars(select(Device.id).where(Device.revoked_at.is_(None))))
        unknown = wanted - usable - had
        if unknown:
            raise GroupError(f"등록되지 않았거나 회수된 기기입니다: {', '.join(sorted(unknown))}")
        if name == group.name and wanted == had:
            return False
        before = _doc(group, had)
        group.name = name
        group.changed_at, group.changed_by = now, by.name
        if had - wanted:
            session.execute(
                delete(DeviceGroupMember).where(
                    DeviceGroupMember.group_key == key,
                    DeviceGroupMember.device_id.in_(had - wanted),
                )
            )
        session.add_all(DeviceGroupMember(group_key=key, device_id=d) for d in sorted(wanted - had))
        audit.record(
            session,
            by,
            "groups.change",
            target=f"group:{key}",
            before=before,
            after=_doc(group, wanted),
            now=now,
        )
    log.info("groups.changed key=%s devices=%d", key, len(wanted))
    return True


def remove(db: ServerDatabase, key: str, by: audit.Actor, now: datetime | None = None) -> None:
    """Delete the group; promotions that name it then reach none of its former devices."""
    with db.write() as session:
        group = _get(session, key)
        before = _doc(group, _members(session, key))
        session.execute(delete(DeviceGroupMember).where(DeviceGroupMember.group_key == key))
        session.delete(group)
        audit.record(session, by, "groups.delete", target=f"group:{key}", before=before, now=now)
    log.info("groups.deleted key=%s", key)


def carried(db: ServerDatabase, document: dict[str, Any]) -> list[CarriedGroup]:
    """The groups of this server that the items of the manifest `document` target, as an
    exported archive carries them (contract.archive: key and name, never the devices)."""
    keys = {
        key
        for section in TARGETED_SECTIONS
        for item in document.get(section) or []
        for key in item.get("groups") or []
    }
    return [CarriedGroup(key=g.key, name=g.name) for g in listing(db) if g.key in keys]


def make_missing(
    db: ServerDatabase, wanted: Iterable[CarriedGroup], by: audit.Actor, now: datetime | None = None
) -> list[str]:
    """Make, empty, each group of `wanted` this server does not have (an imported archive's);
    the keys made. A group it has keeps its own name and devices. Audited as each one's
    creation, noting the import."""
    now = now or datetime.now(UTC)
    made: list[str] = []
    with db.write() as session:
        for group in wanted:
            key, name = check_key(group.key), check_name(group.name)
            if session.get(DeviceGroup, key) is not None:
                continue
            row = DeviceGroup(
                key=key, name=name, created_at=now, changed_at=now, changed_by=by.name
            )
            session.add(row)
            after = {**_doc(row, ()), "from": "content.import"}
            audit.record(session, by, "groups.create", target=f"group:{key}", after=after, now=now)
            made.append(key)
    if made:
        log.info("groups.imported keys=%s", ",".join(made))
    return made


def audience_of(db: ServerDatabase, device_id: str) -> Audience:
    """The device's groups, and its dong: the one staff set, else the one its last heartbeat
    said (its configuration; unknown before its first heartbeat)."""
    with db.read() as session:
        keys = session.scalars(
            select(DeviceGroupMember.group_key).where(DeviceGroupMember.device_id == device_id)
        ).all()
        body = session.scalar(select(DeviceStatus.body).where(DeviceStatus.device_id == device_id))
        dong_set = session.scalar(select(Device.dong).where(Device.id == device_id))
    dong, known = dong_of(dong_set, status_document(body))
    return Audience(dong=dong, groups=frozenset(keys), dong_known=known)


def set_dong(
    db: ServerDatabase,
    device_id: str,
    dong: str | None,
    dongs: Iterable[str],
    by: audit.Actor,
    now: datetime | None = None,
) -> bool:
    """Set the device's dong (one of the district's `dongs`), or None to follow its own
    configuration again; False if nothing changed. Audited; the device receives the content of
    its new dong at its next heartbeat (its manifest's ETag changes with it)."""
    if dong is not None and dong not in set(dongs):
        raise GroupError("구의 동 목록에 있는 동을 고르세요.", "dong")
    with db.write() as session:
        device = session.get(Device, device_id)
        if device is None or device.revoked_at is not None:
            raise GroupError("등록되지 않았거나 회수된 기기입니다.")
        if device.dong == dong:
            return False
        before = {"dong": device.dong}
        device.dong = dong
        audit.record(
            session,
            by,
            "devices.dong",
            target=f"device:{device_id}",
            before=before,
            after={"dong": dong},
            now=now,
        )
    log.info("devices.dong_set device=%s dong=%s", device_id, dong)
    return True
