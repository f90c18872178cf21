"""Issue 16's survey path end to end, as staff and a resident meet it: a 콘텐츠 담당 writes a
survey in the console's form in a real browser (headless chromium) against the real server
process, a question shown only after a 예 among them; 미리보기 draws it, and its picture is byte
for byte what the kiosk itself shows; it is published; a kiosk window enrolled to that server
(in this process, so that qtbot can tap it, with the app's real sync worker on its own thread)
offers it after its next sync; a resident answers by taps, the show-if question appearing after
the answer it waits for; the outbox drains to the server; and the console's 응답 표 for that
survey, read in the browser, holds the chosen option and the typed words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtWidgets import QApplication
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from contract.content import KST
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.shell import KioskWindow
from tests.console.conftest import add_account, page_errors
from tests.console.test_browser import (
    click_through,
    sign_in,
    text_of,
    type_into,
    wait_for_next_page,
)
from tests.console.test_content import DEMO, EDITOR
from tests.helpers.live_kiosk import live_kiosk, newest_version, quick_sync
from tests.helpers.resident import find, on, send_anonymously, tap_name, type_text
from tests.helpers.stubs import FakeMonotonic
from tests.server.process import ServerProcess, start_server

SURVEY = "alley-parking"
TITLE = "골목 주차 의견 조사"
KIOSK_NAME = "회현동 주민센터 2층 키오스크"
TYPED = "주차장"
# A heartbeat every second: the kiosk hears of a new version at its next one (production: 60 s).
TUNING = quick_sync(heartbeat_every_s=1.0)
DRAWN_WITHIN_S = 180
SYNCED_WITHIN_MS = 30_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """One server with the demo pack live and a 콘텐츠 담당's account."""
    running = start_server(tmp_path / "server")
    running.cli("publish", str(DEMO))
    add_account(running, EDITOR, tmp_path)
    yield running
    running.stop()


def write_question(browser: Any, n: int, kind: str, question_id: str, prompt: str) -> None:
    type_into(browser, f"q-{n}-id", question_id)
    Select(browser.find_element(By.ID, f"q-{n}-type")).select_by_value(kind)
    type_into(browser, f"q-{n}-prompt", prompt)


