"""The REST API topic: what the cases cannot express.

Writes need the bearer token, which is a secret from the environment (``BOOKS_API_TOKEN``)
and so cannot be written into ``cases.yaml``: the authorised create/update/delete round trip
and the validation errors are here, for the four implementations (FastAPI, Django REST
framework, Django Ninja, APIFlask). Django Ninja is a second Django file, so it also runs
the topic's cases here. The OpenAPI schemas of the three that generate one are compared.
"""

from __future__ import annotations

import copy
import json
import os
import runpy
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from fastapi.testclient import TestClient

from snippets.configuration.secret_env import MissingSecretError
from snippets.rest_api import django as drf_snippet
from snippets.rest_api import django_ninja as ninja_snippet
from snippets.rest_api import fastapi as fastapi_snippet
from snippets.rest_api import flask as flask_snippet
from tests.support.clients import RAW_SENDERS
from verified_guide.cases import check
from verified_guide.topics import get_topic

Send = Callable[..., tuple[int, Any]]
IMPLEMENTATIONS = {
    "fastapi": fastapi_snippet,
    "drf": drf_snippet,
    "django_ninja": ninja_snippet,
    "flask": flask_snippet,
}
DJANGO_URLCONFS = {
    "drf": "snippets.rest_api.django",
    "django_ninja": "snippets.rest_api.django_ninja",
}
#: Django Ninja as topic.yaml's ``variants:`` declares it (its answers where it differs from DRF).
(NINJA,) = get_topic("rest_api").variants()


def _sender(name: str, settings: Any) -> Send:
    token = os.environ["BOOKS_API_TOKEN"]

    def headers(auth: bool) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if auth else {}

    if name == "fastapi":
        client = TestClient(fastapi_snippet.app)
        return lambda method, path, body=None, auth=True: _parsed(
            client.request(method, path, json=body, headers=headers(auth))
        )
    if name == "flask":
        flask_client = flask_snippet.app.test_client()
        return lambda method, path, body=None, auth=True: _parsed(
            flask_client.open(path, method=method, json=body, headers=headers(auth))
        )
    settings.ROOT_URLCONF = DJANGO_URLCONFS[name]
    django_client = Client(enforce_csrf_checks=True)
    return lambda method, path, body=None, auth=True: _parsed(
        django_client.generic(
            method,
            path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers(auth),
        )
    )


def _parsed(response: Any) -> tuple[int, Any]:
    status = response.status_code
    data = response.content if hasattr(response, "content") else response.get_data()
    return status, (json.loads(data) if data else None)


@pytest.fixture(
    params=[
        pytest.param(name, marks=[pytest.mark.claim("django-ecosystem")] if name == "drf" else [])
        for name in IMPLEMENTATIONS
    ]
)
def send(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Send:
    """A client for one implementation, its in-memory books restored after the test."""
    module: ModuleType = IMPLEMENTATIONS[request.param]
    monkeypatch.setattr(module, "BOOKS", copy.deepcopy(module.BOOKS))
    settings = request.getfixturevalue("settings") if request.param in DJANGO_URLCONFS else None
    return _sender(request.param, settings)


@pytest.mark.django_db
def test_create_update_delete_with_the_token(send: Send) -> None:
    status, book = send("POST", "/books", {"title": "Solaris", "year": 1961})
    assert (status, book) == (201, {"id": 4, "title": "Solaris", "year": 1961})
    assert send("GET", "/books/4", auth=False) == (200, book)
    status, changed = send("PUT", "/books/4", {"title": "Solaris", "year": 1962})
    assert (status, changed) == (200, {"id": 4, "title": "Solaris", "year": 1962})
    assert send("GET", "/books?year=1962", auth=False) == (200, {"count": 1, "results": [changed]})
    assert send("DELETE", "/books/4")[0] == 204
    assert send("GET", "/books/4", auth=False)[0] == 404
    assert send("DELETE", "/books/4")[0] == 404
    assert send("PUT", "/books/999", {"title": "Nope", "year": 2000})[0] == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"title": "", "year": 1000}, {"title", "year"}),
        ({"year": 1961}, {"title"}),
        ({"title": "Solaris", "year": "nineteen"}, {"year"}),
        ({"title": ["a list"], "year": 1961}, {"title"}),
    ],
    ids=["empty title and year out of range", "missing title", "year not a number", "title a list"],
)
def test_invalid_book_names_the_fields(send: Send, body: dict, fields: set[str]) -> None:
    status, error = send("POST", "/books", body)
    assert status in {400, 422}
    assert all(field in json.dumps(error) for field in fields), error
    assert send("GET", "/books", auth=False)[1]["count"] == 3  # nothing was stored


