"""The CSRF round trip (token from a GET, then a POST with it) and Django's site-wide CSP."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from snippets.security import flask as flask_snippet


def _hidden(name: str, html: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no hidden {name} field in {html!r}"
    return match.group(1)


@pytest.mark.django_db
def test_django_post_with_the_token_from_the_form_is_accepted(settings) -> None:
    settings.ROOT_URLCONF = "snippets.security.django"
    client = Client(enforce_csrf_checks=True)
    page = client.get("/hello")
    assert "csrftoken" in page.cookies
    token = _hidden("csrfmiddlewaretoken", page.text)
    resp = client.post("/comment", {"text": "hi", "csrfmiddlewaretoken": token})
    assert resp.status_code == 200
    assert resp.json() == {"received": "hi"}
    # The same POST without the token still fails, with the cookie set.
    assert client.post("/comment", {"text": "hi"}).status_code == 403


@pytest.mark.django_db
def test_django_site_wide_csp_comes_from_secure_csp(settings) -> None:
    from django.utils.csp import CSP

    settings.ROOT_URLCONF = "snippets.security.django"
    assert "Content-Security-Policy" not in Client().get("/api/data").headers
    settings.SECURE_CSP = {"default-src": [CSP.SELF]}
    assert Client().get("/api/data").headers["Content-Security-Policy"] == "default-src 'self'"


def test_flask_post_with_the_token_from_the_form_is_accepted() -> None:
    client = flask_snippet.app.test_client()
    token = _hidden("csrf_token", client.get("/hello").text)
    resp = client.post("/comment", data={"text": "hi", "csrf_token": token})
    assert resp.status_code == 200
    assert resp.get_json() == {"received": "hi"}
    assert client.post("/comment", data={"text": "hi", "csrf_token": "forged"}).status_code == 400


def test_fastapi_headers_are_on_every_response() -> None:
    from fastapi.testclient import TestClient

    from snippets.security.fastapi import app

    resp = TestClient(app).get("/api/data")
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
