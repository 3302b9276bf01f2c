"""A case, sent and judged one way everywhere: build its request, send it, compare the answer.

A case (``snippets/<topic>/cases.yaml``) is a request, optional ``before`` requests on the same
client, and the expected response. Every place that sends one uses this module, so a request
body, a header or a comparison cannot differ between them:

- the in-process test clients (``tests/support/clients.py``: one ``Send`` per framework),
- real HTTP against a running server (``http_sender``): the demo-server tests and the
  benchmark's check of each endpoint before it is timed (``verified_guide/bench/checks.py``),
- the browser runner (``verified_guide/live/runner.py``), which builds each request with
  ``request_parts`` here, and whose answers ``from_runner`` reads back, so the parity test
  compares the browser's answers with CPython's through ``mismatches`` and ``answers_differ``.

The runner runs in the reader's browser (Pyodide), so this module ships there too, beside it
(``verified_guide/live/mkdocs_hook.py``): it imports only the standard library when it runs, and
``tests/test_imports.py`` keeps it so.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # names for the type hints only: the browser has neither
    import httpx

    from verified_guide.topics import Case

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


# ---------------------------------------------------------------------------- requests


def _expand_secrets(value: str) -> str:
    """A header value with each ``${NAME}`` replaced by that environment variable: a case that
    needs a secret (a bearer token) names it instead of carrying a usable credential."""

    def secret(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise KeyError(f"a case's header needs ${{{name}}}, which is not in the environment")
        return os.environ[name]

    return re.sub(r"\$\{([A-Z][A-Z0-9_]*)\}", secret, value)


#: The boundary of a case's multipart ``files`` body: fixed, so every client sends the same bytes.
BOUNDARY = "guide-case-boundary"


def multipart_body(files: dict[str, dict[str, Any]]) -> bytes:
    """A multipart/form-data body with one part per file, as a browser's form would send it."""
    parts = []
    for name, spec in files.items():
        content = str(spec.get("content", "")) * int(spec.get("repeat", 1))
        head = (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{spec["filename"]}"\r\n'
            f"Content-Type: {spec['content_type']}\r\n\r\n"
        )
        parts.append(head.encode() + content.encode() + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def request_parts(request: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a case's request (JSON, raw text or multipart files): the one
    way every sender, the browser runner included, builds a request from a case."""
    headers = {k: _expand_secrets(str(v)) for k, v in (request.get("headers") or {}).items()}
    if request.get("json") is not None:
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(request["json"]).encode(), headers
    if request.get("files"):
        headers.setdefault("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        return multipart_body(request["files"]), headers
    if request.get("body"):
        return str(request["body"]).encode(), headers
    return b"", headers


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
    """The live runner's answer (``verified_guide/live/runner.py``): status, header pairs and
    body text, in the browser or in CPython."""
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


#: Values a response makes up afresh each time (CSP nonces; CSRF tokens, session ids and hashes:
#: runs of 32 or more token characters), which two runs of one case cannot share.
RANDOM_VALUES = (
    (re.compile(r'nonce="[^"]*"'), 'nonce="…"'),
    (re.compile(r"[A-Za-z0-9_.-]{32,}"), "…"),
)


def without_random_values(text: str) -> str:
    """``text`` with every per-response random value blanked."""
    for pattern, blank in RANDOM_VALUES:
        text = pattern.sub(blank, text)
    return text


def answers_differ(expected: dict[str, Any], first: Observed, second: Observed) -> bool:
    """Whether two runtimes (CPython and Pyodide) answered one case differently: another
    status, or another body that is not the same up to random values while both still
    meet the case (two CSRF forms differ only by their tokens; a wrong body never passes)."""
    if first.status != second.status:
        return True
    if without_random_values(first.text) == without_random_values(second.text):
        return False
    return bool(mismatches(expected, first) or mismatches(expected, second))
