"""DeviceSettings: JSON values by key and the typed helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.db import Database, open_database
from kiosk.store.settings import LOCAL_SECRET_BYTES, DeviceSettings


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    with open_database(data_dir) as database:
        yield database


@pytest.fixture
def settings(db: Database) -> DeviceSettings:
    return DeviceSettings(db)


def test_get_a_missing_key(settings: DeviceSettings) -> None:
    assert settings.get("nope") is None
    assert settings.get("nope", "fallback") == "fallback"


@pytest.mark.parametrize(
    "value", [1.5, 0, "중구", True, [1, "a"], {"nested": {"list": [None]}}], ids=repr
)
def test_set_and_get_json_values(settings: DeviceSettings, value: object) -> None:
    settings.set("k", value)
    assert settings.get("k") == value
    assert type(settings.get("k")) is type(value)


def test_set_replaces(settings: DeviceSettings) -> None:
    settings.set("k", 1)
    settings.set("k", "two")
    assert settings.get("k") == "two"


def test_values_survive_reopening(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        DeviceSettings(db).set_device_id("jung-myeongdong-01")
    with open_database(data_dir) as db:
        assert DeviceSettings(db).device_id() == "jung-myeongdong-01"


def test_clock_offset(settings: DeviceSettings) -> None:
    assert settings.clock_offset_s() == 0.0
    settings.set_clock_offset_s(-3.25)
    assert settings.clock_offset_s() == -3.25
    settings.set_clock_offset_s(7)
    assert settings.clock_offset_s() == 7.0
    with pytest.raises(ValueError):
        settings.set_clock_offset_s(float("nan"))


def test_device_id_is_none_until_enrolled(settings: DeviceSettings) -> None:
    assert settings.device_id() is None
    settings.set_device_id("dev-1")
    assert settings.device_id() == "dev-1"
    with pytest.raises(ValueError):
        settings.set_device_id("")


def test_local_secret_is_created_once(data_dir: Path, settings: DeviceSettings) -> None:
    secret = settings.local_secret()
    assert len(secret) == LOCAL_SECRET_BYTES
    assert settings.local_secret() == secret
    with open_database(data_dir) as other:
        assert DeviceSettings(other).local_secret() == secret


def test_local_secret_differs_between_devices(tmp_path: Path) -> None:
    with open_database(tmp_path / "a") as a, open_database(tmp_path / "b") as b:
        assert DeviceSettings(a).local_secret() != DeviceSettings(b).local_secret()


def test_first_uses_at_once_agree_on_one_secret(data_dir: Path) -> None:
    databases = [open_database(data_dir) for _ in range(4)]
    secrets: list[bytes] = []
    lock = threading.Lock()

    def first_use(db: Database) -> None:
        secret = DeviceSettings(db).local_secret()
        with lock:
            secrets.append(secret)

    threads = [threading.Thread(target=first_use, args=(db,)) for db in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db in databases:
        db.close()
    assert len(secrets) == 4
    assert len(set(secrets)) == 1
