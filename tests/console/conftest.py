"""Fixtures for the staff console's tests: the real server process with staff accounts, and a
real browser (Debian's chromium through chromium-driver, headless) driven by selenium."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.server.process import ServerProcess, start_server

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
CHROMEDRIVER = "chromedriver"


@dataclass(frozen=True)
class Account:
    name: str
    password: str
    role: str


ADMIN = Account("김관리", "admin-pass-1234", "admin")
VIEWER = Account("이보기", "viewer-pass-1234", "viewer")
DONG = Account("박동담", "dong-pass-1234", "dong")


def add_account(server: ServerProcess, account: Account, tmp_path: Path) -> None:
    """`python -m server staff add` with the password in a file, as a script would."""
    secret = tmp_path / f"pw-{account.role}"
    secret.write_text(account.password + "\n", encoding="utf-8")
    extra = ["--dong", "hoehyeon"] if account.role == "dong" else []
    server.cli(
        "staff",
        "add",
        account.name,
        "--role",
        account.role,
        "--password-file",
        str(secret),
        *extra,
    )
    secret.unlink()


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for the module with an admin, a viewer and a dong officer."""
    data_dir = tmp_path_factory.mktemp("console")
    running = start_server(data_dir, None, "--offline-after", "1h")
    for account in (ADMIN, VIEWER, DONG):
        add_account(running, account, data_dir)
    yield running
    running.stop()


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found is not None, html
    return found.group(1)


def signed_in_session(server: ServerProcess, account: Account) -> requests.Session:
    """A requests session logged in through the login form (its CSRF token and cookie)."""
    http = requests.Session()
    form = http.get(f"{server.url}/staff/login", timeout=10)
    r = http.post(
        f"{server.url}/staff/login",
        data={"name": account.name, "password": account.password, "csrf_token": csrf_of(form.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 303, r.text
    return http


def _chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> tuple[str, str]:
    """The chromium and chromedriver binaries; skip without them, but fail on CI."""
    browser, driver = _chromium(), shutil.which(CHROMEDRIVER)
    if browser is None or driver is None:
        missing = "chromium" if browser is None else "chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the console's browser tests: .ci/run installs {missing}")
        pytest.skip(f"no {missing}: apt-get install chromium chromium-driver (./dev test does)")
    assert browser is not None and driver is not None
    return browser, driver


# The staff's language: the browser the tests drive runs in it, as a Korean office PC's does.
STAFF_LANGUAGE = "ko"


def new_browser(width: int = 1366, height: int = 768) -> Any:
    """A headless chromium of this machine (no browser or driver is downloaded)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    # The page's console messages (a CSP violation, a script error) are read by the tests.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--lang={STAFF_LANGUAGE}",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    # Chromium on Linux takes its own language (the date and file pickers' words, the
    # validation bubbles) from LANGUAGE, not from --lang, and needs chromium-l10n's ko.pak.
    service = Service(executable_path=driver, env={**os.environ, "LANGUAGE": STAFF_LANGUAGE})
    return webdriver.Chrome(service=service, options=options)


def page_errors(driver: Any) -> list[str]:
    """The errors the page logged since the last call (script errors, refused resources)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.fixture
def browser() -> Iterator[Any]:
    """A fresh browser (no cookies) for one test."""
    driver = new_browser()
    try:
        yield driver
    finally:
        driver.quit()
