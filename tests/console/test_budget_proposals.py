"""주민참여예산 제안 → 검토 → 투표 through one real server process (SQLite).

The routes: budget proposals sent by a kiosk are in 제안 검토's own queue (not the policy
proposals'), a dong officer sees only their dong's and decides nothing, 반려 needs a reason,
채택 is taken once, 예산 초안에 넣기 puts a chosen one into the content draft as a project of its
dong's ballot (refused a second time), each decision audited; and the participation report (the
console's page and its CSV export) counts them as 주민참여예산 제안.

End to end (the last test): a resident proposes a project by taps on a real kiosk window; its
real sync worker sends it; staff choose it and put it into the draft through the console's
routes, move the budget from its proposal stage to its vote in the budget form, and publish; the
kiosk takes the new version at its next heartbeat and the resident votes for the project they
proposed, which the server counts.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import select

from contract.content import KST
from kiosk.ui.steps.screen import StepScreen
from server import drafts
from server.db.models import Submission
from server.moderation import proposal_id_for
from tests.console.conftest import ADMIN, DONG, Account, add_account, csrf_of, signed_in_session
from tests.console.test_content import form_as_opened, post_form
from tests.helpers.live_kiosk import live_kiosk, newest_version, quick_sync
from tests.helpers.resident import on, tap, tap_name, turn_to, type_text, words
from tests.server.civic import Kiosk, Resident, budget_proposal, publish_pack
from tests.server.process import ServerProcess, start_server
from tests.widget.test_ballot_flow import identify, press

EDITOR = Account("최콘텐", "content-pass-1234", "content")
NOW = datetime.now(UTC)
QUEUE = "/staff/proposals?kind=budget_proposal"
BUDGET_FORM = "/staff/content/draft/budget?key=budget"


def proposal_stage(manifest: dict[str, Any]) -> None:
    """The demo budget in its proposal stage: proposals taken now, the vote after them."""
    budget = manifest["budget"]
    budget["proposals_open_at"] = (NOW - timedelta(days=2)).isoformat()
    budget["proposals_close_at"] = (NOW + timedelta(days=2)).isoformat()
    budget["opens_at"] = (NOW + timedelta(days=3)).isoformat()
    budget["closes_at"] = (NOW + timedelta(days=30)).isoformat()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data_dir = tmp_path_factory.mktemp("budget-proposals")
    running = start_server(data_dir)
    for account in (ADMIN, DONG, EDITOR):
        add_account(running, account, data_dir)
    publish_pack(running, data_dir, change=proposal_stage)
    yield running
    running.stop()


def sent(kiosk: Kiosk, payload: dict[str, Any]) -> str:
    """A budget proposal sent with its proposer's seal; its page on the console."""
    item = kiosk.envelope("budget_proposal", payload, Resident())
    [result] = kiosk.send(item)
    assert result["status"] == "accepted", result
    return f"/staff/proposals/{kiosk.device.device_id}/{item['id']}"


def post(http: requests.Session, server: ServerProcess, path: str, **form: str) -> Any:
    token = csrf_of(http.get(f"{server.url}/staff/", timeout=10).text)
    return http.post(
        server.url + path, data={"csrf_token": token, **form}, allow_redirects=False, timeout=30
    )


def project_id(path: str) -> str:
    _, _, _, device_id, envelope_id = path.split("/")
    return proposal_id_for(device_id, uuid.UUID(envelope_id))


def draft_budget(server: ServerProcess) -> tuple[int, dict[str, Any]]:
    with server.database() as db:
        found = drafts.current(db)
    assert found is not None
    item = found.item("budget", "budget")
    assert item is not None
    return found.id, item.body


def ballot_of(budget: dict[str, Any], dong: str) -> dict[str, Any]:
    ballot: dict[str, Any] = next(b for b in budget["ballots"] if b["dong"] == dong)
    return ballot


def audit_actions(server: ServerProcess) -> list[str]:
    text = signed_in_session(server, ADMIN).get(f"{server.url}/staff/audit.csv", timeout=10).text
    return [row[3] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))][1:]


def discard_draft(http: requests.Session, server: ServerProcess) -> None:
    with server.database() as db:
        found = drafts.current(db)
    if found is not None:
        assert (
            post(http, server, "/staff/content/draft/discard", draft=str(found.id)).status_code
            == 303
        )


