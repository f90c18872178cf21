"""미리보기 through the real server process: the kiosk's own renderer draws a draft item in a
subprocess (portrait and landscape, 100 % and 200 % text), the page polls until the pictures
are there, an unchanged item is not drawn again and a changed one is; a server where the kiosk
package cannot be imported says so in Korean instead of failing."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.console.conftest import ADMIN, VIEWER, add_account, page_errors, signed_in_session
from tests.console.test_browser import sign_in, text_of, wait_for_next_page
from tests.console.test_content import (
    DEMO,
    fresh_draft,
    get,
    opened_revision,
    post_form,
    save_promotion,
    survey_form,
)
from tests.server.process import ROOT, ServerProcess, start_server

DRAWN_WITHIN_S = 180
PICTURE = re.compile(r'src="(/staff/content/previews/([0-9a-f]{64})/(\w+)\.png)"')
SIZES = {
    "portrait_100": (1080, 1920),
    "portrait_200": (1080, 1920),
    "landscape_100": (1920, 1080),
    "landscape_200": (1920, 1080),
}


def authoring_server(data_dir: Path, env: dict[str, str] | None = None) -> ServerProcess:
    running = start_server(data_dir, None, env=env)
    running.cli("publish", str(DEMO))
    for account in (ADMIN, VIEWER):
        add_account(running, account, data_dir)
    return running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    running = authoring_server(tmp_path_factory.mktemp("preview"))
    yield running
    running.stop()


def preview_path(section: str, key: str) -> str:
    return f"/staff/content/draft/preview?section={section}&key={key}"


def drawn(http: requests.Session, server: ServerProcess, section: str, key: str) -> str:
    """The state part once it is no longer drawing (polled as the page's htmx does)."""
    deadline = time.monotonic() + DRAWN_WITHIN_S
    while time.monotonic() < deadline:
        part = get(http, server, f"/staff/content/draft/preview/state?section={section}&key={key}")
        if 'data-state="drawing"' not in part:
            return part
        time.sleep(1)
    raise AssertionError(f"no preview of {section}/{key} within {DRAWN_WITHIN_S} s")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_a_survey_and_a_promotion_are_drawn_by_the_kiosk_at_both_sizes_and_text_scales(
    server: ServerProcess,
) -> None:
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    first = get(http, server, preview_path("surveys", "2026-senior-digital"))
    assert 'data-state="drawing"' in first and "hx-get=" in first and "저절로 바뀝니다" in first
    part = drawn(http, server, "surveys", "2026-senior-digital")
    pictures = PICTURE.findall(part)
    names = [name for _src, _digest, name in pictures]
    questions = [f"question_{n}" for n in range(1, 8)]  # the demo survey has seven
    assert sorted(names[:4]) == sorted(SIZES) and names[4:] == questions, part
    for src, _digest, name in pictures:
        r = http.get(f"{server.url}{src}", timeout=10)
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert png_size(r.content) == SIZES.get(name, (1080, 1920))
        assert len(r.content) > 20_000  # a screen with words on it, not a blank one
    # The board's picture of a promotion.
    get(http, server, preview_path("promotions", "night-scout"))
    assert 'data-state="ready"' in drawn(http, server, "promotions", "night-scout")
    # Only content staff see drafts: not a 보기 account, not a stranger.
    viewer = signed_in_session(server, VIEWER)
    get(viewer, server, preview_path("surveys", "2026-senior-digital"), status=403)
    get(viewer, server, pictures[0][0], status=403)
    stranger = requests.get(f"{server.url}{pictures[0][0]}", timeout=10, allow_redirects=False)
    assert stranger.status_code == 303 and "/staff/login" in stranger.headers["location"]


def test_an_unchanged_item_is_not_drawn_again_and_a_changed_one_is(server: ServerProcess) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    form = get(http, server, "/staff/content/draft/promotion?key=welcome")
    assert (
        'id="open-preview" href="/staff/content/draft/preview?section=promotions&amp;key=welcome"'
        in form
    )
    get(http, server, preview_path("promotions", "welcome"))
    before = PICTURE.findall(drawn(http, server, "promotions", "welcome"))
    again = get(http, server, preview_path("promotions", "welcome"))
    assert 'data-state="ready"' in again and PICTURE.findall(again) == before  # from the cache
    revision = opened_revision(http, server, "promotions", "welcome")
    saved = save_promotion(http, server, draft, revision, title_ko="새 제목으로 환영합니다")
    assert saved.status_code == 303, saved.text
    changed = get(http, server, preview_path("promotions", "welcome"))
    assert 'data-state="drawing"' in changed
    after = PICTURE.findall(drawn(http, server, "promotions", "welcome"))
    assert after and after[0][1] != before[0][1]


def test_a_survey_with_a_show_if_question_written_in_the_form_is_previewed(
    server: ServerProcess,
) -> None:
    """The issue's path: a survey written in the forms (a question shown only after a yes),
    saved to the draft, then drawn by the kiosk from the draft before anything is published."""
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    added = post_form(http, server, "/staff/content/draft/survey", survey_form(draft))
    assert added.status_code == 303, added.text[-2000:]
    form = get(http, server, "/staff/content/draft/survey?key=parking-2026")
    assert 'id="open-preview"' in form
    get(http, server, preview_path("surveys", "parking-2026"))
    pictures = PICTURE.findall(drawn(http, server, "surveys", "parking-2026"))
    # The four sizes, then each question at its step: the show-if one after its yes.
    names = [name for _src, _digest, name in pictures]
    assert sorted(names[:4]) == sorted(SIZES) and names[4:] == ["question_1", "question_2"]
    for src, _digest, name in pictures:
        size = SIZES.get(name, (1080, 1920))
        assert png_size(http.get(f"{server.url}{src}", timeout=10).content) == size


def publish_elsewhere(
    server: ServerProcess, folder: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    """A new live version made outside the draft: the demo pack changed by `change`, published
    from the server's shell (its version named after `folder`)."""
    document = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    change(document)
    document["content_version"] += f"-{folder.name}"
    folder.mkdir()
    shutil.copytree(DEMO / "media", folder / "media")  # a pack may not point outside itself
    (folder / "manifest.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    server.cli("publish", str(folder))


def test_the_district_card_budget_and_a_lesson_are_previewed_in_what_publishing_would_make(
    server: ServerProcess, tmp_path: Path
) -> None:
    """주민참여예산 on a dong's projects with its vote page, 동 고르기 and review; a lesson's
    first step; the board's district card. The pictures are drawn in the pack publishing the
    draft would make: a version published after the draft was copied shows in them."""
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    for section, key in (("budget", "budget"), ("lessons", "vote"), ("district", "district")):
        page = get(http, server, preview_path(section, key))
        assert 'data-state="drawing"' in page or 'data-state="ready"' in page
    budget = drawn(http, server, "budget", "budget")
    names = [name for _src, _digest, name in PICTURE.findall(budget)]
    assert sorted(names[:4]) == sorted(SIZES) and names[4:] == ["step_1", "step_2", "step_3"]
    assert "투표 단계 화면" in budget and "동 고르기" in budget and "고른 사업 확인" in budget
    for section, key in (("lessons", "vote"), ("district", "district")):
        pictures = PICTURE.findall(drawn(http, server, section, key))
        assert sorted(name for _src, _digest, name in pictures) == sorted(SIZES)
        for src, _digest, name in pictures:
            data = http.get(f"{server.url}{src}", timeout=10).content
            assert png_size(data) == SIZES[name] and len(data) > 20_000
    card = get(http, server, preview_path("district", "district"))
    assert "구 안내 카드" in card
    before = PICTURE.findall(card)[0][1]

    def rename(document: dict[str, Any]) -> None:
        document["district"]["name"]["ko"] = "서울특별시 중구 (새 이름)"

    publish_elsewhere(server, tmp_path / "renamed", rename)
    again = get(http, server, preview_path("district", "district"))
    assert 'data-state="drawing"' in again  # the live district changed: drawn again
    after = PICTURE.findall(drawn(http, server, "district", "district"))[0][1]
    assert after != before


def test_an_item_changed_since_in_the_live_version_too_is_said_to_be_drawn_as_live(
    server: ServerProcess, tmp_path: Path
) -> None:
    """The draft and a version published since both changed the promotion: publishing would
    refuse it, so its pictures show the live one, and the page says so."""
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    revision = opened_revision(http, server, "promotions", "welcome")
    saved = save_promotion(http, server, draft, revision, title_ko="초안에서 고친 환영 인사")
    assert saved.status_code == 303, saved.text
    page = get(http, server, preview_path("promotions", "welcome"))
    assert 'id="preview-conflict"' not in page

    def retitle(document: dict[str, Any]) -> None:
        welcome = next(p for p in document["promotions"] if p["id"] == "welcome")
        welcome["title"]["ko"] = "그 사이 게시된 환영 인사"

    publish_elsewhere(server, tmp_path / "retitled", retitle)
    page = get(http, server, preview_path("promotions", "welcome"))
    assert 'id="preview-conflict"' in page and "지금 게시하면 거절됩니다" in page
    drawn(http, server, "promotions", "welcome")


def test_unknown_items_and_picture_names_are_refused(server: ServerProcess) -> None:
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    get(http, server, preview_path("surveys", "no-such-survey"), status=404)
    get(http, server, preview_path("files", "media/promo-welcome.png"), status=404)
    get(http, server, f"/staff/content/previews/{'0' * 64}/portrait_100.png", status=404)
    get(http, server, f"/staff/content/previews/{'0' * 64}/manifest.png", status=404)


def test_without_the_kiosk_package_the_preview_says_so_in_korean(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The server's environment hides the kiosk package (a `kiosk` that cannot be imported comes
    first on PYTHONPATH): the server itself runs, and its preview subprocess cannot draw."""
    hidden = tmp_path_factory.mktemp("no-kiosk")
    (hidden / "kiosk").mkdir()
    (hidden / "kiosk" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'kiosk'\", name='kiosk')\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hidden), str(ROOT)])}
    running = authoring_server(tmp_path_factory.mktemp("no-kiosk-server"), env)
    try:
        http = signed_in_session(running, ADMIN)
        fresh_draft(http, running)
        get(http, running, preview_path("surveys", "2026-senior-digital"))
        part = drawn(http, running, "surveys", "2026-senior-digital")
        assert 'data-state="failed"' in part
        assert "키오스크 프로그램" in part and "설치되어 있지 않아" in part, part
        assert "게시는 그대로 할 수 있습니다" in part
        assert "preview.no_kiosk" in running.log_text()
        # 다시 그리기 asks the subprocess again (a failure is not kept as the answer).
        assert 'id="preview-again"' in part
        get(http, running, preview_path("surveys", "2026-senior-digital") + "&again=true")
        drawn(http, running, "surveys", "2026-senior-digital")
        assert running.log_text().count("preview.no_kiosk") == 2
    finally:
        running.stop()


def pictures_loaded(driver: Any) -> bool:
    """Every picture of the preview page is there and decoded (htmx swapped them in)."""
    sizes = driver.execute_script(
        "return [...document.querySelectorAll('.preview-picture img')]"
        ".map(i => i.complete ? [i.naturalWidth, i.naturalHeight] : [0, 0])"
    )
    return bool(sizes) and all(w > 0 for w, _h in sizes)


def test_the_preview_page_in_the_browser_shows_the_kiosks_pictures_when_they_are_drawn(
    server: ServerProcess, browser: Any
) -> None:
    """From the draft's list: 미리보기, the page says it is drawing, htmx swaps the pictures in
    by itself, and each picture is the kiosk's screen size; the page logs no error (CSP)."""
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    sign_in(browser, server, ADMIN, "/staff/content/draft")
    link = browser.find_element(By.ID, "preview-contests-2026-alley-photo")
    link.click()
    wait_for_next_page(browser, link)
    assert "키오스크 화면을 그리는 중" in text_of(browser)

    WebDriverWait(browser, DRAWN_WITHIN_S).until(pictures_loaded)
    for name, size in SIZES.items():
        picture = browser.find_element(By.ID, f"preview-{name}")
        natural = browser.execute_script(
            "return [arguments[0].naturalWidth, arguments[0].naturalHeight]", picture
        )
        assert tuple(natural) == size
        assert picture.is_displayed()
    assert "세로 화면 · 글자 아주 크게" in text_of(browser)
    assert page_errors(browser) == []


CHROMIUM_KOREAN = Path("/usr/lib/chromium/locales/ko.pak")  # Debian's chromium-l10n


def test_the_browsers_own_words_on_console_pages_are_korean(
    server: ServerProcess, browser: Any
) -> None:
    """The date pickers and the file button are drawn by the browser in its own language, not
    the page's: the test browser runs in Korean as a Korean office PC's does, and the pages say
    they are Korean. The browser's validation message stands for those words (the pickers'
    insides cannot be read from the page)."""
    if not CHROMIUM_KOREAN.is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium-l10n (./dev test does)")
        pytest.skip("no chromium-l10n: its Korean words are not installed")
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    sign_in(browser, server, ADMIN, "/staff/content/draft/media")
    assert browser.execute_script("return document.documentElement.lang") == "ko"
    assert browser.find_elements(By.CSS_SELECTOR, "input[type=file]")
    said = browser.execute_script(
        "const i = document.createElement('input'); i.required = true;"
        "return [i.validationMessage, navigator.language,"
        " Intl.DateTimeFormat().resolvedOptions().locale,"
        " getComputedStyle(document.querySelector('input[type=file]'),"
        " '::file-selector-button').fontFamily]"
    )
    message, language, locale, button_font = said
    assert re.search("[가-힣]", message), message
    assert language.startswith("ko") and locale == "ko", said
    assert "Pretendard GOV" in button_font  # the page's font has the Korean glyphs


def test_the_budget_preview_in_the_browser_shows_a_dongs_projects_and_the_vote_steps(
    server: ServerProcess, browser: Any
) -> None:
    """From the 주민참여예산 form's 미리보기: the four pictures of a dong's projects, then the
    vote page, 동 고르기 and the review, each captioned and each the kiosk's screen size."""
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    sign_in(browser, server, ADMIN, "/staff/content/draft/budget")
    link = browser.find_element(By.ID, "open-preview")
    link.click()
    wait_for_next_page(browser, link)
    assert "첫 동의 사업 목록" in text_of(browser)
    WebDriverWait(browser, DRAWN_WITHIN_S).until(pictures_loaded)
    captions = {
        "portrait_100": "세로 화면 · 글자 보통",
        "landscape_200": "가로 화면 · 글자 아주 크게",
        "step_1": "주민참여예산 첫 화면",
        "step_2": "동 고르기",
        "step_3": "고른 사업 확인 (투표 단계)",
    }
    for name, caption in captions.items():
        picture = browser.find_element(By.ID, f"preview-{name}")
        natural = browser.execute_script(
            "return [arguments[0].naturalWidth, arguments[0].naturalHeight]", picture
        )
        assert tuple(natural) == SIZES.get(name, (1080, 1920)) and picture.is_displayed()
        figure = picture.find_element(By.XPATH, "ancestor::figure")
        assert figure.find_element(By.TAG_NAME, "figcaption").text == caption
    assert "투표 단계 화면" in text_of(browser)
    assert page_errors(browser) == []
