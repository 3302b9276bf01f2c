"""Environment variables change the settings: a fresh settings object or app sees them."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.test import Client

from snippets.configuration import django_settings
from snippets.configuration import fastapi as fastapi_snippet
from snippets.configuration import flask as flask_snippet
from snippets.configuration.secret_env import MissingSecretError, require_secret
from verified_guide.secret_env import SECRET_VARIABLES

ENV = {"SHOP_APP_NAME": "Corner shop", "SHOP_NEW_CHECKOUT": "true", "SHOP_SECRET_KEY": "hunter2"}
EXPECTED = {"app_name": "Corner shop", "new_checkout": True, "debug": False}


@pytest.fixture
def shop_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("shop_env")
def test_fastapi_settings_come_from_the_environment() -> None:
    from fastapi.testclient import TestClient

    settings = fastapi_snippet.Settings()
    assert settings.secret_key.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings)
    app = fastapi_snippet.app
    app.dependency_overrides[fastapi_snippet.get_settings] = lambda: settings
    try:
        client = TestClient(app)
        info = client.get("/info")
        assert info.json() == EXPECTED
        assert "hunter2" not in info.text
        assert client.get("/checkout").json() == {"checkout": "new"}
    finally:
        app.dependency_overrides.clear()


@pytest.mark.usefixtures("shop_env")
def test_flask_config_comes_from_the_environment() -> None:
    app = flask_snippet.create_app()
    assert app.config["SECRET_KEY"] == "hunter2"
    client = app.test_client()
    info = client.get("/info")
    assert info.get_json() == EXPECTED
    assert b"hunter2" not in info.data
    assert client.get("/checkout").get_json() == {"checkout": "new"}


@pytest.mark.parametrize("key", ["null", "false", "1234567890" * 5])
def test_flask_secret_key_stays_text_when_it_parses_as_json(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: from_prefixed_env("SHOP") reads SHOP_SECRET_KEY again and parses it as JSON,
    so a key of digits became a number and "null" None, after require_secret had checked it."""
    monkeypatch.setenv("SHOP_SECRET_KEY", key)
    assert flask_snippet.create_app().config["SECRET_KEY"] == key


@pytest.mark.usefixtures("shop_env")
def test_django_settings_come_from_the_environment(settings) -> None:
    fresh = importlib.reload(django_settings)
    try:
        assert (fresh.APP_NAME, fresh.NEW_CHECKOUT) == ("Corner shop", True)
        settings.ROOT_URLCONF = "snippets.configuration.django"
        settings.APP_NAME, settings.NEW_CHECKOUT = fresh.APP_NAME, fresh.NEW_CHECKOUT
        client = Client()
        assert client.get("/info").json() == EXPECTED
        assert client.get("/checkout").json() == {"checkout": "new"}
    finally:
        importlib.reload(django_settings)


def test_defaults_without_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings that are not secret have defaults; the secret keeps its session value."""
    for name in ENV:
        if name != "SHOP_SECRET_KEY":
            monkeypatch.delenv(name, raising=False)
    assert fastapi_snippet.Settings().new_checkout is False
    assert flask_snippet.create_app().config["NEW_CHECKOUT"] is False
    assert importlib.reload(django_settings).NEW_CHECKOUT is False


@pytest.fixture
def no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production mode with every secret missing (one is set but empty: that counts too)."""
    monkeypatch.delenv("GUIDE_DEBUG", raising=False)
    for name in SECRET_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHOP_SECRET_KEY", "")


@pytest.mark.usefixtures("no_secrets")
def test_a_missing_secret_stops_each_framework_naming_the_variable() -> None:
    with pytest.raises(MissingSecretError, match=r"^SHOP_SECRET_KEY is not set"):
        fastapi_snippet.Settings()
    with pytest.raises(MissingSecretError, match=r"^SHOP_SECRET_KEY is not set"):
        flask_snippet.create_app()
    try:
        with pytest.raises(MissingSecretError, match=r"^DJANGO_SECRET_KEY is not set"):
            importlib.reload(django_settings)
    finally:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DJANGO_SECRET_KEY", settings.SECRET_KEY)
            importlib.reload(django_settings)


