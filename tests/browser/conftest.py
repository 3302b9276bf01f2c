"""Fixtures for the live-demo tests: a fresh site build, a local static server, headless Chromium.

Everything is offline by construction: the server listens on 127.0.0.1, the browser's host
resolver maps every other name to nothing, and a route aborts any request to another host.
In CI a missing chromium or node fails the run (tests.conftest.require_tool); locally it skips.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import require_tool

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]  # fmt: skip


class _Handler(SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs (wasm streaming compile checks it)."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".whl": "application/zip", ".zip": "application/zip",
    }  # fmt: skip

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest output stays readable."""


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """A static server for the built site on 127.0.0.1 and a free port, stopped at the end."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


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
