"""The site's MkDocs hooks: the Guide navigation built from the topics, a check that the
published address is a real one, what keeps ``mkdocs serve`` honest across rebuilds, and HTML
touch-ups the Markdown cannot express.

Topics declare their title and ``order`` in ``snippets/<topic>/topic.yaml``, so
adding a topic never means editing ``mkdocs.yml``.
"""

from __future__ import annotations

import sys
from typing import Any

from mkdocs.exceptions import PluginError

from docs.plugins.claims_page import stale_notice
from docs.plugins.context import mkdocs_command, set_command
from docs.plugins.page_html import (
    exclude_code_from_search,
    label_table_cells,
    separate_tab_labels,
    unmark_abbreviations_in_code,
)
from verified_guide.claims.evidence import evidence_path
from verified_guide.source_links import is_loopback
from verified_guide.topics import all_topics, page_of

#: The claims page, which says when its evidence report predates an edit.
CLAIMS_PAGE = "claims.md"


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``build`` (published) or ``serve`` (local preview)."""
    set_command(command)


def clear_caches() -> None:
    """Forget every cached read of the project's data files.

    ``mkdocs serve`` rebuilds in the same process, where ``verified_guide.*`` modules stay imported;
    their ``functools.cache``d loaders (topics, cases, claims, the matrix) would otherwise keep
    serving the files as they were at startup, and an edited ``cases.yaml`` would not show.
    """
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in {"verified_guide", "docs"}:
            continue
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) == name and callable(
                getattr(value, "cache_clear", None)
            ):
                value.cache_clear()


def on_config(config: Any) -> Any:
    """Fill the Guide section of the navigation with the topic pages, in ``order``; refuse a
    loopback ``site_url`` in a build, where it would end up in every canonical link and the
    sitemap."""
    clear_caches()
    if mkdocs_command() == "build" and is_loopback(config["site_url"] or ""):
        raise PluginError(
            f"site_url is {config['site_url']!r}, a loopback address: set SITE_URL to the "
            "address the site is published at"
        )
    pages = [{t.title: page_of(t)} for t in all_topics() if page_of(t).startswith("guide/")]
    for entry in config["nav"]:
        if isinstance(entry, dict) and "Guide" in entry:
            entry["Guide"] = ["guide/index.md", *pages]
    return config


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Put the stale-evidence notice at the top of the claims page when it applies."""
    if page.file.src_uri != CLAIMS_PAGE:
        return markdown
    return stale_notice(evidence_path()) + markdown


def on_page_content(html: str, **kwargs: Any) -> str:
    """Label table cells for the stacked phone layout; keep glossary marks out of inline code,
    code out of the search index and tab labels apart in it."""
    html = unmark_abbreviations_in_code(label_table_cells(html))
    return exclude_code_from_search(separate_tab_labels(html))
