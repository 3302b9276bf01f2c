"""The built site: every topic page shows the three linked tabs fed from snippets/."""

from __future__ import annotations

import html
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import wait_for_site_build
from verified_guide.topics import (
    FRAMEWORK_TITLES,
    FRAMEWORKS,
    ROOT,
    all_topics,
    page_of,
    snippet_files,
)

TOPICS = all_topics()


def _page_html(site_dir: Path, page: str) -> str:
    return (site_dir / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def _text_of(page_html: str) -> str:
    """Page text with tags removed and entities decoded, for looking up code lines."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def test_a_test_waits_for_the_site_build_beside_it(tmp_path: Path) -> None:
    status = tmp_path / "site-build.status"
    written = tmp_path / "site-build.status.tmp"
    written.write_text("0\n")
    writer = threading.Timer(0.6, written.replace, (status,))  # as make writes it: whole
    writer.start()
    started = time.monotonic()
    wait_for_site_build(status, limit_s=30)
    assert time.monotonic() - started >= 0.5


@pytest.mark.parametrize("code", ["1\n", ""])
def test_a_failed_site_build_fails_the_tests_that_read_it(tmp_path: Path, code: str) -> None:
    status = tmp_path / "site-build.status"
    status.write_text(code)
    with pytest.raises(pytest.fail.Exception, match=r"site build beside the tests failed") as error:
        wait_for_site_build(status, limit_s=30)
    assert str(tmp_path / "site-build.log") in str(error.value)


def test_a_site_build_that_never_ends_fails_at_the_limit(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"wrote no exit status .* in 1 s"):
        wait_for_site_build(tmp_path / "site-build.status", limit_s=1)


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


def mkdocs_config(text: str) -> dict:
    """``mkdocs.yml`` as data; its ``!ENV`` tags are kept as their names, since only the
    structure is checked here."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, tag, node: tag)
    return yaml.load(text, Loader=Loader)


def test_tabs_are_linked_across_the_site() -> None:
    """Read as YAML, so a commented-out or misplaced feature line fails."""
    config = mkdocs_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "content.tabs.link" in config["theme"]["features"]
    commented = (
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("- content.tabs.link", "# - content.tabs.link")
    )
    assert "content.tabs.link" not in mkdocs_config(commented)["theme"]["features"]


def test_serve_rebuilds_on_snippet_and_code_edits() -> None:
    """``mkdocs serve`` watches docs/ already; snippets, the core package and the demo apps
    must be watched too, or an edited snippet would not show until a restart."""
    watched = mkdocs_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["watch"]
    assert {"snippets", "verified_guide", "demo_apps"} <= set(watched)


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
    for framework in FRAMEWORKS:
        assert f"{framework} {version(framework)}" in page, framework


def test_a_variant_has_its_own_row_in_the_size_table(site_dir: Path) -> None:
    """rest_api's size table: DRF and Django Ninja each on a row, with the lines of its files."""
    rest_api = next(t for t in TOPICS if t.slug == "rest_api")
    [ninja] = rest_api.variants()
    rows = {
        re.sub(r"\s+", " ", _text_of(row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", _page_html(site_dir, page_of(rest_api)), re.S)
    }
    expected = {
        f"Django {rest_api.lines_of_code('django')} django.py, django_settings.py",
        f"Django (django_ninja.py) {ninja.lines_of_code('django')} "
        "django_ninja.py, django_settings.py",
    }
    assert expected <= rows, sorted(rows)


# --------------------------------------------------------------------------- address and sources


def _built_pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def test_no_canonical_link_or_sitemap_entry_points_at_a_loopback_address(site_dir: Path) -> None:
    from verified_guide.source_links import is_loopback

    canonicals = [
        (page, found)
        for page in _built_pages(site_dir)
        for found in re.findall(r'<link rel="canonical" href="([^"]+)"', page.read_text())
    ]
    assert canonicals, "no canonical links in the built site"
    assert [c for c in canonicals if is_loopback(c[1])] == []
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and not [url for url in locations if is_loopback(url)]


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.slug)
def test_every_code_tab_links_to_its_file_in_the_repository(site_dir: Path, topic) -> None:
    page = _page_html(site_dir, page_of(topic))
    repo = re.search(r'<a href="([^"]+)" title="Go to repository"', page)
    assert repo, "no repository link in the header"
    ref = re.search(rf"{re.escape(repo[1].rstrip('/'))}/blob/([0-9a-f]{{40}}|main)/", page)
    assert ref, "no source link at a commit"
    for framework in topic.frameworks():
        for path in topic.code_files(framework):
            rel = path.relative_to(ROOT).as_posix()
            url = f"{repo[1].rstrip('/')}/blob/{ref[1]}/{rel}"
            link = f'<p class="source-link">Source: <a href="{url}"><code>{rel}</code></a></p>'
            assert link in page, f"no source link to {rel}"
    cases = f"{repo[1].rstrip('/')}/blob/{ref[1]}/snippets/{topic.slug}/cases.yaml"
    if topic.cases:
        assert cases in page and "tests/test_cases.py" in page


def test_every_table_links_to_the_file_behind_it(site_dir: Path) -> None:
    """Readers check us: each table on the site has, in its own section (between the
    headings around it), a link to a file of the repository: its data, script or test."""
    unlinked, tables = [], 0
    for page in _built_pages(site_dir):
        text = page.read_text(encoding="utf-8")
        article = re.search(r"<article[^>]*>(.*)</article>", text, re.S)
        if article is None:
            continue
        repo = re.search(r'<a href="([^"]+)" title="Go to repository"', text)
        assert repo, f"{page}: no repository link in the header"
        sources = (f"{repo[1].rstrip('/')}/blob/", f"{repo[1].rstrip('/')}/tree/")
        for section in re.split(r"(?=<h[1-6][ >])", article[1]):
            tables += section.count("<table")
            if "<table" in section and not any(s in section for s in sources):
                heading = _text_of(section.split("</h", 1)[0]).strip("¶ \n")
                unlinked.append(f"{page.relative_to(site_dir)}: {heading}")
    assert tables > 100, f"only {tables} tables found: is the site built?"
    assert unlinked == [], "tables with no link to their source:\n" + "\n".join(unlinked)


def test_benchmark_figures_link_to_the_result_file_and_the_harness(site_dir: Path) -> None:
    from verified_guide.bench import results

    page = (site_dir / "benchmarks" / "index.html").read_text(encoding="utf-8")
    newest = results.latest()
    assert newest is not None
    rel = newest.relative_to(ROOT).as_posix()
    charts = page.count('<div class="bench-chart">')
    assert charts > 0
    assert page.count(f"{rel}</code></a>, written by the harness") >= charts
    assert "/tree/" in page and "scripts/bench</code></a>" in page


def test_every_claim_verdict_links_to_its_rule_and_tests(site_dir: Path) -> None:
    page = _page_html(site_dir, "claims.md")
    verdicts = page.count("<strong>Verdict:</strong>")
    assert verdicts > 0
    assert page.count('href="#rules"') >= verdicts
    assert "verified_guide/claims/rules.py" in page
