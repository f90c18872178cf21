"""Home is painted before the content is checked (kiosk.app: building the pack's models costs
about what Qt's start does, and home shows nothing of the pack); the content is checked right
after, and a manifest this app refuses is never shown."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.app import check_stored_content, open_context
from kiosk.config import KioskConfig
from kiosk.store.quick import DB_FILENAME
from kiosk.ui.shell import KioskWindow
from tests.helpers.resident import find, on, on_the_glass, tap_name


def installed(data_dir: Path) -> None:
    """A device that installed the demo pack at an earlier start."""
    open_context(KioskConfig(data_dir=data_dir)).close()


def painted_home(qtbot, ctx) -> KioskWindow:
    window = KioskWindow(ctx)
    return on_the_glass(qtbot, window)


def test_home_shows_before_the_content_is_checked_and_a_tap_after_finds_it(qtbot, fonts, data_dir):
    installed(data_dir)
    ctx = open_context(KioskConfig(data_dir=data_dir), check_content=False)
    try:
        assert ctx.pack is None and ctx.stored_content is not None
        window = painted_home(qtbot, ctx)
        assert on(window) == "home"
        assert find(window, "tile_surveys").isVisible()
        check_stored_content(ctx)  # what the app does once home is on the glass
        assert ctx.pack is not None and ctx.stored_content is None
        survey = ctx.pack.surveys[0]
        tap_name(qtbot, window, "tile_surveys")
        assert find(window, f"survey_{survey.id}").isVisible()
    finally:
        ctx.close()


@pytest.mark.logs_error("content_invalid")
def test_a_stored_manifest_this_app_refuses_is_never_shown(qtbot, fonts, data_dir):
    installed(data_dir)
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        (raw,) = conn.execute("SELECT manifest FROM content_versions WHERE active").fetchone()
        manifest = json.loads(raw)
        manifest["schema_version"] = 99  # stored under rules this app version does not read
        conn.execute(
            "UPDATE content_versions SET manifest = ? WHERE active", (json.dumps(manifest),)
        )
    conn.close()
    ctx = open_context(KioskConfig(data_dir=data_dir), check_content=False)
    try:
        window = painted_home(qtbot, ctx)
        check_stored_content(ctx)
        assert ctx.pack is None
        assert ctx.content_error is not None and "schema_version" in ctx.content_error
        tap_name(qtbot, window, "tile_surveys")
        assert find(window, "surveysEmpty").isVisible()
    finally:
        ctx.close()
