"""Links from the site back to the repository file behind each tab, table, figure and verdict.

The repository and the site's address are settings in ``mkdocs.yml`` (``repo_url``,
``site_url``) that a fork overrides with the ``REPO_URL`` and ``SITE_URL`` environment
variables. Links point at the commit being built, so a reader sees the file as it was when the
page was made; ``SOURCE_COMMIT`` (or GitHub Actions' ``GITHUB_SHA``) names it in CI, ``git``
otherwise, and ``main`` when neither knows.
"""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

from verified_guide.topics import ROOT

DEFAULT_REF = "main"
#: Hosts whose URLs only work on the machine that built the site.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "0.0.0.0")


@cache
def source_ref() -> str:
    """The commit (or branch) the links point at."""
    for name in ("SOURCE_COMMIT", "GITHUB_SHA"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        found = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return DEFAULT_REF
    return found.stdout.strip() or DEFAULT_REF


class SourceLinks:
    """URLs of repository files at ``ref`` on a GitHub-style host (``blob``/``tree`` paths)."""

    def __init__(self, repo_url: str, ref: str) -> None:
        if not repo_url:
            raise ValueError("mkdocs.yml: repo_url is empty (set it, or REPO_URL for a fork)")
        self.repo_url = repo_url.rstrip("/")
        self.ref = ref

    def url(self, path: Path | str) -> str:
        """The page of a file (or, for a directory, its listing) in the repository."""
        absolute = ROOT / path
        if not absolute.exists():
            raise FileNotFoundError(f"source link to {path}, which does not exist")
        rel = absolute.relative_to(ROOT).as_posix()
        kind = "tree" if absolute.is_dir() else "blob"
        return f"{self.repo_url}/{kind}/{self.ref}/{rel}"

    def link(self, path: Path | str, text: str | None = None) -> str:
        """A Markdown link to the file, its path in code style unless ``text`` is given."""
        rel = (ROOT / path).relative_to(ROOT).as_posix()
        return f"[{text or f'`{rel}`'}]({self.url(path)})"


_links: SourceLinks | None = None


def configure(repo_url: str) -> SourceLinks:
    """Set the repository for this build (called once per build by the macros)."""
    global _links
    _links = SourceLinks(repo_url, source_ref())
    return _links


def links() -> SourceLinks:
    if _links is None:
        raise RuntimeError("verified_guide.source_links.configure() was not called for this build")
    return _links


def is_loopback(url: str) -> bool:
    return any(f"//{host}" in url for host in LOOPBACK_HOSTS)
