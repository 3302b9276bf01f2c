"""The validation topic's helpers, checked where the cases cannot see them."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import BaseModel
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
    case = get_topic("rest_api").case("malformed JSON is rejected")
    expected = case.expected("flask")
    headers = {"Authorization": f"Bearer {os.environ['BOOKS_API_TOKEN']}"}
    client = rest_api_flask.app.test_client()
    resp = client.post("/books", data=body, content_type="application/json", headers=headers)
    assert resp.status_code == expected["status"]
    assert all(text in resp.get_data(as_text=True) for text in expected["contains"])


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_strict_json_gives_the_app_a_body_limit(framework: str) -> None:
    """security review: a JSON snippet copied alone read a body of any size (200 MB in, +1 GB
    of memory for Flask). strict_json, which every FastAPI and Flask JSON snippet calls, now
    sets a limit: one byte past it is refused with 413 before the view reads anything."""
    # validation.md: "neither framework limits a body by default"
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from flask import Flask

    from snippets.validation import fastapi as fastapi_validation
    from snippets.validation import flask as flask_validation
    from snippets.validation.fastapi_strict import MAX_JSON_BYTES

    assert FastAPI().max_body_size is None and Flask.default_config["MAX_CONTENT_LENGTH"] is None
    body = b'{"name": "' + b"x" * MAX_JSON_BYTES + b'", "price": 1}'
    headers = {"Content-Type": "application/json"}
    if framework == "fastapi":
        resp = TestClient(fastapi_validation.app).post("/items", content=body, headers=headers)
        status = resp.status_code
    else:
        client = flask_validation.app.test_client()
        status = client.post("/items", data=body, headers=headers).status_code
    assert status == 413


@pytest.mark.parametrize("path", ["rest_api", "api_docs"])
def test_apiflask_apps_refuse_a_body_over_the_limit_before_the_token_check(path: str) -> None:
    """security review: ``hardened`` read and parsed a JSON body of any size before the view
    checked the token (20 MiB without a token: about a second, then 401). One byte past the
    limit is now a 413, whoever sends it."""
    from snippets.api_docs import flask as api_docs_flask
    from snippets.validation.flask_apiflask import MAX_JSON_BYTES

    app = {"rest_api": rest_api_flask.app, "api_docs": api_docs_flask.app}[path]
    body = b"[" + b"0," * (MAX_JSON_BYTES // 2) + b"0]"
    resp = app.test_client().post(
        "/books" if path == "rest_api" else "/items", data=body, content_type="application/json"
    )
    assert resp.status_code == 413


class Note(BaseModel):
    text: str


def test_strict_json_refuses_a_router_that_would_parse_loosely() -> None:
    """review: a route on a plain APIRouter keeps its router's class when included, so the
    app's strict parsing never reached it, and a lone surrogate in a body was a 500. The
    strict router parses like the app's own routes; a plain one is refused at start."""
    from fastapi import APIRouter, FastAPI
    from fastapi.testclient import TestClient

    from snippets.validation.fastapi_strict import StrictJSONRoute, strict_json

    app, strict, plain = strict_json(FastAPI()), APIRouter(route_class=StrictJSONRoute), APIRouter()
    for router in (strict, plain):

        @router.post("/notes")
        def add(note: Note) -> Note:
            return note

    refused = r"\['/notes'\]: use APIRouter\(route_class=StrictJSONRoute"
    with pytest.raises(TypeError, match=refused):
        app.include_router(plain, prefix="/plain")
    app.include_router(strict, prefix="/strict")
    body = b'{"text": "\\ud800"}'
    headers = {"Content-Type": "application/json"}
    resp = TestClient(app).post("/strict/notes", content=body, headers=headers)
    assert resp.status_code == 422 and "json_invalid" in resp.text


@pytest.mark.parametrize(
    ("topic", "path", "field"),
    [("validation", "/items", "name"), ("database", "/items", "name"),
     ("async_database", "/authors", "name"), ("background", "/signup", "email")],
)  # fmt: skip
def test_flask_422s_do_not_echo_the_rejected_input(topic: str, path: str, field: str) -> None:
    """review: Pydantic's errors() echo each rejected value, a card number or password a
    client sent by mistake among them; FastAPI's strict handler leaves it out, and so do the
    Flask snippets (include_input=False)."""
    import importlib

    app = importlib.import_module(f"snippets.{topic}.flask").app
    body = {field: ["not", "a", "string"], "card_number": "4111111111111111"}
    resp = app.test_client().post(path, json=body)
    assert resp.status_code == 422
    assert "4111" not in resp.text and '"input"' not in resp.text, resp.text
