"""The minimal app: the article's claim that a Flask app fits in about ten lines."""

import pytest

from verified_guide.topics import get_topic


@pytest.mark.claim("flask-single-file")
def test_flask_hello_is_one_file_of_at_most_ten_lines() -> None:
    path = get_topic("hello").snippet_path("flask")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len(lines) <= 10, f"{path.name} has {len(lines)} non-blank lines"
