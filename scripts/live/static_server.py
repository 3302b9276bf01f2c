"""A local static server for the built site, as a static host serves it (tests, measurements).

It listens on 127.0.0.1 and a free port, sends the MIME types Pyodide needs, and serves the
bundle's precompressed copies (name.br, name.gz) to a browser that accepts them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Handler(SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs (wasm streaming compile checks it)."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".whl": "application/zip", ".zip": "application/zip",
    }  # fmt: skip

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest output stays readable."""

    def send_head(self) -> object:
        """Serve a precompressed copy (name.br, name.gz) when the browser accepts it, as static
        hosts do, so byte counts are what a reader downloads. Its headers are the ones the plain
        file gets (Last-Modified, so a revalidation can answer 304), plus Vary, so a cache never
        hands the compressed bytes to a client that did not ask for them."""
        path = Path(self.translate_path(self.path))
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            copy = path.with_name(path.name + suffix)
            if encoding in accepted and path.is_file() and copy.is_file():
                modified = max(path.stat().st_mtime, copy.stat().st_mtime)
                if self._not_modified_since(modified):
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return None
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(copy.stat().st_size))
                self.send_header("Last-Modified", self.date_time_string(int(modified)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return copy.open("rb")
        return super().send_head()

    def _not_modified_since(self, modified: float) -> bool:
        """Whether the request's If-Modified-Since covers ``modified`` (whole seconds, as
        HTTP dates are); a malformed date counts as absent, as the plain files' handler does."""
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        try:
            date = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        if date.tzinfo is None:  # "-0000": UTC, as HTTP dates always are
            date = date.replace(tzinfo=UTC)
        return int(modified) <= date.timestamp()


def accepted_encodings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header accepts: listed without ``q=0``."""
    accepted = set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params.strip() else "1"
        try:
            if name.strip() and float(quality) > 0:
                accepted.add(name.strip().lower())
        except ValueError:
            continue
    return accepted


@contextmanager
def serve(site_dir: Path, handler_class: type[Handler] = Handler) -> Iterator[str]:
    """The server's root URL while it runs; stopped on exit."""
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
