"""The ceilings: the same plaintext and JSON answers with no framework at all.

What a server can do with an app that does nothing bounds what any framework on it can do;
the results page shows each framework as a fraction of its server's raw figure.
"""

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

PLAINTEXT = b"Hello, World!"


def _answer(path: str) -> tuple[str, bytes, bytes]:
    """Status line, content type and body for a path; fresh JSON each call, like the frameworks."""
    if path == "/plaintext":
        return "200 OK", b"text/plain", PLAINTEXT
    if path == "/json":
        return "200 OK", b"application/json", json.dumps({"message": "Hello, World!"}).encode()
    return "404 Not Found", b"text/plain", b"Not Found"


async def asgi_app(
    scope: dict[str, Any],
    receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """A bare ASGI app: HTTP only (the servers run with lifespan off or ignore it)."""
    if scope["type"] != "http":
        return
    status, content_type, body = _answer(scope["path"])
    await send(
        {
            "type": "http.response.start",
            "status": int(status.split()[0]),
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def wsgi_app(
    environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], Any]
) -> Iterable[bytes]:
    """A bare WSGI app answering the same paths."""
    status, content_type, body = _answer(environ["PATH_INFO"])
    start_response(
        status, [("Content-Type", content_type.decode()), ("Content-Length", str(len(body)))]
    )
    return [body]
