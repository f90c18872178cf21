"""Editing the configuration file from the staff page: kept keys and comments, refused values
named by key, and an old file left intact when an edit is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.content import TimeWindow
from kiosk.config import load_config
from kiosk.config_edit import EditError, SettingsDraft, apply_edits, read_document, save_config

INSTALLED = """\
# Ontong kiosk configuration (written by install.sh)
mode = "kiosk"
dong = "hoehyeon"
device_name = "회현동 1번"  # the name staff see
panel_diagonal_inches = 32.0
data_dir = "/var/lib/ontong-kiosk/data"
screen_off = []
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(INSTALLED, encoding="utf-8")
    return path


def test_an_edit_keeps_the_other_keys_and_the_comments(config_file):
    save_config(config_file, {"dong": "myeong", "panel_diagonal_inches": 43, "mode": "board"})
    text = config_file.read_text(encoding="utf-8")
    assert "# Ontong kiosk configuration (written by install.sh)" in text
    assert 'device_name = "회현동 1번"  # the name staff see' in text
    assert 'data_dir = "/var/lib/ontong-kiosk/data"' in text
    config = load_config(config_file)
    assert (config.dong, config.panel_diagonal_inches, config.mode) == ("myeong", 43.0, "board")
    assert config.device_name == "회현동 1번"


def test_screen_hours_and_the_server_url_are_written_and_removed(config_file):
    save_config(
        config_file,
        {"screen_off": (TimeWindow(start="22:00", end="06:00"),), "server_url": "https://a.kr"},
    )
    config = load_config(config_file)
    assert config.screen_off == (TimeWindow(start="22:00", end="06:00"),)
    assert config.server_url == "https://a.kr"
    save_config(config_file, {"screen_off": (), "server_url": "", "dong": None})
    config = load_config(config_file)
    assert (config.screen_off, config.server_url, config.dong) == ((), None, None)
    assert "dong" not in config_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edits", "key"),
    [
        ({"panel_diagonal_inches": 500}, "panel_diagonal_inches"),
        ({"mode": "tv"}, "mode"),
        ({"server_url": "ftp://x"}, "server_url"),
        ({"server_url": "not a url"}, "server_url"),
        ({"dong": "gangnam"}, "dong"),
        ({"admin_pin_hash": "x"}, "admin_pin_hash"),
    ],
)
def test_a_bad_value_is_refused_naming_its_key_and_nothing_is_written(config_file, edits, key):
    before = config_file.read_bytes()
    with pytest.raises(EditError) as refused:
        save_config(config_file, edits, dong_ids=("hoehyeon", "myeong"))
    assert refused.value.key == key
    assert key in str(refused.value)
    assert config_file.read_bytes() == before
    assert [p.name for p in config_file.parent.iterdir()] == ["config.toml"]  # no temp file


def test_a_file_that_is_already_wrong_is_refused_naming_the_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("idle_timeout_s = 1\n", encoding="utf-8")
    with pytest.raises(EditError) as refused:
        apply_edits(read_document(path), {"dong": "myeong"})
    assert refused.value.key == "idle_timeout_s"
    assert path.read_text(encoding="utf-8") == "idle_timeout_s = 1\n"


def test_without_a_file_saving_creates_one(tmp_path):
    path = tmp_path / "new" / "config.toml"
    draft = SettingsDraft.open(path, ("hoehyeon",))
    assert draft.value("dong") is None and draft.value("mode") == "kiosk"
    draft.set("dong", "hoehyeon")
    draft.save()
    assert load_config(path).dong == "hoehyeon"


def test_the_draft_keeps_only_real_changes_and_offers_the_current_panel_size(config_file):
    draft = SettingsDraft.open(config_file)
    draft.set("dong", "hoehyeon")
    draft.set("panel_diagonal_inches", 32)
    assert draft.edits == {}
    draft.set("server_url", " https://x.kr ")
    assert draft.edits == {"server_url": "https://x.kr"}
    config_file.write_text(INSTALLED.replace("32.0", "37.5"), encoding="utf-8")
    assert 37.5 in SettingsDraft.open(config_file).panel_choices()


def test_the_screen_hours_script_reads_the_hours_the_page_writes(config_file):
    import subprocess

    script = (
        Path(__file__).resolve().parents[2] / "packaging" / "linux" / "ontong-kiosk-screen-hours"
    )
    save_config(
        config_file, {"mode": "board", "screen_off": (TimeWindow(start="22:00", end="06:00"),)}
    )

    def state(at: str) -> str:
        done = subprocess.run(
            ["bash", str(script), str(config_file), "--once", at], capture_output=True, text=True
        )
        return done.stdout.strip()

    assert (state("23:30"), state("12:00")) == ("off", "on")
