"""Helpers for the tests of one resident, one count: a pack with proposals and a vote published
on the real server, residents with sealed identities, and envelopes of the civic kinds.

Times are placed around the real clock (`NOW`), as in the deadline tests.
"""

from __future__ import annotations

import json
import secrets
import shutil
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from contract.wire import Envelope, SealBinding, binding_of, ledger_binding
from kiosk.domain.identity import ResidentIdentity
from kiosk.paths import asset_path
from tests.server.conftest import envelope
from tests.server.process import EnrolledDevice, ServerProcess

NOW = datetime.now(UTC)
DAY = timedelta(days=1)
DEMO = asset_path("demo")
VOTE_ID = "2027-pb"


def demo_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def publish_pack(
    server: ServerProcess,
    tmp_path: Path,
    *,
    vote_opens: datetime = NOW - 10 * DAY,
    vote_closes: datetime = NOW + 30 * DAY,
    agree_counts: dict[str, int] | None = None,
    change: Any = None,
) -> dict[str, Any]:
    """Publish the demo pack with every survey and contest open now, the vote open from
    `vote_opens` to `vote_closes`, and proposals' published agrees replaced by `agree_counts`;
    `change(manifest)` may edit it further. Returns the manifest as published."""
    manifest = demo_manifest()
    manifest["content_version"] = f"civic-{uuid.uuid4().hex[:8]}"
    manifest["published_at"] = NOW.isoformat()
    for item in manifest["surveys"] + manifest["contests"]:
        item["opens_at"], item["closes_at"] = (
            (NOW - 30 * DAY).isoformat(),
            (NOW + 30 * DAY).isoformat(),
        )
    manifest["budget"]["opens_at"] = vote_opens.isoformat()
    manifest["budget"]["closes_at"] = vote_closes.isoformat()
    manifest["budget"]["results"] = None
    for p in manifest["proposals"]:
        p["agree_count"] = (agree_counts or {}).get(p["id"], p["agree_count"])
    if change is not None:
        change(manifest)
    pack = tmp_path / manifest["content_version"]
    shutil.copytree(DEMO, pack, ignore=shutil.ignore_patterns("*.py"))
    (pack / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    server.cli("publish", str(pack))
    return manifest


class Resident:
    """A resident with a phone number and birth date, sealed afresh for every act."""

    def __init__(self, phone: str | None = None, birth: date = date(1948, 3, 7)) -> None:
        self.phone = phone or "010" + "".join(secrets.choice("0123456789") for _ in range(8))
        self.birth = birth

    def seal(self, device: EnrolledDevice, binding: SealBinding) -> str:
        return ResidentIdentity(self.phone, self.birth).seal(device.server_public_key, binding)

    def seal_envelope(self, device: EnrolledDevice, item: dict[str, Any]) -> str:
        """A seal bound to `item` (an envelope as sent), as a kiosk makes it."""
        unsealed = Envelope.model_validate({**item, "sealed_identity": None})
        return self.seal(device, binding_of(unsealed))

    def ledger_request(
        self, device: EnrolledDevice, created_at: datetime | None = None
    ) -> dict[str, Any]:
        """A ledger look-up as a kiosk makes it: a new request id, its seal bound to it."""
        request_id, when = uuid.uuid4(), created_at or datetime.now(UTC)
        return {
            "request_id": str(request_id),
            "created_at": when.isoformat(),
            "sealed_identity": self.seal(device, ledger_binding(request_id, when)),
        }

    @property
    def clear_forms(self) -> list[bytes]:
        """Every way the identity could appear in clear in a file or a message."""
        p, b = self.phone, self.birth
        texts = [p, f"{p[:3]}-{p[3:7]}-{p[7:]}", b.isoformat(), b.strftime("%Y%m%d")]
        return [t.encode() for t in texts] + [t.encode("utf-16-le") for t in texts]


class Kiosk:
    """An enrolled device that numbers its envelopes as a kiosk does."""

    def __init__(
        self,
        server: ServerProcess,
        name: str = "회현동 주민센터 1층",
        mode: str = "kiosk",
        approve: bool = True,
    ):
        self.server = server
        self.device = server.enroll(name=name, mode=mode, approve=approve)
        self.seq = 0

    def envelope(
        self, kind: str, payload: dict[str, Any], resident: Resident | None = None, **changes: Any
    ) -> dict[str, Any]:
        self.seq += 1
        item = envelope(self.seq, kind=kind, payload=payload, **changes)
        if resident is not None:
            item["sealed_identity"] = resident.seal_envelope(self.device, item)
        return item

    def send(self, *items: dict[str, Any]) -> list[dict[str, Any]]:
        r = requests.post(
            f"{self.server.api}/submissions/batch",
            json={"items": list(items)},
            headers=self.device.headers,
            timeout=30,
        )
        assert r.status_code == 200, r.text
        results: list[dict[str, Any]] = r.json()["results"]
        return results

    def send_one(
        self, kind: str, payload: dict[str, Any], resident: Resident | None = None, **changes: Any
    ) -> dict[str, Any]:
        [result] = self.send(self.envelope(kind, payload, resident, **changes))
        return result

    def ask_ledger(self, request: dict[str, Any]) -> requests.Response:
        return requests.post(
            f"{self.server.api}/points/ledger",
            json=request,
            headers=self.device.headers,
            timeout=30,
        )

    def ledger(self, resident: Resident) -> dict[str, Any]:
        r = self.ask_ledger(resident.ledger_request(self.device))
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def counts(self) -> dict[str, Any]:
        r = requests.get(f"{self.server.api}/counts", headers=self.device.headers, timeout=30)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body


def agree(proposal_id: str) -> dict[str, Any]:
    return {"proposal_id": proposal_id}


def ballot(dong: str, *project_ids: str, vote_id: str = VOTE_ID) -> dict[str, Any]:
    return {
        "vote_id": vote_id,
        "ballot_id": f"{vote_id}-{dong}",
        "dong": dong,
        "project_ids": list(project_ids),
    }


def budget_proposal(
    dong: str, title: str, cost_won: int = 30_000_000, vote_id: str = VOTE_ID
) -> dict[str, Any]:
    """A project a resident proposes for `dong` during the vote's proposal window."""
    return {
        "vote_id": vote_id,
        "dong": dong,
        "title": title,
        "place": f"{title} 자리",
        "why": "어르신들이 오래 불편을 겪고 있습니다.",
        "cost_won": cost_won,
    }


def new_proposal(dong: str = "sindang") -> dict[str, Any]:
    return {
        "title": "경로당 앞 횡단보도",
        "body": "신호가 너무 짧습니다",
        "dong": dong,
        "topic": "safety",
    }


def survey(survey_id: str = "2026-senior-digital") -> dict[str, Any]:
    return {"survey_id": survey_id, "answers": {"q1": "o1"}}


def proposal_count(counts: dict[str, Any], proposal_id: str) -> dict[str, Any]:
    return next(p for p in counts["proposals"] if p["proposal_id"] == proposal_id)