@pytest.mark.usefixtures("no_secrets")
def test_debug_flag_gives_a_random_key_marked_insecure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIDE_DEBUG", "1")
    with pytest.warns(UserWarning, match="SHOP_SECRET_KEY is not set: using a random INSECURE"):
        first = require_secret("SHOP_SECRET_KEY")
    with pytest.warns(UserWarning):
        second = fastapi_snippet.Settings().secret_key.get_secret_value()
    assert first.startswith("insecure-development-key-")
    assert first != second, "a new key per process start, never a constant"
    assert len(first) > 50


@pytest.mark.parametrize(("flag", "debug"), [("1", True), ("0", False), ("true", False)])
def test_django_debug_is_on_with_guide_debug_1_only(
    flag: str, debug: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUIDE_DEBUG", flag)
    try:
        assert importlib.reload(django_settings).DEBUG is debug
    finally:
        monkeypatch.undo()
        importlib.reload(django_settings)


@pytest.mark.parametrize("flag", ["0", "true", "yes", ""])
def test_only_guide_debug_1_enables_the_development_key(
    flag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUIDE_DEBUG", flag)
    monkeypatch.delenv("SHOP_SECRET_KEY")
    with pytest.raises(MissingSecretError):
        require_secret("SHOP_SECRET_KEY")


def test_a_secret_that_is_not_utf8_stops_the_app_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """review: such a key let the app start, then every token check (`API_TOKEN.encode()`)
    was a 500. os.environ hands its bytes over as lone surrogates."""
    monkeypatch.setenv("SHOP_SECRET_KEY", b"tok\xffen-long-enough".decode(errors="surrogateescape"))
    with pytest.raises(MissingSecretError, match=r"^SHOP_SECRET_KEY is not valid UTF-8"):
        require_secret("SHOP_SECRET_KEY")


NOT_UTF8 = b"tok\xffen-long-enough".decode(errors="surrogateescape")


@pytest.mark.parametrize(
    ("key", "problem"), [(NOT_UTF8, "is not valid UTF-8"), (" \t ", "is blank")]
)
def test_fastapi_settings_check_a_key_read_from_the_environment(
    key: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review: pydantic-settings reads SHOP_SECRET_KEY itself, so require_secret (the default
    factory) never saw a key that was set: one that is not text started the app, and every
    use of it (an HMAC, a JWT) would have been a 500."""
    monkeypatch.setenv("SHOP_SECRET_KEY", key)
    with pytest.raises(MissingSecretError, match=f"^SHOP_SECRET_KEY {problem}"):
        fastapi_snippet.Settings()


def test_a_blank_secret_stops_the_app_like_a_missing_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """review: a key of spaces was accepted: as public as a default."""
    monkeypatch.setenv("SHOP_SECRET_KEY", "   ")
    with pytest.raises(MissingSecretError, match=r"^SHOP_SECRET_KEY is blank"):
        require_secret("SHOP_SECRET_KEY")


@pytest.mark.parametrize("flag", ["False", "off", "no", "1", '"true"'])
def test_flask_refuses_a_feature_flag_that_is_not_true_or_false(
    flag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review: from_prefixed_env keeps text that is not JSON as text, and text is true:
    SHOP_NEW_CHECKOUT=False turned the new checkout on."""
    monkeypatch.setenv("SHOP_NEW_CHECKOUT", flag)
    with pytest.raises(ValueError, match=r"^SHOP_NEW_CHECKOUT must be true or false$"):
        flask_snippet.create_app()


def test_flask_feature_flag_false_keeps_the_page_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_NEW_CHECKOUT", "false")
    assert flask_snippet.create_app().test_client().get("/checkout").status_code == 404
