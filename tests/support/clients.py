"""Send a case's request through each framework's own test client.

One adapter per framework, so the cases stay data and the test stays one loop:
FastAPI/Starlette ``TestClient``, Django's ``Client``, Flask's ``test_client``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scripts.live.runner import request_parts
from scripts.topics import Topic, import_snippet
from tests.support.responses import Observed

Sender = Callable[[dict[str, Any]], Observed]


def fastapi_sender(topic: Topic) -> Sender:
    from fastapi.testclient import TestClient

    # Like the demo-server test (httpx), do not follow redirects: a case sees the 3xx itself.
    # HTTPS and a host name the snippets trust, as in production: Secure cookies come back.
    client = TestClient(
        import_snippet(topic, "fastapi").app, base_url="https://localhost", follow_redirects=False
    )

    def send(request: dict[str, Any]) -> Observed:
        body, headers = request_parts(request)
        resp = client.request(request["method"], request["path"], content=body, headers=headers)
        return Observed(
            resp.status_code, resp.headers.get("content-type", ""), resp.content, dict(resp.headers)
        )

    return send


def flask_sender(topic: Topic) -> Sender:
    client = import_snippet(topic, "flask").app.test_client()

    def send(request: dict[str, Any]) -> Observed:
        body, headers = request_parts(request)
        resp = client.open(request["path"], method=request["method"], data=body, headers=headers)
        return Observed(
            resp.status_code,
            resp.headers.get("Content-Type", ""),
            resp.get_data(),
            dict(resp.headers),
        )

    return send


def django_sender(topic: Topic) -> Sender:
    """Django's test client with the snippet module as the URLconf.

    The caller must have switched ``ROOT_URLCONF`` to the snippet (the test does
    it through pytest-django's ``settings`` fixture, which also clears URL caches).
    """
    from django.test import Client

    import_snippet(topic, "django")
    # Enforce CSRF like the real middleware does: the default test client skips it,
    # which would hide the 403 a browser or curl gets for an unprotected POST.
    client = Client(enforce_csrf_checks=True)

    def send(request: dict[str, Any]) -> Observed:
        body, headers = request_parts(request)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        resp = client.generic(
            request["method"],
            request["path"],
            data=body or b"",
            content_type=content_type,
            headers=headers,
        )
        return Observed(
            resp.status_code, resp.get("Content-Type", ""), resp.content, dict(resp.headers)
        )

    return send


SENDERS: dict[str, Callable[[Topic], Sender]] = {
    "fastapi": fastapi_sender,
    "django": django_sender,
    "flask": flask_sender,
}
