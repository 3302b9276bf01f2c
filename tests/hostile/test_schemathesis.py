"""Schemathesis against the apps that publish an OpenAPI schema, in-process.

Requests are generated from each operation's schema (valid and invalid bodies, paths and
queries), with the topic's real bearer token, so the write endpoints are reached too. Every
answer must be below 500 (response-schema conformance is not checked yet). Bounded:
``EXAMPLES`` requests per operation, derandomized.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from scripts.topics import get_topic, import_snippet

pytestmark = pytest.mark.hostile

EXAMPLES = 10
#: (topic, framework, the environment variable holding its bearer token)
APPS = [
    ("api_docs", "fastapi", "ITEMS_API_TOKEN"),
    ("api_docs", "flask", "ITEMS_API_TOKEN"),
    ("rest_api", "fastapi", "BOOKS_API_TOKEN"),
    ("rest_api", "flask", "BOOKS_API_TOKEN"),
]


@pytest.mark.parametrize(("slug", "framework", "token"), APPS, ids=[f"{a}/{f}" for a, f, _ in APPS])
def test_openapi_app_answers_generated_requests(slug: str, framework: str, token: str) -> None:
    app = import_snippet(get_topic(slug), framework).app
    load = (
        schemathesis.openapi.from_asgi if framework == "fastapi" else schemathesis.openapi.from_wsgi
    )
    schema = load("/openapi.json", app)
    headers = {"Authorization": f"Bearer {os.environ[token]}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def attack(case) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        attack()
    assert not failures, f"snippets/{slug}/{framework}.py answered 5xx:\n" + "\n".join(failures)
