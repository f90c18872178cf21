"""Loading a content pack folder: the demo pack verifies, and each way a pack can be broken is
reported with the file, the field and a plain message."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contract.content import MESSAGES
from contract.pack import MANIFEST_NAME, PackError, load_pack, validate_manifest
from kiosk.paths import asset_path

Mutation = Callable[[Path], None]


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A private copy of the demo pack that a test may break."""
    target = tmp_path / "pack"
    shutil.copytree(
        asset_path("demo"), target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    return target


def edit(change: Callable[[dict[str, Any]], object]) -> Mutation:
    """A mutation that applies `change` to the parsed manifest and writes it back."""

    def mutate(pack: Path) -> None:
        path = pack / MANIFEST_NAME
        manifest = json.loads(path.read_text(encoding="utf-8"))
        change(manifest)
        path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    return mutate


def file_entry(manifest: dict[str, Any], path: str) -> dict[str, Any]:
    return next(f for f in manifest["files"] if f["path"] == path)


def q(manifest: dict[str, Any], survey: int, question: int) -> dict[str, Any]:
    return manifest["surveys"][survey]["questions"][question]


def flip_last_byte(pack: Path) -> None:
    path = pack / "media" / "promo-quiz.png"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def append_byte(pack: Path) -> None:
    with (pack / "media" / "promo-quiz.png").open("ab") as f:
        f.write(b"\0")


def set_schema_version(m: dict[str, Any]) -> None:
    m["schema_version"] = 2
    # A newer pack would differ elsewhere too; only the version is worth reporting.
    m["district"]["new_field"] = True


def set_media_type(path: str, media_type: str) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        file_entry(m, path)["media_type"] = media_type

    return change


def unlist(path: str) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        m["files"].remove(file_entry(m, path))

    return change


def add_file(entry: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda m: m["files"].append(entry)


_SHA = "0" * 64
_MANIFEST = f"{MANIFEST_NAME}: "
# The demo pack's files: a file added at their end is listed at this index.
_ADDED = len(json.loads((asset_path("demo") / MANIFEST_NAME).read_text(encoding="utf-8"))["files"])

CASES = [
    pytest.param(
        lambda pack: (pack / MANIFEST_NAME).unlink(),
        f"{_MANIFEST}파일이 없습니다 (manifest.json not found in the pack folder)",
        id="missing-manifest",
    ),
    pytest.param(
        lambda pack: (pack / MANIFEST_NAME).write_text('{"schema_version": 1,\n  "x": }'),
        f"{_MANIFEST}JSON 형식이 잘못되었습니다, 2번째 줄 "
        "8번째 글자 (invalid JSON: Expecting value)",
        id="invalid-json",
    ),
    pytest.param(
        lambda pack: (pack / MANIFEST_NAME).write_text(
            '{"schema_version": 1, "schema_version": 1}'
        ),
        f"{_MANIFEST}같은 항목 'schema_version'이 두 번 있습니다",
        id="duplicate-json-key",
    ),
    pytest.param(
        lambda pack: (pack / MANIFEST_NAME).write_bytes(b'{"content_version": "\xff"}'),
        f"{_MANIFEST}읽을 수 없습니다 (cannot read the file: not UTF-8 at byte 21)",
        id="not-utf8",
    ),
    pytest.param(
        lambda pack: (pack / MANIFEST_NAME).write_text("[1, 2]"),
        f"{_MANIFEST}객체({{...}})여야 합니다 (expected an object)",
        id="manifest-not-an-object",
    ),
    pytest.param(
        lambda pack: (pack / "media" / "promo-quiz.png").unlink(),
        "media/promo-quiz.png: 파일이 없습니다 (listed in the manifest but missing from the pack)",
        id="missing-file",
    ),
    pytest.param(
        flip_last_byte,
        "media/promo-quiz.png: SHA-256이 매니페스트와 다릅니다 "
        "(SHA-256 does not match the manifest)",
        id="wrong-hash",
    ),
    pytest.param(
        append_byte,
        "media/promo-quiz.png: 크기가 매니페스트와 다릅니다",
        id="wrong-size",
    ),
    pytest.param(
        lambda pack: (
            (pack / "media" / "promo-quiz.png").unlink()
            or (pack / "media" / "promo-quiz.png").mkdir()
        ),
        "media/promo-quiz.png: 보통 파일이 아닙니다 (not a regular file)",
        id="directory-instead-of-file",
    ),
    pytest.param(
        edit(add_file({"path": "../x", "sha256": _SHA, "size": 1, "media_type": "image/png"})),
        f"{_MANIFEST}files[{_ADDED}].path: 쓸 수 없는 경로 '../x' (path must be relative",
        id="path-escapes-pack",
    ),
    pytest.param(
        edit(
            add_file({"path": "/etc/passwd", "sha256": _SHA, "size": 1, "media_type": "text/plain"})
        ),
        f"{_MANIFEST}files[{_ADDED}].path: 쓸 수 없는 경로 '/etc/passwd'",
        id="absolute-path",
    ),
    pytest.param(
        edit(
            add_file({"path": "media\\x.png", "sha256": _SHA, "size": 1, "media_type": "image/png"})
        ),
        f"{_MANIFEST}files[{_ADDED}].path: 쓸 수 없는 경로 'media\\x.png'",
        id="backslash-path",
    ),
    pytest.param(
        edit(
            add_file({"path": "media/x.png", "sha256": "ABC", "size": 1, "media_type": "image/png"})
        ),
        f"{_MANIFEST}files[{_ADDED}].sha256: 형식이 맞지 않습니다 'ABC'",
        id="malformed-sha256",
    ),
    pytest.param(
        edit(lambda m: m["files"].append(dict(m["files"][0]))),
        f"{_MANIFEST}files[{_ADDED}].path: "
        "같은 파일 'media/contest-ginkgo.jpg'이 두 번 이상 있습니다",
        id="file-listed-twice",
    ),
    pytest.param(
        edit(lambda m: q(m, 1, 3).update(type="slider")),
        f"{_MANIFEST}surveys[1].questions[3].type: 알 "
        "수 없는 질문 유형 'slider' (unknown question type",
        id="unknown-question-type",
    ),
    pytest.param(
        edit(lambda m: q(m, 1, 3).pop("type")),
        f"{_MANIFEST}surveys[1].questions[3]: 유형('type')이 없습니다",
        id="question-without-type",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][1].update(id=m["surveys"][0]["id"])),
        f"{_MANIFEST}surveys[1].id: 같은 id "
        "'2026-senior-digital'가 두 번 이상 있습니다 (duplicate id)",
        id="duplicate-survey-id",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 1).update(id="age")),
        f"{_MANIFEST}surveys[0].questions[1].id: 같은 id 'age'가 두 번 이상 있습니다",
        id="duplicate-question-id",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 0)["options"][1].update(id="under60")),
        f"{_MANIFEST}surveys[0].questions[0].options[1].id: 같은 id 'under60'",
        id="duplicate-option-id",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 2)["show_if"].update(question="nowhere")),
        f"{_MANIFEST}surveys[0].questions[2].show_if.question: "
        "조건에 쓴 질문 'nowhere'이 앞에 없습니다 "
        "(show_if must refer to an earlier question)",
        id="show-if-unknown-question",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 2)["show_if"].update(question="class_satisfaction")),
        f"{_MANIFEST}surveys[0].questions[2].show_if.question: "
        "조건에 쓴 질문 'class_satisfaction'이 "
        "앞에 없습니다",
        id="show-if-later-question",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 2)["show_if"].update(any_of=["maybe"])),
        f"{_MANIFEST}surveys[0].questions[2].show_if.any_of[0]: "
        "'smartphone' 질문에 없는 답 'maybe'",
        id="show-if-unknown-answer",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][0].update(closes_at="2026-10-01T09:00:00+09:00")),
        f"{_MANIFEST}surveys[0].closes_at: opens_at보다 뒤여야 합니다 (must be after opens_at)",
        id="survey-closes-before-opens",
    ),
    pytest.param(
        edit(lambda m: m["budget"].update(closes_at=m["budget"]["opens_at"])),
        f"{_MANIFEST}budget.closes_at: opens_at보다 뒤여야 합니다",
        id="budget-closes-when-it-opens",
    ),
    pytest.param(
        edit(lambda m: m["proposals"][0].update(deadline="2026-01-01T00:00:00+09:00")),
        f"{_MANIFEST}proposals[0].deadline: created_at보다 뒤여야 합니다",
        id="proposal-deadline-before-creation",
    ),
    pytest.param(
        edit(lambda m: m["promotions"][0].pop("ends_at")),
        f"{_MANIFEST}promotions[0].ends_at: 꼭 있어야 "
        "하는 항목이 없습니다 (required field is missing)",
        id="promotion-without-end",
    ),
    pytest.param(
        edit(lambda m: m["promotions"][0].update(ends_at="2026-11-01T09:00:00+09:00")),
        f"{_MANIFEST}promotions[0].ends_at: starts_at보다 뒤여야 합니다",
        id="promotion-ends-before-start",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][0].update(opens_at="2026-11-02T09:00:00")),
        f"{_MANIFEST}surveys[0].opens_at: 시간대가 없는 시각입니다 '2026-11-02T09:00:00'",
        id="naive-datetime",
    ),
    pytest.param(
        edit(lambda m: m["proposals"][0].update(dong="gangnam")),
        f"{_MANIFEST}proposals[0].dong: 알 수 없는 동 'gangnam' (unknown dong id)",
        id="unknown-dong-proposal",
    ),
    pytest.param(
        edit(lambda m: m["budget"]["ballots"][3].update(dong="yeouido")),
        f"{_MANIFEST}budget.ballots[3].dong: 알 수 없는 동 'yeouido'",
        id="unknown-dong-ballot",
    ),
    pytest.param(
        edit(lambda m: m["budget"]["ballots"][3].update(dong="sogong")),
        f"{_MANIFEST}budget.ballots[3].dong: 'sogong' 동의 투표지가 두 개 이상입니다",
        id="two-ballots-one-dong",
    ),
    pytest.param(
        edit(lambda m: m["promotions"][4]["dongs"].append("jamsil")),
        f"{_MANIFEST}promotions[4].dongs[4]: 알 수 없는 동 'jamsil'",
        id="unknown-dong-promotion",
    ),
    pytest.param(
        edit(lambda m: m["district"]["points"]["rules"].update(survey_response=50)),
        f"{_MANIFEST}district.points.rules.survey_response: "
        "포인트는 100~10,000 사이여야 합니다: 50",
        id="point-rule-too-low",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][1].update(points=20000)),
        f"{_MANIFEST}surveys[1].points: 포인트는 100~10,000 사이여야 합니다: 20000",
        id="survey-points-too-high",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][1].update(points="lottery")),
        f"{_MANIFEST}surveys[1].points: 알 수 없는 활동 종류 'lottery'",
        id="survey-points-unknown-activity",
    ),
    pytest.param(
        edit(lambda m: m["district"]["points"]["rules"].pop("contest_vote")),
        f"{_MANIFEST}contests[0].vote: 'contest_vote' 활동의 포인트 규칙이 없습니다",
        id="missing-point-rule",
    ),
    pytest.param(
        edit(unlist("media/promo-budget-2027.png")),
        f"{_MANIFEST}promotions[0].asset: "
        "'media/promo-budget-2027.png' 파일이 files 목록에 없습니다 "
        "(asset is not listed in files)",
        id="asset-not-listed",
    ),
    pytest.param(
        edit(unlist("media/route-namsan.jpg")),
        f"{_MANIFEST}surveys[1].questions[0].options[0].image: 'media/route-namsan.jpg' 파일이",
        id="option-image-not-listed",
    ),
    pytest.param(
        edit(lambda m: m["videos"][0].update(asset="media/promo-quiz.png")),
        f"{_MANIFEST}videos[0].asset: 'media/promo-quiz.png'은(는) video/ 파일이어야 합니다",
        id="video-asset-is-an-image",
    ),
    pytest.param(
        edit(set_media_type("media/promo-budget-2027.png", "image/svg+xml")),
        f"{_MANIFEST}promotions[0].asset: 'media/promo-budget-2027.png'은(는) "
        "image/png, image/jpeg, image/gif, image/webp, image/bmp 파일이어야 합니다",
        id="picture-in-a-format-the-kiosk-does-not-show",
    ),
    pytest.param(
        edit(lambda m: m["videos"][0].update(subtitles="media/promo-quiz.png")),
        f"{_MANIFEST}videos[0].subtitles: 자막 파일은 .vtt 또는 .srt여야 합니다",
        id="subtitles-not-vtt",
    ),
    pytest.param(
        edit(set_schema_version),
        f"{_MANIFEST}schema_version: 지원하지 않는 스키마 "
        "버전 2 (this kiosk reads schema_version 1",
        id="wrong-schema-version",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 2).update(min_select=3, max_select=2)),
        f"{_MANIFEST}surveys[0].questions[2].min_select: "
        "선택 수 범위가 맞지 않습니다: 최소 3, 최대 2, 보기 6개",
        id="multiple-choice-min-over-max",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 2).update(max_select=7)),
        f"{_MANIFEST}surveys[0].questions[2].max_select: 선택 수 범위가 맞지 않습니다",
        id="multiple-choice-max-over-options",
    ),
    pytest.param(
        edit(lambda m: q(m, 0, 0).update(correct="60s")),
        f"{_MANIFEST}surveys[0].questions[0].correct: 정답·해설은 퀴즈(kind: quiz)에만",
        id="quiz-field-in-survey",
    ),
    pytest.param(
        edit(lambda m: q(m, 2, 0).pop("explanation")),
        f"{_MANIFEST}surveys[2].questions[0]: 퀴즈 문항에는 정답(correct)과 해설(explanation)이",
        id="quiz-without-explanation",
    ),
    pytest.param(
        edit(lambda m: m["budget"]["ballots"][0]["rule"].update(kind="ranked")),
        f"{_MANIFEST}budget.ballots[0].rule.kind: 알 수 없는 선택 규칙 'ranked'",
        id="unknown-ballot-rule",
    ),
    pytest.param(
        edit(lambda m: m["budget"]["ballots"][0]["rule"].update(max_selections=9)),
        f"{_MANIFEST}budget.ballots[0].rule.max_selections: "
        "최대 선택 수 9가 검토를 마친 사업 수 4보다",
        id="approval-max-over-projects",
    ),
    pytest.param(
        edit(lambda m: m["budget"]["ballots"][2]["projects"][0].update(cost_won=200_000_000)),
        f"{_MANIFEST}budget.ballots[2].projects[0].cost_won: 사업비 200,000,000원이 동 예산",
        id="project-over-budget",
    ),
    pytest.param(
        edit(lambda m: m["budget"]["ballots"][1]["projects"][0].update(id="sogong-lights")),
        f"{_MANIFEST}budget.ballots[1].projects[0].id: 같은 id 'sogong-lights'",
        id="project-id-in-two-ballots",
    ),
    pytest.param(
        edit(
            lambda m: m["budget"].update(
                results=[
                    {
                        "dong": "pil",
                        "voters": 10,
                        "ranking": [{"project": "sogong-lights", "votes": 3, "selected": True}],
                    }
                ]
            )
        ),  # fmt: skip
        f"{_MANIFEST}budget.results[0].ranking[0].project: 이 동의 사업이 아닌 'sogong-lights'",
        id="result-names-another-dongs-project",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][0].update(url="https://example.com/survey")),
        f"{_MANIFEST}surveys[0].url: 온통중구 주소가 아닙니다 'https://example.com/survey'",
        id="item-url-off-platform",
    ),
    pytest.param(
        edit(lambda m: m["district"].update(platform_url="http://ontong.junggu.seoul.kr")),
        f"{_MANIFEST}district.platform_url: https 주소가 아닙니다",
        id="platform-url-not-https",
    ),
    pytest.param(
        edit(lambda m: m["surveys"][0]["title"].update(ko=" ")),
        f"{_MANIFEST}surveys[0].title.ko: 한국어 글이 비어 있습니다",
        id="blank-korean-title",
    ),
    pytest.param(
        edit(lambda m: m["contests"][0].update(prize="상품권")),
        f"{_MANIFEST}contests[0].prize: 알 수 없는 항목입니다 (unknown field)",
        id="unknown-field",
    ),
    pytest.param(
        edit(lambda m: m["proposals"][0].update(topic="sports")),
        f"{_MANIFEST}proposals[0].topic: 허용되지 않는 값 'sports' (expected 'welfare'",
        id="unknown-topic",
    ),
    pytest.param(
        edit(lambda m: m["promotions"][1]["windows"][0].update(end="9:00")),
        f"{_MANIFEST}promotions[1].windows[0].end: 형식이 맞지 않습니다 '9:00'",
        id="malformed-window-time",
    ),
    pytest.param(
        edit(lambda m: m["contests"][0]["vote"].update(max_votes=6)),
        f"{_MANIFEST}contests[0].vote.max_votes: 최대 투표 수 6가 작품 수 5보다 많습니다",
        id="contest-max-votes-over-entries",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), CASES)
