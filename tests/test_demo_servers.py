"""The demo apps under their production servers, answering every case over real HTTP.

Each server runs as a subprocess on a free 127.0.0.1 port for the duration of
its test and is always stopped; a server that fails to start fails the test
with the tail of its log.
"""

from __future__ import annotations

from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import httpx
import pytest

from scripts.live.runner import request_parts
from scripts.servers import DEMO_SERVERS, RunningServer, serve
from scripts.topics import Case, Topic, all_topics
from tests.support.responses import Observed, mismatches

pytestmark = pytest.mark.slow
HTTP_AS_HTTPS = DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))


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


@pytest.mark.parametrize("server_name", sorted(DEMO_SERVERS))
def test_demo_app_answers_every_case(server_name: str, tmp_path: Path) -> None:
    framework = server_name.split("-")[0]
    env = {"GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    failures = []
    with serve(server_name, DEMO_SERVERS[server_name], env=env) as server:
        for topic in all_topics():
            for case in topic.cases:
                if framework not in case.frameworks:
                    continue
                problems = _run_case(server, topic, case, framework)
                if problems:
                    snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
                    failures.append(f"{snippet} / {case.name}: " + "; ".join(problems))
        assert server.process.poll() is None, f"{server_name} died:\n{server.log_tail()}"
    assert not failures, f"{server_name}:\n" + "\n".join(failures)
