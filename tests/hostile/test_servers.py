"""Hostile requests against the three demo apps under their production servers.

Each server of ``DEMO_SERVERS`` (uvicorn, granian, gunicorn; Django under both WSGI and
ASGI) runs with production settings (debug off), and gets every topic's fixed attacks on what
a server parses (headers, sizes, encodings, charsets, forgeries; the odd JSON values a snippet
reads are sent in-process) plus Hypothesis-drawn ones over one kept-alive connection. It is
the session's shared server (``demo_servers``), attacked after the tests that need it
untouched (the cases, the health check, the forgeries), so it starts once for all of them. A
request that gets a 5xx, no answer within five seconds, a dropped connection, or a body with
a traceback or a path fails the test, which names it. The counts go to
``.cache/hostile/report.json``.
"""

from __future__ import annotations

import httpx
import pytest

from tests.hostile.attack import failure_message, run_fixed, run_generated
from tests.hostile.forgery import credentials
from tests.hostile.inputs import HostileRequest, fixed_requests, templates
from tests.hostile.verdict import HANG_SECONDS, Answer, Report, Tally
from tests.support.demo_servers import DemoServers, server_param
from verified_guide.frameworks import REGISTRY
from verified_guide.servers import DEMO_SERVERS
from verified_guide.topics import mounted_topics

pytestmark = [pytest.mark.slow, pytest.mark.attacks_demo_servers]

#: Hypothesis-drawn requests per topic and server, on top of the fixed attacks (which carry the
#: attacks on the server's own parsing: huge and deep bodies, big headers, every forgery). The
#: drawn ones mutate fields the app validates, which the in-process suite draws for every topic
#: too (tests/hostile/test_in_process.py), so 20 here keep the run short on six servers.
EXAMPLES = 20


def _sender(client: httpx.Client, prefix: str):
    """Send over the kept-alive connection; a timeout is a hang, a dropped connection a fault.

    Requests the client itself refuses to put on the wire (a NUL in a header value) are not
    attacks a server can see, and are not counted.
    """

    def send(request: HostileRequest) -> Answer | None:
        client.cookies.clear()
        try:
            try:
                resp = client.request(
                    request.method, prefix + request.path, content=request.body,
                    headers=list(request.headers),
                )  # fmt: skip
            except httpx.RemoteProtocolError:
                # A kept-alive connection the server closed just before the request: resend
                # once on a new one. Dropped twice, it counts as a fault (below).
                resp = client.request(
                    request.method, prefix + request.path, content=request.body,
                    headers=list(request.headers),
                )  # fmt: skip
        except httpx.LocalProtocolError:
            return None
        except httpx.TimeoutException:
            return Answer(0, b"", HANG_SECONDS + 1)
        except httpx.TransportError as exc:
            return Answer(0, b"", 0.0, f"connection dropped: {type(exc).__name__}")
        return Answer(resp.status_code, resp.content, resp.elapsed.total_seconds())

    return send


@pytest.mark.parametrize("server_name", [server_param(name) for name in sorted(DEMO_SERVERS)])
def test_demo_app_survives_hostile_requests(
    server_name: str, demo_servers: DemoServers, hostile_report: Report
) -> None:
    framework = REGISTRY.server(server_name).framework.id
    failed: list[str] = []
    sent = 0
    server = demo_servers.attack(server_name).running
    with httpx.Client(base_url=server.base_url, timeout=HANG_SECONDS) as client:
        for topic in mounted_topics(framework):  # with its variants, at their own mounts
            topic_templates = templates(topic, framework)
            if not topic_templates:
                continue
            label = topic.snippet_path(framework).stem  # django_ninja for that variant
            tally: Tally = hostile_report.tally(topic.slug, label, server_name)
            send = _sender(client, f"/{topic.mount}")
            tokens, cookies = credentials(topic, framework, odd_cookies=False)
            # The JSON values a snippet reads from a body are the in-process suite's: the
            # same app code answers them under every server.
            attacks = fixed_requests(topic_templates, tokens, cookies, json_values=False)
            run_fixed(send, attacks, tally)
            run_generated(send, topic_templates, tally, EXAMPLES, tokens, cookies)
            sent += tally.counts["sent"]
            if tally.counts["failed"]:
                failed.append(failure_message(f"{server_name} /{topic.mount}", tally))
        assert server.alive(), f"{server_name} died:\n{server.log_tail()}"
    assert sent, f"{server_name}: no hostile request was sent (no topic has a case to vary?)"
    assert not failed, "\n".join(failed)
