"""A case, sent and judged one way everywhere: build its request, send it, compare the answer.

A case (``snippets/<topic>/cases.yaml``) is a request, optional ``before`` requests on the same
client, and the expected response. Every place that sends one uses this module, so a request
body, a header or a comparison cannot differ between them:

- the in-process test clients (``tests/support/clients.py``: one ``Send`` per framework),
- real HTTP against a running server (``http_sender``): the demo-server tests and the
  benchmark's check of each endpoint before it is timed (``scripts/bench/checks.py``),
- the browser runner, whose answers ``from_runner`` turns into an ``Observed``.

The request is built by ``request_parts`` of the live runner (``scripts/live/runner.py``):
that file also runs alone in the reader's browser, so it keeps the one copy, and every
sender here uses it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from scripts.live.runner import request_parts
from scripts.topics import Case

#: method, path (with query), body, headers (names may repeat; values as sent on the wire)
Send = Callable[[str, str, bytes, Sequence[tuple[str, bytes]]], "Observed"]


@dataclass(frozen=True)
class Observed:
    """What came back, reduced to what cases can assert on."""

    status: int
    content_type: str
    body: bytes
    #: Response headers; names are compared case-insensitively.
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def send_request(send: Send, request: dict[str, Any], prefix: str = "") -> Observed:
    """Send one request of a case (JSON, raw text or multipart body; headers as bytes, so a
    non-ASCII value such as ``Basic é`` goes out as the case wrote it)."""
    body, headers = request_parts(request)
    encoded = [(name, value.encode()) for name, value in headers.items()]
    return send(request.get("method", "GET"), prefix + request["path"], body, encoded)


def exchange(send: Send, case: Case, prefix: str = "") -> Observed:
    """A case's ``before`` requests, then its request, on one sender; the last answer."""
    for setup in case.before:
        send_request(send, setup, prefix)
    return send_request(send, case.request, prefix)


def check(send: Send, case: Case, framework: str, prefix: str = "") -> list[str]:
    """Every way the answer to ``case`` differs from what it expects of ``framework``."""
    return mismatches(case.expected(framework), exchange(send, case, prefix))


# ---------------------------------------------------------------------------- adapters


def from_httpx(resp: httpx.Response) -> Observed:
    return Observed(
        resp.status_code, resp.headers.get("content-type", ""), resp.content, dict(resp.headers)
    )


def cookies_as_over_https(client: httpx.Client) -> list[tuple[str, bytes]]:
    """A Cookie header with every cookie the client holds, Secure ones included.

    The apps mark session cookies Secure, as production behind TLS needs, and httpx (rightly)
    keeps those back over plain HTTP; here loopback HTTP stands in for the proxy's HTTPS. An
    explicit Cookie header replaces the one httpx would build, so nothing is sent twice.
    """
    pairs = [f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar]
    return [("Cookie", "; ".join(pairs).encode())] if pairs else []


def http_sender(client: httpx.Client) -> Send:
    """Real HTTP through ``client`` (its ``base_url`` is the server), as a browser behind TLS
    would send it: redirects not followed (a case sees the 3xx), cookies kept between the
    requests of one case."""

    def send(method: str, path: str, body: bytes, headers: Sequence[tuple[str, bytes]]):
        sent = {name.lower() for name, _ in headers}
        cookies = [] if "cookie" in sent else cookies_as_over_https(client)
        resp = client.request(
            method, path, content=body, headers=[*cookies, *headers], follow_redirects=False
        )
        return from_httpx(resp)

    return send


def from_runner(response: dict[str, Any]) -> Observed:
    """The live runner's answer (``scripts/live/runner.py``: status, header pairs, body text)."""
    headers = {name: value for name, value in response["headers"]}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return Observed(response["status"], content_type, response["body"].encode(), headers)


# ---------------------------------------------------------------------------- comparison


def _is_subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _is_subset(v, actual[k]) for k, v in expected.items()
        )
    return expected == actual


def mismatches(expected: dict[str, Any], observed: Observed) -> list[str]:
    """Every way ``observed`` differs from ``expected``; empty when it matches."""
    problems = []
    if observed.status != expected["status"]:
        problems.append(f"status {observed.status}, expected {expected['status']}")
    media_type = observed.content_type.split(";")[0].strip()
    want_type = expected.get("content_type")
    if want_type and media_type != want_type:
        problems.append(f"content type {media_type!r}, expected {want_type!r}")
    if expected.get("json") is not None or expected.get("json_subset") is not None:
        try:
            body = json.loads(observed.body)
        except ValueError:
            problems.append("body is not JSON")
        else:
            if expected.get("json") is not None and body != expected["json"]:
                problems.append(f"JSON body {body!r}, expected {expected['json']!r}")
            subset = expected.get("json_subset")
            if subset is not None and not _is_subset(subset, body):
                problems.append(f"JSON body {body!r} lacks {subset!r}")
    if expected.get("text") is not None and observed.text != expected["text"]:
        problems.append(f"body {observed.text!r}, expected {expected['text']!r}")
    received = {name.lower(): value for name, value in observed.headers.items()}
    for name, want in (expected.get("headers") or {}).items():
        got = received.get(name.lower())
        if want is None and got is not None:
            problems.append(f"header {name} is {got!r}, expected it absent")
        elif want is not None and got != str(want):
            problems.append(f"header {name} is {got!r}, expected {str(want)!r}")
    problems.extend(
        f"body lacks {fragment!r}"
        for fragment in expected.get("contains") or []
        if fragment not in observed.text
    )
    problems.extend(
        f"body contains {fragment!r}"
        for fragment in expected.get("not_contains") or []
        if fragment in observed.text
    )
    if problems:
        problems.append(f"body was: {observed.text[:500]!r}")
    return problems
