"""The sync protocol's wire format (v1): the one definition shared by the kiosk and the server.

Every model that crosses the network lives here, and nowhere else; see DESIGN.md
"Sync protocol v1" and "Durability".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


class Envelope(BaseModel):
    """One submission as queued on the device and sent to the server, immutable once created.

    The server stores each envelope once per `id`; order on a device is `device_seq`, never
    wall time.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UUID = Field(description="Idempotency key: the same id is stored once, forever")
    kind: str = Field(min_length=1, description="What was submitted, e.g. 'survey.response'")
    schema_version: int = Field(ge=1, description="Version of this kind's payload schema")
    content_version: str | None = Field(
        description="Content pack version the resident saw; None when no content applies"
    )
    device_seq: int = Field(ge=1, description="Gap-free sequence number on the device")
    created_at: AwareDatetime = Field(description="Device clock at submission, in UTC")
    clock_offset_s: float = Field(
        allow_inf_nan=False,
        description="Device's last known clock offset: server_time - device_time, seconds",
    )
    boot_id: str = Field(min_length=1, description="Identifies the device boot it was made in")
    practice: bool = Field(description="Made in a coached practice session; never counted")
    payload: dict[str, Any]
    sealed_identity: str | None = Field(
        default=None, description="Resident identity sealed to the server's public key"
    )

    @field_validator("payload")
    @classmethod
    def _json_only(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Refused here rather than silently sent as null (NaN) or as a string (datetime).
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ValueError(f"payload must hold only JSON values: {e}") from e
        return value

    @field_validator("created_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        # One representation per instant, so the canonical bytes (and their hash) are stable.
        return value.astimezone(UTC)


def canonical_json(envelope: Envelope) -> bytes:
    """The envelope as canonical JSON: sorted keys, no spaces, UTF-8. The server hashes these."""
    return json.dumps(
        envelope.model_dump(mode="json"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")
