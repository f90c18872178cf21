"""Configuration file, message catalogue and the route history."""

import re
from pathlib import Path

import pytest

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.i18n import CATALOGUE, Translator
from kiosk.ui.navigation import Navigator, Route

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_without_a_file(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    assert config == KioskConfig()
    assert config.idle_timeout_s == 120 and config.idle_warning_s == 20
    assert config.panel_diagonal_inches == 32
    assert config.admin_pin_hash is None  # no default staff PIN: enrolment sets one


def test_file_values_are_typed(tmp_path):
    f = tmp_path / "config.toml"
    f.write_text('mode = "board"\npanel_diagonal_inches = 24\ndata_dir = "/srv/kiosk"\n')
    config = load_config(f)
    assert config.mode == "board" and config.panel_diagonal_inches == 24.0
    assert config.resolved_data_dir() == Path("/srv/kiosk")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('mode = "tv"\n', "mode"),
        ("idle_timeout_s = 5\n", "idle_timeout_s"),
        ('colour = "red"\n', "colour"),
        ("mode = \n", "cannot read"),
    ],
)
def test_bad_file_names_the_problem(tmp_path, text, names):
    f = tmp_path / "config.toml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=names):
        load_config(f)


def test_every_message_has_both_languages_and_matching_placeholders():
    for message_id, (ko, en) in CATALOGUE.items():
        assert ko.strip() and en.strip(), message_id
        assert set(re.findall(r"{(\w+)}", ko)) == set(re.findall(r"{(\w+)}", en)), message_id


def test_every_message_id_used_in_the_ui_exists():
    used: set[str] = set()
    for path in (ROOT / "kiosk").rglob("*.py"):
        used |= set(re.findall(r'tr\(\s*f?"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    # Ids built with f-strings end in a dot in the regex and are checked by the widget tests.
    missing = {m for m in used if not m.endswith(".") and m not in CATALOGUE}
    assert not missing


def test_translator_switches_language():
    t = Translator("ko")
    assert t.tr("bar.home") == "처음으로"
    t.language = "en"
    assert t.tr("idle.countdown", seconds=7).startswith("In 7 seconds")


def test_navigator_back_and_home():
    nav = Navigator()
    assert not nav.can_go_back
    nav.push(Route("surveys"))
    nav.push(Route("admin_pin"))
    assert nav.back() == Route("surveys")
    nav.push(Route("budget"))
    assert nav.home() == Route("home")
    assert nav.back() == Route("home")
