"""Every console route is guarded: a walk over the app's route table (Datasette's habit), CSRF
on every POST, and the session cookie's attributes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from server.app import create_app
from server.config import ServerSettings
from tests.console.conftest import ADMIN, DONG, VIEWER, csrf_of, signed_in_session
from tests.server.process import ServerProcess

OPEN_TO_ALL = {"/staff/login"}
# Pages every signed-in role may open.
EVERY_ROLE = {"/staff/", "/staff/logout", "/staff/password"} | {
    "/staff/reports",
    "/staff/reports/play",
    "/staff/reports/play.csv",
    # The participation report's CSV / XLSX ({fmt} filled in as below): a dong officer gets
    # their dong's (tests.server.test_report).
    "/staff/reports/participation.dev-000000000000",
}


def _api_routes(routes: list[BaseRoute]) -> list[APIRoute]:
    """The routes of a table, with those of included routers (FastAPI may keep an included
    router as one entry that holds the original router)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _api_routes(included.routes)
    return found


def console_routes(tmp_path: Path) -> list[tuple[str, str]]:
    """(method, path) of every console route the app mounts, path parameters filled in."""
    app = create_app(ServerSettings(data_dir=tmp_path))
    found = []
    for route in _api_routes(app.routes):
        if not route.path.startswith("/staff"):
            continue
        path = re.sub(r"\{[^}]+\}", "dev-000000000000", route.path)
        found += [(method, path) for method in sorted(route.methods)]
    return sorted(set(found))


def test_the_walk_finds_the_console(tmp_path: Path) -> None:
    routes = console_routes(tmp_path)

    assert ("GET", "/staff/devices") in routes
    assert ("POST", "/staff/devices/codes") in routes
    assert ("GET", "/staff/audit") in routes
    assert len(routes) >= 10


def test_every_console_route_refuses_anonymous_access(
    console: ServerProcess, tmp_path: Path
) -> None:
    for method, path in console_routes(tmp_path):
        if path in OPEN_TO_ALL:
            continue
        r = requests.request(method, console.url + path, allow_redirects=False, timeout=10)
        if method == "GET":
            assert r.status_code == 303, (method, path, r.status_code)
            assert r.headers["location"].startswith("/staff/login?next="), (method, path)
        else:
            assert r.status_code in (401, 403), (method, path, r.status_code)
        assert "ontong_staff=" not in r.headers.get("set-cookie", "")


@pytest.mark.parametrize("account", [VIEWER, DONG], ids=["viewer", "dong"])
def test_roles_without_admin_rights_get_403_on_admin_routes(
    console: ServerProcess, tmp_path: Path, account: object
) -> None:
    http = signed_in_session(console, account)  # type: ignore[arg-type]
    token = csrf_of(http.get(f"{console.url}/staff/", timeout=10).text)
    # A dong officer's own dong's devices and calls (tests.console.test_calls: not another's).
    dong_may_view = {
        "/staff/devices",
        "/staff/devices/table",
        "/staff/calls",
        "/staff/calls/table",
        "/staff/calls/dev-000000000000/acknowledge",
        "/staff/calls/dev-000000000000/resolve",
        # 제안 검토: the queue of their dong (a proposal of another dong answers 404).
        "/staff/proposals",
        "/staff/proposals/dev-000000000000/dev-000000000000",
        # 참여 내용: their own dong's (tests.console.test_responses: not another's).
        "/staff/responses",
        "/staff/responses/survey",
        "/staff/responses/survey.csv",
        "/staff/responses/survey.xlsx",
        "/staff/responses/contests",
        "/staff/responses/contest",
        "/staff/responses/counts",
        # 포인트: the counter and their dong's exchanges (tests.console.test_points).
        "/staff/points",
        "/staff/points/lookup",
        "/staff/points/exchanges/dev-000000000000/fulfil",
        "/staff/points/exchanges/dev-000000000000/refuse",
        # 긴급 공지: for their own dong only (tests.console.test_emergency: not another's).
        "/staff/emergency",
        "/staff/emergency/dev-000000000000/clear",
    }
    for method, path in console_routes(tmp_path):
        if path in OPEN_TO_ALL | EVERY_ROLE or (account is DONG and path in dong_may_view):
            continue
        r = http.request(
            method,
            console.url + path,
            data={"csrf_token": token} if method == "POST" else None,
            allow_redirects=False,
            timeout=10,
        )
        assert r.status_code == 403, (method, path, r.status_code)


