"""The device's configuration: one typed object, loaded from one TOML file, with defaults.

Nothing else in the app reads configuration files or environment variables; tests build a
`KioskConfig` directly and hand it in.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contract.content_base import TimeWindow
from kiosk.domain.staff_call import RECALL_AFTER_S
from kiosk.paths import asset_path, default_data_dir

Mode = Literal["kiosk", "board"]
Language = Literal["ko", "en"]


class ConfigError(Exception):
    """The configuration file is missing a value, has a wrong one, or cannot be read."""


class KioskConfig(BaseModel):
    """Every setting of one device. Field names are the TOML keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Mode = "kiosk"
    language: Language = "ko"
    # Where the database, the content cache and the logs live; platformdirs when empty.
    data_dir: Path | None = None
    # The content pack loaded when the device has no active content yet (a fresh install).
    content_pack: Path | None = None
    dong: str | None = Field(default=None, description="Dong id of the centre the device is in")
    device_name: str = "ontong-kiosk"

    # Physical panel: sizes in the theme are millimetres converted with these.
    panel_diagonal_inches: float = Field(default=32.0, gt=5, lt=200)
    panel_bottom_mm: float = Field(default=700.0, ge=0, le=2000)

    # Idle reset (DESIGN.md "Time"): prompt `idle_warning_s` before the reset.
    idle_timeout_s: int = Field(default=120, ge=30, le=3600)
    idle_warning_s: int = Field(default=20, ge=5, le=120)
    attract_slide_s: float = Field(default=8.0, gt=0.5, le=120)
    thank_you_s: float = Field(default=10.0, gt=1, le=120)
    # 직원 호출: this long without staff acknowledging a call, its notice offers 다시 부르기.
    staff_recall_after_s: float = Field(default=RECALL_AFTER_S, ge=30, le=3600)

    # Media board and attract loop (kiosk.domain.schedule): the groups promotions may target,
    # daily hours (Korean time) when the board's screen stays dark, days without a sync after
    # which content counts as stale, and the memory (RSS) above which the player asks for a clean
    # restart at the next item boundary (exit code 75; none when unset).
    device_groups: tuple[str, ...] = ()
    screen_off: tuple[TimeWindow, ...] = ()
    stale_after_days: float = Field(default=7.0, gt=0, le=365)
    memory_ceiling_mb: int | None = Field(default=1536, ge=100)

    # Salted scrypt hash of the staff PIN that opens the status page, for fleet provisioning:
    # when set it overrides the PIN enrolment stored in the device database. No default: a
    # device has no staff PIN until enrolment or the installer sets one (kiosk.domain.admin).
    admin_pin_hash: str | None = Field(default=None, min_length=1)

    server_url: str | None = None

    # Read-aloud (음성 안내): the QtTextToSpeech engine to use ("speechd", "flite", "sapi",
    # "winrt", "mock" in tests…); the platform's default engine when unset.
    speech_engine: str | None = Field(default=None, min_length=1)

    # App updates (sync/updates.py, packaging/linux/ontong-kiosk-launch): off unless both the
    # publisher's Ed25519 public key (base64; `python -m server update-key` prints it) and the
    # install root holding the version folders and `current` are set. The board switches to a
    # downloaded version between items inside `update_hours` (Korean time); the kiosk whenever
    # its attract loop runs. The new version reports healthy `healthy_after_s` after its first
    # paint; the launcher rolls back one that does not.
    update_public_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9+/]{43}=$")
    update_root: Path | None = None
    update_hours: tuple[TimeWindow, ...] = (TimeWindow(start="02:00", end="05:00"),)
    healthy_after_s: float = Field(default=120.0, ge=0, le=3600)

    @property
    def updates_enabled(self) -> bool:
        return self.update_public_key is not None and self.update_root is not None

    def resolved_data_dir(self) -> Path:
        return self.data_dir if self.data_dir is not None else default_data_dir()

    def resolved_content_pack(self) -> Path:
        return self.content_pack if self.content_pack is not None else asset_path("demo")


def load_config(path: Path | None) -> KioskConfig:
    """Read the TOML file at `path`; defaults for everything when `path` is None or absent."""
    if path is None or not path.exists():
        return KioskConfig()
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the configuration file: {e}") from e
    try:
        return KioskConfig.model_validate(raw)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"{path}: {problems}") from e
