"""Hostile requests against every topic's routes, per framework, through the test clients.

The requests are the topic's own cases, mutated (see ``inputs.py``). No answer may be a 5xx
or an exception, take over five seconds, or show a traceback or a path (``verdict.py``). The
tallies go to ``.cache/hostile/report.json``; each guide page shows them. ``make test`` runs
these before the site build (with the claim tests), so the page shows this run's counts.
"""

from __future__ import annotations

import pytest

from tests.hostile.attack import failure_message, run_fixed, run_generated, timed
from tests.hostile.forgery import credentials
from tests.hostile.inputs import HostileRequest, fixed_requests, templates
from tests.hostile.verdict import Report
from tests.support.clients import RAW_SENDERS
from verified_guide.topics import Topic, all_topics

pytestmark = pytest.mark.hostile

#: Hypothesis-drawn requests per topic and framework, on top of the fixed attacks.
EXAMPLES = 25


def _params() -> list:
    return [
        pytest.param(
            topic,
            framework,
            id=f"{topic.slug}/{topic.snippet_path(framework).stem}",
            marks=[pytest.mark.django_db] if framework == "django" else [],
        )
        # Variants (topic.yaml's ``variants:``, e.g. Django Ninja) are attacked like the rest.
        for topic in (*all_topics(), *(v for t in all_topics() for v in t.variants()))
        for framework in topic.frameworks()
        if templates(topic, framework)
    ]


@pytest.fixture
def django_urlconf(request: pytest.FixtureRequest) -> None:
    """Point Django at the snippet under test, for Django only."""
    topic, framework = (request.node.callspec.params[k] for k in ("topic", "framework"))
    if framework == "django":
        request.getfixturevalue("settings").ROOT_URLCONF = topic.module_name("django")


@pytest.mark.usefixtures("django_urlconf")
@pytest.mark.parametrize(("topic", "framework"), _params())
def test_snippet_survives_hostile_requests(
    topic: Topic, framework: str, hostile_report: Report
) -> None:
    raw = RAW_SENDERS[framework](topic)

    def send(request: HostileRequest) -> tuple[int, bytes]:
        observed = raw(request.method, request.path, request.body, request.headers)
        return observed.status, observed.body

    # A variant's tally is its own row (framework ``django_ninja``): pages show main snippets'.
    tally = hostile_report.tally(topic.slug, topic.snippet_path(framework).stem, "in-process")
    topic_templates = templates(topic, framework)
    tokens, cookies = credentials(topic, framework)
    answer = timed(send)
    run_fixed(answer, fixed_requests(topic_templates, tokens, cookies), tally)
    run_generated(answer, topic_templates, tally, EXAMPLES, tokens, cookies)
    snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
    assert not tally.counts["failed"], failure_message(str(snippet), tally)
