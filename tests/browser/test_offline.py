"""The browser tests' contexts reach the local static server and nothing else: the host
resolver (``CHROMIUM_ARGS``) maps every name to nothing, and the route refuses any other URL,
IP addresses included, which no resolver sees."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NOT_LOOPBACK


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://127.0.0.1:8123/live/python.zip", False),
        ("http://127.0.0.1/", False),
        ("http://127.0.0.10:8123/", True),
        ("http://127.0.0.1.example.com/", True),
        ("https://127.0.0.1:8123/", True),
        ("http://8.8.8.8/", True),
        ("https://api.github.com/repos/x/y", True),
    ],
)
def test_the_route_refuses_everything_but_the_local_server(url: str, refused: bool) -> None:
    assert bool(NOT_LOOPBACK.search(url)) is refused
