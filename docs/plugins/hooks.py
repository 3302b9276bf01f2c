"""The site's one MkDocs hook: the Guide navigation, built from the topics.

Topics declare their title and ``order`` in ``snippets/<topic>/topic.yaml``, so
adding a topic never means editing ``mkdocs.yml``.
"""

from __future__ import annotations

from typing import Any

from docs.plugins.main import page_of
from scripts.topics import all_topics


def on_config(config: Any) -> Any:
    """Fill the Guide section of the navigation with the topic pages, in ``order``."""
    pages = [{t.title: page_of(t)} for t in all_topics() if page_of(t).startswith("guide/")]
    for entry in config["nav"]:
        if isinstance(entry, dict) and "Guide" in entry:
            entry["Guide"] = ["guide/index.md", *pages]
    return config
