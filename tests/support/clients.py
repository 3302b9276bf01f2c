"""Each framework's own test client as a sender of ``verified_guide/cases.py``.

One adapter per kind of test client, chosen for each framework by its ``test_client`` in
verified_guide/frameworks.yaml, so the cases stay data and the test stays one loop: Starlette's
``TestClient`` for any ASGI app (FastAPI's), Django's ``Client``, Flask's ``test_client``.
An adapter sends raw requests (bytes bodies, repeated header names, header values as
bytes), which the hostile-request suite uses as they are and the case module builds from a
case.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from verified_guide.cases import Observed, Send, from_httpx, send_request
from verified_guide.frameworks import REGISTRY
from verified_guide.topics import Topic, import_snippet

Sender = Callable[[dict[str, Any]], Observed]
RawSender = Send


def as_wsgi(value: bytes) -> str:
    """A header value as a WSGI server hands it over: the wire bytes decoded as Latin-1."""
    return value.decode("latin-1")


def asgi_raw_sender(topic: Topic, framework: str) -> RawSender:
    from starlette.testclient import TestClient

    # Like the demo-server test (httpx), do not follow redirects: a case sees the 3xx itself.
    # HTTPS and a host name the snippets trust, as in production: Secure cookies come back.
    client = TestClient(
        import_snippet(topic, framework).app, base_url="https://localhost", follow_redirects=False
    )

    def send(method: str, path: str, body: bytes, headers: Sequence[tuple[str, bytes]]):
        return from_httpx(client.request(method, path, content=body, headers=list(headers)))

    return send


def flask_raw_sender(topic: Topic, framework: str) -> RawSender:
    client = import_snippet(topic, framework).app.test_client()

    def send(method: str, path: str, body: bytes, headers: Sequence[tuple[str, bytes]]):
        wsgi_headers = [(name, as_wsgi(value)) for name, value in headers]
        resp = client.open(path, method=method, data=body, headers=wsgi_headers)
        return Observed(
            resp.status_code,
            resp.headers.get("Content-Type", ""),
            resp.get_data(),
            dict(resp.headers),
        )

    return send


def django_body(resp: Any) -> bytes:
    """A Django response's body, streamed ones included (a StreamingHttpResponse has no
    ``content``); an async iterator is drained on an event loop, as an ASGI server would."""
    if not resp.streaming:
        return resp.content
    if resp.is_async:
        from asgiref.sync import async_to_sync

        async def drain() -> bytes:
            return b"".join([chunk async for chunk in resp.streaming_content])

        return async_to_sync(drain)()
    return b"".join(resp.streaming_content)


def _wsgi_refusal(checks: Callable, environ: dict[str, str]) -> Observed | None:
    """The answer the demo's ``wsgi.py`` checks give before Django builds a request (which
    raises on what they refuse), or None when they pass it on: the test client builds its
    request with no WSGI layer, so the checks are asked here."""
    answer: list[tuple[str, list[tuple[str, str]]]] = []

    def passed_on(environ: dict, start_response: Callable) -> None:
        return None

    body = checks(passed_on)(environ, lambda status, headers: answer.append((status, headers)))
    if body is None:
        return None
    status, headers = answer[0]
    named = dict(headers)
    return Observed(int(status.split()[0]), named.get("Content-Type", ""), b"".join(body), named)


def django_raw_sender(topic: Topic, framework: str) -> RawSender:
    """Django's test client with the snippet module as the URLconf.

    The caller must have switched ``ROOT_URLCONF`` to the snippet (the test does
    it through pytest-django's ``settings`` fixture, which also clears URL caches).
    """
    from django.test import Client

    # The check the demo's wsgi.py wraps Django in (importing wsgi.py would migrate a database).
    from snippets.security.django_charset import text_charsets_only_wsgi

    import_snippet(topic, framework)
    # Enforce CSRF like the real middleware does: the default test client skips it,
    # which would hide the 403 a browser or curl gets for an unprotected POST.
    client = Client(enforce_csrf_checks=True)

    def send(method: str, path: str, body: bytes, headers: Sequence[tuple[str, bytes]]):
        merged: dict[str, str] = {}
        for name, value in headers:  # a WSGI environ holds one value per name: joined
            key = name.title()
            merged[key] = f"{merged[key]}, {as_wsgi(value)}" if key in merged else as_wsgi(value)
        sent_type = merged.pop("Content-Type", None)
        content_type = sent_type or "application/octet-stream"
        refused = _wsgi_refusal(text_charsets_only_wsgi, {"CONTENT_TYPE": content_type})
        if refused is not None:
            return refused
        # generic() sets CONTENT_TYPE only with a body; a server passes the header on without
        # one too, and Django decodes a query string with its charset.
        extra = {"CONTENT_TYPE": sent_type} if sent_type is not None and not body else {}
        resp = client.generic(
            method, path, data=body, content_type=content_type, headers=merged, **extra
        )
        return Observed(
            resp.status_code, resp.get("Content-Type", ""), django_body(resp), dict(resp.headers)
        )

    return send


#: The adapters by the ``test_client`` name verified_guide/frameworks.yaml gives a framework.
ADAPTERS: dict[str, Callable[[Topic, str], RawSender]] = {
    "asgi": asgi_raw_sender,
    "django": django_raw_sender,
    "flask": flask_raw_sender,
}


def _raw_senders() -> dict[str, Callable[[Topic], RawSender]]:
    unknown = {s.id: s.test_client for s in REGISTRY.frameworks if s.test_client not in ADAPTERS}
    if unknown:
        raise LookupError(
            f"verified_guide/frameworks.yaml names test clients {unknown} that "
            f"tests/support/clients.py has no adapter for (it has {sorted(ADAPTERS)})"
        )
    return {
        spec.id: functools.partial(ADAPTERS[spec.test_client], framework=spec.id)
        for spec in REGISTRY.frameworks
    }


#: Each framework's in-process sender, by framework id.
RAW_SENDERS = _raw_senders()


def case_sender(raw: RawSender) -> Sender:
    """Send one request of a case (a topic test's own, outside cases.yaml) through a raw sender."""
    return lambda request: send_request(raw, request)


SENDERS: dict[str, Callable[[Topic], Sender]] = {
    framework: (lambda topic, make=make: case_sender(make(topic)))
    for framework, make in RAW_SENDERS.items()
}
