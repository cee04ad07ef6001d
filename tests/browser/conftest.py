"""Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download
does not work on county networks or in CI here). They skip, saying why, where no Chromium is
installed; `.ci/run` installs it, so they always run in CI."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside
# one unless told that this is deliberate (the test's own setup code is synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def _browser_page(chromium, live_server, **context_options):
    """A page of a fresh browser context in Chinese, pointed at the live server."""
    context = chromium.new_context(locale="zh-CN", **context_options)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def page(chromium, live_server):
    with _browser_page(chromium, live_server, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def phone_page(chromium, live_server):
    with _browser_page(
        chromium,
        live_server,
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    ) as page:
        yield page


@pytest.fixture
def office_page(chromium, live_server):
    """A county office's 1366-px screen."""
    with _browser_page(chromium, live_server, viewport={"width": 1366, "height": 768}) as page:
        yield page


@pytest.fixture(params=["phone", "office"])
def sized_page(request, live_server):
    """The same test on a phone (375 px) and on an office screen (1366 px). It names
    live_server itself, so pytest-django sees a transactional test and runs it after the others:
    asked for only through getfixturevalue, the live server's flush at teardown emptied the
    migrations' rows (checklists, severity policy) under the tests that ran after it."""
    return request.getfixturevalue("phone_page" if request.param == "phone" else "office_page")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
