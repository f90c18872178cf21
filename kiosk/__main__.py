"""`python -m kiosk` (and the bundled `ontong-kiosk` executable): start the kiosk or the board.

    ontong-kiosk [options]          the app (python -m kiosk --help)
    ontong-kiosk enroll URL CODE    enrol this device in one step (python -m sync enroll)
    ontong-kiosk sync COMMAND ...   the sync command line (python -m sync --help)

Under systemd (NOTIFY_SOCKET set) the app also tells systemd it is ready and feeds its
watchdog from the GUI thread (kiosk/sdnotify.py).
"""

import os
import sys
import threading
import time

_KEEP: list[object] = []


def _feed_systemd_once_qt_runs() -> None:
    """Start kiosk.sdnotify.Watchdog on the GUI thread as soon as the QApplication exists.

    kiosk.app.main creates the QApplication itself; this waits for it on a helper thread and
    then moves a starter object to the GUI thread and queues its slot there (thread-safe).
    """
    from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, Slot

    class Starter(QObject):
        @Slot()
        def start(self) -> None:
            from kiosk.sdnotify import start_watchdog

            app = QCoreApplication.instance()
            if app is not None:
                self.setParent(app)
                self.watchdog = start_watchdog(app)

    def wait() -> None:
        while (app := QCoreApplication.instance()) is None:
            time.sleep(0.02)
        starter = Starter()
        _KEEP.append(starter)  # Python owns it: alive for as long as the app runs
        starter.moveToThread(app.thread())
        QMetaObject.invokeMethod(starter, "start", Qt.ConnectionType.QueuedConnection)

    threading.Thread(target=wait, name="sd-notify-start", daemon=True).start()


def run(argv: list[str]) -> int:
    if argv[:1] == ["enroll"]:
        from sync.__main__ import main as sync_main

        return sync_main(argv)
    if argv[:1] == ["sync"]:
        from sync.__main__ import main as sync_main

        return sync_main(argv[1:])
    from kiosk.app import main

    if os.environ.get("NOTIFY_SOCKET"):
        _feed_systemd_once_qt_runs()
    return main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
