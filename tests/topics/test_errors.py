"""What the error-handling cases cannot express: Django's project-level handlers and logging."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import get_resolver

from snippets.errors import django_root_urls


@pytest.fixture
def root_urls(settings) -> None:
    settings.ROOT_URLCONF = "snippets.errors.django_root_urls"


@pytest.mark.usefixtures("root_urls")
def test_handler404_in_the_root_urlconf_answers_unknown_urls() -> None:
    resp = Client().get("/no/such/page")
    assert resp.status_code == 404
    assert resp.json() == {"error": {"status": 404, "message": "Not Found"}}


@pytest.mark.usefixtures("root_urls")
def test_the_included_api_keeps_its_own_handlers() -> None:
    resp = Client().get("/api/items/99")
    assert resp.json() == {"error": {"status": 404, "message": "Item 99 not found"}}


@pytest.mark.usefixtures("root_urls")
def test_handler500_is_resolved_from_the_root_urlconf(rf) -> None:
    handler = get_resolver().resolve_error_handler(500)
    assert handler is django_root_urls.server_error
    resp = handler(rf.get("/"))
    assert resp.status_code == 500
    assert b"Traceback" not in resp.content
    # The same JSON error shape as every other answer of the topic's API
    body = json.loads(resp.content)
    assert body == {"error": {"status": 500, "message": "Internal server error"}}


def test_handler404_in_an_included_module_is_ignored(settings) -> None:
    """The pitfall: the demo project includes the snippet, so Django's HTML 404 answers."""
    settings.ROOT_URLCONF = "demo_apps.django_app.config.urls"
    resp = Client().get("/errors/no/such/page")
    assert resp.status_code == 404
    assert resp["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_500_logs_the_traceback_but_does_not_send_it(framework, caplog) -> None:
    if framework == "fastapi":
        from fastapi.testclient import TestClient

        from snippets.errors.fastapi import app

        resp = TestClient(app).get("/boom")
        body = resp.content
    else:
        from snippets.errors.flask import app

        resp = app.test_client().get("/boom")
        body = resp.get_data()
    assert resp.status_code == 500
    assert b"hunter2" not in body
    assert b"Traceback" not in body
    assert any(r.exc_info and "hunter2" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.django_db
def test_django_500_logs_the_traceback_but_does_not_send_it(settings, caplog) -> None:
    settings.ROOT_URLCONF = "snippets.errors.django"
    with caplog.at_level(logging.ERROR):
        resp = Client().get("/boom")
    assert resp.status_code == 500
    assert b"hunter2" not in resp.content
    assert any(r.exc_info and "hunter2" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.django_db
def test_django_api_answers_a_body_over_the_limit_with_413(settings) -> None:
    """Ninja's handler for Django's RequestDataTooBig: 413, while other SuspiciousOperations
    stay 400 (both are the client's fault, neither is the catch-all's 500)."""
    from django.core.exceptions import SuspiciousOperation

    from snippets.errors.django import api

    settings.ROOT_URLCONF = "snippets.errors.django"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = '{"quantity": 1, "note": "' + "x" * 100 + '"}'
    resp = Client().post("/items/1/orders", body, content_type="application/json")
    assert resp.status_code == 413
    assert resp.json() == {"error": {"status": 413, "message": "Request body too large"}}
    other = api.on_exception(Client().request().wsgi_request, SuspiciousOperation("odd"))
    assert other.status_code == 400


def test_fastapi_orders_refuse_a_huge_body_and_nan_like_every_json_endpoint() -> None:
    """Review: this tab's app was a bare ``FastAPI()``, so a reader who copied it alone read a
    body of any size; the validation page says every FastAPI
    snippet that reads JSON calls ``strict_json(app)``."""
    from fastapi.testclient import TestClient

    from snippets.errors.fastapi import app
    from snippets.validation.fastapi_strict import MAX_JSON_BYTES

    client = TestClient(app)
    huge = b'{"quantity": 1, "pad": "' + b"x" * MAX_JSON_BYTES + b'"}'
    headers = {"Content-Type": "application/json"}
    refused = client.post("/items/1/orders", content=huge, headers=headers)
    # Starlette's own answer, not the snippet's shape (the page says so, and why)
    assert (refused.status_code, refused.text) == (413, "Content Too Large")
    nan = client.post("/items/1/orders", content=b'{"quantity": NaN}', headers=headers)
    assert nan.status_code == 400  # not JSON at all, for strict_json's parser
