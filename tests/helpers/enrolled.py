"""Devices of the tests that run against the real server process: a device enrolled and
approved with its own database and configuration (`enrolled_context`), and device groups as a
관리자 makes them on the console (`put_in_group`)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from kiosk.app import AppContext, open_context
from kiosk.config import KioskConfig
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from sync.worker import Enrolment, enroll_device
from tests.console.conftest import ADMIN, csrf_of, signed_in_session
from tests.server.process import ServerProcess


def enrolled_context(
    server: ServerProcess, data_dir: Path, name: str, mode: str, stack: ExitStack
) -> tuple[AppContext, Enrolment]:
    """A device of `mode` in 신당동 enrolled with `server` and approved, its store open (closed
    with `stack`)."""
    with open_database(data_dir) as db:
        enrolment = enroll_device(
            DeviceSettings(db), server.url, server.new_code(), name=name, mode=mode
        )
    server.approve(enrolment.device_id)
    config = KioskConfig(data_dir=data_dir, mode=mode, dong="sindang", server_url=server.url)
    ctx = open_context(config)
    ctx.open_store()
    stack.callback(ctx.close)
    return ctx, enrolment


def put_in_group(server: ServerProcess, key: str, name: str, *device_ids: str) -> None:
    """A 관리자 makes the group on the console (when it is new) and gives it `device_ids`."""
    admin = signed_in_session(server, ADMIN)
    token = csrf_of(admin.get(f"{server.url}/staff/groups", timeout=10).text)
    admin.post(
        f"{server.url}/staff/groups",
        data={"csrf_token": token, "key": key, "name": name},
        timeout=10,
    )
    put = admin.post(
        f"{server.url}/staff/groups/{key}",
        data=[("csrf_token", token), ("name", name)] + [("devices", d) for d in device_ids],
        timeout=10,
    )
    assert put.status_code == 200, put.text
