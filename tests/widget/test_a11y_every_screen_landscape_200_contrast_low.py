"""The accessibility audit of every screen in one variant:
landscape at 200 % in high contrast with 낮은 화면."""

import pytest

from tests.helpers.audit_matrix import EVERY_SCREEN, audit_every_screen


# Minutes on a busy 2-core machine: every screen with its Tab walk.
@pytest.mark.timeout(900)
def test_every_screen(qtbot, make_window):
    audit_every_screen(make_window, EVERY_SCREEN[1])
