"""The server's OpenAPI document is the contract's published form: complete, and true.

schemathesis fuzzes the running server from that document and must find no 500 and no answer
that breaks the document.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.paths import asset_path
from tests.server.process import ROOT, ServerProcess

# Every operation may also answer 503 (database busy or gone, with Retry-After).
OPERATIONS = {
    ("post", "/api/v1/devices/enroll"): {"200", "403", "413", "422", "503"},
    ("post", "/api/v1/submissions/batch"): {"200", "401", "403", "413", "422", "429", "503"},
    ("post", "/api/v1/devices/heartbeat"): {"200", "401", "403", "413", "422", "429", "503"},
    ("post", "/api/v1/devices/key"): {"200", "401", "403", "409", "413", "422", "429", "503"},
    ("get", "/api/v1/content/manifest"): {"200", "304", "401", "403", "404", "422", "429", "503"},
    ("get", "/api/v1/assets/{sha256}"): {"200", "206", "304", "416"}
    | {"401", "403", "404", "422", "429", "503"},
    ("get", "/api/v1/counts"): {"200", "401", "403", "429", "503"},
    ("get", "/api/v1/coaches"): {"200", "304", "401", "403", "422", "429", "503"},
    ("get", "/api/v1/emergency"): {"200", "304", "401", "403", "422", "429", "503"},
    ("post", "/api/v1/points/ledger"): {"200", "401", "403", "409", "413", "422", "429", "503"},
    ("get", "/api/v1/updates/latest"): {"200", "204", "401", "403", "429", "503"},
    ("get", "/api/v1/updates/archives/{sha256}"): {"200", "206", "416"}
    | {"401", "403", "404", "422", "429", "503"},
}


@pytest.fixture(scope="module")
def document(server: ServerProcess) -> dict[str, Any]:
    r = requests.get(f"{server.url}/openapi.json", timeout=10)
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def test_every_operation_documents_its_answers(document: dict[str, Any]) -> None:
    found = {
        (method, path): set(op["responses"])
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }
    assert found == OPERATIONS
    schemas = document["components"]["schemas"]
    for (method, path), statuses in OPERATIONS.items():
        op = document["paths"][path][method]
        for status in statuses - {"200", "204", "206", "304"}:  # 204 and 304 have no body
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/ErrorBody", (method, path, status)
        if path != "/api/v1/devices/enroll":
            assert op["security"] == [{"HTTPBearer": []}], (method, path)
    assert "security" not in document["paths"]["/api/v1/devices/enroll"]["post"]
    assert schemas["ErrorBody"]["required"] == ["detail"]
    # Every error is an ErrorBody: FastAPI's own validation error shape is never promised.
    assert "HTTPValidationError" not in schemas


def test_the_wire_models_are_the_protocol_modules(document: dict[str, Any]) -> None:
    from contract.wire import Envelope, SubmissionBatch

    schemas = document["components"]["schemas"]
    batch_body = document["paths"]["/api/v1/submissions/batch"]["post"]["requestBody"]
    assert batch_body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SubmissionBatch"
    }
    assert schemas["SubmissionBatch"]["properties"]["items"]["maxItems"] == 200
    assert set(schemas["Envelope"]["required"]) == set(Envelope.model_json_schema()["required"])
    assert set(SubmissionBatch.model_fields) == set(schemas["SubmissionBatch"]["properties"])
    for name in (
        "EnrollRequest",
        "EnrollResponse",
        "Heartbeat",
        "HeartbeatResponse",
        "BatchResult",
        "ItemResult",
        "Receipt",
        "ContentPack",
    ):
        assert name in schemas


def test_schemathesis_finds_no_500_and_no_schema_violation(
    server: ServerProcess, tmp_path: Path
) -> None:
    server.cli("publish", str(asset_path("demo")))
    device = server.enroll()
    manifest = requests.get(f"{server.api}/content/manifest", headers=device.headers, timeout=10)
    sha = manifest.json()["files"][0]["sha256"]
    config = tmp_path / "schemathesis.toml"
    # A real asset, so that ranges and ETags are fuzzed rather than 404s; the batch is answered
    # item by item by design (one bad envelope must not fail the rest), so a schema-violating
    # envelope gets 200 with "rejected" instead of a 4xx for the whole batch.
    checks = [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "ignored_auth",
    ]
    enabled = "\n".join(f"{check}.enabled = true" for check in checks)
    config.write_text(
        f"""
[checks]
enabled = false
{enabled}

[parameters]
"path.sha256" = "{sha}"

[[operations]]
include-name = "POST /api/v1/submissions/batch"
checks.negative_data_rejection.enabled = false

# A sealed identity is opaque to the schema: only the server's key tells a real seal from
# random base64, so schema-valid requests rightly get 422 (and mostly do: no warning for that).
[[operations]]
include-name = "POST /api/v1/points/ledger"
checks.positive_data_acceptance.enabled = false
warnings = false

# No update is offered in this test: every archive is rightly 404 (tests/updates has them).
[[operations]]
include-name = "GET /api/v1/updates/archives/{{sha256}}"
warnings = false
""",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"{server.url}/openapi.json",
            "--header",
            f"Authorization: Bearer {device.token}",
            # The coverage phase trips over a Python 3.11 AST limit inside hypothesis.
            "--phases",
            "examples,fuzzing,stateful",
            "--max-examples",
            "60",
            "--seed",
            "20261125",
            "--generation-database",
            "none",
            "--workers",
            "2",
            "--request-timeout",
            "10",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout, result.stdout[-3000:]
    assert "Traceback" not in server.log_text()
    assert ROOT.exists()
