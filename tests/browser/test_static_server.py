"""The local static server answers precompressed copies as a static host does: the coding the
client accepts, with the plain file's validators (Last-Modified, then 304) and Vary."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts.live.static_server import accepted_encodings, serve

BODY = b"console.log('precompressed');\n" * 20


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "app.js").write_bytes(BODY)
    (tmp_path / "app.js.gz").write_bytes(gzip.compress(BODY))
    return tmp_path


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:  # a 304 arrives as an "error"
        return error.code, dict(error.headers), error.read()


def test_precompressed_copy_has_validators_and_revalidates(site: Path) -> None:
    with serve(site) as url:
        status, headers, body = _get(url + "app.js", **{"Accept-Encoding": "br, gzip"})
        assert (status, headers["Content-Encoding"]) == (200, "gzip")
        assert gzip.decompress(body) == BODY
        assert headers["Vary"] == "Accept-Encoding"
        modified = headers["Last-Modified"]
        again = _get(url + "app.js", **{"Accept-Encoding": "gzip", "If-Modified-Since": modified})
        assert again[0] == 304 and again[2] == b""
        plain = _get(url + "app.js", **{"Accept-Encoding": "gzip;q=0"})
        assert (plain[0], plain[2]) == (200, BODY) and "Content-Encoding" not in plain[1]


def test_accepted_encodings_honour_zero_quality() -> None:
    assert accepted_encodings("gzip, br;q=0.5, deflate;q=0") == {"gzip", "br"}
    assert accepted_encodings("") == set()
