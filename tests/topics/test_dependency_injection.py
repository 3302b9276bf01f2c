"""Swapping dependencies in tests: what the cases (one request each) cannot show."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from snippets.dependency_injection import fastapi as fastapi_snippet
from snippets.dependency_injection import flask as flask_snippet
from snippets.dependency_injection.fastapi import Settings, User, current_user, get_settings
from snippets.dependency_injection.tokens import DuplicateTokenError, load_tokens, user_for_token

# The users' tokens as this session's environment holds them (tests/support/secret_env.py).
ADA, BOB = os.environ["ADA_API_TOKEN"], os.environ["BOB_API_TOKEN"]


@pytest.fixture
def overrides():
    app = fastapi_snippet.app
    yield app.dependency_overrides
    app.dependency_overrides.clear()


def test_fastapi_override_current_user(overrides) -> None:
    overrides[current_user] = lambda: User(name="test-user")
    resp = TestClient(fastapi_snippet.app).get("/me")  # no token header needed any more
    assert resp.status_code == 200
    assert resp.json() == {"user": "test-user"}


def test_fastapi_override_settings_reaches_nested_dependency(overrides) -> None:
    overrides[get_settings] = lambda: Settings(max_page_size=5)
    client = TestClient(fastapi_snippet.app)
    headers = {"X-Token": ADA}
    assert client.get("/items?limit=5", headers=headers).status_code == 200
    resp = client.get("/items?limit=6", headers=headers)
    assert resp.status_code == 422
    assert resp.json() == {"detail": "limit must be 1-5, offset >= 0"}


def test_fastapi_settings_read_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("MAX_PAGE_SIZE", "3")
    assert Settings().max_page_size == 3


def test_flask_page_size_from_config(monkeypatch) -> None:
    monkeypatch.setitem(flask_snippet.app.config, "MAX_PAGE_SIZE", 2)
    client = flask_snippet.app.test_client()
    resp = client.get("/items?limit=3", headers={"X-Token": BOB})
    assert resp.status_code == 400
    assert resp.json == {"detail": "limit must be 1-2, offset >= 0"}


def test_flask_g_is_per_request() -> None:
    client = flask_snippet.app.test_client()
    assert client.get("/me", headers={"X-Token": ADA}).json == {"user": "ada"}
    assert client.get("/me", headers={"X-Token": BOB}).json == {"user": "bob"}
    assert client.get("/me").status_code == 401


def test_django_middleware_sets_request_attribute(rf) -> None:
    from snippets.dependency_injection.django import me

    request = rf.get("/me", headers={"X-Token": BOB})
    resp = me(request)
    assert resp.status_code == 200
    assert request.token_user == "bob"


def test_one_token_given_to_two_users_stops_the_app() -> None:
    with pytest.raises(DuplicateTokenError, match="ada and bob have one token"):
        load_tokens({"ada": ADA, "bob": ADA})


@pytest.mark.parametrize(
    "guess",
    [ADA[:-1], ADA + "x", ADA.upper() if ADA.upper() != ADA else ADA.lower(), "", None, "é\ud800"],
    ids=["prefix", "longer", "other-case", "empty", "absent", "non-ascii-and-surrogate"],
)
def test_only_the_exact_token_names_a_user(guess) -> None:
    assert user_for_token(ADA) == "ada" and user_for_token(BOB) == "bob"
    assert user_for_token(guess) is None


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_a_token_outside_ascii_is_401_not_500(framework) -> None:
    token = "tökén"  # sent as Latin-1 bytes, which each server decodes to this text
    if framework == "fastapi":
        headers = {"X-Token": token.encode("latin-1")}
        resp = TestClient(fastapi_snippet.app).get("/me", headers=headers)
        assert (resp.status_code, resp.json()) == (401, {"detail": "Invalid token"})
    else:
        resp = flask_snippet.app.test_client().get("/me", headers={"X-Token": token})
        assert (resp.status_code, resp.json) == (401, {"detail": "Invalid token"})


@pytest.mark.parametrize("value", ["fifty", "0", "1000000000"])
def test_fastapi_refuses_a_page_size_setting_out_of_bounds(monkeypatch, value: str) -> None:
    """review: Settings() was first built inside a request, and a failed build is not cached:
    MAX_PAGE_SIZE=fifty made every request a 500, and a billion was taken as a page size. The
    module now builds it at import, within bounds."""
    monkeypatch.setenv("MAX_PAGE_SIZE", value)
    with pytest.raises(ValidationError, match="max_page_size"):
        Settings()
