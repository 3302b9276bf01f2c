"""Every case of every topic, against every framework's snippet, in-process.

The cases live in ``snippets/<topic>/cases.yaml``; this one test runs them all
through each framework's own test client, so a broken snippet fails with its
file name and the case that caught it. A topic's ``claims`` (in ``topic.yaml``) name the
article's claims its cases are evidence for, per framework.
"""

from __future__ import annotations

import os

import pytest

from scripts.cases import check
from scripts.topics import Case, Topic, all_topics
from tests.support.clients import RAW_SENDERS

#: ``GUIDE_CASE_FRAMEWORKS=django`` runs one framework's cases (the version matrix does).
ONLY = set(filter(None, os.environ.get("GUIDE_CASE_FRAMEWORKS", "").split(",")))


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
