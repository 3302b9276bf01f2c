"""The built site: every topic page shows the three linked tabs fed from snippets/."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from docs.plugins.main import page_of
from scripts.topics import FRAMEWORK_TITLES, ROOT, all_topics, snippet_files

TOPICS = all_topics()


def _page_html(site_dir: Path, page: str) -> str:
    return (site_dir / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def _text_of(page_html: str) -> str:
    """Page text with tags removed and entities decoded, for looking up code lines."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def test_home_page_is_built(site_dir: Path) -> None:
    assert (site_dir / "index.html").is_file()


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.slug)
def test_topic_page_has_linked_tabs_with_every_snippet_line(site_dir: Path, topic) -> None:
    page = _page_html(site_dir, page_of(topic))
    labels = re.findall(r'<label for="__tabbed_\d+_\d+">([^<]+)</label>', page)
    assert labels[: len(topic.frameworks())] == [
        FRAMEWORK_TITLES[fw] for fw in topic.frameworks()
    ], f"{page_of(topic)}: tabs are {labels}"
    text = _text_of(page)
    for framework in topic.frameworks():
        for path in topic.code_files(framework):
            for line in path.read_text(encoding="utf-8").splitlines():
                assert line.strip() in text, f"{path.relative_to(ROOT)}: line {line!r} not on page"


def test_tabs_are_linked_across_the_site() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "content.tabs.link" in config


def test_template_syntax_in_snippets_reaches_the_reader_verbatim(site_dir: Path) -> None:
    """Jinja runs before snippets are included, so ``{{ ... }}`` in a template survives."""
    templates = [p for p in snippet_files() if p.suffix == ".html" and "{{" in p.read_text()]
    assert templates, "no snippet template with {{ ... }} to check"
    for path in templates:
        line = next(ln.strip() for ln in path.read_text().splitlines() if "{{" in ln)
        pages = [p.read_text(encoding="utf-8") for p in site_dir.rglob("index.html")]
        assert any(line in _text_of(page) for page in pages), f"{path}: {line!r} was altered"


def test_versions_on_pages_are_the_installed_ones(site_dir: Path) -> None:
    from importlib.metadata import version

    page = _text_of(_page_html(site_dir, "guide/hello.md"))
    assert f"django {version('django')}" in page
    assert f"fastapi {version('fastapi')}" in page
