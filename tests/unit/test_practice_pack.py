"""Practice kiosks are pack data (issue 19): a malformed one is refused at load with a Korean
message naming the kiosk and the field, and a lesson over a practice kiosk is checked against
that kiosk's own pages and parts (its route names come from the data, not a registry)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from contract.pack import MANIFEST_NAME, PackError, load_pack
from contract.practice import route
from kiosk.paths import asset_path


def edit(tmp_path: Path, change: Any) -> list[str]:
    """Change a copy of the demo pack's manifest and load it: the problems it is refused with."""
    pack_dir = tmp_path / "pack"
    shutil.copytree(asset_path("demo"), pack_dir, ignore=shutil.ignore_patterns("*.py"))
    path = pack_dir / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    return list(caught.value.problems)


def kiosk(manifest: dict[str, Any], kiosk_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(k for k in manifest["practice"] if k["id"] == kiosk_id)
    return found


def lesson(manifest: dict[str, Any], lesson_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(x for x in manifest["lessons"] if x["id"] == lesson_id)
    return found


def test_the_demo_kiosks_name_their_pages_and_parts():
    pack = load_pack(asset_path("demo"))
    cafe = pack.practice_kiosk("cafe")
    assert cafe is not None
    screens = cafe.screens()
    assert set(screens) == {
        route("cafe", "where"),
        route("cafe", "menu"),
        route("cafe", "menu", "options"),
        route("cafe", "pay"),
        route("cafe", "pay", "card"),
        route("cafe", "done"),
    }
    assert {"menu_americano", "category_dessert", "cart", "order"} <= screens["practice_cafe_menu"]
    assert "option_temp-ice" in screens["practice_cafe_menu_options"]
    assert "insertCard" in screens["practice_cafe_pay_card"]
    # Every picture the kiosks use is listed in the pack, as a picture.
    paths = {path for _, path, _ in pack.asset_references()}
    assert "media/practice-americano.png" in paths and "media/practice-doc-resident.png" in paths


def test_an_unknown_page_kind_is_refused_in_korean(tmp_path):
    problems = edit(tmp_path, lambda m: kiosk(m, "subway")["pages"][0].update(kind="scan"))
    (line,) = problems
    assert line.startswith("manifest.json: practice[4].pages[0].kind: ")
    assert "연습 키오스크 'subway'의 화면 'what': 알 수 없는 종류 'scan'" in line


def test_an_item_naming_a_missing_option_group_is_refused(tmp_path):
    def change(m: dict[str, Any]) -> None:
        item = kiosk(m, "cafe")["pages"][1]["categories"][0]["items"][0]
        item["options"] = ["temp", "syrup"]

    (line,) = edit(tmp_path, change)
    assert "practice[0].pages[1].categories[0].items[0].options[1]" in line
    assert "메뉴 'americano': 선택 사항 'syrup'이 option_groups에 없습니다" in line


def test_a_kiosk_must_end_on_a_done_page_and_keep_its_sign_readable(tmp_path):
    def change(m: dict[str, Any]) -> None:
        clinic = kiosk(m, "clinic")
        clinic["pages"] = clinic["pages"][:2]
        clinic["color"] = "#ffee88"

    text = "\n".join(edit(tmp_path, change))
    assert "마지막 화면 'dept'은 끝 화면(done)이어야 합니다" in text
    assert "practice[2].color" in text and "흰 글자가 잘 안 보입니다" in text


def test_a_menu_without_categories_and_a_repeated_item_are_refused(tmp_path):
    def change(m: dict[str, Any]) -> None:
        burger = kiosk(m, "burger")
        burger["pages"][1]["categories"][1]["items"][0]["id"] = "bulgogi"
        kiosk(m, "cafe")["pages"][1]["categories"] = []

    text = "\n".join(edit(tmp_path, change))
    assert "메뉴 화면 'menu'에 메뉴 분류(categories)가 없습니다" in text
    assert "연습 키오스크 'burger'에 같은 id 'bulgogi'가 두 번 있습니다" in text


def test_a_picture_missing_from_the_pack_is_refused(tmp_path):
    def change(m: dict[str, Any]) -> None:
        kiosk(m, "civil")["pages"][0]["choices"][0]["image"] = "media/no-such.png"

    (line,) = edit(tmp_path, change)
    assert line.startswith("manifest.json: practice[3].pages[0].choices[0].image: ")


def test_a_lesson_of_a_kiosk_the_pack_lacks_is_refused(tmp_path):
    def change(m: dict[str, Any]) -> None:
        m["practice"] = [k for k in m["practice"] if k["id"] != "subway"]

    (line,) = edit(tmp_path, change)
    assert "lessons[" in line and ".flow" in line
    assert "흐름 'subway'은 기본 흐름도 이 콘텐츠의 연습 키오스크도 아닙니다" in line


def test_a_lesson_step_is_checked_against_its_kiosks_own_menu(tmp_path):
    def change(m: dict[str, Any]) -> None:
        steps = lesson(m, "cafe")["steps"]
        next(s for s in steps if s["id"] == "item")["target"] = "menu_espresso"
        next(s for s in steps if s["id"] == "order")["screen"] = "practice_cafe_kitchen"

    text = "\n".join(edit(tmp_path, change))
    assert "'practice_cafe_menu' 화면에 없는 대상 'menu_espresso'" in text
    assert "알 수 없는 화면 'practice_cafe_kitchen'" in text
