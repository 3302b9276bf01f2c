"""The validation topic's helpers, checked where the cases cannot see them."""

from __future__ import annotations

import base64
import os

import pytest
from werkzeug.test import EnvironBuilder

from snippets.rest_api import flask as rest_api_flask
from snippets.validation.flask_apiflask import LenientAuthRequest
from verified_guide.topics import get_topic


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


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"title": "x", "year": ' + b"9" * 5_000 + b"}"],
    ids=["nested 100,000 deep", "a 5,000-digit number"],
)
def test_apiflask_refuses_unreadable_json_as_it_refuses_malformed_json(body: bytes) -> None:
    """validation.md: ``hardened(app)`` answers a body json.loads cannot read (RecursionError,
    ValueError) as webargs answers malformed JSON, not with a 500."""
    case = next(c for c in get_topic("rest_api").cases if c.name == "malformed JSON is rejected")
    expected = case.expected("flask")
    headers = {"Authorization": f"Bearer {os.environ['BOOKS_API_TOKEN']}"}
    client = rest_api_flask.app.test_client()
    resp = client.post("/books", data=body, content_type="application/json", headers=headers)
    assert resp.status_code == expected["status"]
    assert all(text in resp.get_data(as_text=True) for text in expected["contains"])
