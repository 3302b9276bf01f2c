"""The validation topic's helpers, checked where the cases cannot see them."""

from __future__ import annotations

import base64

from werkzeug.test import EnvironBuilder

from snippets.validation.flask_apiflask import LenientAuthRequest


def _authorization(header: str) -> object:
    environ = EnvironBuilder(headers={"Authorization": header}).get_environ()
    return LenientAuthRequest(environ).authorization


def test_lenient_request_still_reads_good_credentials() -> None:
    """Only unreadable credentials become "none": readable ones reach any code that asks.
    (Flask-HTTPAuth, which the snippets use, would parse a missing one again by hand, so the
    cases alone cannot tell.)"""
    token = base64.b64encode(b"ada:correct horse").decode()
    authorization = _authorization(f"Basic {token}")
    assert (authorization.username, authorization.password) == ("ada", "correct horse")
    assert _authorization("Bearer abc").token == "abc"


def test_lenient_request_treats_unreadable_credentials_as_none() -> None:
    assert _authorization("Basic é") is None
