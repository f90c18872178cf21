"""Render every console page in the real browser at 1366×768 and 1920×1080, for a person to
look at: ``python -m tests.console.render out/console``.

It starts a server on a fresh data folder, adds staff, enrols devices (one with a heartbeat and
pending envelopes, one waiting for approval, one silent past the offline limit, one revoked),
new proposals in every state of 제안 검토, survey answers and contest entries (참여 내용), a year
of participation, a week of proof of play from six boards and kiosks, and coached sessions
(보고서), and saves a full-page PNG of each page per size.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.console.conftest import ADMIN, VIEWER, add_account, new_browser, signed_in_session
from tests.console.test_browser import wait_for_next_page
from tests.server.process import ServerProcess, start_server

SIZES = ((1366, 768), (1920, 1080))


def _beat(server: ServerProcess, headers: dict[str, str], **fields: Any) -> None:
    body = {
        "app_version": "0.9.1",
        "content_version": "2026.11.25-demo",
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 3600.0,
        **fields,
    }
    requests.post(f"{server.api}/devices/heartbeat", json=body, headers=headers, timeout=10)


def _fleet(server: ServerProcess) -> None:
    http = signed_in_session(server, ADMIN)
    busy = server.enroll(name="회현동 주민센터 1층 키오스크", approve=False)
    _beat(
        server,
        busy.headers,
        dong="hoehyeon",
        queue_depth=12,
        oldest_pending_s=5400.0,
        last_error="서버에 연결할 수 없습니다 (시간 초과)",
    )
    board = server.enroll(name="명동 주민센터 로비 전광판", mode="board", approve=False)
    _beat(server, board.headers, mode="board")
    server.enroll(name="을지로동 주민센터 키오스크", approve=False)
    gone = server.enroll(name="소공동 임시 키오스크", approve=False)
    from tests.console.conftest import csrf_of

    token = csrf_of(http.get(f"{server.url}/staff/devices", timeout=10).text)
    for device in (busy, board, gone):
        http.post(
            f"{server.url}/staff/devices/{device.device_id}/approve",
            data={"csrf_token": token},
            timeout=10,
        )
    http.post(
        f"{server.url}/staff/devices/{gone.device_id}/revoke",
        data={"csrf_token": token},
        timeout=10,
    )
    _calls(server, http, busy)


def _calls(server: ServerProcess, http: requests.Session, busy: Any) -> None:
    """직원 호출: one waiting for 4 minutes, called twice; one acknowledged (가는 중)."""
    from datetime import UTC, datetime, timedelta

    from tests.console.conftest import csrf_of
    from tests.server.conftest import envelope

    def call(device: Any, seq: int, screen: str, ago: timedelta) -> None:
        item = envelope(
            seq,
            kind="staff_call",
            content_version=None,
            payload={"screen": screen},
            created_at=(datetime.now(UTC) - ago).isoformat(),
        )
        requests.post(
            f"{server.api}/submissions/batch", json={"items": [item]}, headers=device.headers,
            timeout=10,
        )  # fmt: skip

    call(busy, 1, "survey_question", timedelta(minutes=4, seconds=10))
    call(busy, 2, "survey_question", timedelta(minutes=1))
    second = server.enroll(name="회현동 주민센터 2층 키오스크")
    _beat(server, second.headers, dong="hoehyeon")
    call(second, 1, "budget_projects", timedelta(seconds=95))
    page = http.get(f"{server.url}/staff/calls", timeout=10).text
    newest = max(int(part.split('"', 1)[0]) for part in page.split('id="call-')[1:])
    http.post(
        f"{server.url}/staff/calls/{newest}/acknowledge",
        data={"csrf_token": csrf_of(page)},
        timeout=10,
    )


PROPOSALS = (
    # (dong, topic, title, body, hours ago, decision, reason or answer)
    ("hoehyeon", "safety", "회현동 계단길에 밤 조명을 달아 주세요",
     "남산 아래 계단길이 밤이면 너무 어둡습니다. 어르신들이 자주 넘어지십니다. 계단 양옆에 "
     "낮은 조명을 달아 주시면 좋겠습니다.", 50, "published",
     "안전총괄과에서 현장을 살펴보았습니다. 2027년 1월까지 조명 8개를 설치하겠습니다."),
    ("sindang", "welfare", "경로당에 무료 와이파이를 놓아 주세요",
     "신당동 경로당에서 키오스크 배우기를 하는데 인터넷이 안 되어 휴대전화 연습을 못 합니다.",
     46, "published", None),
    ("myeong", "culture", "명동 거리 공연 안내판을 세워 주세요",
     "거리 공연이 많은데 언제 어디서 하는지 알 수 없습니다. 안내판 하나면 충분합니다.",
     40, "published", "문화체육과가 3월부터 명동 입구에 공연 안내판을 운영합니다."),
    ("hwanghak", "environment", "옆집 ○○○ 씨 쓰레기 무단투기",
     "옆집 ○○○ 씨가 밤마다 쓰레기를 골목에 버립니다. 이름을 적으니 단속해 주세요.",
     30, "refused", "특정인의 이름이 들어 있어 게시할 수 없습니다. 민원으로 안내했습니다."),
    ("jungnim", "transport", "ㅁㄴㅇㄹ",
     "연습으로 눌러 본 것 같습니다 ㅁㄴㅇㄹ ㅁㄴㅇㄹ ㅁㄴㅇㄹ ㅁㄴㅇㄹ ㅁㄴㅇㄹ",
     26, "refused", "내용이 없는 제안이라 반려합니다."),
    ("sindang", "transport", "신당역 6번 출구에 엘리베이터가 필요합니다",
     "휠체어와 유모차가 6번 출구 계단을 오를 수 없습니다. 역과 구청이 함께 엘리베이터를 "
     "놓아 주시면 좋겠습니다. 매일 지나다니는 주민으로서 간절히 부탁드립니다.", 20, None, None),
    ("hoehyeon", "economy", "회현시장 주차장 안내를 크게 해 주세요",
     "시장 손님들이 주차장을 못 찾아 골목이 막힙니다. 큰 안내판과 바닥 화살표를 부탁드립니다.",
     9, None, None),
    ("euljiro", "education", "을지로 주민센터에 저녁 컴퓨터 교실을 열어 주세요",
     "일하는 사람은 낮 교실에 갈 수 없습니다. 저녁 7시 교실이 있으면 좋겠습니다.", 4, None, None),
    ("pil", "safety", "필동 골목 CCTV가 고장 났습니다",
     "필동 2가 골목 CCTV 불빛이 몇 주째 꺼져 있습니다. 확인 부탁드립니다.", 1, None, None),
)  # fmt: skip


def _proposals(server: ServerProcess, data: Path) -> str:
    """제안 검토: new proposals in every state (waiting, published with and without an answer,
    refused with a reason); the path of one still waiting."""
    from datetime import UTC, datetime, timedelta

    from tests.console.conftest import csrf_of
    from tests.server.civic import Kiosk, Resident, publish_pack

    publish_pack(server, data)
    kiosks = [
        Kiosk(server, name=n) for n in ("신당동 주민센터 키오스크", "회현동 주민센터 1층 키오스크")
    ]
    http = signed_in_session(server, ADMIN)
    token = csrf_of(http.get(f"{server.url}/staff/", timeout=10).text)
    waiting = ""
    for n, (dong, topic, title, body, hours, decision, words) in enumerate(PROPOSALS):
        kiosk = kiosks[n % 2]
        when = datetime.now(UTC) - timedelta(hours=hours)
        payload = {"title": title, "body": body, "dong": dong, "topic": topic}
        item = kiosk.envelope("proposal", payload, Resident(), created_at=when.isoformat())
        kiosk.send(item)
        path = f"/staff/proposals/{kiosk.device.device_id}/{item['id']}"
        if decision == "published":
            form = {"csrf_token": token, "answer": words or ""}
            http.post(f"{server.url}{path}/publish", data=form, timeout=30)
        elif decision == "refused":
            form = {"csrf_token": token, "reason": words or ""}
            http.post(f"{server.url}{path}/refuse", data=form, timeout=30)
        elif not waiting:
            waiting = path
    return waiting


BUDGET_PROPOSALS = (
    # dong, title, place, why, cost in won, decision
    (
        "hoehyeon",
        "회현역 계단 손잡이",
        "회현역 5번 출구 계단",
        "계단이 가팔라 어르신들이 넘어질까 무섭습니다.",
        25_000_000,
        "",
    ),
    (
        "hoehyeon",
        "골목 쉼터 의자",
        "남산 오르막 골목",
        "시장 가는 길에 쉴 곳이 없습니다.",
        8_000_000,
        "chosen",
    ),
    (
        "myeong",
        "명동 밤길 조명",
        "명동성당 뒤 골목",
        "밤에 어두워 다니기 무섭습니다.",
        40_000_000,
        "refused",
    ),
)


def _budget_proposals(server: ServerProcess) -> tuple[str, str]:
    """주민참여예산 제안 검토: budget proposals waiting, chosen and refused; the paths of the
    waiting one and of the chosen one (its 예산 초안에 넣기 form)."""
    from tests.console.conftest import csrf_of
    from tests.server.civic import Kiosk, Resident

    kiosk = Kiosk(server, name="회현동 주민센터 1층 키오스크")
    http = signed_in_session(server, ADMIN)
    token = csrf_of(http.get(f"{server.url}/staff/", timeout=10).text)
    paths = {}
    for dong, title, place, why, cost, decision in BUDGET_PROPOSALS:
        payload = {
            "vote_id": "2027-pb",
            "dong": dong,
            "title": title,
            "place": place,
            "why": why,
            "cost_won": cost,
        }
        item = kiosk.envelope("budget_proposal", payload, Resident())
        kiosk.send(item)
        path = f"/staff/proposals/{kiosk.device.device_id}/{item['id']}"
        if decision == "chosen":
            http.post(f"{server.url}{path}/choose", data={"csrf_token": token}, timeout=30)
        elif decision == "refused":
            form = {"csrf_token": token, "reason": "올해 이미 하는 사업입니다."}
            http.post(f"{server.url}{path}/refuse", data=form, timeout=30)
        paths[decision] = path
    return paths[""], paths["chosen"]


SURVEY_TEXTS = (
    "기차표 예매",
    "병원 예약 앱 쓰는 법",
    "손주와 영상통화",
    "카카오톡으로 사진 보내기",
    "버스 도착 시간 보기",
    "은행 앱으로 이체하기",
)
WISHES = (
    "글씨를 크게 해서 천천히 알려 주면 좋겠습니다.",
    "주민센터에서 토요일에도 교육을 해 주세요.",
    "같은 것을 여러 번 물어봐도 괜찮은 분위기면 좋겠어요.",
    '=HYPERLINK("http://example.invalid","클릭")',
)


def _responses(server: ServerProcess, data: Path) -> None:
    """참여 내용: the demo pack, ~30 answers to the digital survey from three kiosks (one a
    practice answer), a few quiz answers, contest entries and votes, agrees and ballots."""
    import random

    from tests.server.civic import Kiosk, Resident, agree, ballot, publish_pack

    rng = random.Random(15)
    manifest = publish_pack(server, data / "packs")
    kiosks = []
    for name, dong in (
        ("회현동 주민센터 1층 키오스크", "hoehyeon"),
        ("명동 주민센터 로비 키오스크", "myeong"),
        ("신당동 복지관 키오스크", "sindang"),
    ):
        kiosk = Kiosk(server, name)
        _beat(server, kiosk.device.headers, dong=dong)
        kiosks.append(kiosk)
    batches: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(kiosks))}
    for n in range(31):
        which = rng.choice((0, 0, 1, 2))
        smartphone = rng.random() < 0.7
        answers: dict[str, Any] = {
            "age": rng.choice(("60s", "70s", "70s", "80plus", "under60")),
            "smartphone": smartphone,
            "class_satisfaction": rng.choice((2, 3, 4, 4, 5, 5)),
        }
        if smartphone:
            answers["uses"] = rng.sample(["calls", "kakao", "photos", "news", "maps"], 2)
        else:
            answers["why_not"] = rng.choice(("hard", "hard", "eyesight", "cost"))
        if rng.random() < 0.6:
            answers["want_to_learn"] = rng.choice(SURVEY_TEXTS)
        if rng.random() < 0.3 or n == 7:
            answers["wishes"] = WISHES[3] if n == 7 else rng.choice(WISHES[:3])
        batches[which].append(
            kiosks[which].envelope(
                "survey_response",
                {"survey_id": "2026-senior-digital", "answers": answers},
                practice=n == 30,
            )
        )
    for _ in range(6):
        batches[1].append(
            kiosks[1].envelope(
                "survey_response",
                {
                    "survey_id": "2026-quiz-ontong",
                    "answers": {
                        "threshold": rng.choice(("n100", "n100", "n50")),
                        "exchange": rng.random() < 0.8,
                        "what_you_can_do": ["survey", "proposal", "budget"],
                    },
                },
            )
        )
    entries = (
        ("우리 골목 계단의 봄", "회현동 계단길에 벚꽃이 피면 동네 어르신들이 모여 앉습니다."),
        ("남산 아래 빨래터", "어릴 적 어머니와 빨래하던 자리가 지금은 작은 쉼터가 되었습니다."),
        ("신당동 떡볶이 골목의 밤", "가게 불빛이 하나둘 켜지는 저녁 골목을 찍었습니다."),
    )
    for i, (title, text) in enumerate(entries):
        batches[i].append(
            kiosks[i].envelope(
                "contest_entry", {"contest_id": "2026-alley-photo", "title": title, "text": text}
            )
        )
    for i in range(14):
        picked = rng.sample(["sunset", "market", "stepping_stones", "ginkgo", "spring_stairs"], 2)
        batches[i % 3].append(
            kiosks[i % 3].envelope(
                "contest_vote", {"contest_id": "2026-alley-photo", "entry_ids": picked}
            )
        )
    for i in range(12):
        resident, kiosk = Resident(), kiosks[i % 3]
        proposal = rng.choice([p["id"] for p in manifest["proposals"]][:4])
        batches[i % 3].append(kiosk.envelope("proposal_agree", agree(proposal), resident))
        dong = ("hoehyeon", "myeong", "sindang")[i % 3]
        projects = next(b for b in manifest["budget"]["ballots"] if b["dong"] == dong)["projects"]
        choice = rng.choice([p["id"] for p in projects if p.get("reviewed", True)])
        batches[i % 3].append(kiosk.envelope("ballot", ballot(dong, choice), resident))
    for i, items in batches.items():
        kiosks[i].send(*items)


def _reports(server: ServerProcess, tmp: Path) -> None:
    """보고서: a year of participation, a week of proof of play, coached sessions."""
    import random
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from tests.server.civic import Kiosk, Resident, agree, ballot, new_proposal, publish_pack

    kst = ZoneInfo("Asia/Seoul")
    now = datetime.now(UTC)
    year = now.astimezone(kst).year
    new_year = datetime(year, 1, 1, tzinfo=kst)

    def whole_year(manifest: dict[str, Any]) -> None:
        for item in [*manifest["surveys"], *manifest["contests"], manifest["budget"]]:
            item["opens_at"] = new_year.isoformat()
            item["closes_at"] = datetime(year + 1, 2, 1, tzinfo=kst).isoformat()

    manifest = publish_pack(server, tmp / "packs", change=whole_year)
    rng = random.Random(15)
    places = [
        ("회현동 주민센터 1층 키오스크", "hoehyeon", "kiosk"),
        ("명동 주민센터 키오스크", "myeong", "kiosk"),
        ("신당동 주민센터 키오스크", "sindang", "kiosk"),
        ("회현동 주민센터 로비 전광판", "hoehyeon", "board"),
        ("명동 주민센터 전광판", "myeong", "board"),
        ("중구청 민원실 전광판", "sogong", "board"),
    ]
    devices = []
    for name, dong, mode in places:
        device = Kiosk(server, name, mode=mode)
        _beat(server, device.device.headers, dong=dong, mode=mode)
        devices.append((device, dong, mode))
    months = max(1, now.astimezone(kst).month)

    def when() -> str:
        month = rng.randint(1, months)
        day = datetime(year, month, rng.randint(1, 28), rng.randint(9, 17), tzinfo=kst)
        return min(day, now - timedelta(hours=1)).isoformat()

    surveys = [s["id"] for s in manifest["surveys"]]
    proposals = ["crosswalk-sindang", "busking-myeong", "bus-cheonggu", "speed-bump-dasan"]
    for device, dong, _ in devices[:3]:
        items = [
            device.envelope("proposal", new_proposal(dong), created_at=when())
            for _ in range(rng.randint(3, 6))
        ]
        items += [
            device.envelope(
                "survey_response",
                {"survey_id": rng.choice(surveys), "answers": {"age": "70s"}},
                created_at=when(),
            )
            for _ in range(rng.randint(25, 40))
        ]
        items += [
            device.envelope("proposal_agree", agree(rng.choice(proposals)), Resident())
            for _ in range(rng.randint(8, 14))
        ]
        items += [
            device.envelope("ballot", ballot("sogong", "sogong-benches"), Resident())
            for _ in range(rng.randint(4, 8))
        ]
        items.append(device.envelope("proposal", new_proposal(dong), practice=True))
        device.send(*items)
    promotions = [p["id"] for p in manifest["promotions"]][:6]
    today = now.astimezone(kst).date()
    for device, _, mode in devices:
        items = []
        for back in range(1, 8):
            day = today - timedelta(days=back)
            for at in range(9, 21):
                start = datetime(day.year, day.month, day.day, at, tzinfo=kst)
                shown = rng.sample(promotions, 4)
                payload = {
                    "hour_start": start.astimezone(UTC).isoformat(),
                    "mode": mode,
                    "items": [
                        {"item_id": i, "count": (n := rng.randint(4, 9)), "seconds": n * 10.0}
                        for i in shown
                    ],
                }
                items.append(device.envelope("play_stats", payload))
        device.send(*items)
    lessons = [(x["id"], [s["id"] for s in x["steps"]]) for x in manifest["lessons"]]
    for code, device in (("1001", devices[0][0]), ("1002", devices[1][0]), ("1003", devices[2][0])):
        items = []
        for _ in range(rng.randint(3, 7)):
            ended = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 5))
            minutes = rng.randint(20, 90)
            done = rng.sample(lessons, 2)
            items.append(
                device.envelope(
                    "coach_session",
                    {
                        "coach_code": code,
                        "started_at": max(ended - timedelta(minutes=minutes), new_year).isoformat(),
                        "ended_at": ended.isoformat(),
                        "ended_by": "coach",
                        "residents_taught": (taught := rng.randint(1, 4)),
                        "visits": taught,
                        "practice_submissions": rng.randint(0, 6),
                        "lessons_completed": [
                            {"lesson_id": lesson, "stage": stage}
                            for lesson, _ in done
                            for stage in rng.sample(["watch", "follow", "alone", "real"], 3)
                        ],
                        "steps": [
                            {
                                "lesson_id": lesson,
                                "step_id": step,
                                "attempts": rng.randint(1, 5),
                                "seconds": rng.uniform(5, 60),
                                "wrong_taps": rng.randint(0, 6),
                            }
                            for lesson, steps in done
                            for step in steps
                        ],
                    },
                )
            )
        device.send(*items)


def _points(server: ServerProcess, tmp: Path) -> None:
    """포인트: residents who earned points at two 회현동 kiosks and asked for exchanges, waiting
    for minutes to a day; one handed over (지급 완료) and one refused (반려), both of the first
    resident, whose ledger the counter look-up shows."""
    from datetime import UTC, date, datetime, timedelta

    from server.db.models import PointExchange
    from tests.console.conftest import DONG, csrf_of
    from tests.server.civic import Kiosk, Resident, new_proposal, publish_pack, survey

    publish_pack(server, tmp)
    add_account(server, DONG, tmp)
    first = Kiosk(server, name="회현동 주민센터 1층 포인트 키오스크")
    second = Kiosk(server, name="회현동 경로당 키오스크")
    for kiosk in (first, second):
        _beat(server, kiosk.device.headers, dong="hoehyeon")
    shown = Resident(phone="01024681357", birth=date(1949, 11, 2))
    asks = [(first, shown, 30_000, [10_000, 10_000, 10_000])]
    asks += [(second, Resident(), 20_000, [20_000]), (first, Resident(), 12_000, [10_000])]
    asks += [(second, Resident(), 10_000, [10_000]), (first, Resident(), 30_000, [30_000])]
    for kiosk, resident, earned, spends in asks:
        items = [
            kiosk.envelope("proposal", new_proposal("hoehyeon"), resident)
            for _ in range(earned // 2_000)
        ]
        items.append(kiosk.envelope("survey_response", survey(), resident))
        kiosk.send(*items)
        for points in spends:
            kiosk.send_one("points_exchange", {"points": points}, resident)
    waits = [timedelta(hours=30), timedelta(hours=27), timedelta(hours=3, minutes=12)]
    waits += [timedelta(minutes=48)]
    waits += [timedelta(minutes=9), timedelta(minutes=2), timedelta(seconds=40)]
    with server.database() as db, db.write() as session:
        for x, wait in zip(
            session.query(PointExchange).order_by(PointExchange.id), waits, strict=False
        ):
            x.requested_at = datetime.now(UTC) - wait
    http = signed_in_session(server, DONG)
    page = http.get(f"{server.url}/staff/points", timeout=10).text
    ids = sorted(int(part.split('"', 1)[0]) for part in page.split('id="exchange-')[1:])
    token = csrf_of(page)
    http.post(
        f"{server.url}/staff/points/exchanges/{ids[0]}/fulfil",
        data={"csrf_token": token, "certificate": "JG-2026-004127"},
        timeout=10,
    )
    http.post(
        f"{server.url}/staff/points/exchanges/{ids[1]}/refuse",
        data={"csrf_token": token, "reason": "주민이 방문해 신청을 취소함"},
        timeout=10,
    )


COACHES = (
    ("1001", "김영희", "active"),
    ("1002", "이순자", "revoked"),
    ("1003", "박정호", "reset"),
    ("1004", "최미경", "active"),
    ("1005", "정우성", "active"),
    ("1006", "한가람", "revoked"),
    ("1007", "오세진", "active"),
)


def _coaches(server: ServerProcess, data: Path) -> None:
    """코치: the district's digital coaches, added on the console by the admin (one on the
    command line), two of them revoked and one given a new PIN."""
    from tests.console.conftest import csrf_of

    http = signed_in_session(server, ADMIN)
    for code, name, state in COACHES:
        token = csrf_of(http.get(f"{server.url}/staff/coaches", timeout=10).text)
        pin = f"{int(code) * 7 % 10000:04d}"
        if code == "1005":
            pin_file = data / "coach-pin"
            pin_file.write_text(pin + "\n", encoding="utf-8")
            server.cli("coach", "add", code, name, "--pin-file", str(pin_file))
        else:
            http.post(
                f"{server.url}/staff/coaches",
                data={"csrf_token": token, "code": code, "name": name, "pin": pin,
                      "pin_again": pin},
                timeout=30,
            )  # fmt: skip
        if state == "revoked":
            http.post(
                f"{server.url}/staff/coaches/{code}/revoke", data={"csrf_token": token}, timeout=10
            )
        elif state == "reset":
            http.post(
                f"{server.url}/staff/coaches/{code}/reset-pin",
                data={"csrf_token": token, "generate_pin": "yes"},
                timeout=30,
            )


def _groups(server: ServerProcess) -> None:
    """기기 묶음: two groups made on the console by the admin, the first with two devices."""
    from tests.console.conftest import csrf_of

    http = signed_in_session(server, ADMIN)
    token = csrf_of(http.get(f"{server.url}/staff/groups", timeout=10).text)
    for key, name in (
        ("sindang-apt-boards", "신당동 공동주택 보드"),
        ("dong-kiosks", "동주민센터 키오스크"),
    ):
        http.post(
            f"{server.url}/staff/groups",
            data={"csrf_token": token, "key": key, "name": name},
            timeout=10,
        )
    lobby = server.enroll(name="신당 래미안 101동 로비 전광판", mode="board")
    _beat(server, lobby.headers, mode="board", dong="sindang")
    second = server.enroll(name="신당 래미안 105동 로비 전광판", mode="board")
    http.post(
        f"{server.url}/staff/groups/sindang-apt-boards",
        data=[
            ("csrf_token", token),
            ("name", "신당동 공동주택 보드"),
            ("devices", lobby.device_id),
            ("devices", second.device_id),
        ],
        timeout=10,
    )


def _emergency(server: ServerProcess) -> None:
    """긴급 공지: one for every device in force, one for 신당동 in force, one cleared."""
    from tests.console.conftest import csrf_of

    http = signed_in_session(server, ADMIN)
    notices = (
        ("지진 발생. 엘리베이터를 쓰지 말고 계단으로 대피하세요.", "danger", "", False),
        ("신당동 단수: 오후 2시부터 4시까지 물이 나오지 않습니다.", "warning", "sindang", False),
        ("한파 경보: 외출을 줄이고 따뜻하게 입으세요.", "warning", "", True),
    )
    for text, level, dong, cleared in notices:
        token = csrf_of(http.get(f"{server.url}/staff/emergency", timeout=10).text)
        form = {"text": text, "level": level, "dong": dong, "hours": "3", "csrf_token": token}
        http.post(f"{server.url}/staff/emergency", data=form, timeout=10)
        if cleared:
            page = http.get(f"{server.url}/staff/emergency", timeout=10).text
            newest = max(int(i) for i in re.findall(r'id="clear-(\d+)"', page))
            token = csrf_of(page)
            http.post(
                f"{server.url}/staff/emergency/{newest}/clear",
                data={"csrf_token": token},
                timeout=10,
            )


def _held(server: ServerProcess) -> None:
    """보류된 제출: a kiosk set up at 황학동 that staff have not approved yet, where residents
    agreed with proposals and answered a survey."""
    from tests.server.civic import Kiosk, Resident, agree

    waiting = Kiosk(server, "황학동 주민센터 새 키오스크", approve=False)
    _beat(server, waiting.device.headers, dong="hwanghak")
    items = [
        waiting.envelope("proposal_agree", agree("crosswalk-sindang"), Resident()) for _ in range(3)
    ]
    items.append(
        waiting.envelope(
            "survey_response",
            {"survey_id": "2026-senior-digital", "answers": {"age": "70s", "smartphone": False}},
        )
    )
    waiting.send(*items)


CONTENT_ITEM = "/staff/content/draft/item?section=promotions&key=cold-wave-2026-11"


def _draft_save(http: requests.Session, server: ServerProcess, key: str, **fields: str) -> None:
    """Save a promotion of the open draft as the item form does, from its current revision."""
    import html
    import re

    from tests.console.conftest import csrf_of

    item = http.get(
        f"{server.url}/staff/content/draft/item?section=promotions&key={key}", timeout=10
    ).text
    found = re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', item)
    found += re.findall(r'<textarea name="([a-z_]+)"[^>]*>([^<]*)</textarea>', item)
    form = {name: html.unescape(value) for name, value in found}
    form.update(fields, csrf_token=csrf_of(item))
    http.post(f"{server.url}/staff/content/draft/item", data=form, timeout=30)


def _content(server: ServerProcess) -> None:
    """콘텐츠: two versions (a draft published), then an open draft with a notice changed and a
    survey taken out."""
    from tests.console.conftest import csrf_of

    http = signed_in_session(server, ADMIN)

    def post(path: str, **form: str) -> None:
        token = csrf_of(http.get(f"{server.url}/staff/content", timeout=10).text)
        http.post(f"{server.url}{path}", data={"csrf_token": token, **form}, timeout=30)

    def draft() -> str:
        page = http.get(f"{server.url}/staff/content/draft", timeout=10).text
        return page.split('name="draft" value="', 1)[1].split('"', 1)[0]

    post("/staff/content/draft")
    _draft_save(http, server, "welcome", title_ko="온통중구에 어서 오세요")
    post("/staff/content/draft/publish", draft=draft())
    post("/staff/content/draft")
    _draft_save(
        http,
        server,
        "cold-wave-2026-11",
        title_ko="한파 경보 해제",
        priority="50",
        ends_at="2026-11-21T09:00",
    )
    page = http.get(f"{server.url}/staff/content/draft", timeout=10).text
    survey = page.split('name="section" value="surveys">', 1)[1]
    key = survey.split('name="key" value="', 1)[1].split('"', 1)[0]
    revision = survey.split('name="revision" value="', 1)[1].split('"', 1)[0]
    post(
        "/staff/content/draft/item/remove",
        draft=draft(),
        section="surveys",
        key=key,
        revision=revision,
    )


PREVIEW = "/staff/content/draft/preview"


def _clip(path: Path) -> None:
    """A 2-second H.264/AAC MP4 made with ffmpeg, for the upload page."""
    import subprocess

    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25"]
        + ["-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:v", "libx264"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
        timeout=60,
    )


def _pictures_loaded(browser: Any) -> bool:
    """The preview page's pictures are drawn and loaded (htmx swaps them in when ready)."""
    return bool(
        browser.execute_script(
            "const i = [...document.querySelectorAll('.preview-picture img')];"
            "return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0);"
        )
    )


