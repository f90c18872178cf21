"""The suite's rule that a test which logs an error fails unless it says it expects it
(tests/conftest.py), checked on small test files run by an inner pytest."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytest_plugins = ["pytester"]

CONFTEST = "from tests.conftest import _fail_on_logged_errors, pytest_configure  # noqa: F401\n"


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    # In a process of its own: in this one, the outer test would catch the inner test's logs.
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    pytester.makeconftest(CONFTEST)

    def run(source: str) -> pytest.RunResult:
        pytester.makepyfile("import logging, threading\nimport pytest\n\n" + source)
        return pytester.runpytest_subprocess(
            "-p",
            "no:cacheprovider",
            "-p",
            "no:pytestqt",
            "-p",
            "no:schemathesis",
            "--strict-markers",
        )

    return run


def test_an_error_nobody_expects_fails_the_test(run):
    result = run('def test_it():\n    logging.getLogger("app").error("boom code=%s", 7)\n')
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*logged an error it does not expect: ERROR app: boom code=7*"])


def test_an_error_on_another_thread_fails_the_test_too(run):
    result = run(
        "def test_it():\n"
        '    t = threading.Thread(target=lambda: logging.getLogger("w").critical("down"))\n'
        "    t.start()\n"
        "    t.join()\n"
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*does not expect: CRITICAL w: down*"])


def test_the_mark_names_the_error_the_test_expects(run):
    result = run(
        '@pytest.mark.logs_error(r"app: boom code=\\d")\n'
        "def test_it():\n"
        '    logging.getLogger("app").error("boom code=%s", 7)\n'
        '    logging.getLogger("app").warning("warnings are not errors")\n'
    )
    result.assert_outcomes(passed=1)


def test_an_expected_error_that_never_came_fails_the_test(run):
    result = run('@pytest.mark.logs_error("boom")\ndef test_it():\n    pass\n')
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*expected an error matching 'boom', none was logged*"])


def test_the_mark_excuses_only_what_it_names(run):
    result = run(
        '@pytest.mark.logs_error("boom")\n'
        "def test_it():\n"
        '    logging.getLogger("app").error("boom")\n'
        '    logging.getLogger("app").error("something else")\n'
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*does not expect: ERROR app: something else*"])
