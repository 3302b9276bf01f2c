"""The embed check that fails the build: missing files, missing sections, orphans."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from verified_guide.check_embeds import broken_embeds, embeds_in, orphans
from verified_guide.topics import ROOT, TopicError, get_topic, import_snippet, snippet_files

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


#: The title pymdownx gives a code block embedded with ``title="<path>"``.
CODE_TITLE = re.compile(r'<span class="filename">([^<]+)</span>')
#: Folders whose files pages embed (a topic's code; a demo app's migration).
EMBEDDED_FROM = ("snippets/", "demo_apps/")


def _text_of(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def site_embed_problems(site: Path, files: list[Path], root: Path = ROOT) -> list[str]:
    """What is wrong with the snippets of a built site, read from its HTML alone: a code block
    titled with a path under ``snippets/`` or ``demo_apps/`` that names no file, or whose page
    lacks a line of that file (the include pulled nothing), and a snippet file no page shows."""
    shown: set[str] = set()
    problems = []
    for page in sorted(site.rglob("*.html")):
        page_html = page.read_text(encoding="utf-8")
        text = None
        for title in dict.fromkeys(CODE_TITLE.findall(page_html)):
            if not title.startswith(EMBEDDED_FROM):
                continue
            where = f"{page.relative_to(site)}: {title}"
            path = root / title
            if not path.is_file():
                problems.append(f"{where}: names no file")
                continue
            text = text if text is not None else _text_of(page_html)
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
            missing = [ln for ln in lines if ln and ln not in text]
            if missing:
                problems.append(f"{where}: line {missing[0]!r} of the file is not on the page")
            else:
                shown.add(title)
    problems += [
        f"{path.relative_to(root)}: shown on no page"
        for path in files
        if path.relative_to(root).as_posix() not in shown
    ]
    return problems


def test_every_snippet_file_is_embedded_and_every_embed_resolves(site_dir: Path) -> None:
    """The build fails on its own check of the Markdown; this re-checks the HTML it wrote."""
    files = snippet_files()
    assert files, "no snippet files found"
    assert site_embed_problems(site_dir, files) == []


def test_the_site_check_reports_a_dangling_an_empty_and_a_missing_embed(tmp_path: Path) -> None:
    flask, django, hello_init = (
        ROOT / "snippets/hello/flask.py",
        ROOT / "snippets/hello/django.py",
        ROOT / "snippets/hello/__init__.py",
    )
    code = html.escape(flask.read_text(encoding="utf-8"))
    page = tmp_path / "guide" / "hello" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<span class="filename">snippets/hello/flask.py</span><pre><code>'
        f"{code}</code></pre>"
        '<span class="filename">snippets/hello/gone.py</span><pre><code></code></pre>'
        '<span class="filename">snippets/hello/django.py</span><pre><code></code></pre>',
        encoding="utf-8",
    )
    problems = site_embed_problems(tmp_path, [flask, django, hello_init])
    assert problems[0] == "guide/hello/index.html: snippets/hello/gone.py: names no file"
    assert problems[1].startswith("guide/hello/index.html: snippets/hello/django.py: line ")
    assert problems[2:] == [
        "snippets/hello/django.py: shown on no page",
        "snippets/hello/__init__.py: shown on no page",
    ]


def test_a_missing_snippet_module_names_its_file(tmp_path: Path, monkeypatch) -> None:
    topic = get_topic("hello")
    monkeypatch.setattr(type(topic), "snippet_path", lambda self, fw: tmp_path / f"{fw}.py")
    with pytest.raises(TopicError, match=r"flask\.py: snippet file is missing"):
        import_snippet(topic, "flask")
