"""An offline kiosk (a content pack, no server) honours targeting like the server's per-device
manifest does (contract.audience): a survey and a contest meant for one device group or one
dong are offered only on a kiosk whose configuration names that group or dong."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from contract.content import KST
from tests.helpers.packs import Manifest, demo_copy
from tests.helpers.resident import on, shown, tap_name

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
WALK, CONTEST = "2026-walkable-junggu", "2026-alley-photo"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """The demo pack with its 걷기 survey for group "lobby" only and its contest for 필동 only."""

    def target(manifest: Manifest) -> None:
        for survey in manifest["surveys"]:
            if survey["id"] == WALK:
                survey["groups"] = ["lobby"]
        manifest["contests"][0]["dongs"] = ["pil"]

    return demo_copy(tmp_path / "pack", "targeted-offline", target)


def offered(qtbot, window) -> set[str]:
    window.ctx.clock = lambda: NOW
    tap_name(qtbot, window, "tile_surveys")
    assert on(window) == "surveys"
    return {name for name in (f"survey_{WALK}", f"contest_{CONTEST}") if shown(window, name)}


@pytest.mark.parametrize(
    ("dong", "groups", "offers"),
    [
        ("sindang", (), set()),
        ("sindang", ("lobby",), {f"survey_{WALK}"}),
        ("pil", ("lobby", "library"), {f"survey_{WALK}", f"contest_{CONTEST}"}),
        (None, ("lobby",), {f"survey_{WALK}"}),  # no dong: district-wide items only
    ],
)
def test_an_offline_kiosk_offers_what_targets_its_group_and_dong(
    qtbot, make_window, pack: Path, dong: str | None, groups: tuple[str, ...], offers: set[str]
) -> None:
    window = make_window(content_pack=pack, dong=dong, device_groups=groups)
    assert offered(qtbot, window) == offers