@pytest.mark.django_db
def test_body_that_is_not_an_object_is_a_4xx(send: Send) -> None:
    assert send("POST", "/books", ["not", "a", "book"])[0] in {400, 422}


@pytest.mark.claim("django-ecosystem")
@pytest.mark.django_db
def test_drf_viewset_router_and_serializer(settings: Any) -> None:
    """DRF's router generated the list and detail routes from the ViewSet."""
    names = {p.name for p in drf_snippet.router.urls}
    assert names == {"book-list", "book-detail"}
    assert drf_snippet.BookSerializer(data={"title": "x", "year": 2200}).is_valid() is False


@pytest.mark.django_db
@pytest.mark.parametrize("case", NINJA.cases, ids=lambda c: c.name)
def test_django_ninja_answers_the_cases(case: Any, settings: Any) -> None:
    """The second Django file runs the same cases as the DRF one (the demo app mounts it too,
    at /rest_api/django_ninja/, where tests/test_demo_servers.py sends them again)."""
    settings.ROOT_URLCONF = NINJA.module_name("django")
    problems = check(RAW_SENDERS["django"](NINJA), case, "django")
    assert not problems, f"snippets/rest_api/django_ninja.py fails {case.name!r}: {problems}"


@cache
def _flask_spec() -> dict:
    """APIFlask's spec, generated once (a second generation warns about re-added schemas)."""
    with flask_snippet.app.app_context():
        return flask_snippet.app.spec


def _operations(schema: dict) -> dict[tuple[str, str], set[str]]:
    """(path, method) -> the documented status codes, with path parameters normalised."""
    operations = {}
    for path, methods in schema["paths"].items():
        normal = path.replace("{book_id}", "{id}")
        for method, operation in methods.items():
            operations[(normal, method)] = {str(code) for code in operation["responses"]}
    return operations


def test_openapi_schemas_document_the_same_operations(settings: Any) -> None:
    """FastAPI, Django Ninja and APIFlask generate OpenAPI from the code; the same operations
    appear in all three (DRF needs drf-spectacular, which this site does not install)."""
    settings.ROOT_URLCONF = DJANGO_URLCONFS["django_ninja"]  # Ninja reverses its URLs
    schemas = {
        "fastapi": fastapi_snippet.app.openapi(),
        "django_ninja": ninja_snippet.api.get_openapi_schema(),
        "flask": _flask_spec(),
    }
    operations = {name: _operations(schema) for name, schema in schemas.items()}
    expected = {
        ("/books", "get"), ("/books", "post"), ("/books/{id}", "get"),
        ("/books/{id}", "put"), ("/books/{id}", "delete"),
    }  # fmt: skip
    for name, ops in operations.items():
        assert set(ops) == expected, name
        assert "201" in ops[("/books", "post")], name
        assert "204" in ops[("/books/{id}", "delete")], name
    assert "422" not in operations["django_ninja"][("/books", "post")]  # only what response= lists


def _inputs_and_responses(schema: dict) -> list[tuple[str, set[str], bool, set[str]]]:
    """Per operation: its name, where its inputs are (path, query, body), whether it has a
    security requirement, and its documented statuses."""
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            inputs = {p["in"] for p in op.get("parameters", [])}
            inputs |= {"body"} if "requestBody" in op else set()
            found.append((f"{method} {path}", inputs, "security" in op, set(op["responses"])))
    return found