def test_a_post_without_its_csrf_token_is_refused(console: ServerProcess) -> None:
    http = signed_in_session(console, ADMIN)
    before = http.get(f"{console.url}/staff/audit.csv", timeout=10).text.count("enrolment_code")

    missing = http.post(f"{console.url}/staff/devices/codes", data={"hours": "24"}, timeout=10)
    wrong = http.post(
        f"{console.url}/staff/devices/codes",
        data={"hours": "24", "csrf_token": "not-the-token"},
        timeout=10,
    )
    logout = http.post(f"{console.url}/staff/logout", timeout=10)
    login = requests.post(
        f"{console.url}/staff/login",
        data={"name": ADMIN.name, "password": ADMIN.password},
        allow_redirects=False,
        timeout=10,
    )

    assert (missing.status_code, wrong.status_code, logout.status_code) == (403, 403, 403)
    assert login.status_code == 403
    assert "양식이 만료되었거나" in missing.text
    after = http.get(f"{console.url}/staff/audit.csv", timeout=10).text.count("enrolment_code")
    assert after == before


def test_a_token_from_another_session_is_refused(console: ServerProcess) -> None:
    mine, theirs = signed_in_session(console, ADMIN), signed_in_session(console, ADMIN)
    their_token = csrf_of(theirs.get(f"{console.url}/staff/", timeout=10).text)

    r = mine.post(
        f"{console.url}/staff/devices/codes", data={"csrf_token": their_token}, timeout=10
    )

    assert r.status_code == 403


def test_the_session_cookie_holds_only_a_random_id(console: ServerProcess) -> None:
    http = requests.Session()
    form = http.get(f"{console.url}/staff/login", timeout=10)
    r = http.post(
        f"{console.url}/staff/login",
        data={"name": ADMIN.name, "password": ADMIN.password, "csrf_token": csrf_of(form.text)},
        allow_redirects=False,
        timeout=10,
    )
    cookie = next(c for c in r.raw.headers.getlist("set-cookie") if c.startswith("ontong_staff="))
    value = cookie.split(";")[0].split("=", 1)[1]

    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/staff" in cookie
    assert "Secure" not in cookie  # plain HTTP here; HTTPS requests get Secure
    assert len(value) >= 40 and ADMIN.name not in value
    with console.database() as db:
        from sqlalchemy import select

        from server.db.models import StaffSession

        with db.read() as session:
            stored = list(session.scalars(select(StaffSession.id_sha256)))
    assert value not in stored


def test_pages_carry_no_outside_address_and_docs_are_off(console: ServerProcess) -> None:
    http = signed_in_session(console, ADMIN)
    for path in ("/staff/", "/staff/devices", "/staff/audit", "/staff/login"):
        html = http.get(console.url + path, timeout=10).text
        assert not re.search(r"(src|href)=\"(https?:)?//", html), path
    assert requests.get(f"{console.url}/docs", timeout=10).status_code == 404
    assert requests.get(f"{console.url}/redoc", timeout=10).status_code == 404
    assert requests.get(f"{console.url}/openapi.json", timeout=10).status_code == 200
    assert http.get(f"{console.url}/staff/static/htmx.min.js", timeout=10).status_code == 200
    font = http.get(f"{console.url}/staff/fonts/PretendardGOV-Regular.otf", timeout=10)
    assert font.status_code == 200 and len(font.content) > 100_000


def test_a_dong_officer_sees_only_the_devices_of_their_dong(console: ServerProcess) -> None:
    here, there, silent = (console.enroll(name=n) for n in ("회현동 1층", "명동 1층", "말 없음"))
    for device, dong in ((here, "hoehyeon"), (there, "myeong")):
        r = requests.post(
            f"{console.api}/devices/heartbeat",
            json={
                "app_version": "1",
                "content_version": None,
                "queue_depth": 0,
                "mode": "kiosk",
                "uptime_s": 1.0,
                "dong": dong,
            },
            headers=device.headers,
            timeout=10,
        )
        assert r.status_code == 200, r.text

    officer = signed_in_session(console, DONG).get(f"{console.url}/staff/devices", timeout=10)
    admin = signed_in_session(console, ADMIN).get(f"{console.url}/staff/devices", timeout=10)

    assert here.device_id in officer.text
    assert there.device_id not in officer.text and silent.device_id not in officer.text
    assert "/approve" not in officer.text and "/revoke" not in officer.text
    assert all(d.device_id in admin.text for d in (here, there, silent))


def test_an_admin_cannot_disable_their_own_account(console: ServerProcess) -> None:
    http = signed_in_session(console, ADMIN)
    page = http.get(f"{console.url}/staff/accounts", timeout=10).text
    own = re.search(r'<tr id="account-(\d+)"[^>]*>\s*<td><strong>' + ADMIN.name, page)
    assert own is not None

    r = http.post(
        f"{console.url}/staff/accounts/{own.group(1)}/disable",
        data={"csrf_token": csrf_of(page)},
        timeout=10,
    )

    assert r.status_code == 409
    assert http.get(f"{console.url}/staff/", allow_redirects=False, timeout=10).status_code == 200