def test_budget_proposals_are_reviewed_chosen_or_refused_and_put_into_the_draft(
    server: ServerProcess,
) -> None:
    kiosk = Kiosk(server, name="회현동 주민센터 키오스크")
    hoehyeon = sent(kiosk, budget_proposal("hoehyeon", "회현동 계단 손잡이", 45_000_000))
    myeong = sent(kiosk, budget_proposal("myeong", "명동 골목 벤치"))
    # Without the proposer's seal: refused (the district takes proposals from its residents).
    unsealed = kiosk.send(
        kiosk.envelope("budget_proposal", budget_proposal("pil", "봉인 없는 제안"))
    )
    assert unsealed[0]["status"] != "accepted"

    admin = signed_in_session(server, ADMIN)
    queue = admin.get(server.url + QUEUE, timeout=10).text
    assert "회현동 계단 손잡이" in queue and "명동 골목 벤치" in queue
    assert "봉인 없는 제안" not in queue and "45,000,000원" in queue
    assert "회현동 계단 손잡이" not in admin.get(f"{server.url}/staff/proposals", timeout=10).text
    # The 회현동 officer sees 회현동's only, and decides nothing.
    officer = signed_in_session(server, DONG)
    theirs = officer.get(server.url + QUEUE, timeout=10).text
    assert "회현동 계단 손잡이" in theirs and "명동 골목 벤치" not in theirs
    assert officer.get(server.url + myeong, timeout=10).status_code == 404
    assert "/choose" not in officer.get(server.url + hoehyeon, timeout=10).text
    assert post(officer, server, hoehyeon + "/choose").status_code == 403

    editor = signed_in_session(server, EDITOR)
    no_reason = post(editor, server, myeong + "/refuse", reason=" ")
    assert no_reason.status_code == 400 and "반려하려면 사유를 적어 주세요." in no_reason.text
    assert (
        post(editor, server, myeong + "/refuse", reason="올해 이미 하는 사업입니다").status_code
        == 303
    )
    assert post(editor, server, hoehyeon + "/choose").status_code == 303
    assert post(editor, server, hoehyeon + "/choose").status_code == 409  # once
    page = editor.get(server.url + hoehyeon, timeout=10).text
    assert "✓ 채택" in page and "아직 넣지 않음" in page
    image = re.findall(r'<option value="([^"]+)"', page)[0]

    discard_draft(editor, server)
    assert post(editor, server, hoehyeon + "/to-budget", image=image).status_code == 303
    again = post(editor, server, hoehyeon + "/to-budget", image=image)
    assert again.status_code == 400 and "이미 예산 초안에 넣었습니다" in again.text
    _, budget = draft_budget(server)
    [added] = [
        p for p in ballot_of(budget, "hoehyeon")["projects"] if p["id"] == project_id(hoehyeon)
    ]
    assert added["title"] == {"ko": "회현동 계단 손잡이"} and added["cost_won"] == 45_000_000
    assert added["image"] == image and added["reviewed"] is True
    assert "장소: 회현동 계단 손잡이 자리" in added["description"]["ko"]
    refused_page = editor.get(server.url + myeong, timeout=10).text
    assert "✕ 반려" in refused_page and "올해 이미 하는 사업입니다" in refused_page

    actions = audit_actions(server)
    for action in ("budget_proposal.refuse", "budget_proposal.choose", "budget_proposal.to_draft"):
        assert action in actions, action
    discard_draft(editor, server)

    # Counted in the participation report, on the console and in its CSV export.
    report = admin.get(f"{server.url}/staff/reports", timeout=10).text
    pledge = re.search(r'<tr id="pledge-budget_proposals">(.*?)</tr>', report, re.S)
    assert pledge is not None and re.findall(r'<td class="n">([^<]+)<', pledge.group(1)) == ["2"]
    assert '<th scope="col" class="n">주민참여예산 제안</th>' in report
    exported = server.cli("report").stdout
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    column = rows[0].index("주민참여예산 제안")
    [total] = [r for r in rows if r[0] == "합계"]
    assert int(total[column]) == 2
    [hoehyeon_row] = [r for r in rows if r[0] == "동" and r[1] == "회현동"]
    assert int(hoehyeon_row[column]) == 1


def test_the_budget_form_edits_the_proposal_window_and_refuses_a_bad_one_beside_it(
    server: ServerProcess,
) -> None:
    editor = signed_in_session(server, EDITOR)
    discard_draft(editor, server)
    assert post(editor, server, "/staff/content/draft").status_code == 303
    form = form_as_opened(editor, server, BUDGET_FORM)
    shown = datetime.fromisoformat(form["proposals_close_at"]).replace(tzinfo=KST)
    assert abs(shown - (NOW + timedelta(days=2))) < timedelta(minutes=1)

    late = {**form, "proposals_close_at": form["closes_at"], "do": "save"}
    refused = post_form(editor, server, BUDGET_FORM, late)
    half = post_form(editor, server, BUDGET_FORM, {**form, "proposals_open_at": "", "do": "save"})
    cleared = {**form, "proposals_open_at": "", "proposals_close_at": "", "do": "save"}
    saved = post_form(editor, server, BUDGET_FORM, cleared)

    assert refused.status_code == 400
    beside = re.findall(r'id="error-proposals_close_at">([^<]+)<', refused.text)
    assert beside and "주민 제안 접수는 투표 시작(opens_at) 전에 끝나야 합니다" in beside[0]
    assert half.status_code == 400 and "함께 적거나 둘 다 비워야 합니다" in half.text
    assert saved.status_code == 303
    _, budget = draft_budget(server)
    assert "proposals_open_at" not in budget and "proposals_close_at" not in budget
    discard_draft(editor, server)


