"""기기 묶음: the device groups promotions target (e.g. the boards of one apartment complex), and
the devices in each. 관리자 make, rename and delete groups and choose their devices
(`groups.manage`); 콘텐츠 담당 may look (`groups.view`), to know whom a promotion reaches.

The rules live in server.groups; this module parses the forms, asks `allowed` (through the
guards), calls it and renders.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from contract.content import ContentPack
from server import content, fleet, groups
from server.console.base import (
    PREFIX,
    ConsoleRefusal,
    Posted,
    action,
    actor_of,
    dong_names,
    form_field,
    page,
    redirect,
    render,
    state_of,
)
from server.staff import SignedIn, allowed

VIEW = "groups.view"
MANAGE = "groups.manage"
HOME = f"{PREFIX}/groups"

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _devices(request: Request) -> list[fleet.FleetEntry]:
    state = state_of(request)
    return list(fleet.overview(state.db, state.settings.offline_after))


def _live_promotions(request: Request) -> dict[str, list[str]]:
    """Group key -> titles of the live version's promotions that target it."""
    published = content.newest_manifest(state_of(request).db)
    if published is None:
        return {}
    pack = ContentPack.model_validate(json.loads(published.body))
    targeted: dict[str, list[str]] = {}
    for promotion in pack.promotions:
        for key in promotion.groups:
            targeted.setdefault(key, []).append(promotion.title.ko)
    return targeted


def _list_page(
    request: Request, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    devices = {e.report.device_id: e for e in _devices(request)}
    context.setdefault("errors", {})
    return render(
        request,
        "groups.html",
        signed_in,
        status_code=status_code,
        title="기기 묶음",
        groups=groups.listing(state_of(request).db),
        devices=devices,
        targeted=_live_promotions(request),
        can_manage=allowed(signed_in.staff, MANAGE),
        dong_names=dong_names(state_of(request)),
        **context,
    )


def _group(request: Request, key: str) -> groups.GroupRow:
    found = groups.find(state_of(request).db, key)
    if found is None:
        raise ConsoleRefusal(404, "그런 기기 묶음이 없습니다. 다른 직원이 지웠을 수 있습니다.")
    return found


def _edit_page(
    request: Request,
    signed_in: SignedIn,
    group: groups.GroupRow,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    values = context.pop("values", None) or {"name": group.name, "devices": list(group.members)}
    return render(
        request,
        "group.html",
        signed_in,
        status_code=status_code,
        title=f"기기 묶음: {group.name}",
        group=group,
        values=values,
        devices=[
            e for e in _devices(request) if not e.revoked or e.report.device_id in group.members
        ],
        targeted=_live_promotions(request).get(group.key, []),
        can_manage=allowed(signed_in.staff, MANAGE),
        dong_names=dong_names(state_of(request)),
        errors=context.pop("errors", {}),
        **context,
    )


@router.get("/groups", response_class=HTMLResponse)
def groups_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))]
) -> HTMLResponse:
    return _list_page(request, signed_in)


@router.post("/groups", response_class=HTMLResponse)
def create_group(request: Request, posted: Annotated[Posted, Depends(action(MANAGE))]) -> Response:
    key, name = form_field(posted.form, "key"), form_field(posted.form, "name")
    entered = {"key": key, "name": name}
    errors = groups.problems(key=key, name=name)
    if not errors:
        try:
            groups.create(state_of(request).db, key, name, actor_of(request, posted.signed_in))
        except groups.GroupError as e:
            errors = {e.field or "form": str(e)}
    if errors:
        return _list_page(request, posted.signed_in, 400, errors=errors, entered=entered)
    return redirect(f"{HOME}/{key}?done=created")


@router.get("/groups/{key}", response_class=HTMLResponse)
def group_page(
    request: Request, key: str, signed_in: Annotated[SignedIn, Depends(page(VIEW))], done: str = ""
) -> HTMLResponse:
    return _edit_page(request, signed_in, _group(request, key), done=done)


@router.post("/groups/{key}", response_class=HTMLResponse)
def save_group(
    request: Request, key: str, posted: Annotated[Posted, Depends(action(MANAGE))]
) -> Response:
    group = _group(request, key)
    name = form_field(posted.form, "name")
    chosen = [v for v in posted.form.getlist("devices") if isinstance(v, str)]
    errors = groups.problems(name=name)
    if not errors:
        try:
            changed = groups.change(
                state_of(request).db, key, name, chosen, actor_of(request, posted.signed_in)
            )
        except groups.GroupError as e:
            errors = {e.field or "form": str(e)}
    if errors:
        values = {"name": name, "devices": chosen}
        return _edit_page(request, posted.signed_in, group, 400, errors=errors, values=values)
    return redirect(f"{HOME}/{key}?done={'saved' if changed else 'unchanged'}")


@router.post("/groups/{key}/delete")
def delete_group(
    request: Request, key: str, posted: Annotated[Posted, Depends(action(MANAGE))]
) -> Response:
    _group(request, key)
    try:
        groups.remove(state_of(request).db, key, actor_of(request, posted.signed_in))
    except groups.GroupError as e:
        raise ConsoleRefusal(409, str(e)) from None
    return redirect(f"{HOME}?done=deleted")
