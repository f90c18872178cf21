"""The manifest as one device receives it (contract.audience): only the items that target
its groups and dong, and none of the media files only the others use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contract.audience import Audience, for_audience
from contract.content import ContentPack
from kiosk.domain.schedule import BoardProfile, targets
from kiosk.paths import asset_path


def demo() -> dict[str, Any]:
    return json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))


def targeted(document: dict[str, Any]) -> dict[str, Any]:
    """The demo with its welcome picture for the lobbies of group "apt-a" only, and the clip
    for group "apt-b" only (its file is used by nothing else)."""
    for p in document["promotions"]:
        if p["id"] == "welcome":
            p["groups"] = ["apt-a"]
        if p["id"] == "ontong-clip":
            p["groups"] = ["apt-b"]
    return document


def ids(document: dict[str, Any]) -> list[str]:
    return [p["id"] for p in document["promotions"]]


def paths(document: dict[str, Any]) -> set[str]:
    return {f["path"] for f in document["files"]}


def test_a_pack_without_targeted_promotions_reaches_every_device_unchanged() -> None:
    document = demo()
    for p in document["promotions"]:
        p.pop("dongs", None)
    for audience in (Audience(), Audience("pil", frozenset({"apt-a"})), Audience(None)):
        assert for_audience(document, audience) is None


def test_a_device_gets_its_groups_promotions_and_not_the_media_of_the_others() -> None:
    document = targeted(demo())
    a = for_audience(document, Audience("sindang", frozenset({"apt-a"})))
    b = for_audience(document, Audience("sindang", frozenset({"apt-b"})))
    nowhere = for_audience(document, Audience("sindang"))
    assert a is not None and b is not None and nowhere is not None
    assert "welcome" in ids(a) and "ontong-clip" not in ids(a)
    assert "ontong-clip" in ids(b) and "welcome" not in ids(b)
    assert "welcome" not in ids(nowhere) and "ontong-clip" not in ids(nowhere)
    assert "media/promo-ontong.mp4" not in paths(a) | paths(nowhere)
    assert "media/promo-welcome.png" not in paths(b) | paths(nowhere)
    assert "media/promo-welcome.png" in paths(a) and "media/promo-ontong.mp4" in paths(b)
    # What is not a promotion of another group is untouched, and each is a valid pack.
    everything = paths(document)
    assert paths(a) == everything - {"media/promo-ontong.mp4"}
    for narrowed in (a, b, nowhere):
        ContentPack.model_validate(narrowed)
        assert narrowed["surveys"] == document["surveys"]
    assert document == targeted(demo())  # the published document itself is not changed


def test_kept_promotions_lose_their_groups_so_the_device_shows_them() -> None:
    a = for_audience(targeted(demo()), Audience("sindang", frozenset({"apt-a"})))
    assert a is not None
    welcome = ContentPack.model_validate(a).promotions
    shown = [p for p in welcome if p.id == "welcome"][0]
    # A board whose own configuration names no group still plays what the server sent it.
    assert targets(shown, BoardProfile(dong="sindang"))


def test_a_file_another_item_still_uses_is_kept() -> None:
    document = targeted(demo())
    video = document["videos"][0]
    document["promotions"].append(
        {
            "id": "clip-for-b",
            "kind": "image",
            "title": {"ko": "B 동 그림"},
            "asset": video["thumbnail"],
            "starts_at": "2026-11-01T00:00:00+09:00",
            "ends_at": "2027-01-01T00:00:00+09:00",
            "groups": ["apt-b"],
        }
    )
    ContentPack.model_validate(document)
    a = for_audience(document, Audience("sindang", frozenset({"apt-a"})))
    assert a is not None and "clip-for-b" not in ids(a)
    assert video["thumbnail"] in paths(a)  # the video centre still shows it


@pytest.mark.parametrize(
    ("audience", "shown"),
    [
        (Audience("sindang"), True),
        (Audience("pil"), False),
        (Audience(None), False),  # a device without a dong: district-wide items only
        (Audience(None, dong_known=False), True),  # not heard yet: its configuration picks
    ],
)
def test_dong_targeted_promotions(audience: Audience, shown: bool) -> None:
    narrowed = for_audience(demo(), audience)
    got = ids(narrowed) if narrowed is not None else ids(demo())
    assert ("digital-class" in got) is shown
    if narrowed is not None and not shown:
        assert "media/promo-digital-class.png" not in paths(narrowed)


def test_a_clips_subtitles_go_only_where_the_clip_goes() -> None:
    document = targeted(demo())
    subtitles = "media/promo-ontong.ko.vtt"
    document["files"].append(
        {"path": subtitles, "sha256": "0" * 64, "size": 60, "media_type": "text/vtt"}
    )
    clip = [p for p in document["promotions"] if p["id"] == "ontong-clip"][0]
    clip["subtitles"] = subtitles
    ContentPack.model_validate(document)
    a = for_audience(document, Audience("sindang", frozenset({"apt-a"})))
    b = for_audience(document, Audience("sindang", frozenset({"apt-b"})))
    assert a is not None and b is not None
    assert subtitles not in paths(a) and "media/promo-ontong.mp4" not in paths(a)
    assert subtitles in paths(b)
    shown = [p for p in ContentPack.model_validate(b).promotions if p.id == "ontong-clip"][0]
    assert shown.subtitles == subtitles


def test_surveys_contests_videos_and_lessons_follow_the_same_rule() -> None:
    document = demo()
    document["surveys"][0]["groups"] = ["apt-a"]
    document["contests"][0]["dongs"] = ["pil"]
    document["videos"][0]["groups"] = ["apt-b"]
    document["lessons"][0]["dongs"] = ["sindang"]
    ContentPack.model_validate(document)
    contest_pictures = {e["image"] for e in document["contests"][0]["entries"]}
    video = document["videos"][0]

    a = for_audience(document, Audience("sindang", frozenset({"apt-a"})))
    assert a is not None
    assert [s["id"] for s in a["surveys"]] == [s["id"] for s in document["surveys"]]
    assert a["contests"] == [] and a["lessons"][0]["id"] == document["lessons"][0]["id"]
    assert video["id"] not in {v["id"] for v in a["videos"]}
    # The files only the items left out used are not sent (a picture another item uses is).
    assert video["asset"] not in paths(a)
    assert not contest_pictures & paths(a) - paths_used_elsewhere(document, "contests")
    # What it keeps no longer says whom it targets: the server decided.
    assert all(not item.get("groups") and not item.get("dongs") for item in a["surveys"])

    pil = for_audience(document, Audience("pil", frozenset({"apt-b"})))
    assert pil is not None
    assert document["surveys"][0]["id"] not in {s["id"] for s in pil["surveys"]}
    assert pil["contests"][0]["id"] == document["contests"][0]["id"]
    assert document["lessons"][0]["id"] not in {x["id"] for x in pil["lessons"]}
    assert video["asset"] in paths(pil)


def paths_used_elsewhere(document: dict[str, Any], section: str) -> set[str]:
    """The files items outside `section` use."""
    others = {**document, section: []}
    return {p for _, p, _ in ContentPack.model_validate(others).asset_references()}
