"""The CSRF round trip (token from a GET, then a POST with it), Django's site-wide CSP, and the
body-size limits (413) that cases cannot carry: a case's body is data, not a megabyte."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import re
import secrets

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.exception import response_for_exception
from django.test import Client, RequestFactory
from fastapi import FastAPI, Request

from snippets.security import flask as flask_snippet
from tests.support.asgi import http_scope
from tests.support.fresh_interpreter import run_fresh


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "urlconf", ["snippets.security.django", "demo_apps.django_app.config.urls"]
)
def test_django_body_over_the_limit_gets_413_other_bad_requests_400(settings, urlconf) -> None:
    """handler400 turns Django's RequestDataTooBig (DATA_UPLOAD_MAX_MEMORY_SIZE) into 413,
    also when CsrfViewMiddleware, not the view, is the first to read the body. Without it,
    Django answers 400 (security.md says both)."""
    settings.ROOT_URLCONF = "snippets.hello.django"  # a URLconf with Django's own handler400
    default = response_for_exception(RequestFactory().post("/"), RequestDataTooBig("too big"))
    assert default.status_code == 400
    settings.ROOT_URLCONF = urlconf
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    prefix = "" if urlconf.startswith("snippets") else "/security"
    client = Client(enforce_csrf_checks=True)
    client.get(f"{prefix}/hello")  # the CSRF cookie: with it, the middleware reads the body
    too_big = client.post(f"{prefix}/comment", {"text": "x" * 1000})
    assert too_big.status_code == 413 and too_big.json() == {"detail": "Request body too large"}
    too_many = client.post(f"{prefix}/comment", {f"f{n}": "1" for n in range(4)})
    assert too_many.status_code == 400 and too_many.json() == {"detail": "Bad request"}


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

    client = TestClient(app, base_url="https://localhost")
    answers = [client.get("/api/data"), client.get("/nowhere"), client.delete("/api/data")]
    assert [resp.status_code for resp in answers] == [200, 404, 405]
    for resp in answers:
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_fastapi_body_limit_answers_413_for_declared_and_streamed_bodies() -> None:
    """The snippet's ``max_body_size`` refuses a body over the limit whether its size is
    declared or not, before any view reads it; security.md says FastAPI sets no limit itself."""
    from fastapi.testclient import TestClient

    from snippets.security import fastapi as snippet

    assert inspect.signature(FastAPI).parameters["max_body_size"].default is None
    limit = snippet.MAX_BODY_BYTES

    def chunks():  # no Content-Length: the limit counts what arrives
        yield from (b"x" * (limit // 2 + 1), b"x" * (limit // 2 + 1))

    with TestClient(snippet.app, base_url="https://localhost") as client:
        assert client.post("/hello", content=b"x" * limit).status_code == 405  # under: routed
        assert client.post("/hello", content=b"x" * (limit + 1)).status_code == 413

    # A streamed body is counted as a view reads it (the snippet's views read none).
    echo = FastAPI(max_body_size=limit)

    @echo.post("/echo")
    async def read_all(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    with TestClient(echo) as client:
        assert client.post("/echo", content=b"x" * limit).json() == {"received": limit}
        assert client.post("/echo", content=chunks()).status_code == 413


def test_flask_body_limit_answers_413() -> None:
    limit = flask_snippet.app.config["MAX_CONTENT_LENGTH"]
    resp = flask_snippet.app.test_client().post(
        "/comment",
        data=b"text=" + b"x" * limit,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.status_code == 413


def test_fastapi_and_flask_take_the_allowed_hosts_from_the_environment() -> None:
    """``GUIDE_ALLOWED_HOSTS`` replaces the default hosts (read at import, so in a fresh
    interpreter): the cases send the default Host, so a misspelt name would go unnoticed."""
    code = (
        "from fastapi.testclient import TestClient\n"
        "from snippets.security import fastapi, flask\n"
        "for host in ('guide.example', 'localhost'):\n"
        "    url = f'https://{host}/api/data'\n"
        "    print(TestClient(fastapi.app).get(url).status_code,\n"
        "          flask.app.test_client().get(url).status_code)\n"
    )
    env = {
        "GUIDE_ALLOWED_HOSTS": "guide.example",
        "GUIDE_SECRET_KEY": secrets.token_urlsafe(32),  # the Flask snippet requires one
    }
    assert run_fresh(code, env).split() == ["200", "200", "400", "400"]


# --------------------------------------------------------------------------- charsets (Django)

NOT_TEXT = "application/x-www-form-urlencoded; charset=hex"


@pytest.mark.parametrize(
    ("content_type", "problem"),
    [
        (NOT_TEXT, "not text"),
        ("text/plain; charset=rot13", "not text"),
        ("multipart/form-data; boundary=zz; charset=idna", "not text"),
        ("text/plain; charset*=utf-8''a%00b", "unparsable"),  # codecs.lookup: ValueError
        ("text/plain; a=" + "x" * 20_000, "unparsable"),  # too long for Django's parser
        ("text/plain; charset=utf-7", "surrogates"),  # "+2AA-" decodes to "\ud800"
        ("text/plain; charset=UTF7", "surrogates"),  # an alias of the same codec
        ("text/plain; charset=unicode_escape", "surrogates"),
        ("text/plain; charset=punycode", "surrogates"),  # "ib9b" decodes to "\ud800"
        ("multipart/form-data; boundary=zz; charset=raw-unicode-escape", "surrogates"),
        ("text/plain; charset=utf-16", None),  # a text encoding: Django decodes with it
        ("text/plain; charset=no-such-codec", None),  # ignored by Django: DEFAULT_CHARSET
        ("text/plain", None),
        ("", None),
    ],
)
def test_django_charset_check_refuses_codecs_that_are_no_text_encoding(
    content_type: str, problem: str | None
) -> None:
    from snippets.security.django_charset import unusable_charset

    assert unusable_charset(content_type) == problem


@pytest.mark.django_db
def test_django_charset_middleware_answers_415_under_wsgi_and_asgi(settings) -> None:
    """The middleware's sync and async paths (a WSGI and an ASGI stack), before CSRF."""
    import asyncio

    from django.test import AsyncClient

    settings.ROOT_URLCONF = "snippets.security.django"
    # generic(): post() would encode the body with that charset, and raise as Django does.
    form = ("POST", "/comment", b"text=hi")
    sync = Client(enforce_csrf_checks=True).generic(*form, content_type=NOT_TEXT)
    asynchronous = asyncio.run(
        AsyncClient(enforce_csrf_checks=True).generic(*form, content_type=NOT_TEXT)
    )
    for response in (sync, asynchronous):
        assert (response.status_code, response.content) == (415, b"Unsupported charset\n")
    assert Client().get("/hello").status_code == 200  # no Content-Type: passed on
    assert asyncio.run(AsyncClient().get("/hello")).status_code == 200


