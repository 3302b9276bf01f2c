"""Find snippet embeds that point at nothing and snippet files that no page embeds.

The site's hook calls these after every build, so ``mkdocs build --strict``
fails on either mistake; the functions are pure so tests can exercise them
without building the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from verified_guide.topics import ROOT, snippet_files

#: A pymdownx.snippets line: ``--8<-- "path"`` or ``--8<-- "path:section"``.
EMBED = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+"(?P<target>[^"]+)"', re.MULTILINE)


def embeds_in(markdown: str) -> set[str]:
    """Every snippet target named in a page's (macro-rendered) Markdown."""
    return {m.group("target") for m in EMBED.finditer(markdown)}


def _split(target: str) -> tuple[str, str | None]:
    path, _, section = target.partition(":")
    return path, section or None


def broken_embeds(targets: Iterable[str], root: Path = ROOT) -> list[str]:
    """Targets whose file is missing, or whose ``[start:name]`` section is absent."""
    problems = []
    for target in sorted(set(targets)):
        path, section = _split(target)
        file = root / path
        if not file.is_file():
            problems.append(f"{target}: no such file")
        elif section and f"[start:{section}]" not in file.read_text(encoding="utf-8"):
            problems.append(f"{target}: no section [start:{section}] in {path}")
    return problems


def orphans(targets: Iterable[str], files: Iterable[Path] | None = None) -> list[str]:
    """Snippet files (relative paths) that no embed names."""
    embedded = {_split(t)[0] for t in targets}
    candidates = snippet_files() if files is None else files
    return sorted(
        rel for rel in (str(p.relative_to(ROOT)) for p in candidates) if rel not in embedded
    )
