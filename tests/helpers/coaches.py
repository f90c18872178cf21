"""The district's coaches on a test kiosk, kept as the sync worker keeps them from the server's
GET /api/v1/coaches and heartbeat answers (kiosk.store.coaches): the content pack's coaches
are no credentials outside --demo."""

from __future__ import annotations

from contract.content import Coach
from contract.pin import hash_pin
from kiosk.store.coaches import CoachStore

# The coaches of the widget tests: 김코치 signs in; 이코치 was revoked after the device knew
# their PIN (so the right PIN is told "revoked").
CODE, PIN, NAME = "1001", "246810", "김코치"
REVOKED_CODE, REVOKED_PIN, REVOKED_NAME = "1002", "135790", "이코치"


def credential(code: str, name: str, pin: str) -> Coach:
    return Coach(code=code, name=name, pin_hash=hash_pin(pin, salt=code.encode() * 4))


def server_gave(ctx, coaches: list[Coach], revoked=(), version: int = 1) -> None:
    """The worker kept this answer of GET /api/v1/coaches."""
    CoachStore(ctx.db).replace(version, coaches, revoked)


def district_coaches(ctx) -> None:
    """김코치 active; 이코치 known, then revoked (the heartbeat's word, then the new list)."""
    server_gave(
        ctx, [credential(CODE, NAME, PIN), credential(REVOKED_CODE, REVOKED_NAME, REVOKED_PIN)]
    )
    store = CoachStore(ctx.db)
    store.revoke([REVOKED_CODE])
    server_gave(ctx, [credential(CODE, NAME, PIN)], revoked=[REVOKED_CODE], version=2)


def open_coach_menu(qtbot, window) -> None:
    """코치 메뉴, as a coach opens it: 도움·설정, then its first button (the bars keep only what
    a resident needs)."""
    from tests.helpers.resident import tap, tap_name

    tap(qtbot, window.bars.settings_button)
    tap_name(qtbot, window, "coachMenuButton")