@pytest.mark.django_db
def test_django_without_the_charset_check_answers_500(settings) -> None:
    """security.md: without the check, such a request "was a 500" (here the uploads topic's
    view: Django decodes the multipart field names with the charset, and raises)."""
    from demo_apps.django_app.config.middleware import CHARSET_MIDDLEWARE

    settings.ROOT_URLCONF = "snippets.uploads.django"
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != CHARSET_MIDDLEWARE]
    body = (
        b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--zz--\r\n"
    )
    client = Client(raise_request_exception=False)
    content_type = "multipart/form-data; boundary=zz; charset=hex"
    assert client.generic("POST", "/files", body, content_type=content_type).status_code == 500


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["name=+2AA-", "name=%2B2AA-"])
def test_django_refuses_a_query_that_utf7_decodes_to_a_lone_surrogate(settings, query) -> None:
    """security.md: under WSGI Django decodes the query with the request's charset, and UTF-7
    turns "+2AA-" into a lone surrogate that the page cannot encode: a 500 without the check."""
    from demo_apps.django_app.config.middleware import CHARSET_MIDDLEWARE

    settings.ROOT_URLCONF = "snippets.security.django"
    utf7 = {"CONTENT_TYPE": "text/plain; charset=utf-7"}
    refused = Client().get(f"/hello?{query}", **utf7)
    assert (refused.status_code, refused.content) == (415, b"Unsupported charset\n")
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != CHARSET_MIDDLEWARE]
    unchecked = Client(raise_request_exception=False)  # its handler loads MIDDLEWARE now
    assert unchecked.get(f"/hello?{query}", **utf7).status_code == 500


