"""The demo apps under their production servers, answering every case over real HTTP.

Each server runs as a subprocess on a free 127.0.0.1 port for the duration of
its test and is always stopped; a server that fails to start fails the test
with the tail of its log.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scripts.frameworks import REGISTRY
from scripts.live.runner import request_parts
from scripts.servers import DEMO_SERVERS, RunningServer, serve
from scripts.topics import Case, Topic, all_topics
from tests.support.responses import Observed, mismatches

# A server that is slow to start under load fails the test: the message says so.
pytestmark = [pytest.mark.slow, pytest.mark.timing]


def cookies_as_over_https(client: httpx.Client) -> dict[str, str]:
    """A Cookie header with every cookie the client holds, Secure ones included.

    The apps mark session cookies Secure, as production behind TLS needs, and httpx (rightly)
    keeps those back over plain HTTP; here loopback HTTP stands in for the proxy's HTTPS. An
    explicit Cookie header replaces the one httpx would build, so nothing is sent twice.
    """
    pairs = [f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar]
    return {"Cookie": "; ".join(pairs)} if pairs else {}


def _run_case(server: RunningServer, topic: Topic, case: Case, framework: str) -> list[str]:
    """Send a case (its setup requests first) on a fresh client, so cookies never leak."""
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        for request in (*case.before, case.request):
            body, headers = request_parts(request)
            # As bytes: a case may send a non-ASCII header ("Basic é"), which httpx refuses as str.
            headers = {
                name: value.encode()
                for name, value in {**cookies_as_over_https(client), **headers}.items()
            }
            path = f"/{topic.mount}{request['path']}"
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
# A variant (topic.yaml's ``variants:``) runs as a topic of its own, at its own mount.
@pytest.mark.parametrize(
    "topic",
    [*all_topics(), *(v for t in all_topics() for v in t.variants())],
    ids=lambda topic: topic.mount,
)
def test_demo_app_answers_every_case(server: tuple[str, RunningServer], topic: Topic) -> None:
    server_name, running = server
    framework = REGISTRY.server(server_name).framework.id
    failures = []
    for case in topic.cases:
        if framework not in case.frameworks or framework not in topic.frameworks():
            continue  # (a variant is one framework's: the other servers do not mount it)
        problems = _run_case(running, topic, case, framework)
        if problems:
            snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
            failures.append(f"{snippet} / {case.name}: " + "; ".join(problems))
    assert running.process.poll() is None, f"{server_name} died:\n{running.log_tail()}"
    assert not failures, f"{server_name}:\n" + "\n".join(failures)
