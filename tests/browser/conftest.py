"""Fixtures for the live-demo tests: a fresh site build, a local static server, headless Chromium.

Everything is offline by construction: the server listens on 127.0.0.1, the browser's host
resolver maps every other name to nothing, and a route aborts any request to another host.
In CI a missing chromium or node fails the run (tests.conftest.require_tool); locally it skips.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.live.static_server import serve
from scripts.live.xvfb import private_display
from tests.conftest import require_tool

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]  # fmt: skip


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """A static server for the built site on 127.0.0.1 and a free port, stopped at the end."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the whole session (starting it is the slow part)."""
    executable = require_tool("chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


#: Every URL but the local static server's (http://127.0.0.1:<port>/...).
NOT_LOOPBACK = re.compile(r"^(?!http://127\.0\.0\.1[:/])")


def offline_context(browser: object, **options: object) -> object:
    """A fresh context (cold HTTP cache) that aborts every request not to 127.0.0.1.

    ``options`` go to ``browser.new_context``, e.g. ``java_script_enabled=False``.
    """
    context = browser.new_context(**options)
    # Matched by the driver, so only a request that leaves the loopback reaches this process:
    # routing every request through Python cost each page load about a tenth of its time.
    context.route(NOT_LOOPBACK, lambda route: route.abort())
    return context


# MiniBrowser, the WebKitGTK browser that WebKitWebDriver drives (Debian's webkit2gtk-driver).
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")


@pytest.fixture(scope="session")
def webkit() -> Iterator[object]:
    """WebKitGTK (Safari's engine, without JSPI) through WebKitWebDriver and Selenium, on a
    private Xvfb display (scripts/live/xvfb.py), both stopped at the end."""
    driver = require_tool("WebKitWebDriver", "apt-get install webkit2gtk-driver")
    xvfb = require_tool("Xvfb", "apt-get install xvfb")
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    with private_display(xvfb) as display:
        options = Options()
        options.binary_location = str(MINIBROWSER)
        options.add_argument("--automation")
        service = Service(executable_path=driver, env={**os.environ, "DISPLAY": display})
        browser = webdriver.WebKitGTK(options=options, service=service)
        try:
            yield browser
        finally:
            browser.quit()