def _shoot(browser: Any, path: Path) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.execute_script("return window.innerWidth")
    browser.set_window_size(width, max(height, 400) + 140)
    browser.save_screenshot(str(path))


def render(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        server = start_server(data / "server", None, "--offline-after", "2s")
        try:
            add_account(server, ADMIN, data)
            add_account(server, VIEWER, data)
            _fleet(server)
            _reports(server, data)
            waiting = _proposals(server, data)
            budget_waiting, budget_chosen = _budget_proposals(server)
            _responses(server, data)
            _points(server, data)
            _coaches(server, data)
            _groups(server)
            _held(server)
            _content(server)
            _emergency(server)
            for width, height in SIZES:
                browser = new_browser(width, height)
                try:

                    def go(
                        path: str,
                        name: str,
                        browser: Any = browser,
                        width: int = width,
                        height: int = height,
                        saved: list[Path] = saved,
                    ) -> None:
                        browser.set_window_size(width, height)
                        browser.get(server.url + path)
                        target = out / f"{name}-{width}x{height}.png"
                        _shoot(browser, target)
                        saved.append(target)

                    go("/staff/login", "login")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "name").send_keys(ADMIN.name)
                    browser.find_element(By.ID, "password").send_keys("wrong-password")
                    browser.find_element(By.CSS_SELECTOR, "form button").click()
                    _shoot(browser, out / f"login-error-{width}x{height}.png")
                    saved.append(out / f"login-error-{width}x{height}.png")
                    browser.find_element(By.ID, "name").send_keys(ADMIN.name)
                    browser.find_element(By.ID, "password").send_keys(ADMIN.password)
                    browser.find_element(By.CSS_SELECTOR, "form button").click()
                    go("/staff/", "home")
                    go("/staff/calls", "calls")
                    go("/staff/emergency", "emergency")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "emergency-text").send_keys("   ")
                    browser.find_element(By.ID, "post-emergency").click()
                    _shoot(browser, out / f"emergency-error-{width}x{height}.png")
                    saved.append(out / f"emergency-error-{width}x{height}.png")
                    go("/staff/devices", "devices")
                    browser.set_window_size(width, height)
                    browser.find_element(By.NAME, "note").send_keys("중림동 주민센터 2층")
                    browser.find_element(By.ID, "create-code").click()
                    _shoot(browser, out / f"devices-code-{width}x{height}.png")
                    saved.append(out / f"devices-code-{width}x{height}.png")
                    row = browser.find_elements(By.LINK_TEXT, "회수")[0]
                    dong = browser.find_elements(By.LINK_TEXT, "동 정하기")[0]
                    dong_path = dong.get_attribute("href").removeprefix(server.url)
                    go(row.get_attribute("href").removeprefix(server.url), "revoke")
                    go(dong_path, "device-dong")
                    go("/staff/proposals", "proposals")
                    go("/staff/proposals?status=refused", "proposals-refused")
                    go(waiting, "proposal-waiting")
                    browser.set_window_size(width, height)
                    browser.find_element(By.CSS_SELECTOR, "button[id^=refuse-]").click()
                    _shoot(browser, out / f"proposal-no-reason-{width}x{height}.png")
                    saved.append(out / f"proposal-no-reason-{width}x{height}.png")
                    go("/staff/proposals?kind=budget_proposal", "proposals-budget")
                    go(budget_waiting, "budget-proposal-waiting")
                    go(budget_chosen, "budget-proposal-chosen")
                    go("/staff/held", "held")
                    go("/staff/password", "password")
                    go("/staff/accounts", "accounts")
                    reset_row = browser.find_elements(By.LINK_TEXT, "비밀번호 재설정")[0]
                    reset_path = reset_row.get_attribute("href").removeprefix(server.url)
                    viewer_row = browser.find_elements(By.LINK_TEXT, "사용 중지")[0]
                    go(viewer_row.get_attribute("href").removeprefix(server.url), "disable")
                    go(reset_path, "reset-password")
                    go("/staff/responses", "responses")
                    go("/staff/responses/survey?id=2026-senior-digital", "responses-survey")
                    go("/staff/responses/survey?id=2026-quiz-ontong", "responses-quiz")
                    go("/staff/responses/contests", "responses-contests")
                    go("/staff/responses/contest?id=2026-alley-photo", "responses-contest")
                    go("/staff/responses/counts", "responses-counts")
                    browser.get(server.url + "/staff/responses/survey.xlsx?id=2026-senior-digital")
                    go("/staff/reports", "reports")
                    go("/staff/reports/play", "reports-play")
                    go("/staff/points", "points")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "lookup-phone").send_keys("010-2468-1357")
                    browser.find_element(By.ID, "lookup-birth").send_keys("1949.11.02")
                    submit = browser.find_element(By.ID, "lookup-submit")
                    submit.click()
                    wait_for_next_page(browser, submit)
                    _shoot(browser, out / f"points-lookup-{width}x{height}.png")
                    browser.find_element(By.ID, "lookup-phone").send_keys("010-2468")
                    browser.find_element(By.ID, "lookup-birth").send_keys("19490231")
                    submit = browser.find_element(By.ID, "lookup-submit")
                    submit.click()
                    wait_for_next_page(browser, submit)
                    _shoot(browser, out / f"points-problem-{width}x{height}.png")
                    saved += [
                        out / f"points-lookup-{width}x{height}.png",
                        out / f"points-problem-{width}x{height}.png",
                    ]
                    go("/staff/coaches", "coaches")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "new-code").send_keys(f"2{width}")
                    browser.find_element(By.ID, "new-name").send_keys("윤서연")
                    browser.find_element(By.ID, "new-generate").click()
                    browser.find_element(By.ID, "add-coach").click()
                    _shoot(browser, out / f"coaches-added-{width}x{height}.png")
                    saved.append(out / f"coaches-added-{width}x{height}.png")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "new-code").send_keys("12")
                    browser.find_element(By.ID, "new-name").send_keys("임시")
                    browser.find_element(By.ID, "new-pin").send_keys("1234")
                    browser.find_element(By.ID, "new-pin-again").send_keys("1243")
                    browser.find_element(By.ID, "add-coach").click()
                    _shoot(browser, out / f"coaches-error-{width}x{height}.png")
                    saved.append(out / f"coaches-error-{width}x{height}.png")
                    go("/staff/coaches/1004/reset-pin", "coach-reset")
                    go("/staff/coaches/1004/revoke", "coach-revoke")
                    go("/staff/groups", "groups")
                    go("/staff/groups/sindang-apt-boards", "group")
                    go("/staff/groups", "groups-new")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "new-name").send_keys("신당동 보드")
                    browser.find_element(By.ID, "new-key").send_keys("신당 보드")
                    browser.find_element(By.ID, "create-group").click()
                    _shoot(browser, out / f"groups-error-{width}x{height}.png")
                    saved.append(out / f"groups-error-{width}x{height}.png")
                    go("/staff/content", "content")
                    browser.set_window_size(width, height)
                    broken = data / "망가진-콘텐츠.zip"
                    broken.write_bytes(b"PK\x03\x04 cut short")
                    browser.find_element(By.ID, "import-archive").send_keys(str(broken))
                    browser.find_element(By.ID, "import").click()
                    _shoot(browser, out / f"content-import-error-{width}x{height}.png")
                    saved.append(out / f"content-import-error-{width}x{height}.png")
                    go("/staff/content/draft", "content-draft")
                    go("/staff/content/draft/diff", "content-diff")
                    go(CONTENT_ITEM, "content-item")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "field-priority").clear()
                    browser.find_element(By.ID, "field-priority").send_keys("높음")
                    browser.find_element(By.ID, "field-title_ko").clear()
                    browser.find_element(By.ID, "save-item").click()
                    _shoot(browser, out / f"content-item-error-{width}x{height}.png")
                    saved.append(out / f"content-item-error-{width}x{height}.png")
                    # Another editor saves the same notice while this page is open.
                    browser.get(server.url + CONTENT_ITEM)
                    other = signed_in_session(server, ADMIN)
                    _draft_save(other, server, "cold-wave-2026-11", title_ko="한파 경보 (수정)")
                    browser.find_element(By.ID, "field-title_ko").send_keys(" 안내")
                    browser.find_element(By.ID, "save-item").click()
                    _shoot(browser, out / f"content-conflict-{width}x{height}.png")
                    saved.append(out / f"content-conflict-{width}x{height}.png")
                    go("/staff/content/draft/promotion?kind=notice", "content-notice-new")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "field-title_ko").send_keys("대설 주의보")
                    browser.find_element(By.ID, "field-asset").send_keys("media/promo")
                    for box in browser.find_elements(By.NAME, "weekdays"):
                        box.click()
                    browser.find_element(By.ID, "save-promotion").click()
                    _shoot(browser, out / f"content-notice-error-{width}x{height}.png")
                    saved.append(out / f"content-notice-error-{width}x{height}.png")
                    go("/staff/content/draft/promotion?key=welcome", "content-promotion")
                    go("/staff/content/draft/survey?key=2026-quiz-ontong", "content-survey")
                    go("/staff/content/draft/district", "content-district")
                    go("/staff/content/draft/contest?key=2026-alley-photo", "content-contest")
                    go("/staff/content/draft/proposal?key=crosswalk-sindang", "content-proposal")
                    for section, key in (
                        ("surveys", "2026-walkable-junggu"),
                        ("promotions", "night-scout"),
                        ("budget", "budget"),
                        ("lessons", "vote"),
                        ("district", "district"),
                    ):
                        browser.set_window_size(width, height)
                        browser.get(f"{server.url}{PREVIEW}?section={section}&key={key}")
                        WebDriverWait(browser, 180).until(_pictures_loaded)
                        _shoot(browser, out / f"content-preview-{section}-{width}x{height}.png")
                        saved.append(out / f"content-preview-{section}-{width}x{height}.png")
                    go("/staff/content/draft/media", "content-media")
                    browser.set_window_size(width, height)
                    clip = data / "clip.mp4"
                    if not clip.exists():
                        _clip(clip)
                    broken = data / "자막.vtt"
                    broken.write_text("WEBVTT\n\n00:00:03.000 --> 00:00:01.000\n거꾸로\n")
                    browser.find_element(By.ID, "purpose-video").click()
                    browser.find_element(By.ID, "field-title_ko").send_keys("골목길 안전 영상")
                    browser.find_element(By.ID, "field-description_ko").send_keys("밤길 안내")
                    browser.find_element(By.ID, "field-file").send_keys(str(clip))
                    browser.find_element(By.ID, "field-subtitles").send_keys(str(broken))
                    browser.find_element(By.ID, "upload-media").click()
                    _shoot(browser, out / f"content-media-error-{width}x{height}.png")
                    saved.append(out / f"content-media-error-{width}x{height}.png")
                    go("/staff/content/draft/survey", "content-survey-new")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "field-kind").send_keys("정책퀴즈")
                    browser.find_element(By.ID, "field-title_ko").send_keys("우리 동네 퀴즈")
                    browser.find_element(By.ID, "q-0-prompt").send_keys("중구청은 어디에 있나요?")
                    browser.find_element(By.ID, "q-0-options").send_keys("a=예관동\nb=명동")
                    browser.find_element(By.ID, "q-0-show_if_question").send_keys("q9")
                    browser.find_element(By.ID, "save-survey").click()
                    _shoot(browser, out / f"content-survey-error-{width}x{height}.png")
                    saved.append(out / f"content-survey-error-{width}x{height}.png")
                    go("/staff/content/draft/budget?key=budget", "content-budget")
                    browser.set_window_size(width, height)
                    # 소공동 picks within a budget smaller than some of its projects' costs.
                    browser.find_element(By.CSS_SELECTOR, "#ballot-0 summary").click()
                    browser.find_element(By.ID, "b-0-rule").send_keys("동 예산 안에서")
                    budget = browser.find_element(By.ID, "b-0-budget_won")
                    budget.clear()
                    budget.send_keys("20,000,000")
                    browser.find_element(By.ID, "save-budget").click()
                    _shoot(browser, out / f"content-budget-error-{width}x{height}.png")
                    saved.append(out / f"content-budget-error-{width}x{height}.png")
                    go(
                        "/staff/content/draft/survey?key=2026-walkable-junggu",
                        "content-survey-image",
                    )
                    go("/staff/content/draft/video?key=ontong-guide", "content-video")
                    go("/staff/content/draft/lesson?key=survey", "content-lesson")
                    browser.set_window_size(width, height)
                    target = browser.find_element(By.ID, "s-1-target")
                    target.clear()
                    target.send_keys("tile_points")
                    browser.find_element(By.ID, "save-lesson").click()
                    _shoot(browser, out / f"content-lesson-error-{width}x{height}.png")
                    saved.append(out / f"content-lesson-error-{width}x{height}.png")
                    go("/staff/content/draft/proposals/import", "content-proposal-import")
                    browser.set_window_size(width, height)
                    sheet = data / "온통중구-제안.csv"
                    rows = (
                        "제안번호,제목,내용,동,분야,작성일,마감일",
                        "153,그늘 벤치,여름에 앉을 곳이 없습니다,신당,환경,2026-11-20,내년 봄",
                        "154,엘리베이터,계단이 가파릅니다,신당동,교통,2026-11-21,2027-01-01",
                    )
                    sheet.write_bytes("\n".join(rows).encode("cp949"))
                    browser.find_element(By.ID, "import-sheet").send_keys(str(sheet))
                    browser.find_element(By.ID, "import-proposals").click()
                    _shoot(browser, out / f"content-proposal-import-error-{width}x{height}.png")
                    saved.append(out / f"content-proposal-import-error-{width}x{height}.png")
                    browser.get(server.url + "/staff/content")
                    rows = browser.find_elements(By.LINK_TEXT, "이 버전으로 되돌리기")
                    go(rows[-1].get_attribute("href").removeprefix(server.url), "content-rollback")
                    go("/staff/audit", "audit")
                finally:
                    browser.quit()
                viewer = new_browser(width, height)
                try:
                    viewer.get(server.url + "/staff/login")
                    viewer.find_element(By.ID, "name").send_keys(VIEWER.name)
                    viewer.find_element(By.ID, "password").send_keys(VIEWER.password)
                    viewer.find_element(By.CSS_SELECTOR, "form button").click()
                    _shoot(viewer, out / f"home-viewer-{width}x{height}.png")
                    viewer.get(server.url + "/staff/audit")
                    _shoot(viewer, out / f"refused-viewer-{width}x{height}.png")
                    viewer.get(server.url + "/staff/reports")
                    _shoot(viewer, out / f"reports-viewer-{width}x{height}.png")
                    saved += [
                        out / f"reports-viewer-{width}x{height}.png",
                        out / f"home-viewer-{width}x{height}.png",
                        out / f"refused-viewer-{width}x{height}.png",
                    ]
                finally:
                    viewer.quit()
        finally:
            server.stop()
    return saved


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "out/console")):
        print(path)
