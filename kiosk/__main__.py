"""`python -m kiosk` (and the bundled `ontong-kiosk` executable): start the kiosk or the board.

    ontong-kiosk [options]          the app (python -m kiosk --help)
    ontong-kiosk enroll URL CODE    enrol this device in one step (python -m sync enroll)
    ontong-kiosk sync COMMAND ...   the sync command line (python -m sync --help)

Under systemd (NOTIFY_SOCKET set) the app also tells systemd it is ready and feeds its
watchdog from the GUI thread (kiosk/sdnotify.py, started by kiosk.app.main).
"""

import os
import sys

# The app loads no pydantic plugin; without this, the first model pydantic builds scans the
# entry points of every installed distribution for one, before the first screen.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def run(argv: list[str]) -> int:
    if argv[:1] == ["enroll"]:
        from sync.__main__ import main as sync_main

        return sync_main(argv)
    if argv[:1] == ["sync"]:
        from sync.__main__ import main as sync_main

        return sync_main(argv[1:])
    from kiosk.app import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