# --------------------------------------------------------------------------- charsets (FastAPI)


@pytest.mark.parametrize(
    ("content_type", "refused"),
    [
        ("multipart/form-data; boundary=zz; charset=utf-7", True),
        ('multipart/form-data; boundary=zz; charset="UTF-7"', True),
        ("multipart/form-data; boundary=zz; charset=unicode_escape", True),
        ("text/plain; charset=raw-unicode-escape", True),
        ("multipart/form-data; boundary=zz; charset=punycode", True),  # "ib9b" is "\ud800"
        ("multipart/form-data; boundary=zz; charset=undefined", True),  # raises UnicodeError
        ("multipart/form-data; boundary=zz; charset=idna", True),  # so does this, with "replace"
        ('text/plain; charset="a\x00b"', True),  # codecs.lookup: ValueError, as in Starlette
        ("multipart/form-data; boundary=zz; charset=utf-8", False),
        ("multipart/form-data; boundary=zz; charset=hex", False),  # LookupError: Latin-1
        ("text/plain; charset=no-such-codec", False),
        ("multipart/form-data; boundary=zz", False),
        ("", False),
    ],
)
def test_fastapi_charset_check_refuses_codecs_that_decode_to_surrogates_or_raise(
    content_type: str, refused: bool
) -> None:
    from snippets.security.fastapi_charset import unusable_charset

    assert unusable_charset(content_type) is refused


def form_in(charset: str, **fields: str) -> tuple[bytes, dict[str, str]]:
    """A multipart form that says its fields are in ``charset``, its field names written in it
    (Punycode's "username" is "username-"): Starlette decodes names and values with it."""

    def written(name: str) -> str:
        try:
            return name.encode(charset).decode("ascii")
        except (LookupError, UnicodeError):  # "undefined" encodes nothing
            return name

    parts = b"".join(
        f'--zz\r\nContent-Disposition: form-data; name="{written(name)}"\r\n\r\n{value}\r\n'
        .encode()
        for name, value in fields.items()
    )  # fmt: skip
    content_type = f"multipart/form-data; boundary=zz; charset={charset}"
    return parts + b"--zz--\r\n", {"Content-Type": content_type}


@pytest.mark.parametrize(
    ("topic", "charset", "password"),
    [
        ("auth", "utf-7", "+2AA-"),  # "\ud800" reaches the password hash
        ("admin", "utf-7", "+2AA-"),
        ("auth", "punycode", "ib9b"),  # so does this
        ("admin", "undefined", "x"),  # SQLAdmin reads the form itself: the UnicodeError escapes
    ],
)
def test_fastapi_login_refuses_a_utf7_form_that_would_hash_a_lone_surrogate(
    topic: str, charset: str, password: str, monkeypatch
) -> None:
    """security.md: "+2AA-" in a UTF-7 form reaches the password hash of the auth topic's login
    and of SQLAdmin's as "\\ud800", which it cannot encode: without the check, a 500 for any
    client, no account needed; as did the "undefined" codec's UnicodeError in SQLAdmin's."""
    from fastapi.testclient import TestClient

    from snippets.security.fastapi_charset import TextCharsetsOnly

    app = importlib.import_module(f"snippets.{topic}.fastapi").app
    body, headers = form_in(charset, username=f"nobody{secrets.token_hex(6)}", password=password)
    client = TestClient(app, raise_server_exceptions=False)
    refused = client.post("/login", content=body, headers=headers)
    assert (refused.status_code, refused.text) == (415, "Unsupported charset\n")
    unchecked = [m for m in app.user_middleware if m.cls is not TextCharsetsOnly]
    assert len(unchecked) == len(app.user_middleware) - 1
    monkeypatch.setattr(app, "user_middleware", unchecked)
    monkeypatch.setattr(app, "middleware_stack", None)  # built again without the check
    assert client.post("/login", content=body, headers=headers).status_code == 500