def write_the_survey(browser: Any) -> None:
    """The 새 설문 form, as an editor fills it: 문항 추가 shows one more question each time."""
    type_into(browser, "field-id", SURVEY)
    type_into(browser, "field-title_ko", TITLE)
    type_into(browser, "field-description_ko", "동네 골목 주차에 대한 생각을 알려 주세요.")
    # The form opens the survey from now to the end of today; it runs a month here (set as a
    # value: chromium's date picker takes keys in the machine's locale order).
    closes = (datetime.now(KST) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    field = browser.find_element(By.ID, "field-closes_at")
    browser.execute_script("arguments[0].value = arguments[1]", field, closes)
    write_question(browser, 0, "yes_no", "drive", "차를 쓰시나요?")
    click_through(browser, "add-question")
    write_question(browser, 1, "single_choice", "where", "어디에 주로 세우시나요?")
    type_into(browser, "q-1-options", "street=골목길\nlot=공영주차장\nhome=집 주차장")
    type_into(browser, "q-1-show_if_question", "drive")
    type_into(browser, "q-1-show_if_any_of", "yes")
    click_through(browser, "add-question")
    write_question(browser, 2, "short_text", "wish", "바라는 점을 적어 주세요.")
    click_through(browser, "save-survey")
    assert "새 항목을 초안에 넣었습니다" in text_of(browser), text_of(browser)[:2000]


def preview_picture(browser: Any, server: ServerProcess, name: str) -> bytes:
    """The picture `name` of the preview page once it is drawn (the page polls by itself),
    downloaded with the browser's signed-in session."""

    def drawn(driver: Any) -> bool:
        found = driver.find_elements(By.ID, f"preview-{name}")
        return bool(found) and bool(
            driver.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", found[0]
            )
        )

    WebDriverWait(browser, DRAWN_WITHIN_S, poll_frequency=0.5).until(drawn)
    src = browser.find_element(By.ID, f"preview-{name}").get_attribute("src")
    http = requests.Session()
    for cookie in browser.get_cookies():
        http.cookies.set(cookie["name"], cookie["value"], path=cookie.get("path", "/"))
    r = http.get(src, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    return r.content


def screenshot(browser: Any, path: Path) -> None:
    """The whole page, 1366 wide, for a person to look at (kept in the test's folder)."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1366, max(768, int(height) + 140))  # the window's own bars
    browser.save_screenshot(str(path))
    browser.set_window_size(1366, 768)


def png_of(window: KioskWindow) -> bytes:
    """The window as the kiosk draws it, encoded as `kiosk.preview` saves its pictures, once
    the layouts its last tap asked for are done (as `--render-screens` does: twice, since the
    first pass may show or hide the scroll buttons)."""
    QApplication.processEvents()
    QApplication.processEvents()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert window.grab().save(buffer, "PNG")
    return bytes(buffer.data().data())


def kiosk_pictures(qtbot: Any, kiosk: KioskWindow) -> tuple[bytes, bytes]:
    """The survey's first screen, and its show-if question after a 예, as the kiosk draws them
    on the content it synced: a second window on the kiosk's own context, reached by taps. It
    has no sync link, so its header lacks the "● 연결됨" line, a state of the device that a
    preview of content leaves out."""
    window = KioskWindow(kiosk.ctx, idle=IdleMonitor(60, 10, monotonic=FakeMonotonic()))
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    window.start()
    qtbot.waitExposed(window)
    try:
        tap_name(qtbot, window, "tile_surveys")
        tap_name(qtbot, window, f"survey_{SURVEY}")
        assert on(window) == "survey_intro"
        intro = png_of(window)
        tap_name(qtbot, window, "startButton")
        tap_name(qtbot, window, "choice_True")
        tap_name(qtbot, window, "flowNext")
        assert window.navigator.current.params["at"].key == "where"
        return intro, png_of(window)
    finally:
        window.close()


def write_preview_and_publish(
    browser: Any, server: ServerProcess, tmp_path: Path
) -> tuple[bytes, bytes]:
    """The editor's part in the browser: the survey into a new draft, its 미리보기 (the
    pictures of its first screen and of its show-if question returned), 게시 전 확인, 지금 게시."""
    sign_in(browser, server, EDITOR, "/staff/content")
    click_through(browser, "start-draft")
    browser.get(f"{server.url}/staff/content/draft/survey")
    write_the_survey(browser)
    assert TITLE in text_of(browser)
    # 미리보기 from the draft's list: the kiosk's renderer draws it in the server's subprocess.
    click_through(browser, f"preview-surveys-{SURVEY}")
    assert "키오스크 화면을 그리는 중" in text_of(browser)
    intro = preview_picture(browser, server, "portrait_100")
    shown_if = preview_picture(browser, server, "question_2")  # the show-if one, after its 예
    screenshot(browser, tmp_path / "content-preview-survey-1366.png")
    assert page_errors(browser) == []
    browser.get(f"{server.url}/staff/content/draft")
    click_through(browser, "open-diff")
    assert "추가" in text_of(browser) and TITLE in text_of(browser)
    click_through(browser, "publish-now")
    assert "게시했습니다" in text_of(browser)
    return intro, shown_if


def answer_by_taps(qtbot: Any, kiosk: KioskWindow) -> None:
    """A resident's taps from the home screen to the thanks screen; the show-if question
    comes only after its 예."""
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, f"survey_{SURVEY}")
    assert on(kiosk) == "survey_intro"
    tap_name(qtbot, kiosk, "startButton")
    assert kiosk.navigator.current.params["at"].key == "drive"
    assert find(kiosk, "progress").text() == "질문 1 / 2"  # 어디에 is not counted yet
    tap_name(qtbot, kiosk, "choice_True")
    tap_name(qtbot, kiosk, "flowNext")
    assert kiosk.navigator.current.params["at"].key == "where"
    assert find(kiosk, "progress").text() == "질문 2 / 3"
    tap_name(qtbot, kiosk, "choice_street")
    tap_name(qtbot, kiosk, "flowNext")
    assert kiosk.navigator.current.params["at"].key == "wish"
    type_text(qtbot, kiosk.current_screen.keyboard, TYPED)
    tap_name(qtbot, kiosk, "flowNext")  # the step's 다음 is the keyboard's one confirm
    assert on(kiosk) == "survey_review"
    send_anonymously(qtbot, kiosk)  # the survey earns points; this resident sends without
    assert on(kiosk) == "thanks"


def test_a_survey_written_previewed_and_published_in_the_console_is_answered_at_a_kiosk(
    qtbot: Any, server: ServerProcess, browser: Any, tmp_path: Path
) -> None:
    with live_kiosk(
        qtbot, server, tmp_path / "kiosk", name=KIOSK_NAME, dong="hoehyeon", tuning=TUNING
    ) as kiosk:
        before = kiosk.ctx.pack
        assert before is not None and before.survey(SURVEY) is None
        intro, shown_if = write_preview_and_publish(browser, server, tmp_path)
        published = newest_version(server)
        assert published != before.content_version

        # The kiosk has it after its next sync (a heartbeat names the new content).
        qtbot.waitUntil(
            lambda: kiosk.ctx.pack is not None and kiosk.ctx.pack.content_version == published,
            timeout=SYNCED_WITHIN_MS,
        )
        # The preview's pictures are the kiosk's own drawing of what it synced, byte for byte.
        assert kiosk_pictures(qtbot, kiosk) == (intro, shown_if)
        answer_by_taps(qtbot, kiosk)
        # The outbox drains to the server by the sync worker.
        qtbot.waitUntil(lambda: kiosk.ctx.outbox.pending() == [], timeout=SYNCED_WITHIN_MS)

    # The console's 응답 표 for the survey, read in the browser, holds the answer.
    browser.get(f"{server.url}/staff/responses")
    link = browser.find_element(By.CSS_SELECTOR, f"#survey-{SURVEY} a")
    link.click()
    wait_for_next_page(browser, link)
    [row] = browser.find_elements(By.CSS_SELECTOR, "table.answers tbody tr")
    assert KIOSK_NAME in row.text and "회현동" in row.text
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert cells[3:] == ["예", "골목길", TYPED], cells
    assert "집계 응답 1건" in text_of(browser)
    assert "앞 문항의 답에 따라 보인 문항" in browser.find_element(By.ID, "figure-where").text
    screenshot(browser, tmp_path / "responses-survey-1366.png")
    assert page_errors(browser) == []
