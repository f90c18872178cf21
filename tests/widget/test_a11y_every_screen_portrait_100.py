"""The accessibility audit of every screen in one variant:
portrait at 100 %, the default theme, on the 32-inch panel: the view most residents meet."""

import pytest

from tests.helpers.audit_matrix import EVERY_SCREEN, audit_every_screen


# Minutes on a busy 2-core machine: every screen with its Tab walk.
@pytest.mark.timeout(900)
def test_every_screen(qtbot, make_window):
    audit_every_screen(make_window, EVERY_SCREEN[0])