UNPARSABLE = b"text/plain; charset*=utf-8''a%00b"
#: An origin the security topic's CORS settings allow: CorsMiddleware answers it.
ALLOWED_ORIGIN = b"https://app.example.com"


async def _asgi(app, *content_types: bytes) -> tuple[int, bytes, set[bytes]]:
    """GET /hello through an ASGI application, as a server sends it: (status, body, the
    names of the response's headers)."""
    headers = [(b"host", b"testserver"), (b"origin", ALLOWED_ORIGIN)]
    scope = http_scope("GET", "/hello", [*headers, *((b"content-type", t) for t in content_types)])
    sent: list[dict] = []
    body = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict:
        if body:
            return body.pop()
        return await asyncio.Future()  # the client stays connected until the handler is done

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    names = {name.lower() for name, _ in sent[0]["headers"]}
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), names


@pytest.mark.django_db
def test_django_asgi_wrapper_answers_415_for_a_content_type_django_cannot_parse(settings) -> None:
    """security.md: under ASGI, Django raises on a NUL in an encoded ``charset*=`` while it
    builds the request, before the middleware: the exception leaves Django's ASGI handler, and
    the server "answered 500". asgi.py wraps the application in a check for that header; the
    middleware refuses the other charsets, with the headers the stack adds to every answer."""
    from django.core.asgi import get_asgi_application

    from snippets.security.django_charset import unparsable_content_type_asgi

    settings.ROOT_URLCONF = "snippets.security.django"
    django_app = get_asgi_application()
    with pytest.raises(ValueError, match="null character"):
        asyncio.run(_asgi(django_app, UNPARSABLE))
    wrapped = unparsable_content_type_asgi(django_app)
    status, body, headers = asyncio.run(_asgi(wrapped, UNPARSABLE))
    assert (status, body) == (415, b"Unsupported charset\n")
    assert b"access-control-allow-origin" not in headers  # answered before Django's middleware
    # Django joins a repeated Content-Type with commas before it parses: so does the check.
    assert asyncio.run(_asgi(wrapped, b"text/plain", UNPARSABLE))[0] == 415
    assert asyncio.run(_asgi(wrapped, b"text/plain"))[0] == 200
    status, body, headers = asyncio.run(_asgi(wrapped, b"text/plain; charset=hex"))
    assert (status, body) == (415, b"Unsupported charset\n")  # the middleware's refusal
    assert b"access-control-allow-origin" in headers  # CorsMiddleware's, above the check


def test_django_charset_wsgi_wrapper_answers_before_django_builds_the_request() -> None:
    """Under WSGI, Django's request raises on such a charset before any middleware runs (the
    query string is decoded while the encoding is set), so wsgi.py wraps the application."""
    from snippets.security.django_charset import text_charsets_only_wsgi

    calls: list[str] = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"ok"]

    wrapped = text_charsets_only_wsgi(app)
    statuses: list[str] = []

    def start_response(status: str, headers: list) -> None:
        statuses.append(status)

    refused = wrapped({"PATH_INFO": "/a", "CONTENT_TYPE": NOT_TEXT}, start_response)
    passed = wrapped({"PATH_INFO": "/b", "CONTENT_TYPE": "text/plain"}, start_response)
    assert (refused, passed, calls) == ([b"Unsupported charset\n"], [b"ok"], ["/b"])
    assert statuses == ["415 Unsupported Media Type", "200 OK"]