def test_openapi_extras_each_generator_adds() -> None:
    """rest_api.md, "The OpenAPI schemas": what each generator documents unasked. FastAPI a
    422 on every operation with any input; APIFlask a 422 where a query or body is validated
    and a 401 on every operation behind ``@app.auth_required``, and neither elsewhere."""
    fastapi = _inputs_and_responses(fastapi_snippet.app.openapi())
    assert all(("422" in statuses) == bool(inputs) for _, inputs, _, statuses in fastapi), fastapi
    flask = _inputs_and_responses(_flask_spec())
    for name, inputs, secured, statuses in flask:
        assert ("422" in statuses) == bool(inputs & {"query", "body"}), name
        assert ("401" in statuses) == secured, name
    assert any(secured for _, _, secured, _ in flask)


#: Where each version reads the token at start: Django's in the project's settings (the view
#: modules load on the first request; tests/test_fail_closed.py starts the project without it).
READS_THE_TOKEN = {
    "fastapi": fastapi_snippet.__file__,
    "flask": flask_snippet.__file__,
    "django": str(Path(drf_snippet.__file__).with_name("django_settings.py")),
}


@pytest.mark.parametrize("value", [None, ""], ids=["missing", "empty"])
@pytest.mark.parametrize("name", list(READS_THE_TOKEN))
def test_a_missing_or_empty_token_stops_the_app(
    name: str, value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUIDE_DEBUG", "0")
    if value is None:
        monkeypatch.delenv("BOOKS_API_TOKEN")
    else:
        monkeypatch.setenv("BOOKS_API_TOKEN", value)
    with pytest.raises(MissingSecretError, match="BOOKS_API_TOKEN is not set"):
        runpy.run_path(READS_THE_TOKEN[name])


def test_schemas_leave_out_statuses_the_apis_answer(settings: Any) -> None:
    """rest_api.md, "The schema is not the whole contract": the statuses each generated schema
    leaves out, which tests/hostile/test_schemathesis.py sees the apps answer."""
    settings.ROOT_URLCONF = NINJA.module_name("django")
    fastapi = _operations(fastapi_snippet.app.openapi())
    assert not {"401", "404"} & fastapi[("/books/{id}", "put")]
    assert "400" not in _operations(_flask_spec())[("/books", "post")]
    assert _operations(ninja_snippet.api.get_openapi_schema())[("/books", "post")] == {"201"}


@pytest.mark.django_db
@pytest.mark.parametrize("urlconf", sorted(DJANGO_URLCONFS.values()))
def test_django_apis_take_the_bearer_scheme_in_any_case(urlconf: str, settings: Any) -> None:
    """review: DRF's authentication compared the scheme with "Bearer" exactly, so a client
    sending "bearer" (HTTP says a scheme's name is case-insensitive) got 401."""
    settings.ROOT_URLCONF = urlconf
    resp = Client().post(
        "/books",
        {"title": "Lowercase", "year": 2001},
        content_type="application/json",
        headers={"Authorization": f"bearer {os.environ['BOOKS_API_TOKEN']}"},
    )
    assert resp.status_code == 201, resp.content


def test_what_each_library_refuses_in_text_on_its_own() -> None:
    """rest_api.md, "Text is not only length": DRF refuses a NUL, Pydantic refuses half a
    UTF-16 pair in JSON, marshmallow takes both (so APIFlask's schema checks)."""
    from marshmallow import fields
    from pydantic import TypeAdapter, ValidationError
    from rest_framework import serializers

    with pytest.raises(serializers.ValidationError):
        serializers.CharField().run_validation("Solaris\x00")
    with pytest.raises(ValidationError):
        TypeAdapter(str).validate_json('"Solaris\\ud800"')
    assert fields.String().deserialize("Solaris\ud800\x00") == "Solaris\ud800\x00"
    assert TypeAdapter(str).validate_json('"Solaris\\u0000"') == "Solaris\x00"
