"""What the caching cases cannot express: a per-view cache really serves the stored response,
the same request after the cache is cleared runs the view again, and the headers Django's
cache_page adds besides Cache-Control."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache as django_cache
from django.core.cache import caches
from django.test import Client
from fastapi.testclient import TestClient

from snippets.caching import fastapi as fastapi_snippet
from snippets.caching import flask as flask_snippet
from tests.support.clients import RAW_SENDERS
from verified_guide.topics import get_topic

Get = Callable[[str], tuple[int, dict]]


def _fastapi_get(path: str) -> tuple[int, dict]:
    resp = TestClient(fastapi_snippet.app).get(path)
    return resp.status_code, resp.json()


def _flask_get(path: str) -> tuple[int, dict]:
    resp = flask_snippet.app.test_client().get(path)
    return resp.status_code, resp.get_json()


def _django_get(path: str) -> tuple[int, dict]:
    resp = Client().get(path)
    return resp.status_code, resp.json()


CLEAR: dict[str, Callable[[], None]] = {
    "fastapi": lambda: (fastapi_snippet.build_report.cache_clear(), fastapi_snippet.rates.clear()),
    "django": lambda: (django_cache.clear(), caches["pages"].clear()),
    "flask": flask_snippet.cache.clear,
}
GET: dict[str, Get] = {"fastapi": _fastapi_get, "django": _django_get, "flask": _flask_get}


@pytest.fixture
def caching_urls(settings) -> None:
    settings.ROOT_URLCONF = "snippets.caching.django"


@pytest.mark.usefixtures("caching_urls")
@pytest.mark.parametrize("framework", sorted(GET))
def test_the_view_runs_once_until_the_cache_is_cleared(framework: str) -> None:
    get, clear = GET[framework], CLEAR[framework]
    clear()
    first, second = get("/report"), get("/report")
    assert first == second, "the second request should be the stored response"
    clear()
    third = get("/report")
    assert third[1]["renders"] == first[1]["renders"] + 1, "a cleared cache runs the view again"


@pytest.mark.usefixtures("caching_urls")
@pytest.mark.parametrize("framework", sorted(GET))
def test_a_rate_is_computed_once_then_read_from_the_cache(framework: str) -> None:
    get, clear = GET[framework], CLEAR[framework]
    clear()
    assert get("/rates/GBP") == (200, {"code": "GBP", "rate": 1.27, "cached": False})
    assert get("/rates/GBP") == (200, {"code": "GBP", "rate": 1.27, "cached": True})


@pytest.mark.usefixtures("caching_urls")
def test_django_cache_page_also_sends_expires() -> None:
    CLEAR["django"]()
    resp = Client().get("/report")
    assert resp["Cache-Control"] == "max-age=60"
    assert resp.has_header("Expires")


@pytest.mark.usefixtures("caching_urls")
def test_cache_page_keys_on_the_query_string_flask_caching_does_not() -> None:
    """caching.md: Django stores one entry per query string, Flask-Caching one per path."""
    CLEAR["django"]()
    flask_snippet.cache.clear()
    assert _django_get("/report?a=1") != _django_get("/report?a=2")
    assert _flask_get("/report?a=1") == _flask_get("/report?a=2")


@pytest.mark.usefixtures("caching_urls")
def test_made_up_query_strings_cannot_push_other_values_out_of_djangos_cache() -> None:
    """cache_page stores an entry per query string a client makes up: in its own cache
    ("pages"), so the flood culls only pages, never the default cache's values (a rate here;
    in the demo app also the login limiter's counts, which an eviction would reset)."""
    CLEAR["django"]()
    assert _django_get("/rates/EUR")[1]["cached"] is False
    client = Client()
    for n in range(1100):  # past MAX_ENTRIES (1000), where a LocMemCache culls
        assert client.get(f"/report?x={n}").status_code == 200
    assert _django_get("/rates/EUR")[1]["cached"] is True


@pytest.mark.usefixtures("caching_urls")
@pytest.mark.parametrize("framework", ["fastapi", "flask", "django"])
@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("If-Modified-Since", "Sun, 06 Nov 99999999999 08:49:37 GMT"),
        ("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 +9999999999999"),
        ("If-Unmodified-Since", "Sun, 06 Nov 99999999999 08:49:37 GMT"),
    ],
)
def test_a_date_no_calendar_holds_is_ignored_not_a_500(
    framework: str, header: str, value: str
) -> None:
    """RFC 9110 ignores a conditional date that does not parse; Werkzeug's parser raised
    OverflowError for these, a 500 from Flask's make_conditional."""
    send = RAW_SENDERS[framework](get_topic("caching"))
    answer = send("GET", "/articles/1", b"", [(header, value.encode())])
    assert answer.status in {200, 412}, (answer.status, answer.body)
    if header == "If-Modified-Since":
        assert answer.status == 200 and b'"revision"' in answer.body
        # The date is ignored, not the request: a matching ETag still gets its 304.
        headers = send("GET", "/articles/1", b"", []).headers
        etag = next(v for k, v in headers.items() if k.lower() == "etag").encode()
        again = send("GET", "/articles/1", b"", [(header, value.encode()), ("If-None-Match", etag)])
        assert again.status == 304, (again.status, again.body)
