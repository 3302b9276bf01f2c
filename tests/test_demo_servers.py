"""The demo apps under their production servers, answering every case over real HTTP.

Each server runs as a subprocess on a free 127.0.0.1 port for the duration of
its test and is always stopped; a server that fails to start fails the test
with the tail of its log.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.cookiejar import DefaultCookiePolicy

import httpx
import pytest

from scripts.live.runner import request_parts
from scripts.servers import DEMO_SERVERS, RunningServer, serve
from scripts.topics import Case, Topic, all_topics
from tests.support.responses import Observed, mismatches

HTTP_AS_HTTPS = DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
# A server that is slow to start under load fails the test: the message says so.
pytestmark = [pytest.mark.slow, pytest.mark.timing]


def _run_case(server: RunningServer, topic: Topic, case: Case, framework: str) -> list[str]:
    """Send a case (its setup requests first) on a fresh client, so cookies never leak."""
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        # The apps mark session cookies Secure, as production behind TLS needs; here plain
        # HTTP on loopback stands in for the proxy's HTTPS, so send them back anyway.
        client.cookies.jar.set_policy(HTTP_AS_HTTPS)
        for request in (*case.before, case.request):
            body, headers = request_parts(request)
            path = f"/{topic.slug}{request['path']}"
            resp = client.request(request["method"], path, content=body, headers=headers)
    observed = Observed(
        resp.status_code, resp.headers.get("content-type", ""), resp.content, dict(resp.headers)
    )
    return mismatches(case.expected(framework), observed)


@pytest.fixture(scope="module", params=sorted(DEMO_SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, RunningServer]]:
    """One demo server for all the topics' tests (pytest groups the tests by server)."""
    name = request.param
    env = {"GUIDE_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp(name) / 'demo.db'}"}
    with serve(name, DEMO_SERVERS[name], env=env) as running:
        yield name, running


# The topic is the test id's first part, so `pytest -k <topic>` selects these tests too.
@pytest.mark.parametrize("topic", all_topics(), ids=lambda topic: topic.slug)
def test_demo_app_answers_every_case(server: tuple[str, RunningServer], topic: Topic) -> None:
    server_name, running = server
    framework = server_name.split("-")[0]
    failures = []
    for case in topic.cases:
        if framework not in case.frameworks:
            continue
        problems = _run_case(running, topic, case, framework)
        if problems:
            snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
            failures.append(f"{snippet} / {case.name}: " + "; ".join(problems))
    assert running.process.poll() is None, f"{server_name} died:\n{running.log_tail()}"
    assert not failures, f"{server_name}:\n" + "\n".join(failures)
