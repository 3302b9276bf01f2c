"""The embed check that fails the build: missing files, missing sections, orphans."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.check_embeds import broken_embeds, embeds_in, orphans
from scripts.topics import ROOT, TopicError, get_topic, import_snippet, snippet_files

PAGE = """
=== "Flask"

    ``` python title="snippets/hello/flask.py"
    --8<-- "snippets/hello/flask.py"
    ```

--8<-- "snippets/hello/django.py:views"
"""


def test_finds_embeds_in_rendered_markdown() -> None:
    assert embeds_in(PAGE) == {"snippets/hello/flask.py", "snippets/hello/django.py:views"}


def test_missing_file_and_missing_section_are_reported() -> None:
    problems = broken_embeds(["snippets/hello/gone.py", "snippets/hello/django.py:views"])
    assert problems == [
        "snippets/hello/django.py:views: no section [start:views] in snippets/hello/django.py",
        "snippets/hello/gone.py: no such file",
    ]


def test_existing_embeds_are_not_reported() -> None:
    assert broken_embeds(["snippets/hello/flask.py"]) == []


def test_a_snippet_no_page_embeds_is_an_orphan() -> None:
    files = [ROOT / "snippets/hello/flask.py", ROOT / "snippets/hello/django.py"]
    assert orphans(["snippets/hello/flask.py"], files) == ["snippets/hello/django.py"]


def test_every_snippet_file_is_embedded_in_the_built_site(site_dir: Path) -> None:
    """The build itself fails on orphans; this double-checks that it ran on every file."""
    assert snippet_files(), "no snippet files found"


def test_a_missing_snippet_module_names_its_file(tmp_path: Path, monkeypatch) -> None:
    topic = get_topic("hello")
    monkeypatch.setattr(type(topic), "snippet_path", lambda self, fw: tmp_path / f"{fw}.py")
    with pytest.raises(TopicError, match=r"flask\.py: snippet file is missing"):
        import_snippet(topic, "flask")