def test_broken_pack_is_refused_with_a_plain_message(
    pack_dir: Path, mutate: Mutation, expected: str
) -> None:
    mutate(pack_dir)
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    assert any(line.startswith(expected) for line in info.value.problems), info.value.problems


def test_demo_pack_loads_and_verifies() -> None:
    pack = load_pack(asset_path("demo"))
    assert pack.content_version == "2026.11.25-demo"
    assert len(pack.files) == 58


def test_demo_pack_is_small() -> None:
    demo = asset_path("demo")
    total = sum(p.stat().st_size for p in demo.rglob("*") if p.is_file() and p.suffix != ".py")
    assert total < 4 * 1024 * 1024


def test_every_listed_file_is_used_and_every_file_is_listed() -> None:
    demo = asset_path("demo")
    pack = load_pack(demo)
    on_disk = {p.relative_to(demo).as_posix() for p in (demo / "media").iterdir()}
    listed = {f.path for f in pack.files}
    used = {path for _, path, _ in pack.asset_references()}
    assert on_disk == listed == used


def test_schema_version_is_the_only_problem_reported(pack_dir: Path) -> None:
    edit(set_schema_version)(pack_dir)
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    assert len(info.value.problems) == 1


def test_every_problem_is_listed_at_once(pack_dir: Path) -> None:
    flip_last_byte(pack_dir)
    (pack_dir / "media" / "promo-welcome.png").unlink()
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    assert sorted(line.split(":")[0] for line in info.value.problems) == [
        "media/promo-quiz.png",
        "media/promo-welcome.png",
    ]
    assert str(info.value) == "\n".join(info.value.problems)


def test_a_long_list_of_problems_is_cut_short() -> None:
    error = PackError([f"media/{n}.png: {MESSAGES['file_missing']}" for n in range(25)])
    assert len(error.problems) == 25
    lines = str(error).splitlines()
    assert len(lines) == 21
    assert lines[-1] == "… 외 5건 (and 5 more)"


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_symlink_out_of_the_pack_is_refused(pack_dir: Path, tmp_path: Path) -> None:
    inside = pack_dir / "media" / "promo-quiz.png"
    outside = tmp_path / "elsewhere.png"
    shutil.copy(inside, outside)
    inside.unlink()
    inside.symlink_to(outside)
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    assert info.value.problems == (
        "media/promo-quiz.png: 팩 폴더 밖을 가리킵니다 (the path leads outside the pack folder)",
    )


def test_validate_manifest_names_its_source() -> None:
    with pytest.raises(PackError) as info:
        validate_manifest({"schema_version": 1}, source="stored content")
    assert info.value.problems[0].startswith("stored content: content_version: 꼭 있어야")