def keyboard_of(window: Any) -> Any:
    screen = window.current_screen
    assert isinstance(screen, StepScreen) and screen.keyboard is not None
    return screen.keyboard


def test_a_proposal_from_the_kiosk_is_chosen_published_and_voted_on_at_the_kiosk(
    qtbot: Any, server: ServerProcess, tmp_path: Any
) -> None:
    with live_kiosk(
        qtbot,
        server,
        tmp_path / "kiosk",
        name="회현동 주민센터 1층",
        dong="hoehyeon",
        tuning=quick_sync(heartbeat_every_s=1.0),
    ) as window:
        # A resident proposes, by taps.
        tap_name(qtbot, window, "tile_budget")
        tap_name(qtbot, window, "proposeProjectButton")
        assert on(window) == "budget_proposal_dong"
        tap_name(qtbot, window, "dong_hoehyeon")
        tap_name(qtbot, window, "flowNext")
        for text in ("계단 손잡이", "회현역 계단", "계단이 가팔라 넘어질까 무섭습니다"):
            type_text(qtbot, keyboard_of(window), text)
            tap_name(qtbot, window, "flowNext")
        press(qtbot, window, "2500")
        tap_name(qtbot, window, "flowNext")
        assert on(window) == "budget_proposal_review"
        tap_name(qtbot, window, "submitButton")
        identify(qtbot, window)
        assert on(window) == "thanks"
        tap_name(qtbot, window, "thanksHome")  # the thank-you's one way on
        qtbot.waitUntil(lambda: window.ctx.outbox.pending() == [], timeout=20_000)

        # Staff choose it and put it into the draft, move the budget to its vote, publish.
        editor = signed_in_session(server, EDITOR)
        queue = editor.get(server.url + QUEUE, timeout=10).text
        [path] = re.findall(r'href="(/staff/proposals/[^"]+)">계단 손잡이<', queue)
        assert post(editor, server, path + "/choose").status_code == 303
        page = editor.get(server.url + path, timeout=10).text
        image = re.findall(r'<option value="([^"]+)"', page)[0]
        discard_draft(editor, server)
        assert post(editor, server, path + "/to-budget", image=image).status_code == 303
        draft, _ = draft_budget(server)
        form = form_as_opened(editor, server, BUDGET_FORM)
        now = datetime.now(KST)
        moved = {
            "proposals_open_at": (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "proposals_close_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        }
        saved = post_form(editor, server, BUDGET_FORM, {**form, **moved, "do": "save"})
        assert saved.status_code == 303, re.findall(r"field-error[^<]*<", saved.text)
        before = newest_version(server)
        assert (
            post(editor, server, "/staff/content/draft/publish", draft=str(draft)).status_code
            == 303
        )
        version = newest_version(server)
        assert version != before

        # The kiosk takes the new version; the resident votes for the project proposed.
        qtbot.waitUntil(
            lambda: window.ctx.pack is not None and window.ctx.pack.content_version == version,
            timeout=20_000,
        )
        tap(qtbot, window.home_button)
        tap_name(qtbot, window, "tile_budget")
        assert "사업 제안하기" not in words(window)
        tap_name(qtbot, window, "voteButton")
        tap_name(qtbot, window, "dong_hoehyeon")
        chosen = f"project_{project_id(path)}"
        turn_to(qtbot, window, chosen)
        tap_name(qtbot, window, chosen)
        assert "2,500만원" in words(window)
        tap_name(qtbot, window, "flowNext")
        assert on(window) == "budget_review"
        tap_name(qtbot, window, "submitButton")
        identify(qtbot, window)
        assert on(window) == "thanks"
        qtbot.waitUntil(lambda: window.ctx.outbox.pending() == [], timeout=20_000)

    with server.database() as db, db.read() as session:
        ballots = session.scalars(select(Submission).where(Submission.kind == "ballot")).all()
        proposals = session.scalars(
            select(Submission).where(Submission.kind == "budget_proposal")
        ).all()
    voted = [json.loads(b.body)["payload"] for b in ballots if b.counted]
    assert [v["project_ids"] for v in voted] == [[project_id(path)]]
    # Nothing of the resident in clear: the stored proposal holds no phone number.
    assert proposals and all("01012345678" not in p.body for p in proposals)
