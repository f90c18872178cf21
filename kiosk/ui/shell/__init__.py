"""The kiosk window (kiosk.ui.shell.window) and the collaborators it is made of."""

from kiosk.ui.navigation import HOME
from kiosk.ui.shell.window import KioskWindow

__all__ = ["HOME", "KioskWindow"]
