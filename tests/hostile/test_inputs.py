"""What the demo servers get: every framework's app gets every attack on one of its servers."""

from __future__ import annotations

from tests.hostile.forgery import credentials
from tests.hostile.inputs import fixed_requests, templates
from tests.hostile.test_servers import DEFAULT_SERVERS
from verified_guide.frameworks import REGISTRY
from verified_guide.topics import get_topic


def test_each_framework_has_one_server_that_gets_the_attacks_on_what_its_app_reads() -> None:
    frameworks = [REGISTRY.server(name).framework.id for name in DEFAULT_SERVERS]
    assert sorted(frameworks) == sorted(REGISTRY.ids)
    assert {server.name for server in REGISTRY.demo_servers} >= DEFAULT_SERVERS


def test_without_content_only_the_value_and_type_mutations_of_json_bodies_are_left_out() -> None:
    topic = get_topic("rest_api")
    found = templates(topic, "fastapi")
    tokens, cookies = credentials(topic, "fastapi", odd_cookies=False)
    every = fixed_requests(found, tokens, cookies)
    framing = fixed_requests(found, tokens, cookies, content=False)
    left_out = {r.label for r in every} - {r.label for r in framing}
    assert {r.label for r in framing} <= {r.label for r in every}
    assert left_out and all(label.startswith(("json [", "top-level JSON")) for label in left_out)
    kept = {r.label.split(" ")[0] for r in framing}
    assert {"64", "dates", "nested", "10", "authorization"} <= kept, kept
