"""Per-device manifests are kept by each server process, keyed by what decides them: the newest
content version's digest, the device's groups and its dong, all read from the database at each
request. So two server processes on one database answer a device alike after a change made
through either: a publish, a change of the device's groups, or of its dong (server.content)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from server import audit, drafts, groups
from tests.server.process import ROOT, EnrolledDevice, ServerProcess, content_etag, start_server

DEMO = ROOT / "assets" / "demo"
BY = audit.Actor("cli:test", audit.COMMAND_LINE)
SURVEY, CONTEST = "2026-senior-digital", "2026-alley-photo"


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two server processes on the same data folder and database."""
    data_dir = tmp_path_factory.mktemp("two-servers")
    first = start_server(data_dir)
    second = start_server(data_dir)
    yield first, second
    second.stop()
    first.stop()


def seen(server: ServerProcess, device: EnrolledDevice) -> tuple[str, set[str]]:
    """(the ETag the heartbeat names, the survey and contest ids of the manifest) as `server`
    answers the device, a 신당동 kiosk by its configuration."""
    etag = content_etag(server, device, "sindang")
    got = requests.get(f"{server.api}/content/manifest", headers=device.headers, timeout=10)
    assert got.status_code == 200, got.text
    assert etag == got.headers["ETag"]
    document = got.json()
    ids = {s["id"] for s in document["surveys"]} | {c["id"] for c in document["contests"]}
    return got.headers["ETag"], ids


def test_a_change_made_through_one_process_reaches_the_device_through_the_other(
    two: tuple[ServerProcess, ServerProcess],
) -> None:
    first, second = two
    first.cli("publish", str(DEMO))
    device = first.enroll(name="신당동 주민센터 키오스크")
    with first.database() as db:
        groups.create(db, "lobby", "1층 로비", BY)
        draft = drafts.start(db, BY)
        for section, key, target in (
            ("surveys", SURVEY, {"groups": ["lobby"]}),
            ("contests", CONTEST, {"dongs": ["pil"]}),
        ):
            item = draft.item(section, key)
            assert item is not None
            drafts.save_item(db, draft.id, section, key, {**item.body, **target}, item.revision, BY)
    # Both processes have answered (and kept) the manifest before each change.
    etag, ids = seen(first, device)
    assert seen(second, device) == (etag, ids) and SURVEY in ids and CONTEST in ids

    with first.database() as db:  # a publish, as the console makes it
        assert drafts.current(db) is not None
        drafts.publish(db, drafts.current(db).id, BY)  # type: ignore[union-attr]
    etag, ids = seen(second, device)
    assert SURVEY not in ids and CONTEST not in ids
    assert seen(first, device) == (etag, ids)

    with first.database() as db:  # the device put in the group
        groups.change(db, "lobby", "1층 로비", [device.device_id], BY)
    etag, ids = seen(second, device)
    assert SURVEY in ids and CONTEST not in ids
    assert seen(first, device) == (etag, ids)

    with first.database() as db:  # its dong set by staff
        groups.set_dong(db, device.device_id, "pil", ["pil", "sindang"], BY)
    etag, ids = seen(second, device)
    assert SURVEY in ids and CONTEST in ids
    assert seen(first, device) == (etag, ids)
