"""An HTTP request's ASGI scope, as a server builds it, for tests that drive an ASGI app
directly: they see each message it sends (when a body is read, when a task runs), which a test
client hides."""

from __future__ import annotations

from typing import Any


def http_scope(
    method: str, path: str, headers: list[tuple[bytes, bytes]], query: str = ""
) -> dict[str, Any]:
    """The scope of one HTTP/1.1 request from 127.0.0.1 to testserver, with ``headers`` as
    given (lower-case names, as servers send them)."""
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
