"""Fixtures for the live-demo tests: a fresh site build, a local static server, headless Chromium.

Everything is offline by construction: the server listens on 127.0.0.1, the browser's host
resolver maps every other name to nothing, and a route aborts any request to another host.
In CI a missing chromium or node fails the run (tests.conftest.require_tool); locally it skips.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from scripts.live.static_server import serve
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


def offline_context(browser: object, **options: object) -> object:
    """A fresh context (cold HTTP cache) that aborts every request not to 127.0.0.1.

    ``options`` go to ``browser.new_context``, e.g. ``java_script_enabled=False``.
    """
    context = browser.new_context(**options)

    def guard(route: object) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    return context


# MiniBrowser, the WebKitGTK browser that WebKitWebDriver drives (Debian's webkit2gtk-driver).
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")


# How long Xvfb may take to report its display (seconds; it takes well under one when idle).
XVFB_SECONDS = 30


def _read_display(read: int) -> str:
    """The display number Xvfb writes to its -displayfd, read to the end; closes ``read``.

    Xvfb writes the number and its newline in two writes, then closes the fd. Closing the
    pipe after the first read (as this fixture once did) could make the second write fail under
    load, and Xvfb then exits with "Cannot write display number to fd"; a number of two digits
    could also arrive in two reads. So read until end of file, which Xvfb's close (or exit) gives,
    or until XVFB_SECONDS have passed.
    """
    chunks = []
    deadline = time.monotonic() + XVFB_SECONDS
    try:
        while select.select([read], [], [], max(0.0, deadline - time.monotonic()))[0]:
            if not (chunk := os.read(read, 64)):
                break
            chunks.append(chunk)
    finally:
        os.close(read)
    return b"".join(chunks).decode(errors="replace").strip()


@pytest.fixture(scope="session")
def webkit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """WebKitGTK (Safari's engine, without JSPI) through WebKitWebDriver and Selenium, on a
    private Xvfb display (-displayfd picks a free one, so pytest-xdist workers and other
    sessions never collide), both stopped at the end.

    An Xvfb that exits at once leaves WebKitWebDriver waiting for a browser that never
    starts, so its exit fails here, with what it said."""
    driver = require_tool("WebKitWebDriver", "apt-get install webkit2gtk-driver")
    xvfb = require_tool("Xvfb", "apt-get install xvfb")
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    read, write = os.pipe()
    log = tmp_path_factory.mktemp("xvfb") / "stderr.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [xvfb, "-displayfd", str(write), "-screen", "0", "1280x960x24", "-nolisten", "tcp"],
            pass_fds=[write], stderr=stderr,
        )  # fmt: skip
    os.close(write)
    try:
        display = _read_display(read)
        socket = Path(f"/tmp/.X11-unix/X{display}")
        deadline = time.monotonic() + XVFB_SECONDS
        while display.isdigit() and not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        said = log.read_text(errors="replace")[-2000:]
        alive = display.isdigit() and socket.exists() and server.poll() is None
        assert alive, f"Xvfb did not start ({display!r}):\n{said}"
        options = Options()
        options.binary_location = str(MINIBROWSER)
        options.add_argument("--automation")
        service = Service(executable_path=driver, env={**os.environ, "DISPLAY": f":{display}"})
        browser = webdriver.WebKitGTK(options=options, service=service)
        try:
            yield browser
        finally:
            browser.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
