"""Schemathesis against the apps that publish an OpenAPI schema, in-process.

Requests are generated from each operation's schema, valid and invalid (bodies, paths,
queries), with the topic's real bearer token, so the write endpoints are reached too. Every
answer must be below 500, have a documented content type, and a body that matches the
schema of its status; its status must be documented too, except the ones an app's
``undocumented`` lists, each with the reason its framework leaves it out of the schema.
Bounded: ``EXAMPLES`` requests per operation, derandomized.

Django REST framework publishes no schema (it needs drf-spectacular, which this site does
not install), so it gets the requests drawn from Django Ninja's schema of the same Books
API (``test_rest_api.py`` checks the operations match) and is held to "no 5xx" only.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from verified_guide.topics import Topic, get_topic, import_snippet

pytestmark = pytest.mark.hostile

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
EXAMPLES = 20

# Why a framework answers a status its generated schema does not list (the checks still
# hold the body of every documented status to its schema).
BEARER_401 = "its bearer-token dependency answers 401; the schema states the security scheme"
NOT_FOUND_404 = "the handler raises a 404 for an unknown id; the snippet documents no error model"
BAD_JSON_400 = "a body that is not JSON is a 400 from the parser, before validation"
NINJA_422 = "Django Ninja lists only the statuses in response=, never its validation 422"


@dataclass(frozen=True)
class App:
    """One app under test and the statuses it may answer without documenting them."""

    slug: str
    snippet: str  # the file's stem: fastapi, flask, django or a variant's (django_ninja)
    token: str  # the environment variable holding its bearer token
    undocumented: dict[int, str] = field(default_factory=dict)
    #: Another app's schema, for an app that publishes none (checked for 5xx only).
    schema_of: str | None = None

    @property
    def id(self) -> str:
        return f"{self.slug}/{self.snippet}"

    @property
    def framework(self) -> str:
        return self.snippet.split("_")[0]  # a variant's file starts with its framework

    def topic(self) -> Topic:
        """The topic, or its variant that stands in for the framework with this file."""
        topic = get_topic(self.slug)
        found = [
            t
            for t in (topic, *topic.variants())
            if t.snippet_path(self.framework).stem == self.snippet
        ]
        return found[0]


APPS = [
    App("api_docs", "fastapi", "ITEMS_API_TOKEN", {401: BEARER_401}),
    App("api_docs", "flask", "ITEMS_API_TOKEN", {400: BAD_JSON_400}),
    App(
        "api_docs",
        "django",
        "ITEMS_API_TOKEN",
        {400: BAD_JSON_400, 401: BEARER_401, 422: NINJA_422},
    ),
    App("rest_api", "fastapi", "BOOKS_API_TOKEN", {401: BEARER_401, 404: NOT_FOUND_404}),
    App("rest_api", "flask", "BOOKS_API_TOKEN", {400: BAD_JSON_400}),
    App(
        "rest_api",
        "django_ninja",
        "BOOKS_API_TOKEN",
        {400: BAD_JSON_400, 401: BEARER_401, 404: NOT_FOUND_404, 422: NINJA_422},
    ),
    App("rest_api", "django", "BOOKS_API_TOKEN", schema_of="django_ninja"),
]
CONFORMANCE = [not_a_server_error, content_type_conformance, response_schema_conformance]


def _fresh_state(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """The generated POSTs and DELETEs change the snippet's in-memory store: restore it after,
    so a later test in this process sees the store the cases expect."""
    for name, value in vars(module).items():
        if name.isupper() and isinstance(value, dict):
            monkeypatch.setattr(module, name, copy.deepcopy(value))


def _schema(app: App, request: pytest.FixtureRequest) -> Any:
    """The app's published schema, loaded from it as a client would, bound to the app."""
    topic, framework = app.topic(), app.framework
    module = import_snippet(topic, framework)
    _fresh_state(module, request.getfixturevalue("monkeypatch"))
    if framework == "fastapi":
        return schemathesis.openapi.from_asgi("/openapi.json", module.app)
    if framework == "flask":
        return schemathesis.openapi.from_wsgi("/openapi.json", module.app)
    from django.core.handlers.wsgi import WSGIHandler

    django_settings = request.getfixturevalue("settings")
    if app.schema_of is None:
        django_settings.ROOT_URLCONF = topic.module_name(framework)
        return schemathesis.openapi.from_wsgi("/openapi.json", WSGIHandler())
    publisher = App(app.slug, app.schema_of, app.token).topic()
    django_settings.ROOT_URLCONF = publisher.module_name(framework)
    published = schemathesis.openapi.from_wsgi("/openapi.json", WSGIHandler()).raw_schema
    django_settings.ROOT_URLCONF = topic.module_name(framework)
    schema = schemathesis.openapi.from_dict(published)
    schema.app = WSGIHandler()
    return schema


def _problems(app: App, case: Any, response: Any, headers: dict[str, str]) -> list[str]:
    checks: list[Callable] = [not_a_server_error] if app.schema_of else list(CONFORMANCE)
    if app.schema_of is None and response.status_code not in app.undocumented:
        checks.append(status_code_conformance)
    try:
        case.validate_response(response, checks=checks, headers=headers)
    except (Failure, FailureGroup) as exc:
        failures = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
        where = f"{case.method} {case.formatted_path} -> {response.status_code}"
        return [f"{where}: {failure.title}" for failure in failures]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS, ids=[app.id for app in APPS])
def test_openapi_app_answers_generated_requests(app: App, request: pytest.FixtureRequest) -> None:
    schema = _schema(app, request)
    headers = {"Authorization": f"Bearer {os.environ[app.token]}"}
    problems: set[str] = set()
    calls: list[str] = []
    operations = list(schema.get_all_operations())
    documented = sum(
        method in HTTP_METHODS for item in schema.raw_schema["paths"].values() for method in item
    )
    assert operations and len(operations) == documented, (
        f"snippets/{app.id}.py: {len(operations)} operations generated for the schema's"
        f" {documented}"
    )
    for result in operations:
        operation = result.ok()
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes)))
        def attack(case: Any) -> None:
            response = case.call(headers=headers)
            calls.append(case.method)
            problems.update(_problems(app, case, response, headers))

        attack()
    assert calls, f"snippets/{app.id}.py: no generated request was sent"
    assert not problems, f"snippets/{app.id}.py:\n" + "\n".join(sorted(problems))
