"""Targeting beyond promotions, against the real server process and two kiosks enrolled through
their real sync: a survey targeted at one device group reaches the kiosk in it and never the
other, and a video for that group sends its files only there. The group is made and filled on
the staff console; neither kiosk's own configuration names a group (the server decides)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from contract.pack import file_digest
from kiosk.app import AppContext
from kiosk.services.sync_link import SyncLink, start_sync_link
from sync.client import Timeouts
from sync.worker import SyncTuning
from tests.helpers.enrolled import enrolled_context, put_in_group
from tests.helpers.packs import Manifest, add_file, demo_copy
from tests.server.process import ServerProcess

TUNING = SyncTuning(
    backoff_base_s=0.05,
    backoff_cap_s=0.5,
    timeouts=Timeouts(connect_s=1.0, read_s=5.0),
    idle_check_s=0.05,
    heartbeat_every_s=1.0,
    content_every_s=600.0,
)
SURVEY = "apt-a-survey"
CLIP = "apt-a-clip"
CLIP_FILE = "media/apt-a-clip.mp4"


def targeted_pack(root: Path, version: str) -> Path:
    """The demo pack with a survey and a video-centre clip of their own for group apt-a."""
    dest = root / version

    def target(manifest: Manifest) -> None:
        survey = {**manifest["surveys"][0], "id": SURVEY, "groups": ["apt-a"]}
        survey["title"] = {"ko": "A동 주민 설문: 승강기 점검 시간"}
        survey["url"] = survey["url"].rsplit("/", 1)[0] + "/" + SURVEY
        manifest["surveys"].append(survey)
        video = manifest["videos"][0]
        # A file no other item uses (its bytes differ from the clip it is copied from).
        clip = (dest / video["asset"]).read_bytes() + b"apt-a"
        add_file(dest, manifest, CLIP_FILE, clip, "video/mp4")
        manifest["videos"].append({**video, "id": CLIP, "asset": CLIP_FILE, "groups": ["apt-a"]})

    return demo_copy(dest, version, target)


@dataclass
class Kiosk:
    ctx: AppContext
    link: SyncLink
    device_id: str
    token: str

    def has(self, version: str) -> bool:
        return self.ctx.pack is not None and self.ctx.pack.content_version == version

    def survey_ids(self) -> set[str]:
        assert self.ctx.pack is not None
        return {s.id for s in self.ctx.pack.surveys}


def start_kiosk(server: ServerProcess, data_dir: Path, name: str, stack: ExitStack) -> Kiosk:
    ctx, enrolment = enrolled_context(server, data_dir, name, "kiosk", stack)
    link = start_sync_link(ctx, tuning=TUNING)
    assert link is not None
    stack.callback(lambda: link.stop(wait_ms=10_000))
    link.content_activated.connect(lambda _version: ctx.reload_pack())
    return Kiosk(ctx, link, enrolment.device_id, enrolment.token)


def manifest_of(server: ServerProcess, kiosk: Kiosk) -> dict[str, Any]:
    r = requests.get(
        f"{server.api}/content/manifest",
        headers={"Authorization": f"Bearer {kiosk.token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    document: dict[str, Any] = r.json()
    return document


def test_a_survey_for_one_group_reaches_its_kiosk_and_never_the_other(
    qtbot: Any, admin_server: ServerProcess, tmp_path: Path
) -> None:
    server = admin_server
    with ExitStack() as stack:
        a = start_kiosk(server, tmp_path / "a", "신당 아파트 A동 키오스크", stack)
        b = start_kiosk(server, tmp_path / "b", "신당 아파트 B동 키오스크", stack)
        put_in_group(server, "apt-a", "신당동 공동주택 A동", a.device_id)
        pack = targeted_pack(tmp_path / "packs", "targeted-v1")
        clip_sha = file_digest(pack / CLIP_FILE)[1]
        server.cli("publish", str(pack))

        qtbot.waitUntil(lambda: a.has("targeted-v1") and b.has("targeted-v1"), timeout=30_000)
        assert SURVEY in a.survey_ids()
        assert SURVEY not in b.survey_ids() and len(b.survey_ids()) == 3
        assert a.ctx.pack is not None and b.ctx.pack is not None
        assert a.ctx.pack.video(CLIP) is not None and b.ctx.pack.video(CLIP) is None
        # The other kiosk is never told of the clip's file, and never fetches it.
        assert b.ctx.pack.file(CLIP_FILE) is None
        assert not any(p.name.startswith(clip_sha) for p in b.ctx.data_dir.rglob("*"))
        assert {s["id"] for s in manifest_of(server, b)["surveys"]} == b.survey_ids()
