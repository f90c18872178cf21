"""``python -m server ARGS`` run in the test's own process, as the command line runs it.

A new interpreter for each command took over a second (its imports), and tests call the
command line for every device they enrol and approve. The entry point is the same
(`server.__main__.build_parser` and the command's function), its output is captured as a
process's would be, and its log lines go to its stderr at its --log-level, as `main` sets them
up; `main`'s own logging set-up is left out, since it would take over the test process's.
The command line as a process of its own is tested where it is the subject
(tests/server/test_fleet_and_cli.py, tests/sync/test_bundle.py, tests/packaging).
"""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import traceback


def run_server_cli(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """The command's exit code, stdout and stderr, as `subprocess.run` would give them."""
    from server.__main__ import LOG_FORMAT, build_parser

    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    level = root.level
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = build_parser().parse_args(argv)
            root.addHandler(handler)
            root.setLevel(args.log_level)
            code = args.func(args)
        except SystemExit as exit_:  # argparse's refusals, a command's sys.exit
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        except Exception:  # as an uncaught error ends the process: traceback, exit 1
            traceback.print_exc()
            code = 1
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
