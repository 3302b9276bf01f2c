"""The demo apps under their production servers, answering every case over real HTTP.

Each server runs as a subprocess on a free 127.0.0.1 port, started once per session and
shared with the other tests that need it (``demo_servers``, tests/support/demo_servers.py),
and is always stopped; a server that fails to start fails the test with the tail of its log.
Each case is sent on a fresh client, so cookies never leak from one case to the next. Nothing
here measures time (a slow start has three minutes), so these tests run beside the others.
"""

from __future__ import annotations

import httpx
import pytest

from scripts.cases import check, http_sender
from scripts.frameworks import REGISTRY
from scripts.servers import DEMO_SERVERS
from scripts.topics import Topic, all_topics
from tests.support.demo_servers import DemoServers, server_param

pytestmark = pytest.mark.slow


# The topic is in the test id, so `pytest -k <topic>` selects these tests too.
# A variant (topic.yaml's ``variants:``) runs as a topic of its own, at its own mount.
@pytest.mark.parametrize(
    ("server_name", "topic"),
    [
        server_param(server_name, topic, id=f"{server_name}-{topic.mount}")
        for server_name in sorted(DEMO_SERVERS)
        for topic in [*all_topics(), *(v for t in all_topics() for v in t.variants())]
    ],
)
def test_demo_app_answers_every_case(
    server_name: str, topic: Topic, demo_servers: DemoServers
) -> None:
    running = demo_servers.get(server_name).running
    framework = REGISTRY.server(server_name).framework.id
    failures = []
    for case in topic.cases:
        if framework not in case.frameworks or framework not in topic.frameworks():
            continue  # (a variant is one framework's: the other servers do not mount it)
        with httpx.Client(base_url=running.base_url, timeout=30) as client:
            problems = check(http_sender(client), case, framework, f"/{topic.mount}")
        if problems:
            snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
            failures.append(f"{snippet} / {case.name}: " + "; ".join(problems))
    assert running.process.poll() is None, f"{server_name} died:\n{running.log_tail()}"
    assert not failures, f"{server_name}:\n" + "\n".join(failures)
