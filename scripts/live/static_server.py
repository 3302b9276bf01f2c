"""A local static server for the built site, as a static host serves it (tests, measurements).

It listens on 127.0.0.1 and a free port, sends the MIME types Pyodide needs, and serves the
bundle's precompressed copies (name.br, name.gz) to a browser that accepts them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
        hosts do, so byte counts are what a reader downloads."""
        path = Path(self.translate_path(self.path))
        accepted = self.headers.get("Accept-Encoding", "")
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            copy = path.with_name(path.name + suffix)
            if encoding in accepted and path.is_file() and copy.is_file():
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(copy.stat().st_size))
                self.end_headers()
                return copy.open("rb")
        return super().send_head()


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
