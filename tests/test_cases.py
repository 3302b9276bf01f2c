"""Every case of every topic, against every framework's snippet, in-process.

The cases live in ``snippets/<topic>/cases.yaml``; this one test runs them all
through each framework's own test client, so a broken snippet fails with its
file name and the case that caught it. A topic's ``claims`` (in ``topic.yaml``) name the
article's claims its cases are evidence for, per framework.
"""

from __future__ import annotations

import os

import pytest

from tests.support.clients import RAW_SENDERS
from verified_guide.cases import Observed, answers_differ, check, from_runner
from verified_guide.topics import FRAMEWORKS, Case, Topic, all_topics

#: ``GUIDE_CASE_FRAMEWORKS=django`` runs one framework's cases (the version matrix does).
ONLY = set(filter(None, os.environ.get("GUIDE_CASE_FRAMEWORKS", "").split(",")))
assert not ONLY - set(FRAMEWORKS), (
    f"GUIDE_CASE_FRAMEWORKS names no framework: {ONLY - set(FRAMEWORKS)}"
)


def _params() -> list:
    params = []
    for topic in all_topics():
        for case in topic.cases:
            for framework in case.frameworks:
                if ONLY and framework not in ONLY:
                    continue
                marks = [pytest.mark.django_db] if framework == "django" else []
                claims = topic.meta.claims.get(framework)
                if claims:
                    marks.append(pytest.mark.claim(*claims))
                params.append(
                    pytest.param(
                        topic,
                        framework,
                        case,
                        id=f"{topic.slug}/{framework}/{case.name}",
                        marks=marks,
                    )
                )
    return params


@pytest.fixture
def django_urlconf(request: pytest.FixtureRequest) -> None:
    """Point Django at the snippet under test, for Django cases only."""
    topic, framework = (
        request.node.callspec.params["topic"],
        request.node.callspec.params["framework"],
    )
    if framework == "django":
        settings = request.getfixturevalue("settings")
        settings.ROOT_URLCONF = topic.module_name("django")


@pytest.mark.usefixtures("django_urlconf")
@pytest.mark.parametrize(("topic", "framework", "case"), _params())
def test_case(topic: Topic, framework: str, case: Case) -> None:
    problems = check(RAW_SENDERS[framework](topic), case, framework)
    snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
    assert not problems, (
        f"{snippet} fails case {case.name!r} ({case.request['method']} {case.request['path']}):\n  "
        + "\n  ".join(problems)
    )


def test_two_runtimes_answer_alike_only_with_one_status_and_a_body_that_meets_the_case() -> None:
    """The parity test's comparison (``answers_differ``): a body may differ from the other
    runtime's only by random values, or where both still meet the case."""
    expected = {"status": 200, "contains": ["<form"]}
    form = '<form><input name="csrf" value="{}"></form>'
    cpython = Observed(200, "text/html", form.format("a" * 40).encode())
    pyodide = Observed(200, "text/html", form.format("b" * 40).encode())
    assert not answers_differ(expected, cpython, pyodide)  # only the token differs
    other = Observed(200, "text/html", b"<form>another, still a form</form>")
    assert not answers_differ(expected, cpython, other)  # both meet the case
    broken = Observed(200, "text/html", b"Traceback (most recent call last)")
    assert answers_differ(expected, cpython, broken)
    assert answers_differ(expected, cpython, Observed(500, "text/html", cpython.body))
    answer = from_runner({"status": 200, "headers": [["Content-Type", "text/html"]], "body": "x"})
    assert answer.content_type == "text/html" and answer.headers == {"Content-Type": "text/html"}
